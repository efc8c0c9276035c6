package ven_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// A LOAD_DISPATCH delta is a change from the baseline, not a power: from
// the event's eiEventBaseline when it sends one, else from what the battery
// would do without the event (here a lower-priority setpoint event, then
// idle).
func TestLoadDispatchDelta(t *testing.T) {
	// With a baseline of +2 kW (charging), a delta of -1 kW charges at 1 kW.
	withBase := event("EVT_BASE", 0, t0, sig(oadr.SignalLoadDispatch, oadr.SignalTypeDelta, kW, interval{time.Hour, -1}))
	withBase.Baseline = &oadr.Baseline{Start: t0, Duration: time.Hour, BaselineID: "B1", BaselineName: "battery",
		Intervals: []oadr.SignalInterval{{Duration: time.Hour, Value: 2}}, ItemBase: kW}

	// Without one, a delta of -1.5 kW on top of a 3 kW charge (a setpoint
	// event of lower priority) charges at 1.5 kW, and alone discharges at
	// 1.5 kW.
	low := event("EVT_LOW", 0, t0.Add(2*time.Hour), sig(oadr.SignalLoadDispatch, oadr.SignalTypeSetpoint, kW, interval{time.Hour, 3}))
	low.Descriptor.Priority = 0
	delta := event("EVT_DELTA", 0, t0.Add(2*time.Hour), sig(oadr.SignalLoadDispatch, oadr.SignalTypeDelta, kW, interval{2 * time.Hour, -1.5}))

	f := newFakeVTN(t)
	f.setEvents(withBase, low, delta)
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	for _, c := range []struct {
		at time.Duration
		sp energy.Watts
	}{{10 * time.Minute, -1000}, {150 * time.Minute, -1500}, {210 * time.Minute, 1500}} {
		socAt(t, v, clk, t0.Add(c.at))
		assert.EqualValues(t, c.sp, v.State().Setpoint, "setpoint at +%v", c.at)
	}
	evs := v.State().Events
	assert.True(t, evs[len(evs)-1].Steps[0].Relative, "no baseline: relative to the battery's own")
}
