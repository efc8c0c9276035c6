package plan

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

func spikeDay() []energy.Price {
	return both(time.Hour, []float64{0.2, 0.3, 1.5, 2.0, 0.25}, []float64{3, 3, 3, 3, 3})
}

func TestChargerLimit(t *testing.T) {
	c := Charger{Threshold: 1, Normal: 32, Capped: 6}
	prices := spikeDay()
	tests := []struct {
		at   time.Time
		want energy.Amperes
	}{
		{t0, 32},
		{t0.Add(2*time.Hour - time.Nanosecond), 32},
		{t0.Add(2 * time.Hour), 6}, // a price holds from its Start
		{t0.Add(3*time.Hour + 30*time.Minute), 6},
		{t0.Add(4 * time.Hour), 32}, // … to before its End
		{t0.Add(-time.Hour), 32},    // no price known: not a spike
		{t0.Add(9 * time.Hour), 32},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, c.Limit(prices, tt.at), "at %v", tt.at)
	}
	// The export price (3, above the threshold) is not what a charger pays.
	assert.Equal(t, energy.Amperes(32), c.Limit(prices[5:], t0))
	// A price equal to the threshold is not above it.
	assert.Equal(t, energy.Amperes(32), Charger{Threshold: 0.3, Normal: 32, Capped: 6}.Limit(prices, t0.Add(time.Hour)))
}

func TestChargerChanges(t *testing.T) {
	c := Charger{Threshold: 1, Normal: 32, Capped: 6}
	assert.Equal(t, []LimitChange{
		{At: t0, Limit: 32},
		{At: t0.Add(2 * time.Hour), Limit: 6},
		{At: t0.Add(4 * time.Hour), Limit: 32},
	}, c.Changes(spikeDay()))
	assert.Empty(t, c.Changes(nil))
}

func TestChargerApply(t *testing.T) {
	ctx := context.Background()
	c := Charger{Threshold: 1, Normal: 32, Capped: 6}
	ch := &fakeCharger{}
	l, err := c.Apply(ctx, ch, spikeDay(), t0.Add(150*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, energy.Amperes(6), l)
	assert.Equal(t, []energy.Amperes{6}, ch.limits)

	ch.err = energy.ErrUnavailable
	_, err = c.Apply(ctx, ch, spikeDay(), t0)
	require.ErrorIs(t, err, energy.ErrUnavailable)

	ch = &fakeCharger{}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Apply(cancelled, ch, spikeDay(), t0)
	require.ErrorIs(t, err, context.Canceled)
	_, err = c.Apply(ctx, nil, spikeDay(), t0)
	require.ErrorIs(t, err, energy.ErrInvalid)
	_, err = Charger{Threshold: 1, Normal: 6, Capped: 32}.Apply(ctx, ch, spikeDay(), t0)
	require.ErrorIs(t, err, energy.ErrInvalid)
	assert.Zero(t, ch.calls)
}

func TestChargerValidate(t *testing.T) {
	tests := []struct {
		c     Charger
		field string
	}{
		{Charger{Threshold: math.NaN(), Normal: 32}, "Charger.Threshold"},
		{Charger{Threshold: 1}, "Charger.Normal"},
		{Charger{Threshold: 1, Normal: energy.Amperes(math.Inf(1))}, "Charger.Normal"},
		{Charger{Threshold: 1, Normal: 16, Capped: -1}, "Charger.Capped"},
		{Charger{Threshold: 1, Normal: 16, Capped: 20}, "Charger.Capped"},
	}
	for _, tt := range tests {
		var fe *energy.FieldError
		require.ErrorAs(t, tt.c.Validate(), &fe, "%+v", tt.c)
		assert.Equal(t, tt.field, fe.Field)
	}
	require.NoError(t, Charger{Threshold: -0.1, Normal: 16}.Validate(), "Capped 0 pauses charging")
}

// Where no import price is known Limit gives Normal, so Changes must say
// so at the gap's start; otherwise a controller following Changes keeps
// the cap through a gap that Limit does not cap.
func TestChargerChangesAtAGap(t *testing.T) {
	c := Charger{Threshold: 1, Normal: 32, Capped: 6}
	prices := append(curve(energy.ChannelImport, t0, 30*time.Minute, 0.3, 2.0),
		curve(energy.ChannelImport, t0.Add(2*time.Hour), 30*time.Minute, 2.0, 0.3)...)
	got := c.Changes(prices)
	assert.Equal(t, []LimitChange{
		{At: t0, Limit: 32},
		{At: t0.Add(30 * time.Minute), Limit: 6},
		{At: t0.Add(time.Hour), Limit: 32}, // the gap
		{At: t0.Add(2 * time.Hour), Limit: 6},
		{At: t0.Add(150 * time.Minute), Limit: 32},
	}, got)
	// A spike at the very end is lifted where the prices end.
	assert.Equal(t, LimitChange{At: t0.Add(150 * time.Minute), Limit: 32}, c.Changes(prices[:3])[4])
	for _, ch := range got {
		assert.Equal(t, c.Limit(prices, ch.At), ch.Limit, "at %v", ch.At)
	}
}
