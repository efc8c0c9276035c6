package openadr

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestLiveness(t *testing.T) {
	var told []LivenessChange
	v, clk := newVTN(t, WithLivenessHook(func(_ context.Context, c LivenessChange) { told = append(told, c) }))
	venID, _ := register(t, v, "ven")
	quiet, _ := register(t, v, "quiet")

	last, silent, err := v.LastContact(bg, venID)
	require.NoError(t, err)
	assert.Equal(t, t0, last, "the registration counts as contact")
	assert.False(t, silent)

	// Three poll periods (10 s each) are allowed, counted from the contact
	// recorded every 15 s at most: silent after 45 s. The VEN polls at 25 s.
	clk.Advance(25 * time.Second)
	pollMsg(t, v, venID)
	clk.Advance(20 * time.Second)
	changes, err := v.CheckLiveness(bg)
	require.NoError(t, err)
	assert.Empty(t, changes, "45 s is not silent yet")
	clk.Advance(time.Second)
	changes, err = v.CheckLiveness(bg)
	require.NoError(t, err)
	require.Len(t, changes, 1, "only the VEN that never polled is silent")
	assert.Equal(t, LivenessChange{VenID: quiet, Silent: true, LastContact: t0}, changes[0])
	assert.Equal(t, changes, told)

	// A silence is reported once.
	clk.Advance(time.Minute)
	changes, err = v.CheckLiveness(bg)
	require.NoError(t, err)
	require.Len(t, changes, 1)
	assert.Equal(t, venID, changes[0].VenID)
	assert.Equal(t, t0.Add(25*time.Second), changes[0].LastContact)
	changes, err = v.CheckLiveness(bg)
	require.NoError(t, err)
	assert.Empty(t, changes)
	_, silent, err = v.LastContact(bg, venID)
	require.NoError(t, err)
	assert.True(t, silent)

	// The silence survives in the Store; a poll ends it and the hook hears.
	told = nil
	pollMsg(t, v, quiet)
	require.Len(t, told, 1)
	assert.Equal(t, LivenessChange{VenID: quiet, Silent: false, LastContact: t0}, told[0])
	pollMsg(t, v, quiet)
	assert.Len(t, told, 1, "a VEN comes back once")
	last, silent, err = v.LastContact(bg, quiet)
	require.NoError(t, err)
	assert.Equal(t, clk.Now(), last)
	assert.False(t, silent)
}

func TestLivenessRejectedRequestIsNoContact(t *testing.T) {
	v, clk := newVTN(t)
	venID, _ := register(t, v, "ven")
	clk.Advance(time.Minute)
	// An unknown opt cannot be cancelled: the request is refused and
	// changes nothing, the contact time included.
	a := send(t, v, oadr.ServiceEiOpt, &oadr.CancelOpt{RequestID: "C", OptID: "nope", VenID: venID})
	assert.Equal(t, oadr.CodeInvalidID, code(t, a))
	_, silent, err := v.LastContact(bg, venID)
	require.NoError(t, err)
	assert.True(t, silent)
}

func TestWithSilentAfter(t *testing.T) {
	_, err := NewVTN("VTN_X", WithSilentAfter(0))
	assert.ErrorIs(t, err, energy.ErrInvalid)
	assert.ErrorContains(t, err, "WithSilentAfter")

	v, clk := newVTN(t, WithSilentAfter(10), WithPollFrequency(time.Minute))
	venID, _ := register(t, v, "ven")
	clk.Advance(15 * time.Minute) // ten periods, and half of that for the recording step
	_, silent, err := v.LastContact(bg, venID)
	require.NoError(t, err)
	assert.False(t, silent)
	clk.Advance(time.Second)
	_, silent, _ = v.LastContact(bg, venID)
	assert.True(t, silent)
}

// A VEN that polls at its poll period is never silent, though its contact
// is recorded only every half silence window, which spares a durable Store
// a write per poll.
func TestContactRecordedCoarsely(t *testing.T) {
	v, clk := newVTN(t)
	venID, _ := register(t, v, "ven")
	for range 30 {
		clk.Advance(10 * time.Second)
		pollMsg(t, v, venID)
		_, silent, err := v.LastContact(bg, venID)
		require.NoError(t, err)
		require.False(t, silent)
	}
	var st VENState
	require.NoError(t, v.store.View(bg, venID, func(s *VENState) error { st = *s; return nil }))
	assert.Equal(t, t0.Add(300*time.Second), st.Contact.Last, "recorded at every second poll")
	clk.Advance(10 * time.Second)
	pollMsg(t, v, venID)
	last, _, err := v.LastContact(bg, venID)
	require.NoError(t, err)
	assert.Equal(t, t0.Add(300*time.Second), last, "a poll 10 s after the recorded one writes nothing")
}

// TestEmptyPollsAreContact: a VEN with nothing to receive polls with empty
// answers only, which read the Store rather than update it; those polls
// must still count as contact.
func TestEmptyPollsAreContact(t *testing.T) {
	v, clk := newVTN(t)
	venID, _ := register(t, v, "ven")
	drain(t, v, venID)
	for range 12 {
		clk.Advance(10 * time.Second)
		_, empty := pollMsg(t, v, venID).(*oadr.Response)
		require.True(t, empty)
		changes, err := v.CheckLiveness(bg)
		require.NoError(t, err)
		require.Empty(t, changes, "a VEN polling every period went silent at %v", clk.Now().Sub(t0))
	}
}
