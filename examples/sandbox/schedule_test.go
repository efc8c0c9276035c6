package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/plan"
)

// TestShapes: each form keeps what its vendors take and drops the rest.
func TestShapes(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 0, 7, 0, 0, time.UTC)
	h := func(x float64) time.Time { return t0.Add(time.Duration(x * float64(time.Hour))) }
	r := plan.Result{Schedule: energy.Schedule{Windows: []energy.Window{
		{Start: h(0), End: h(1), Mode: energy.ModeIdle},
		{Start: h(1), End: h(2), Mode: energy.ModeCharge, Power: 3000, TargetSoC: 0.5},
		{Start: h(2), End: h(3), Mode: energy.ModeCharge, Power: 1000, TargetSoC: 0.6},
		{Start: h(3), End: h(4), Mode: energy.ModeDischarge, Power: 2000, TargetSoC: 0.2},
		{Start: h(4), End: h(5), Mode: energy.ModeCharge, Power: 500, TargetSoC: 0.654},
		{Start: h(5), End: h(6), Mode: energy.ModeIdle},
		{Start: h(6), End: h(8), Mode: energy.ModeCharge, Power: 2000, TargetSoC: 0.9},
	}}}
	assert.Equal(t, r.Schedule, shape(r, formPlanned))

	nt := shape(r, formNoTargets)
	require.Len(t, nt.Windows, len(r.Schedule.Windows))
	for _, w := range nt.Windows {
		assert.Zero(t, w.TargetSoC)
	}
	assert.Equal(t, 0.5, float64(r.Schedule.Windows[1].TargetSoC), "the plan was changed")

	d := shape(r, formDaily)
	require.NoError(t, d.Validate())
	assert.Equal(t, energy.RepeatDaily, d.Repeat)
	// The two charge windows that move most energy: 01:07–03:07 merged
	// (4 kWh) and 06:07–08:07 (4 kWh); 04:07–05:07 (0.5 kWh) goes. On the
	// 15-minute grid, at the device's power, one target in whole percent.
	require.Len(t, d.Windows, 2)
	for _, w := range d.Windows {
		assert.Equal(t, energy.ModeCharge, w.Mode)
		assert.Zero(t, w.Power)
		assert.InDelta(t, 0.90, float64(w.TargetSoC), 1e-9)
		assert.Zero(t, w.Start.Minute()%15)
		assert.Zero(t, w.End.Minute()%15)
	}
	assert.Equal(t, h(1).Round(15*time.Minute), d.Windows[0].Start)
	assert.Equal(t, h(3).Round(15*time.Minute), d.Windows[0].End)
	assert.Equal(t, h(6).Round(15*time.Minute), d.Windows[1].Start)
}

func TestPricesChanged(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	p := func(start time.Duration, v float64) energy.Price {
		return energy.Price{Start: t0.Add(start), End: t0.Add(start + 30*time.Minute), PerKWh: v, Channel: energy.ChannelImport}
	}
	old := []energy.Price{p(0, 0.30), p(30*time.Minute, 0.40)}
	assert.True(t, changed(nil, old, t0))
	assert.False(t, changed(old, []energy.Price{p(0, 0.302), p(30*time.Minute, 0.40)}, t0), "a small move")
	assert.True(t, changed(old, []energy.Price{p(0, 0.30), p(30*time.Minute, 0.45)}, t0))
	assert.False(t, changed(old, []energy.Price{p(0, 0.90), p(30*time.Minute, 0.40)}, t0.Add(40*time.Minute)), "a past move")
	assert.True(t, changed(old, []energy.Price{p(30*time.Minute, 0.40), p(time.Hour, 0.40)}, t0), "a new interval")
}
