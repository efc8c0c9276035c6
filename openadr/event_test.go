package openadr

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// simpleEvent is a one-hour SIMPLE level-1 event.
func simpleEvent(start time.Time) Event {
	return Event{Start: start, Signals: []Signal{{Name: oadr.SignalSimple, Type: oadr.SignalTypeLevel, Intervals: []Interval{{Duration: time.Hour, Value: 1}}}}}
}

func chargeThenDischarge(t testing.TB, start time.Time) Event {
	t.Helper()
	s, err := LoadDispatch(
		DispatchStep{Duration: 30 * time.Minute, Mode: energy.ModeCharge, Power: 3000},
		DispatchStep{Duration: 15 * time.Minute, Mode: energy.ModeIdle},
		DispatchStep{Duration: 30 * time.Minute, Mode: energy.ModeDischarge, Power: 5000},
	)
	require.NoError(t, err)
	return Event{Start: start, Signals: []Signal{s}, RampUp: 10 * time.Minute, Priority: 1, Comment: "charge/discharge"}
}

func TestEventValidate(t *testing.T) {
	good := func() Event { return chargeThenDischarge(t, t0) }
	for _, tc := range []struct {
		field string
		bad   func(e *Event)
	}{
		{"Event.ID", func(e *Event) { e.ID = "a\nb" }},
		{"Event.Start", func(e *Event) { e.Start = time.Time{} }},
		{"Event.Start", func(e *Event) { e.Start = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"Event.Signals", func(e *Event) { e.Start = time.Date(9999, 12, 31, 23, 59, 0, 0, time.UTC) }},
		{"Event.Signals", func(e *Event) { e.Signals = nil }},
		{"Event.RampUp", func(e *Event) { e.RampUp = -time.Second }},
		{"Event.Notification", func(e *Event) { e.Notification = 1500 * time.Millisecond }},
		{"Event.ResponseRequired", func(e *Event) { e.ResponseRequired = "sometimes" }},
		{"Event.Signals[0].Name", func(e *Event) { e.Signals[0].Name = "CHARGE" }},
		{"Event.Signals[0].Type", func(e *Event) { e.Signals[0].Type = "" }},
		{"Event.Signals[0].Intervals", func(e *Event) { e.Signals[0].Intervals = nil }},
		{"Event.Signals[0].Intervals[1].Duration", func(e *Event) { e.Signals[0].Intervals[1].Duration = 0 }},
		{"Event.Signals[0].Intervals[2].Value", func(e *Event) { e.Signals[0].Intervals[2].Value = math.NaN() }},
		{"Event.Signals[1].Intervals", func(e *Event) {
			e.Signals = append(e.Signals, Signal{Name: oadr.SignalSimple, Type: oadr.SignalTypeLevel, Intervals: []Interval{{Duration: time.Hour}}})
		}},
		{"Event.Signals[1].Intervals[0].Value", func(e *Event) {
			e.Signals = append(e.Signals, Signal{Name: oadr.SignalSimple, Type: oadr.SignalTypeLevel, Intervals: []Interval{{Duration: 75 * time.Minute, Value: 4}}})
		}},
	} {
		e := good()
		tc.bad(&e)
		err := e.Validate()
		fe, ok := errors.AsType[*energy.FieldError](err)
		require.True(t, ok, "%s: %v", tc.field, err)
		assert.Equal(t, tc.field, fe.Field)
	}
	e := good()
	require.NoError(t, e.Validate())
	e.Signals = append(e.Signals, Signal{Name: "x-custom", Type: oadr.SignalTypeLevel, Intervals: []Interval{{Duration: 75 * time.Minute, Value: 42}}})
	assert.NoError(t, e.Validate(), "x- extensions are allowed")
}

func TestLoadDispatch(t *testing.T) {
	s, err := LoadDispatch(
		DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000},
		DispatchStep{Duration: time.Hour, Mode: energy.ModeIdle, Power: 999},
		DispatchStep{Duration: 2 * time.Hour, Mode: energy.ModeDischarge, Power: 5000},
	)
	require.NoError(t, err)
	assert.Equal(t, oadr.SignalLoadDispatch, s.Name)
	assert.Equal(t, oadr.SignalTypeSetpoint, s.Type)
	assert.Equal(t, oadr.ItemPowerReal, s.Item.Kind)
	assert.Equal(t, oadr.ScaleKilo, s.Item.Scale)
	assert.Equal(t, []Interval{{time.Hour, 3}, {time.Hour, 0}, {2 * time.Hour, -5}}, s.Intervals,
		"the battery samples' convention: + charges, - discharges, in kW")
	for _, bad := range []DispatchStep{{Duration: time.Hour, Mode: "boost"}, {Duration: time.Hour, Mode: energy.ModeCharge, Power: -1}} {
		_, err := LoadDispatch(bad)
		assert.ErrorIs(t, err, energy.ErrInvalid)
	}
	_, err = LoadDispatch()
	assert.ErrorIs(t, err, energy.ErrInvalid)
}

func TestEventStatusFollowsTheClock(t *testing.T) {
	e := EventState{Event: chargeThenDischarge(t, t0.Add(time.Hour))} // RampUp 10 min, 75 min long
	for _, tc := range []struct {
		at   time.Duration
		want oadr.EventStatus
	}{
		{0, oadr.StatusFar},
		{49 * time.Minute, oadr.StatusFar},
		{50 * time.Minute, oadr.StatusNear},
		{time.Hour, oadr.StatusActive},
		{time.Hour + 74*time.Minute, oadr.StatusActive},
		{time.Hour + 75*time.Minute, oadr.StatusCompleted},
	} {
		assert.Equal(t, tc.want, e.Status(t0.Add(tc.at)), tc.at)
	}
	e.Event.RampUp = 0
	assert.Equal(t, oadr.StatusFar, e.Status(t0.Add(59*time.Minute)), "no ramp-up, no near")
	e.Cancelled = true
	assert.Equal(t, oadr.StatusCancelled, e.Status(t0.Add(time.Hour)))
}

// An event pushed to a VEN reaches it as an oadrDistributeEvent on its next
// poll, with the status of the moment it is delivered.
func TestEventDeliveredByPoll(t *testing.T) {
	v, clk := newVTN(t, WithMarketContext("http://example.com/battery"))
	venID, _ := register(t, v, "ven")
	drain(t, v, venID)
	start := t0.Add(time.Hour)
	id, err := v.CreateEvent(bg, venID, chargeThenDischarge(t, start))
	require.NoError(t, err)
	q, _ := v.Queue(bg, venID)
	assert.Equal(t, []string{"oadrDistributeEvent"}, q)

	clk.Advance(55 * time.Minute) // within the ramp-up
	d := as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	require.NotNil(t, d.Response)
	assert.Equal(t, oadr.CodeOK, d.Response.Code)
	assert.Empty(t, d.Response.RequestID, "delivered by poll: no request to echo")
	assert.NotEmpty(t, d.RequestID)
	assert.Equal(t, "VTN_TEST", d.VtnID)
	require.Len(t, d.Events, 1)
	ev := d.Events[0]
	assert.Equal(t, id, ev.Descriptor.EventID)
	assert.Equal(t, uint32(0), ev.Descriptor.ModificationNumber)
	assert.Equal(t, oadr.StatusNear, ev.Descriptor.Status)
	assert.Equal(t, "http://example.com/battery", ev.Descriptor.MarketContext)
	assert.Equal(t, uint32(1), ev.Descriptor.Priority)
	assert.Equal(t, t0, ev.Descriptor.CreatedDateTime)
	assert.Equal(t, start, ev.ActivePeriod.Start)
	assert.Equal(t, 75*time.Minute, ev.ActivePeriod.Duration)
	assert.Equal(t, 10*time.Minute, ev.ActivePeriod.RampUp)
	assert.Equal(t, []string{venID}, ev.Target.VenIDs)
	assert.Equal(t, oadr.ResponseAlways, ev.ResponseRequired)
	require.Len(t, ev.Signals, 1)
	sig := ev.Signals[0]
	assert.Equal(t, "SIG_0", sig.SignalID)
	require.Len(t, sig.Intervals, 3)
	assert.Equal(t, start.Add(45*time.Minute), sig.Intervals[2].Start)
	assert.Equal(t, "2", sig.Intervals[2].UID)
	assert.Equal(t, -5.0, sig.Intervals[2].Value)
	require.NotNil(t, sig.CurrentValue)
	assert.Equal(t, 0.0, *sig.CurrentValue)

	// Asked while active, the current value is that of the interval in
	// progress.
	clk.Advance(5*time.Minute + 50*time.Minute) // start + 50 min: discharging
	d = as[*oadr.DistributeEvent](t, send(t, v, oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "E1", VenID: venID}))
	require.Len(t, d.Events, 1)
	assert.Equal(t, oadr.StatusActive, d.Events[0].Descriptor.Status)
	assert.Equal(t, -5.0, *d.Events[0].Signals[0].CurrentValue)

	// Completed events are no longer sent, but stay queryable.
	clk.Advance(time.Hour)
	d = as[*oadr.DistributeEvent](t, send(t, v, oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "E2", VenID: venID}))
	assert.Empty(t, d.Events)
	s, err := v.EventStatus(bg, venID, id)
	require.NoError(t, err)
	assert.Equal(t, oadr.StatusCompleted, s)
	assert.ErrorIs(t, v.CancelEvent(bg, venID, id), ErrEventEnded)
}

func TestModifyAndCancelEvent(t *testing.T) {
	var responses []EventResponse
	v, clk := newVTN(t, WithEventResponseHook(func(_ context.Context, r EventResponse) { responses = append(responses, r) }))
	venID, _ := register(t, v, "ven")
	drain(t, v, venID)
	id, err := v.CreateEvent(bg, venID, Event{ID: "EVT_1", Start: t0.Add(time.Hour), Signals: simpleEvent(t0).Signals})
	require.NoError(t, err)
	assert.Equal(t, "EVT_1", id)
	_, err = v.CreateEvent(bg, venID, Event{ID: "EVT_1", Start: t0.Add(time.Hour), Signals: simpleEvent(t0).Signals})
	assert.ErrorIs(t, err, energy.ErrInvalid, "eventIDs are unique per VEN")

	d := as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	answer := func(mod uint32, opt oadr.OptType) oadr.Message {
		return send(t, v, oadr.ServiceEiEvent, &oadr.CreatedEvent{
			Response: oadr.OK(""), VenID: venID,
			EventResponses: []oadr.EventResponse{{Code: oadr.CodeOK, Description: "OK", RequestID: d.RequestID,
				QualifiedEventID: oadr.QualifiedEventID{EventID: id, ModificationNumber: mod}, OptType: opt}},
		})
	}
	assert.Equal(t, oadr.CodeOK, code(t, answer(0, oadr.OptIn)))
	st, _ := v.Event(bg, venID, id)
	require.NotNil(t, st.Response)
	assert.Equal(t, oadr.OptIn, st.Response.OptType)
	require.Len(t, responses, 1)
	assert.Equal(t, EventResponse{VenID: venID, EventID: id, OptType: oadr.OptIn, Code: oadr.CodeOK, Description: "OK", ReceivedAt: t0}, responses[0])

	// Modify twice before the VEN polls: one notice, modification 2.
	clk.Advance(time.Minute)
	changed := simpleEvent(t0.Add(2 * time.Hour))
	changed.Signals[0].Intervals[0].Value = 3
	require.NoError(t, v.ModifyEvent(bg, venID, id, changed, "later and higher"))
	require.NoError(t, v.ModifyEvent(bg, venID, id, changed, "again"))
	q, _ := v.Queue(bg, venID)
	assert.Equal(t, []string{"oadrDistributeEvent"}, q, "changes before a poll coalesce")
	st, _ = v.Event(bg, venID, id)
	assert.Nil(t, st.Response, "a modification voids the VEN's earlier answer")
	d = as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	desc := d.Events[0].Descriptor
	assert.Equal(t, uint32(2), desc.ModificationNumber)
	assert.Equal(t, "again", desc.ModificationReason)
	assert.Equal(t, t0.Add(time.Minute), desc.ModificationDateTime)
	assert.Equal(t, 3.0, d.Events[0].Signals[0].Intervals[0].Value)
	assert.Equal(t, oadr.CodeInvalidID, code(t, answer(3, oadr.OptIn)), "a modification that does not exist")
	assert.Equal(t, oadr.CodeOK, code(t, answer(2, oadr.OptOut)))
	assert.Equal(t, oadr.CodeOK, code(t, answer(1, oadr.OptIn)), "late answers to older modifications are taken")
	st, _ = v.Event(bg, venID, id)
	assert.Equal(t, oadr.OptOut, st.Response.OptType, "but do not replace the answer to the newer one")

	require.NoError(t, v.CancelEvent(bg, venID, id))
	d = as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	require.Len(t, d.Events, 1, "a cancelled event is sent so the VEN hears of it")
	assert.Equal(t, oadr.StatusCancelled, d.Events[0].Descriptor.Status)
	assert.Equal(t, uint32(3), d.Events[0].Descriptor.ModificationNumber)
	assert.ErrorIs(t, v.CancelEvent(bg, venID, id), ErrEventEnded)
	assert.ErrorIs(t, v.ModifyEvent(bg, venID, id, changed, ""), ErrEventEnded)
	assert.ErrorIs(t, v.CancelEvent(bg, venID, "NOPE"), ErrUnknownEvent)
	assert.ErrorIs(t, v.ModifyEvent(bg, venID, id, Event{ID: "OTHER"}, ""), energy.ErrInvalid)

	// Until its end; then it is left out.
	clk.Advance(3 * time.Hour)
	d = as[*oadr.DistributeEvent](t, send(t, v, oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "E", VenID: venID}))
	assert.Empty(t, d.Events)

	// And pruned a day later, when events next change.
	clk.Advance(25 * time.Hour)
	_, err = v.CreateEvent(bg, venID, simpleEvent(clk.Now().Add(time.Hour)))
	require.NoError(t, err)
	evs, _ := v.Events(bg, venID)
	assert.Len(t, evs, 1)
	_, err = v.CreateEvent(bg, "NOBODY", simpleEvent(clk.Now()))
	assert.ErrorIs(t, err, ErrUnknownVEN)
}

func TestRequestEvent(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	drain(t, v, venID)
	for i := 3; i >= 1; i-- {
		_, err := v.CreateEvent(bg, venID, simpleEvent(t0.Add(time.Duration(i)*time.Hour)))
		require.NoError(t, err)
	}
	d := as[*oadr.DistributeEvent](t, send(t, v, oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "E1", VenID: venID, ReplyLimit: 2}))
	require.Len(t, d.Events, 2, "replyLimit")
	assert.True(t, d.Events[0].ActivePeriod.Start.Before(d.Events[1].ActivePeriod.Start), "soonest first")
	q, _ := v.Queue(bg, venID)
	assert.Len(t, q, 1, "a limited answer leaves the notice queued")
	d = as[*oadr.DistributeEvent](t, send(t, v, oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "E2", VenID: venID}))
	assert.Len(t, d.Events, 3)
	q, _ = v.Queue(bg, venID)
	assert.Empty(t, q, "the full list makes the queued notice redundant")
	evs, err := v.Events(bg, venID)
	require.NoError(t, err)
	assert.True(t, evs[0].Event.Start.Before(evs[2].Event.Start))
}

// EPRI's VEN sends an empty eventResponses once it has answered every event.
func TestCreatedEventEmptyResponses(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	r := as[*oadr.Response](t, send(t, v, oadr.ServiceEiEvent, &oadr.CreatedEvent{Response: oadr.OK("E9"), VenID: venID}))
	assert.Equal(t, oadr.CodeOK, r.Response.Code)
	assert.Equal(t, "E9", r.Response.RequestID)
	r = as[*oadr.Response](t, send(t, v, oadr.ServiceEiEvent, &oadr.CreatedEvent{Response: oadr.OK("E9"), VenID: venID,
		EventResponses: []oadr.EventResponse{{Code: oadr.CodeOK, QualifiedEventID: oadr.QualifiedEventID{EventID: "NOPE"}, OptType: oadr.OptIn}}}))
	assert.Equal(t, oadr.CodeInvalidID, r.Response.Code)
}

// What the application sets reaches the wire; what it leaves out gets
// defaults.
func TestEventTargetsAndDefaults(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	drain(t, v, venID)
	ev := simpleEvent(t0.Add(time.Hour))
	ev.Target = oadr.Target{ResourceIDs: []string{"battery1"}}
	ev.ResponseRequired = oadr.ResponseNever
	ev.Test = true
	ev.Signals[0].ID = "MY_SIG"
	ev.StartAfter, ev.Notification, ev.Recovery = 5*time.Minute, 30*time.Minute, 10*time.Minute
	_, err := v.CreateEvent(bg, venID, ev)
	require.NoError(t, err)
	ev.Signals[0].Intervals[0].Value = 2 // the caller's slices are not shared
	d := as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	e := d.Events[0]
	assert.Equal(t, []string{"battery1"}, e.Target.ResourceIDs)
	assert.Empty(t, e.Target.VenIDs)
	assert.Equal(t, oadr.ResponseNever, e.ResponseRequired)
	assert.True(t, e.Descriptor.TestEvent)
	assert.Equal(t, "MY_SIG", e.Signals[0].SignalID)
	assert.Equal(t, 1.0, e.Signals[0].Intervals[0].Value)
	assert.Equal(t, DefaultMarketContext, e.Descriptor.MarketContext)
	assert.Equal(t, oadr.Period{Start: t0.Add(time.Hour), Duration: time.Hour, StartAfter: 5 * time.Minute,
		Notification: 30 * time.Minute, Recovery: 10 * time.Minute}, e.ActivePeriod)
}

func TestReportOnlyVENTakesNoEvents(t *testing.T) {
	v, _ := newVTN(t)
	a := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, ReportOnly: true,
	}))
	_, err := v.CreateEvent(bg, a.VenID, simpleEvent(t0.Add(time.Hour)))
	assert.ErrorIs(t, err, energy.ErrUnsupported)
}
