package alphaess

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
)

var p0 = time.Date(2026, 8, 4, 10, 0, 0, 0, time.UTC)

func TestPacerSpacesCalls(t *testing.T) {
	fc := clock.NewFake(p0)
	p := newPacer(fc, 10*time.Second)
	ctx := context.Background()
	for range 3 {
		require.NoError(t, p.Wait(ctx))
	}
	require.Equal(t, []time.Duration{10 * time.Second, 10 * time.Second}, fc.Sleeps())
	// After a pause longer than the interval, the next call goes at once.
	fc.Advance(time.Minute)
	require.NoError(t, p.Wait(ctx))
	// A call 4 s after the previous one waits the remaining 6 s.
	fc.Advance(4 * time.Second)
	require.NoError(t, p.Wait(ctx))
	assert.Equal(t, []time.Duration{10 * time.Second, 10 * time.Second, 6 * time.Second}, fc.Sleeps(), "a final 6s")
}

func TestPacerOff(t *testing.T) {
	fc := clock.NewFake(p0)
	p := newPacer(fc, 0)
	for range 5 {
		require.NoError(t, p.Wait(context.Background()))
	}
	assert.Empty(t, fc.Sleeps())
}

func TestPacerSlowDown(t *testing.T) {
	fc := clock.NewFake(p0)
	p := newPacer(fc, 0)
	var got []time.Duration
	for range 6 {
		got = append(got, p.slowDown())
	}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second, 2 * time.Minute, 2 * time.Minute}
	require.Equal(t, want, got, "intervals")
	// The next call waits a whole new interval from the 6053.
	require.NoError(t, p.Wait(context.Background()))
	assert.Equal(t, []time.Duration{2 * time.Minute}, fc.Sleeps())
}

func TestPacerCancelGivesTurnBack(t *testing.T) {
	fc := clock.NewFake(p0)
	p := newPacer(fc, 10*time.Second)
	require.NoError(t, p.Wait(context.Background()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, p.Wait(ctx), context.Canceled)
	// The cancelled caller did not keep its turn: the next waits 10 s, not 20.
	require.NoError(t, p.Wait(context.Background()))
	assert.Equal(t, []time.Duration{10 * time.Second}, fc.Sleeps())
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
			assert.NoError(t, p.Wait(context.Background()))
		})
	}
	wg.Wait()
	p.mu.Lock()
	next := p.next
	p.mu.Unlock()
	want := p0.Add(8 * time.Second)
	require.False(t, next.Before(want), "next turn %v, want at least %v: callers shared a turn", next, want)
	s := fc.Sleeps()
	require.NotEmpty(t, s, "want 1 to 7 positive waits")
	assert.LessOrEqual(t, len(s), 7, "sleeps = %v, want 1 to 7 positive waits", s)
	assert.Positive(t, slices.Min(s), "sleeps = %v, want 1 to 7 positive waits", s)
}
