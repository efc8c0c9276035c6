package clock_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
)

func TestScaledRunsFaster(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	c, err := clock.NewScaled(t0, 3600) // an hour a second
	require.NoError(t, err)
	assert.Equal(t, 3600.0, c.Speed())
	before := c.Now()
	assert.False(t, before.Before(t0), "Now before origin: %v", before)
	assert.Less(t, before.Sub(t0), time.Hour, "an hour passed before the first read")

	start := time.Now()
	require.NoError(t, c.Sleep(context.Background(), 36*time.Second)) // 10 ms real
	real := time.Since(start)
	assert.GreaterOrEqual(t, real, 10*time.Millisecond, "Sleep returned early")
	assert.GreaterOrEqual(t, c.Now().Sub(before), 36*time.Second, "less than the sleep passed on the clock")
}

func TestScaledNeverGoesBack(t *testing.T) {
	c, err := clock.NewScaled(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 100_000)
	require.NoError(t, err)
	prev := c.Now()
	for range 1000 {
		now := c.Now()
		require.False(t, now.Before(prev), "%v after %v", now, prev)
		prev = now
	}
}

func TestScaledSleepCancelled(t *testing.T) {
	c, err := clock.NewScaled(time.Now(), 2)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, c.Sleep(ctx, time.Hour), context.Canceled)
	assert.ErrorIs(t, c.Sleep(ctx, 0), context.Canceled)
	assert.NoError(t, c.Sleep(context.Background(), 0))
	assert.NoError(t, c.Sleep(context.Background(), -time.Second))
}

func TestScaledRealRoundsUp(t *testing.T) {
	c, err := clock.NewScaled(time.Now(), 3)
	require.NoError(t, err)
	assert.Equal(t, 4*time.Nanosecond, c.Real(10*time.Nanosecond))
	assert.Equal(t, time.Duration(0), c.Real(-time.Second))
	assert.Equal(t, time.Second, c.Real(3*time.Second))
}

func TestScaledRejectsBadSpeed(t *testing.T) {
	for _, speed := range []float64{0, 0.5, -1, math.NaN(), math.Inf(1)} {
		_, err := clock.NewScaled(time.Now(), speed)
		assert.Error(t, err, "speed %v", speed)
	}
}
