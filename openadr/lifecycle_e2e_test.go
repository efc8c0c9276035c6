package openadr_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// The VTN lost a VEN (here it forgot it; a reset store does the same): with
// WithReregistrationOfUnknownVENs the VEN's next poll tells it to register
// again, and it does, instead of being refused at every poll. The liveness
// hook hears it go silent and, as the new registration, it is not.
func TestUnknownVENIsToldToRegisterAgain(t *testing.T) {
	clk := clock.NewFake(t0)
	var changes []openadr.LivenessChange
	vtn, err := openadr.NewVTN("VTN_LIFECYCLE", openadr.WithClock(clk), openadr.WithReregistrationOfUnknownVENs(),
		openadr.WithLivenessHook(func(_ context.Context, c openadr.LivenessChange) { changes = append(changes, c) }))
	require.NoError(t, err)
	srv := httptest.NewServer(recording(t, vtn))
	t.Cleanup(srv.Close)
	t.Cleanup(srv.Client().CloseIdleConnections)
	v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk))
	require.NoError(t, err)
	ctx := t.Context()
	require.NoError(t, v.Register(ctx))
	require.NoError(t, drainVEN(ctx, v))
	old := v.State().VENID

	clk.Advance(time.Minute)
	silent, err := vtn.CheckLiveness(ctx)
	require.NoError(t, err)
	require.Len(t, silent, 1)
	assert.Equal(t, old, silent[0].VenID)

	require.NoError(t, vtn.Forget(ctx, old))
	_, err = v.PollOnce(ctx)
	require.ErrorIs(t, err, ven.ErrNotRegistered, "its registrationID is unknown too")
	assert.False(t, v.State().Registered, "the VEN knows it must register afresh")
	require.NoError(t, v.Register(ctx)) // what Run does next
	regs, err := vtn.Registrations(ctx)
	require.NoError(t, err)
	require.Len(t, regs, 1)
	assert.Equal(t, v.State().VENID, regs[0].VenID)
	_, quiet, err := vtn.LastContact(ctx, regs[0].VenID)
	require.NoError(t, err)
	assert.False(t, quiet)
	assert.Len(t, changes, 1, "the forgotten VEN's return is a new registration, not a liveness change")
}
