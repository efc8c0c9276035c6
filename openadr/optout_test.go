package openadr_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// A customer override sent through EiOpt by the VEN, after it opted in to
// the schedule's event, makes Await report the opt-out; the battery stops
// following the event, and follows it again once the opt is cancelled.
func TestEiOptEventOverrideCounts(t *testing.T) {
	f := newFixture(t)
	b := f.vtn.Battery(f.venID, openadr.WithoutWaiting())
	start := f.clk.Now().Add(time.Minute)
	require.NoError(t, b.SetSchedule(t.Context(), energy.Schedule{Windows: []energy.Window{
		{Start: start, End: start.Add(time.Hour), Mode: energy.ModeDischarge, Power: 2000}}}))
	f.drain()
	require.NoError(t, b.Await(t.Context()), "opted in")
	evs, err := b.ScheduleEvents(t.Context())
	require.NoError(t, err)
	require.Len(t, evs, 1)

	optID, err := f.ven.CreateOpt(t.Context(), ven.Opt{Type: oadr.OptOut, EventID: evs[0].Event.ID})
	require.NoError(t, err)
	err = b.Await(t.Context())
	require.ErrorIs(t, err, openadr.ErrOptedOut)
	assert.ErrorIs(t, err, energy.ErrUnsupported)
	oe, ok := errors.AsType[*openadr.OptOutError](err)
	require.True(t, ok)
	assert.Equal(t, openadr.OptOutError{VenID: f.venID, EventID: evs[0].Event.ID, OptID: optID, Reason: string(oadr.OptReasonOverrideStatus)}, *oe)

	opts, err := b.Opts(t.Context())
	require.NoError(t, err)
	require.Len(t, opts, 1)
	assert.Equal(t, optID, opts[0].OptID)
	assert.Equal(t, evs[0].Event.ID, opts[0].Event.EventID)

	f.step(2 * time.Minute) // the event is active
	assert.Zero(t, f.ven.State().Setpoint, "the override holds the battery")
	require.NoError(t, f.ven.CancelOpt(t.Context(), optID))
	assert.Equal(t, energy.Watts(2000), f.ven.State().Setpoint)
	assert.NoError(t, b.Await(t.Context()), "its opt-in stands again")
	opts, err = b.Opts(t.Context())
	require.NoError(t, err)
	assert.Empty(t, opts)
}

// An availability schedule that opts out of a window makes SetSchedule
// report the opt-out for a schedule that overlaps it, and not for one that
// does not.
func TestEiOptScheduleCounts(t *testing.T) {
	f := newFixture(t)
	stop := f.serveVEN()
	defer stop()
	away := f.clk.Now().Add(2 * time.Hour)
	optID, err := f.ven.CreateOpt(t.Context(), ven.Opt{Type: oadr.OptOut, Reason: oadr.OptReasonMustRun,
		Windows: []oadr.Period{{Start: away, Duration: time.Hour}}})
	require.NoError(t, err)

	b := f.vtn.Battery(f.venID)
	opts, err := b.Opts(t.Context())
	require.NoError(t, err)
	require.Len(t, opts, 1)
	assert.Equal(t, []oadr.Period{{Start: away, Duration: time.Hour}}, opts[0].Availability)

	err = b.SetSchedule(t.Context(), energy.Schedule{Windows: []energy.Window{
		{Start: away.Add(30 * time.Minute), End: away.Add(2 * time.Hour), Mode: energy.ModeCharge, Power: 1000}}})
	oe, ok := errors.AsType[*openadr.OptOutError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, optID, oe.OptID)
	assert.Equal(t, string(oadr.OptReasonMustRun), oe.Reason)

	// Before the window: no conflict, the VEN opts in.
	require.NoError(t, b.SetSchedule(t.Context(), energy.Schedule{Windows: []energy.Window{
		{Start: away.Add(-time.Hour), End: away, Mode: energy.ModeCharge, Power: 1000}}}))
	// A battery that is another resource of the VEN is not covered.
	opts, err = f.vtn.Battery(f.venID, openadr.WithResourceID("battery2")).Opts(t.Context())
	require.NoError(t, err)
	assert.Empty(t, opts)
}
