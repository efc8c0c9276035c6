package alphaess

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
)

var p0 = time.Date(2026, 8, 4, 10, 0, 0, 0, time.UTC)

func TestPacerSpacesCalls(t *testing.T) {
	fc := clock.NewFake(p0)
	p := newPacer(fc, 10*time.Second)
	ctx := context.Background()
	for range 3 {
		if err := p.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := fc.Sleeps(), []time.Duration{10 * time.Second, 10 * time.Second}; !slices.Equal(got, want) {
		t.Fatalf("sleeps = %v, want %v", got, want)
	}
	// After a pause longer than the interval, the next call goes at once.
	fc.Advance(time.Minute)
	if err := p.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	// A call 4 s after the previous one waits the remaining 6 s.
	fc.Advance(4 * time.Second)
	if err := p.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if got := fc.Sleeps(); len(got) != 3 || got[2] != 6*time.Second {
		t.Fatalf("sleeps = %v, want a final 6s", got)
	}
}

func TestPacerOff(t *testing.T) {
	fc := clock.NewFake(p0)
	p := newPacer(fc, 0)
	for range 5 {
		if err := p.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(fc.Sleeps()) != 0 {
		t.Fatalf("sleeps = %v", fc.Sleeps())
	}
}

func TestPacerSlowDown(t *testing.T) {
	fc := clock.NewFake(p0)
	p := newPacer(fc, 0)
	var got []time.Duration
	for range 6 {
		got = append(got, p.slowDown())
	}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second, 2 * time.Minute, 2 * time.Minute}
	if !slices.Equal(got, want) {
		t.Fatalf("intervals = %v, want %v", got, want)
	}
	// The next call waits a whole new interval from the 6053.
	if err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := fc.Sleeps(); len(s) != 1 || s[0] != 2*time.Minute {
		t.Fatalf("sleeps = %v", s)
	}
}

func TestPacerCancelGivesTurnBack(t *testing.T) {
	fc := clock.NewFake(p0)
	p := newPacer(fc, 10*time.Second)
	if err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	// The cancelled caller did not keep its turn: the next waits 10 s, not 20.
	if err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := fc.Sleeps(); len(s) != 1 || s[0] != 10*time.Second {
		t.Fatalf("sleeps = %v", s)
	}
}

// Concurrent callers each get their own turn. The fake clock moves on every
// Sleep, so a caller that arrives after another's sleep may find its turn
// already due and not sleep at all; what holds in every interleaving is that
// each caller reserved a turn of its own, so the next free turn is at least
// eight intervals on, and that the first caller never waits.
func TestPacerConcurrent(t *testing.T) {
	fc := clock.NewFake(p0)
	p := newPacer(fc, time.Second)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := p.Wait(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	p.mu.Lock()
	next := p.next
	p.mu.Unlock()
	if want := p0.Add(8 * time.Second); next.Before(want) {
		t.Fatalf("next turn %v, want at least %v: callers shared a turn", next, want)
	}
	if s := fc.Sleeps(); len(s) > 7 || len(s) == 0 || slices.Min(s) <= 0 {
		t.Fatalf("sleeps = %v, want 1 to 7 positive waits", s)
	}
}
