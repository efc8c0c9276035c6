package clock_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
)

func TestFake(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	f := clock.NewFake(t0)
	require.NoError(t, f.Sleep(context.Background(), 3*time.Second))
	f.Advance(time.Minute)
	assert.True(t, f.Now().Equal(t0.Add(63*time.Second)), "Now = %v", f.Now())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, f.Sleep(ctx, time.Hour), context.Canceled)
	assert.Equal(t, []time.Duration{3 * time.Second}, f.Sleeps())
}

func TestSystemSleep(t *testing.T) {
	c := clock.System()
	start := time.Now()
	require.NoError(t, c.Sleep(context.Background(), 5*time.Millisecond))
	assert.GreaterOrEqual(t, time.Since(start), 5*time.Millisecond, "Sleep returned early")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, c.Sleep(ctx, time.Hour), context.Canceled)
}
