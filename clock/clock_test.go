package clock_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
)

func TestFake(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	f := clock.NewFake(t0)
	if err := f.Sleep(context.Background(), 3*time.Second); err != nil {
		t.Fatal(err)
	}
	f.Advance(time.Minute)
	if got := f.Now(); !got.Equal(t0.Add(63 * time.Second)) {
		t.Errorf("Now = %v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(cancelled) = %v", err)
	}
	if got := f.Sleeps(); len(got) != 1 || got[0] != 3*time.Second {
		t.Errorf("Sleeps = %v", got)
	}
}

func TestSystemSleep(t *testing.T) {
	c := clock.System()
	start := time.Now()
	if err := c.Sleep(context.Background(), 5*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < 5*time.Millisecond {
		t.Error("Sleep returned early")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(cancelled) = %v", err)
	}
}
