package openadr_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/energytest"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// The energy.Battery contract, against the real VTN with a simulated VEN
// answering over loopback HTTP: SetSchedule waits for the VEN's opt-in.
// Requests counts the application's Store calls, so "no I/O" means nothing
// read, changed or queued.
func TestBatteryContract(t *testing.T) {
	f := newFixture(t)
	stop := f.serveVEN()
	defer stop()
	start := f.clk.Now().Truncate(15 * time.Minute).Add(time.Hour)
	valid := energy.Schedule{Windows: []energy.Window{{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge, Power: 2000}}}
	unsupported := energy.Schedule{Windows: []energy.Window{{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge, Power: 2000, TargetSoC: 0.8}}}
	energytest.TestBattery(t, energytest.BatteryHarness{
		Battery:     f.vtn.Battery(f.venID),
		Requests:    func() int { return int(f.store.app.Load()) },
		Now:         f.clk.Now,
		MaxAge:      3 * time.Minute,
		Schedule:    &valid,
		Unsupported: &unsupported,
	})
	stop()
	// The valid schedule reached the VEN, which opted in and will charge.
	evs := f.ven.State().Events
	require.Len(t, evs, 1)
	assert.Equal(t, oadr.OptIn, evs[0].Opt)
	assert.Equal(t, energy.Watts(-2000), evs[0].Steps[0].Power, "charging, in the VEN's Go sign (+ discharging)")
	assert.True(t, evs[0].Start.Equal(start))
}

// Status comes from the latest telemetry, with gridwire's signs: the VEN
// reports charging power and current as positive, the Battery as negative.
func TestBatteryStatus(t *testing.T) {
	f := newFixture(t)
	b := f.vtn.Battery(f.venID, openadr.WithRatedPower(5000))
	st, err := b.BatteryStatus(t.Context())
	require.NoError(t, err)
	// Samples at the end of every 10 s from 12:00:00, sent at 12:01 with the
	// one taken then: the battery as it is.
	assert.Equal(t, t0.Add(time.Minute), st.MeasuredAt)
	assert.InDelta(t, 0.5, float64(st.StateOfCharge), 1e-9)
	assert.Zero(t, st.Power)
	assert.Equal(t, energy.WattHours(19200), st.Capacity, "9.6 kWh stored at 50 %")
	require.NotNil(t, st.Voltage)
	assert.InDelta(t, 51.2, float64(*st.Voltage), 0.01)
	require.NotNil(t, st.Current)
	assert.Zero(t, *st.Current)
	require.NotNil(t, st.Temperature)
	assert.InDelta(t, 25, float64(*st.Temperature), 0.01)

	// Charge at 3 kW from 12:02.
	charge := energy.Schedule{Windows: []energy.Window{{Start: t0.Add(2 * time.Minute), End: t0.Add(time.Hour), Mode: energy.ModeCharge, Power: 3000}}}
	stop := f.serveVEN()
	require.NoError(t, b.SetSchedule(t.Context(), charge))
	stop()
	f.step(2 * time.Minute) // 12:03: the report of 12:02:10–12:03:00
	st, err = b.BatteryStatus(t.Context())
	require.NoError(t, err)
	assert.Equal(t, t0.Add(3*time.Minute), st.MeasuredAt)
	assert.Equal(t, energy.Watts(-3000), st.Power, "charging is negative")
	require.NotNil(t, st.Current)
	assert.Less(t, float64(*st.Current), -50.0, "charging current is negative too")
	assert.Greater(t, float64(st.StateOfCharge), 0.5)
	vs := f.ven.State().Battery
	assert.InDelta(t, float64(vs.StateOfCharge), float64(st.StateOfCharge), 3000.0/19200/360*2, "the VEN's SoC, up to a sample")

	// A capacity given wins over the derived one.
	st, err = f.vtn.Battery(f.venID, openadr.WithCapacity(10000)).BatteryStatus(t.Context())
	require.NoError(t, err)
	assert.Equal(t, energy.WattHours(10000), st.Capacity)
	// The resource can be chosen; another resource has no telemetry.
	_, err = f.vtn.Battery(f.venID, openadr.WithResourceID(ven.DefaultResourceID)).BatteryStatus(t.Context())
	require.NoError(t, err)
	_, err = f.vtn.Battery(f.venID, openadr.WithResourceID("battery2")).BatteryStatus(t.Context())
	assert.ErrorIs(t, err, energy.ErrUnavailable)
}

// Telemetry older than three report periods (or WithMaxAge) is stale.
func TestBatteryStatusStale(t *testing.T) {
	f := newFixture(t)
	b := f.vtn.Battery(f.venID)
	f.clk.Advance(180 * time.Second) // 12:04:00: the 12:01:00 sample is 3 min old
	// The VEN keeps polling (it is not silent) but sends no reports.
	_, err := f.ven.PollOnce(t.Context())
	require.NoError(t, err)
	_, err = b.BatteryStatus(t.Context())
	require.NoError(t, err)
	f.clk.Advance(time.Second)
	_, err = b.BatteryStatus(t.Context())
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Contains(t, err.Error(), "more than the 3m0s allowed")
	_, err = f.vtn.Battery(f.venID, openadr.WithMaxAge(5*time.Minute)).BatteryStatus(t.Context())
	assert.NoError(t, err)
	f.step(time.Minute) // fresh reports
	_, err = b.BatteryStatus(t.Context())
	assert.NoError(t, err)
}

func TestBatteryUnavailable(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()

	nobody := f.vtn.Battery("nobody")
	_, err := nobody.BatteryStatus(ctx)
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.ErrorIs(t, err, openadr.ErrUnknownVEN)
	err = nobody.SetSchedule(ctx, energy.Schedule{})
	assert.ErrorIs(t, err, energy.ErrUnavailable)

	// Registered, but no report yet.
	quiet, err := ven.New(f.srv.URL, ven.WithHTTPClient(f.srv.Client()), ven.WithClock(f.clk))
	require.NoError(t, err)
	require.NoError(t, quiet.Register(ctx))
	_, err = f.vtn.Battery(quiet.State().VENID).BatteryStatus(ctx)
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Contains(t, err.Error(), "no state-of-charge telemetry")

	// Cancelled contexts.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = f.vtn.Battery(f.venID).BatteryStatus(cctx)
	assert.ErrorIs(t, err, context.Canceled)

	// Bad options are named.
	var fe *energy.FieldError
	_, err = f.vtn.Battery(f.venID, openadr.WithMaxAge(-time.Second)).BatteryStatus(ctx)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "WithMaxAge", fe.Field)
	err = f.vtn.Battery(f.venID, openadr.WithRatedPower(energy.Watts(math.NaN()))).SetSchedule(ctx, energy.Schedule{})
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "WithRatedPower", fe.Field)

	// A VEN whose registration the VTN is cancelling.
	require.NoError(t, f.vtn.CancelRegistration(ctx, f.venID))
	_, err = f.vtn.Battery(f.venID).BatteryStatus(ctx)
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.ErrorIs(t, err, openadr.ErrCancelPending)
}

// windows builds a schedule from (start, end, mode, power) with times as
// offsets from t0.
func window(from, to time.Duration, mode energy.Mode, power energy.Watts) energy.Window {
	return energy.Window{Start: t0.Add(from), End: t0.Add(to), Mode: mode, Power: power}
}

// Windows become events, one per run without a gap, each with a
// LOAD_DISPATCH setpoint in kW (+ charge) and a SIMPLE level.
func TestSetScheduleEvents(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	b := f.vtn.Battery(f.venID, openadr.WithRatedPower(5000), openadr.WithoutWaiting())
	s := energy.Schedule{Windows: []energy.Window{ // in any order
		window(4*time.Hour, 5*time.Hour, energy.ModeDischarge, 2000),
		window(time.Hour, 2*time.Hour, energy.ModeCharge, 3000),
		window(150*time.Minute, 3*time.Hour, energy.ModeDischarge, 0), // the rated power
		window(2*time.Hour, 150*time.Minute, energy.ModeIdle, 0),
	}}
	before := f.store.app.Load()
	require.NoError(t, b.SetSchedule(ctx, s))
	assert.Equal(t, int64(1), f.store.app.Load()-before, "one Store update")
	evs, err := b.ScheduleEvents(ctx)
	require.NoError(t, err)
	require.Len(t, evs, 2)

	type iv struct {
		d time.Duration
		v float64
	}
	check := func(e openadr.EventState, start time.Time, dispatch, simple []iv) {
		t.Helper()
		assert.True(t, e.Event.Start.Equal(start), "start %v", e.Event.Start)
		require.Len(t, e.Event.Signals, 2)
		got := func(s openadr.Signal) []iv {
			var out []iv
			for _, i := range s.Intervals {
				out = append(out, iv{i.Duration, i.Value})
			}
			return out
		}
		d, l := e.Event.Signals[0], e.Event.Signals[1]
		assert.Equal(t, oadr.SignalLoadDispatch, d.Name)
		assert.Equal(t, oadr.SignalTypeSetpoint, d.Type)
		require.NotNil(t, d.Item)
		assert.Equal(t, oadr.ItemPowerReal, d.Item.Kind)
		assert.Equal(t, oadr.ScaleKilo, d.Item.Scale)
		assert.Equal(t, dispatch, got(d))
		assert.Equal(t, oadr.SignalSimple, l.Name)
		assert.Equal(t, oadr.SignalTypeLevel, l.Type)
		assert.Equal(t, simple, got(l))
		assert.True(t, e.Event.Target.IsZero(), "the whole VEN")
		assert.Nil(t, e.Response)
	}
	check(evs[0], t0.Add(time.Hour),
		[]iv{{time.Hour, 3}, {30 * time.Minute, 0}, {30 * time.Minute, -5}},
		[]iv{{time.Hour, 0}, {30 * time.Minute, 0}, {30 * time.Minute, 2}})
	check(evs[1], t0.Add(4*time.Hour), []iv{{time.Hour, -2}}, []iv{{time.Hour, 1}})

	// The VEN gets both in one oadrDistributeEvent and follows them.
	q, err := f.vtn.Queue(ctx, f.venID)
	require.NoError(t, err)
	assert.Equal(t, []string{"oadrDistributeEvent"}, q)
	f.drain()
	got := f.ven.State().Events
	require.Len(t, got, 2)
	assert.Equal(t, []energy.Watts{-3000, 0, 5000}, []energy.Watts{got[0].Steps[0].Power, got[0].Steps[1].Power, got[0].Steps[2].Power})
	assert.Equal(t, energy.Watts(2000), got[1].Steps[0].Power)
	assert.NoError(t, b.Await(ctx), "both answered with opt-ins")
	evs, err = b.ScheduleEvents(ctx)
	require.NoError(t, err)
	for _, e := range evs {
		require.NotNil(t, e.Response)
		assert.Equal(t, oadr.OptIn, e.Response.OptType)
	}
}

// A new schedule modifies the events of the previous one in place, cancels
// the ones left over; an empty schedule cancels them all.
func TestSetScheduleReplaces(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	b := f.vtn.Battery(f.venID, openadr.WithoutWaiting())
	require.NoError(t, b.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{
		window(time.Hour, 2*time.Hour, energy.ModeCharge, 3000),
		window(3*time.Hour, 4*time.Hour, energy.ModeDischarge, 3000),
	}}))
	f.drain()
	first, err := b.ScheduleEvents(ctx)
	require.NoError(t, err)
	require.Len(t, first, 2)

	require.NoError(t, b.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{
		window(time.Hour, 90*time.Minute, energy.ModeCharge, 1000),
	}}))
	second, err := b.ScheduleEvents(ctx)
	require.NoError(t, err)
	require.Len(t, second, 1)
	assert.Equal(t, first[0].Event.ID, second[0].Event.ID, "modified in place")
	assert.Equal(t, uint32(1), second[0].ModificationNumber)
	assert.Equal(t, "schedule replaced", second[0].ModificationReason)
	old, err := f.vtn.Event(ctx, f.venID, first[1].Event.ID)
	require.NoError(t, err)
	assert.True(t, old.Cancelled)
	assert.Equal(t, uint32(1), old.ModificationNumber)
	f.drain()
	evs := f.ven.State().Events
	require.Len(t, evs, 1)
	assert.Equal(t, energy.Watts(-1000), evs[0].Steps[0].Power)
	assert.Equal(t, time.Duration(30*time.Minute), evs[0].End.Sub(evs[0].Start))

	require.NoError(t, b.SetSchedule(ctx, energy.Schedule{}))
	evs2, err := b.ScheduleEvents(ctx)
	require.NoError(t, err)
	assert.Empty(t, evs2)
	f.drain()
	assert.Empty(t, f.ven.State().Events)
	// Clearing what is clear queues nothing.
	require.NoError(t, b.SetSchedule(ctx, energy.Schedule{}))
	q, err := f.vtn.Queue(ctx, f.venID)
	require.NoError(t, err)
	assert.Empty(t, q)
	assert.NoError(t, b.Await(ctx), "nothing to wait for")
}

// What OpenADR cannot say is refused with energy.ErrUnsupported naming the
// field, and a window that is over with a FieldError, before any Store call.
func TestSetScheduleRefused(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	rated := f.vtn.Battery(f.venID, openadr.WithRatedPower(5000))
	unrated := f.vtn.Battery(f.venID)
	for _, c := range []struct {
		name     string
		b        *openadr.Battery
		w        energy.Window
		sentinel error
		says     string
		repeat   energy.Repeat
	}{
		{"target SoC", rated, energy.Window{Start: t0.Add(time.Hour), End: t0.Add(2 * time.Hour), Mode: energy.ModeCharge, Power: 1000, TargetSoC: 0.9}, energy.ErrUnsupported, "Windows[0].TargetSoC", ""},
		{"default power without rating", unrated, window(time.Hour, 2*time.Hour, energy.ModeDischarge, 0), energy.ErrUnsupported, "WithRatedPower", ""},
		{"above the rating", rated, window(time.Hour, 2*time.Hour, energy.ModeCharge, 6000), energy.ErrUnsupported, "above the battery's rated power", ""},
		{"over", rated, window(-2*time.Hour, -time.Hour, energy.ModeCharge, 1000), energy.ErrInvalid, "Windows[0].End", ""},
		{"under a second", rated, energy.Window{Start: t0.Add(time.Hour), End: t0.Add(time.Hour + 400*time.Millisecond), Mode: energy.ModeIdle}, energy.ErrInvalid, "shorter than a second", ""},
		{"daily", rated, window(time.Hour, 2*time.Hour, energy.ModeCharge, 1000), energy.ErrUnsupported, "an OpenADR event runs once", energy.RepeatDaily},
	} {
		before := f.store.app.Load()
		err := c.b.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{c.w}, Repeat: c.repeat})
		require.ErrorIs(t, err, c.sentinel, c.name)
		assert.Contains(t, err.Error(), c.says, c.name)
		assert.Equal(t, before, f.store.app.Load(), "%s: no Store call", c.name)
	}
	evs, err := f.vtn.Events(ctx, f.venID)
	require.NoError(t, err)
	assert.Empty(t, evs)
}

// A VEN registered as report-only takes no schedule.
func TestSetScheduleReportOnly(t *testing.T) {
	f := newFixture(t)
	c := f.srv.Client()
	body, err := oadr.Marshal(&oadr.CreatePartyRegistration{RequestID: "R", ProfileName: oadr.Profile20b,
		TransportName: oadr.TransportSimpleHTTP, ReportOnly: true, HTTPPullModel: new(true)})
	require.NoError(t, err)
	resp, err := c.Post(f.srv.URL+openadr.PathPrefix+"EiRegisterParty", "application/xml", strings.NewReader(string(body)))
	require.NoError(t, err)
	defer resp.Body.Close()
	regs, err := f.vtn.Registrations(t.Context())
	require.NoError(t, err)
	var reportOnly string
	for _, r := range regs {
		if r.ReportOnly {
			reportOnly = r.VenID
		}
	}
	require.NotEmpty(t, reportOnly)
	err = f.vtn.Battery(reportOnly).SetSchedule(t.Context(), energy.Schedule{Windows: []energy.Window{window(time.Hour, 2*time.Hour, energy.ModeCharge, 1000)}})
	assert.ErrorIs(t, err, energy.ErrUnsupported)
	assert.Contains(t, err.Error(), "report-only")
}

// A VEN's opt-out comes back from SetSchedule as an *OptOutError, which
// classifies as energy.ErrUnsupported.
func TestSetScheduleOptOut(t *testing.T) {
	f := newFixture(t, ven.WithOptPolicy(func(ven.Event) (oadr.OptType, string) {
		return oadr.OptOut, "customer override"
	}))
	stop := f.serveVEN()
	defer stop()
	b := f.vtn.Battery(f.venID)
	err := b.SetSchedule(t.Context(), energy.Schedule{Windows: []energy.Window{window(time.Hour, 2*time.Hour, energy.ModeCharge, 1000)}})
	require.Error(t, err)
	assert.ErrorIs(t, err, openadr.ErrOptedOut)
	assert.ErrorIs(t, err, energy.ErrUnsupported)
	oe, ok := errors.AsType[*openadr.OptOutError](err)
	require.True(t, ok, "%v", err)
	evs, _ := b.ScheduleEvents(t.Context())
	require.Len(t, evs, 1)
	assert.Equal(t, openadr.OptOutError{VenID: f.venID, EventID: evs[0].Event.ID, Code: oadr.CodeOK, Reason: "customer override"}, *oe)
	assert.Contains(t, err.Error(), `opted out of event "`+evs[0].Event.ID+`"`)
}

// A VEN that cannot follow the event opts out with its reason code: here
// the event targets a resource the VEN does not have (462).
func TestSetScheduleOptOutTargetMismatch(t *testing.T) {
	f := newFixture(t)
	stop := f.serveVEN()
	defer stop()
	// Two runs: both are refused, and both refusals are reported.
	err := f.vtn.Battery(f.venID, openadr.WithResourceID("battery2")).SetSchedule(t.Context(), energy.Schedule{Windows: []energy.Window{
		window(time.Hour, 2*time.Hour, energy.ModeCharge, 1000),
		window(3*time.Hour, 4*time.Hour, energy.ModeCharge, 1000),
	}})
	oe, ok := errors.AsType[*openadr.OptOutError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, oadr.CodeTargetMismatch, oe.Code)
	assert.Contains(t, oe.Reason, "battery2")
	assert.Equal(t, 2, strings.Count(err.Error(), "opted out"))
}

// The wait ends with the context; the schedule stays queued and Await can
// wait for it later.
func TestSetScheduleContextEnds(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-f.store.kick // the schedule is queued: give up waiting
		cancel()
	}()
	b := f.vtn.Battery(f.venID)
	err := b.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{window(time.Hour, 2*time.Hour, energy.ModeCharge, 1000)}})
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "waiting for VEN")
	q, err := f.vtn.Queue(t.Context(), f.venID)
	require.NoError(t, err)
	assert.Equal(t, []string{"oadrDistributeEvent"}, q)
	f.drain()
	assert.NoError(t, b.Await(t.Context()))
}

// Without waiting, the answer is read later: Await and ScheduleEvents.
func TestSetScheduleWithoutWaiting(t *testing.T) {
	f := newFixture(t, ven.WithOptPolicy(func(ven.Event) (oadr.OptType, string) { return oadr.OptOut, "not today" }))
	ctx := t.Context()
	b := f.vtn.Battery(f.venID, openadr.WithoutWaiting())
	require.NoError(t, b.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{window(time.Hour, 2*time.Hour, energy.ModeCharge, 1000)}}))
	evs, err := b.ScheduleEvents(ctx)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Nil(t, evs[0].Response)
	f.drain()
	err = b.Await(ctx)
	assert.ErrorIs(t, err, openadr.ErrOptedOut)
	evs, err = b.ScheduleEvents(ctx)
	require.NoError(t, err)
	require.NotNil(t, evs[0].Response)
	assert.Equal(t, oadr.OptOut, evs[0].Response.OptType)
	assert.Equal(t, "not today", evs[0].Response.Description)
}

// A wait ends when its schedule is replaced before the VEN answers, or when
// the VEN is forgotten.
func TestSetScheduleWaitEnds(t *testing.T) {
	for _, c := range []struct {
		name  string
		then  func(f *fixture) error
		wants []error
	}{
		{"replaced", func(f *fixture) error {
			return f.vtn.Battery(f.venID, openadr.WithoutWaiting()).SetSchedule(f.t.Context(), energy.Schedule{})
		}, []error{openadr.ErrEventChanged}},
		{"forgotten", func(f *fixture) error {
			return f.vtn.Forget(f.t.Context(), f.venID)
		}, []error{energy.ErrUnavailable, openadr.ErrUnknownVEN}},
		{"event cancelled", func(f *fixture) error {
			evs, err := f.vtn.Battery(f.venID).ScheduleEvents(f.t.Context())
			if err != nil {
				return err
			}
			return f.vtn.CancelEvent(f.t.Context(), f.venID, evs[0].Event.ID)
		}, []error{openadr.ErrEventChanged}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			done := make(chan error, 1)
			go func() {
				done <- f.vtn.Battery(f.venID).SetSchedule(context.Background(), energy.Schedule{Windows: []energy.Window{window(time.Hour, 2*time.Hour, energy.ModeCharge, 1000)}})
			}()
			<-f.store.kick // queued; SetSchedule waits (or is about to)
			require.NoError(t, c.then(f))
			err := <-done
			for _, want := range c.wants {
				assert.ErrorIs(t, err, want)
			}
		})
	}
}

// A VEN that stops polling is unavailable even while its telemetry is
// fresh, and available again at its next poll.
func TestBatteryStatusSilentVEN(t *testing.T) {
	f := newFixture(t)
	b := f.vtn.Battery(f.venID)
	_, err := b.BatteryStatus(t.Context())
	require.NoError(t, err)
	// Three poll periods, half that for the coarse recording of contact, and
	// a second; the telemetry is fresh (it would be for 3 min).
	f.clk.Advance(46 * time.Second)
	_, err = b.BatteryStatus(t.Context())
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.ErrorIs(t, err, openadr.ErrSilent)
	_, err = f.ven.PollOnce(t.Context())
	require.NoError(t, err)
	_, err = b.BatteryStatus(t.Context())
	assert.NoError(t, err)
}
