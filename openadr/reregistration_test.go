package openadr

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Without certificates the hook recognises a VEN that lost its state (here
// by its venName) and says which registration the new one replaces.
func TestDecisionReplaces(t *testing.T) {
	byName := map[string]string{}
	var changes []RegistrationChange
	v, _ := newVTN(t,
		WithRegistrationHook(func(_ context.Context, r RegistrationRequest) (Decision, error) {
			return Decision{Replaces: byName[r.VenName]}, nil
		}),
		WithRegistrationChangeHook(func(_ context.Context, c RegistrationChange) {
			if c.Kind == Registered {
				byName[c.Registration.VenName] = c.Registration.VenID
			}
			changes = append(changes, c)
		}),
		WithMaxVENs(1))
	old, _ := register(t, v, "ven")
	assert.Empty(t, changes[0].Replaced)
	again, _ := register(t, v, "ven") // at the cap, but it replaces the one there
	assert.NotEqual(t, old, again)
	require.Len(t, changes, 2)
	assert.Equal(t, old, changes[1].Replaced)

	regs, err := v.Registrations(bg)
	require.NoError(t, err)
	require.Len(t, regs, 1)
	assert.Equal(t, again, regs[0].VenID)
	_, err = v.Registration(bg, old)
	assert.ErrorIs(t, err, ErrUnknownVEN)
	assert.Equal(t, oadr.CodeInvalidID, code(t, pollMsg(t, v, old)), "the old venID is gone")
}

// A hook that names a registration gone meanwhile still registers the VEN.
func TestDecisionReplacesUnknown(t *testing.T) {
	v, _ := newVTN(t, WithRegistrationHook(func(context.Context, RegistrationRequest) (Decision, error) {
		return Decision{Replaces: "GONE"}, nil
	}))
	register(t, v, "ven")
}

// An unknown venID's poll is refused with 452 by default, and answered
// with oadrRequestReregistration when the application asks for it.
func TestPollUnknownVENReregistration(t *testing.T) {
	v, _ := newVTN(t)
	assert.Equal(t, oadr.CodeInvalidID, code(t, pollMsg(t, v, "LOST")))

	v, _ = newVTN(t, WithReregistrationOfUnknownVENs())
	a := as[*oadr.RequestReregistration](t, pollMsg(t, v, "LOST"))
	assert.Equal(t, "LOST", a.VenID)
	// Only polls, and only unknown venIDs.
	venID, _ := register(t, v, "ven")
	assert.Equal(t, "oadrRegisterReport", pollMsg(t, v, venID).MessageName())
	assert.Equal(t, oadr.CodeInvalidID, code(t, send(t, v, oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "E", VenID: "LOST"})))
	assert.Equal(t, oadr.CodeInvalidID, code(t, send(t, v, oadr.ServiceOadrPoll, &oadr.Poll{})))
}
