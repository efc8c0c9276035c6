package ven_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// interval is one step of a test event: a duration and a value on the wire.
type interval struct {
	d time.Duration
	v float64
}

// sig returns an event signal with consecutive intervals.
func sig(name oadr.SignalName, typ oadr.SignalType, item *oadr.ItemBase, ivs ...interval) oadr.EventSignal {
	s := oadr.EventSignal{SignalName: name, SignalType: typ, SignalID: "SIG_" + string(name), ItemBase: item}
	for _, iv := range ivs {
		s.Intervals = append(s.Intervals, oadr.SignalInterval{Duration: iv.d, Value: iv.v})
	}
	return s
}

// kW is the unit of LOAD_DISPATCH in samples/battery.
var kW = oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true})

// event returns an event for battery1 starting at start, shaped like
// samples/battery/oadrDistributeEvent_battery_charge_discharge.xml.
func event(id string, mod uint32, start time.Time, signals ...oadr.EventSignal) oadr.Event {
	var d time.Duration
	for _, iv := range signals[0].Intervals {
		d += iv.Duration
	}
	return oadr.Event{
		Descriptor: oadr.EventDescriptor{
			EventID: id, ModificationNumber: mod, Priority: 1,
			MarketContext:   "http://sandbox.example.com/programs/battery-dispatch",
			CreatedDateTime: start.Add(-30 * time.Minute), Status: oadr.StatusFar,
		},
		ActivePeriod:     oadr.Period{Start: start, Duration: d},
		Signals:          signals,
		Target:           oadr.Target{ResourceIDs: []string{"battery1"}},
		ResponseRequired: oadr.ResponseAlways,
	}
}

// chargeDischarge is the sample's schedule: +3 kW (charge) for an hour, hold
// for an hour, -5 kW (discharge) for two hours, from 13:00.
func chargeDischarge(id string, mod uint32) oadr.Event {
	return event(id, mod, t0.Add(time.Hour),
		sig(oadr.SignalLoadDispatch, oadr.SignalTypeSetpoint, kW,
			interval{time.Hour, 3}, interval{time.Hour, 0}, interval{2 * time.Hour, -5}))
}

// soc steps the VEN to at and returns its state of charge.
func socAt(t *testing.T, v *ven.VEN, clk *clock.Fake, at time.Time) float64 {
	t.Helper()
	clk.Set(at)
	require.NoError(t, v.Tick(context.Background()))
	s := v.State().Battery
	require.True(t, s.StateOfCharge.Valid(), "SoC %v out of 0..1 at %v", s.StateOfCharge, at)
	return float64(s.StateOfCharge)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestEventChargeThenDischarge(t *testing.T) {
	f := newFakeVTN(t)
	f.setEvents(chargeDischarge("EVT_BATT_0001", 0))
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil) // 19.2 kWh, half full

	ce := last[*oadr.CreatedEvent](t, f)
	require.Len(t, ce.EventResponses, 1, "oadrCreatedEvent = %+v", ce)
	require.EqualValues(t, "VEN_FORTRESS_1", ce.VenID, "oadrCreatedEvent = %+v", ce)
	r := ce.EventResponses[0]
	require.EqualValues(t, oadr.OptIn, r.OptType, "eventResponse = %+v", r)
	require.EqualValues(t, oadr.CodeOK, r.Code, "eventResponse = %+v", r)
	require.EqualValues(t, "REQ_DIST_EVT_0001", r.RequestID, "eventResponse = %+v", r)
	require.EqualValues(t, (oadr.QualifiedEventID{EventID: "EVT_BATT_0001"}), r.QualifiedEventID, "eventResponse = %+v", r)
	s := v.State()
	require.Len(t, s.Events, 1, "State().Events = %+v", s.Events)
	require.EqualValues(t, oadr.OptIn, s.Events[0].Opt, "State().Events = %+v", s.Events)
	require.EqualValues(t, oadr.SignalLoadDispatch, s.Events[0].Signal, "State().Events = %+v", s.Events)
	require.Len(t, s.Events[0].Steps, 3, "State().Events = %+v", s.Events)
	// Gridwire's sign: charging is negative.
	if st := s.Events[0].Steps; st[0].Power != -3000 || st[2].Power != 5000 || !st[2].End.Equal(t0.Add(5*time.Hour)) {
		assert.Fail(t, fmt.Sprintf("steps = %+v", st))
	}

	checks := []struct {
		at    time.Duration
		soc   float64 // stored energy / 19.2 kWh
		power energy.Watts
	}{
		{time.Hour, 0.5, -3000},                       // 13:00 the charge starts
		{90 * time.Minute, (9.6 + 1.5) / 19.2, -3000}, // halfway through
		{2 * time.Hour, 12.6 / 19.2, 0},               // 14:00 hold
		{3 * time.Hour, 12.6 / 19.2, 5000},            // 15:00 discharge
		{5 * time.Hour, 2.6 / 19.2, 0},                // 17:00 over
		{6 * time.Hour, 2.6 / 19.2, 0},
	}
	for _, c := range checks {
		if got := socAt(t, v, clk, t0.Add(c.at)); !near(got, c.soc) {
			assert.Fail(t, fmt.Sprintf("SoC at %v = %.6f, want %.6f", t0.Add(c.at).Format("15:04"), got, c.soc))
		}
		if p := v.State().Battery.Power; p != c.power {
			assert.Fail(t, fmt.Sprintf("power at %v = %v, want %v", t0.Add(c.at).Format("15:04"), p, c.power))
		}
	}
	if evs := v.State().Events; len(evs) != 0 {
		assert.Fail(t, fmt.Sprintf("events after the end: %+v", evs))
	}
}

func TestEventIntegratesAcrossStepsBetweenTicks(t *testing.T) {
	// One Tick long after the event gives the same result as many.
	f := newFakeVTN(t)
	f.setEvents(chargeDischarge("EVT", 0))
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	if got := socAt(t, v, clk, t0.Add(6*time.Hour)); !near(got, 2.6/19.2) {
		assert.Fail(t, fmt.Sprintf("SoC = %v, want %v", got, 2.6/19.2))
	}
}

func TestBatteryStaysWithinLimits(t *testing.T) {
	for _, tc := range []struct {
		name     string
		soc      energy.Fraction
		kw       float64
		wantSoC  float64
		limitAt  time.Duration // when the battery reaches its limit
		wantSign float64
	}{
		{"charge to full", 0.9, 5, 1, 23 * time.Minute, -1},     // 1.92 kWh at 5 kW = 23.04 min
		{"discharge to empty", 0.1, -5, 0, 23 * time.Minute, 1}, // 1.92 kWh at 5 kW
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeVTN(t)
			f.setEvents(event("EVT", 0, t0, sig(oadr.SignalLoadDispatch, oadr.SignalTypeSetpoint, kW, interval{2 * time.Hour, tc.kw})))
			clk := clock.NewFake(t0)
			v := registered(t, f, clk, nil, ven.WithBattery(withSoC(float64(tc.soc))))
			socAt(t, v, clk, t0)
			if p := float64(v.State().Battery.Power); p*tc.wantSign <= 0 {
				require.FailNow(t, fmt.Sprintf("power at the start = %v", p))
			}
			socAt(t, v, clk, t0.Add(tc.limitAt))
			if p := v.State().Battery.Power; p == 0 {
				require.FailNow(t, "power 0 before the limit")
			}
			for _, at := range []time.Duration{24 * time.Minute, time.Hour, 2 * time.Hour} {
				if got := socAt(t, v, clk, t0.Add(at)); !near(got, tc.wantSoC) {
					assert.Fail(t, fmt.Sprintf("SoC at +%v = %v, want %v", at, got, tc.wantSoC))
				}
				if s := v.State(); s.Battery.Power != 0 || s.Setpoint == 0 && at < 2*time.Hour {
					assert.Fail(t, fmt.Sprintf("at +%v: power %v (want 0 at the limit), setpoint %v", at, s.Battery.Power, s.Setpoint))
				}
			}
		})
	}
}

func TestPowerClampsToMaxPower(t *testing.T) {
	f := newFakeVTN(t)
	// 8000 W without scale: more than the battery's 5 kW.
	f.setEvents(event("EVT", 0, t0, sig(oadr.SignalLoadDispatch, oadr.SignalTypeSetpoint,
		oadr.NewPowerReal(oadr.ScaleNone, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true}), interval{time.Hour, -8000})))
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	socAt(t, v, clk, t0.Add(time.Minute))
	if s := v.State(); s.Setpoint != 8000 || s.Battery.Power != 5000 {
		assert.Fail(t, fmt.Sprintf("setpoint %v power %v, want 8000 W asked and 5000 W delivered", s.Setpoint, s.Battery.Power))
	}
}

func TestSampleEventReplay(t *testing.T) {
	// The VTN side replays samples/battery: the 4 h LOAD_DISPATCH +
	// CHARGE_STATE + SIMPLE event, handed out by poll.
	sample, err := oadr.Unmarshal(readSample(t, "battery/oadrDistributeEvent_battery_charge_discharge.xml"))
	require.NoError(t, err)
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	f.enqueue(sample)
	if got, err := v.PollOnce(context.Background()); !got || err != nil {
		require.FailNow(t, fmt.Sprintf("PollOnce = %v, %v", got, err))
	}
	r := last[*oadr.CreatedEvent](t, f).EventResponses[0]
	require.EqualValues(t, oadr.OptIn, r.OptType, "eventResponse = %+v", r)
	require.EqualValues(t, "REQ_DIST_EVT_0001", r.RequestID, "eventResponse = %+v", r)
	require.EqualValues(t, "EVT_BATT_0001", r.QualifiedEventID.EventID, "eventResponse = %+v", r)
	if ev := v.State().Events[0]; ev.Signal != oadr.SignalLoadDispatch || ev.Steps[0].Power != -3000 || ev.Steps[2].Power != 5000 {
		assert.Fail(t, fmt.Sprintf("event = %+v", ev))
	}
	if got := socAt(t, v, clk, t0.Add(5*time.Hour)); !near(got, 2.6/19.2) {
		assert.Fail(t, fmt.Sprintf("SoC after the sample's schedule = %v, want %v", got, 2.6/19.2))
	}
}

func TestChargeStateSignal(t *testing.T) {
	f := newFakeVTN(t)
	// Reach 12 kWh by 14:00, then 4 kWh by 16:00 (no LOAD_DISPATCH).
	f.setEvents(event("EVT", 0, t0.Add(time.Hour), sig(oadr.SignalChargeState, oadr.SignalTypeSetpoint,
		oadr.NewEnergyReal(oadr.ScaleKilo), interval{time.Hour, 12}, interval{2 * time.Hour, 4})))
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	if got := socAt(t, v, clk, t0.Add(90*time.Minute)); !near(got, (9.6+1.2)/19.2) {
		assert.Fail(t, fmt.Sprintf("SoC halfway to 12 kWh = %v", got))
	}
	if got := socAt(t, v, clk, t0.Add(2*time.Hour)); !near(got, 12/19.2) {
		assert.Fail(t, fmt.Sprintf("SoC at 14:00 = %v, want 12 kWh", got))
	}
	if p := v.State().Battery.Power; p != 4000 {
		assert.Fail(t, fmt.Sprintf("power towards 4 kWh in 2 h = %v, want 4000 W", p))
	}
	if got := socAt(t, v, clk, t0.Add(4*time.Hour)); !near(got, 4/19.2) {
		assert.Fail(t, fmt.Sprintf("SoC at 16:00 = %v, want 4 kWh", got))
	}
}

func TestSimpleSignalFallback(t *testing.T) {
	f := newFakeVTN(t)
	f.setEvents(event("EVT", 0, t0, sig(oadr.SignalSimple, oadr.SignalTypeLevel, nil,
		interval{time.Hour, 1}, interval{time.Hour, 2}, interval{time.Hour, 0})))
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	for _, c := range []struct {
		at    time.Duration
		power energy.Watts
	}{{0, 2500}, {time.Hour, 5000}, {2 * time.Hour, 0}} {
		socAt(t, v, clk, t0.Add(c.at))
		if p := v.State().Battery.Power; p != c.power {
			assert.Fail(t, fmt.Sprintf("SIMPLE power at +%v = %v, want %v", c.at, p, c.power))
		}
	}
}

func TestOptOut(t *testing.T) {
	price := sig(oadr.SignalElectricityPrice, oadr.SignalTypePrice, oadr.NewCurrencyPerKWh("USD", oadr.ScaleNone), interval{time.Hour, 0.3})
	dispatch := sig(oadr.SignalLoadDispatch, oadr.SignalTypeSetpoint, kW, interval{time.Hour, -2})
	other := event("EVT_OTHER", 0, t0, dispatch)
	other.Target = oadr.Target{ResourceIDs: []string{"battery2"}}
	group := event("EVT_GROUP", 0, t0, dispatch)
	group.Target = oadr.Target{GroupIDs: []string{"fleet"}}
	mine := event("EVT_VEN", 0, t0, dispatch)
	mine.Target = oadr.Target{VenIDs: []string{"VEN_FORTRESS_1"}}
	energyUnit := event("EVT_UNIT", 0, t0, sig(oadr.SignalLoadDispatch, oadr.SignalTypeSetpoint, oadr.NewEnergyReal(oadr.ScaleKilo), interval{time.Hour, 1}))
	test := event("EVT_TEST", 0, t0, dispatch)
	test.Descriptor.TestEvent = true

	f := newFakeVTN(t)
	f.setEvents(event("EVT_PRICE", 0, t0, price), other, group, mine, energyUnit, test)
	// A policy: no test events.
	policy := func(e ven.Event) (oadr.OptType, string) {
		if e.Test {
			return oadr.OptOut, "test events are not run on this site"
		}
		return oadr.OptIn, ""
	}
	v := registered(t, f, clock.NewFake(t0), nil, ven.WithOptPolicy(policy))
	want := map[string]struct {
		opt  oadr.OptType
		code oadr.ResponseCode
		desc string
	}{
		"EVT_PRICE": {oadr.OptOut, oadr.CodeSignalNotSupported, "ELECTRICITY_PRICE/price"},
		"EVT_OTHER": {oadr.OptOut, oadr.CodeTargetMismatch, "battery2"},
		"EVT_GROUP": {oadr.OptIn, oadr.CodeOK, "OK"},
		"EVT_VEN":   {oadr.OptIn, oadr.CodeOK, "OK"},
		"EVT_UNIT":  {oadr.OptOut, oadr.CodeSignalNotSupported, "energyReal"},
		"EVT_TEST":  {oadr.OptOut, oadr.CodeOK, "test events are not run"},
	}
	rs := last[*oadr.CreatedEvent](t, f).EventResponses
	require.Len(t, rs, len(want), "%d event responses, want %d", len(rs), len(want))
	for _, r := range rs {
		w := want[r.QualifiedEventID.EventID]
		require.EqualValues(t, w.opt, r.OptType, "%s: %s %v %q, want %s %v containing %q", r.QualifiedEventID.EventID, r.OptType, r.Code, r.Description, w.opt, w.code, w.desc)
		require.EqualValues(t, w.code, r.Code, "%s: %s %v %q, want %s %v containing %q", r.QualifiedEventID.EventID, r.OptType, r.Code, r.Description, w.opt, w.code, w.desc)
		require.Contains(t, r.Description, w.desc, "%s: %s %v %q, want %s %v containing %q", r.QualifiedEventID.EventID, r.OptType, r.Code, r.Description, w.opt, w.code, w.desc)
	}
	// Only the opted-in events drive the battery (both ask 2 kW discharge).
	if s := v.State(); s.Setpoint != 2000 {
		assert.Fail(t, fmt.Sprintf("setpoint %v, want 2000 W", s.Setpoint))
	}
}

func TestEventModificationAndCancellation(t *testing.T) {
	f := newFakeVTN(t)
	f.setEvents(chargeDischarge("EVT", 0))
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	ctx := context.Background()
	socAt(t, v, clk, t0.Add(90*time.Minute))

	// The same list again (status moved on): no new answer.
	again := chargeDischarge("EVT", 0)
	again.Descriptor.Status = oadr.StatusActive
	f.enqueue(&oadr.DistributeEvent{RequestID: "D2", VtnID: "VTN_SANDBOX", Events: []oadr.Event{again}})
	if _, err := v.PollOnce(ctx); err != nil {
		require.NoError(t, err)
	}
	if n := len(got[*oadr.CreatedEvent](f)); n != 1 {
		assert.Fail(t, fmt.Sprintf("%d oadrCreatedEvent after an unchanged event, want 1", n))
	}
	if s := v.State(); s.Events[0].Status != oadr.StatusActive {
		assert.Fail(t, fmt.Sprintf("status = %v", s.Events[0].Status))
	}

	// Cancelled (modification 1): answered, and the battery stops.
	cancelled := chargeDischarge("EVT", 1)
	cancelled.Descriptor.Status = oadr.StatusCancelled
	f.enqueue(&oadr.DistributeEvent{RequestID: "D3", VtnID: "VTN_SANDBOX", Events: []oadr.Event{cancelled}})
	if _, err := v.PollOnce(ctx); err != nil {
		require.NoError(t, err)
	}
	r := last[*oadr.CreatedEvent](t, f).EventResponses[0]
	require.EqualValues(t, "D3", r.RequestID, "answer to the cancellation = %+v", r)
	require.EqualValues(t, 1, r.QualifiedEventID.ModificationNumber, "answer to the cancellation = %+v", r)
	require.EqualValues(t, oadr.OptIn, r.OptType, "answer to the cancellation = %+v", r)
	s := v.State()
	require.Len(t, s.Events, 0, "after cancellation: events %+v setpoint %v power %v", s.Events, s.Setpoint, s.Battery.Power)
	require.EqualValues(t, 0, s.Setpoint, "after cancellation: events %+v setpoint %v power %v", s.Events, s.Setpoint, s.Battery.Power)
	require.EqualValues(t, 0, s.Battery.Power, "after cancellation: events %+v setpoint %v power %v", s.Events, s.Setpoint, s.Battery.Power)
	before := socAt(t, v, clk, t0.Add(3*time.Hour))
	assert.True(t, near(before, (9.6+1.5)/19.2), "SoC moved after the cancellation: %v", before)

	// A new event, then an empty list: the event is dropped.
	f.enqueue(&oadr.DistributeEvent{RequestID: "D4", VtnID: "VTN_SANDBOX", Events: []oadr.Event{chargeDischarge("EVT2", 0)}},
		&oadr.DistributeEvent{RequestID: "D5", VtnID: "VTN_SANDBOX"})
	if _, err := v.PollOnce(ctx); err != nil {
		require.NoError(t, err)
	}
	if n := len(v.State().Events); n != 1 {
		assert.Fail(t, fmt.Sprintf("%d events, want 1", n))
	}
	if _, err := v.PollOnce(ctx); err != nil {
		require.NoError(t, err)
	}
	if n := len(v.State().Events); n != 0 {
		assert.Fail(t, fmt.Sprintf("%d events after an empty list, want 0", n))
	}
}

func TestEventPriority(t *testing.T) {
	low := event("EVT_LOW", 0, t0, sig(oadr.SignalLoadDispatch, oadr.SignalTypeSetpoint, kW, interval{2 * time.Hour, 2}))
	low.Descriptor.Priority = 0 // none: lowest
	high := event("EVT_HIGH", 0, t0.Add(30*time.Minute), sig(oadr.SignalLoadDispatch, oadr.SignalTypeSetpoint, kW, interval{30 * time.Minute, -4}))
	high.Descriptor.Priority = 1
	f := newFakeVTN(t)
	f.setEvents(low, high)
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	for _, c := range []struct {
		at time.Duration
		sp energy.Watts
	}{{10 * time.Minute, -2000}, {45 * time.Minute, 4000}, {90 * time.Minute, -2000}} {
		socAt(t, v, clk, t0.Add(c.at))
		if sp := v.State().Setpoint; sp != c.sp {
			assert.Fail(t, fmt.Sprintf("setpoint at +%v = %v, want %v", c.at, sp, c.sp))
		}
	}
}

func TestEventWithoutResponse(t *testing.T) {
	ev := chargeDischarge("EVT", 0)
	ev.ResponseRequired = oadr.ResponseNever
	f := newFakeVTN(t)
	f.setEvents(ev)
	v := registered(t, f, clock.NewFake(t0), nil)
	if n := len(got[*oadr.CreatedEvent](f)); n != 0 {
		assert.Fail(t, fmt.Sprintf("%d oadrCreatedEvent for an event that needs none", n))
	}
	if n := len(v.State().Events); n != 1 {
		assert.Fail(t, fmt.Sprintf("%d events, want 1", n))
	}
}

func TestEventAnswerRetriedAfterFailure(t *testing.T) {
	f := newFakeVTN(t)
	f.setEvents(chargeDischarge("EVT", 0))
	fail := true
	f.setOverride(func(_ string, msg oadr.Message) *reply {
		if _, ok := msg.(*oadr.CreatedEvent); ok && fail {
			fail = false
			return &reply{status: 502}
		}
		return nil
	})
	clk := clock.NewFake(t0)
	f.reportRequests = nil
	v := f.newVEN(clk)
	ctx := context.Background()
	if err := v.Register(ctx); err == nil {
		require.FailNow(t, "Register succeeded though oadrCreatedEvent failed")
	}
	// The next event list (same modification) is answered again.
	f.enqueue(&oadr.DistributeEvent{RequestID: "D2", VtnID: "VTN_SANDBOX", Events: []oadr.Event{chargeDischarge("EVT", 0)}})
	if _, err := v.PollOnce(ctx); err != nil {
		require.NoError(t, err)
	}
	if ces := got[*oadr.CreatedEvent](f); len(ces) != 2 || ces[1].EventResponses[0].RequestID != "D2" {
		assert.Fail(t, fmt.Sprintf("answers: %+v", ces))
	}
}

func TestEventWithTooManyIntervals(t *testing.T) {
	ivs := make([]interval, 1441)
	for i := range ivs {
		ivs[i] = interval{time.Minute, 1}
	}
	f := newFakeVTN(t)
	f.setEvents(event("EVT", 0, t0, sig(oadr.SignalLoadDispatch, oadr.SignalTypeSetpoint, kW, ivs...)))
	registered(t, f, clock.NewFake(t0), nil)
	r := last[*oadr.CreatedEvent](t, f).EventResponses[0]
	require.EqualValues(t, oadr.OptOut, r.OptType, "eventResponse = %+v", r)
	require.EqualValues(t, oadr.CodeInvalidData, r.Code, "eventResponse = %+v", r)
	require.Contains(t, r.Description, "1441 intervals", "eventResponse = %+v", r)
}
