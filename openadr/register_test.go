package openadr

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestQueryRegistrationNeedsNoRegistration(t *testing.T) {
	v, _ := newVTN(t, WithPollFrequency(30*time.Second))
	a := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.QueryRegistration{RequestID: "Q1"}))
	assert.Equal(t, oadr.CodeOK, a.Response.Code)
	assert.Empty(t, a.VenID)
	assert.Empty(t, a.RegistrationID)
	assert.Equal(t, "VTN_TEST", a.VtnID)
	assert.Equal(t, 30*time.Second, a.PollFreq)
	require.Len(t, a.Profiles, 1)
	assert.Equal(t, oadr.Profile20b, a.Profiles[0].Name)
	assert.Equal(t, []oadr.TransportName{oadr.TransportSimpleHTTP}, a.Profiles[0].Transports)
}

func TestRegistrationDefaults(t *testing.T) {
	var changes []RegistrationChange
	v, _ := newVTN(t, WithRegistrationChangeHook(func(_ context.Context, c RegistrationChange) { changes = append(changes, c) }))
	a, _ := register(t, v, "one")
	b, _ := register(t, v, "two")
	assert.NotEqual(t, a, b, "generated venIDs differ")
	reg, err := v.Registration(bg, a)
	require.NoError(t, err)
	assert.Equal(t, "one", reg.VenName)
	assert.Equal(t, t0, reg.RegisteredAt)
	regs, err := v.Registrations(bg)
	require.NoError(t, err)
	assert.Len(t, regs, 2)
	require.Len(t, changes, 2)
	assert.Equal(t, Registered, changes[0].Kind)
	assert.Equal(t, a, changes[0].Registration.VenID)

	// The VTN registers its own (empty) report list with every new VEN.
	rr := as[*oadr.RegisterReport](t, pollMsg(t, v, a))
	assert.Empty(t, rr.Reports)
	assert.Equal(t, a, rr.VenID)
}

func TestRegistrationHook(t *testing.T) {
	var seen []RegistrationRequest
	v, _ := newVTN(t, WithRegistrationHook(func(_ context.Context, r RegistrationRequest) (Decision, error) {
		seen = append(seen, r)
		switch r.VenName {
		case "banned":
			return Decision{Reject: true, Reason: "not on the list"}, nil
		case "teapot":
			return Decision{Reject: true, Code: oadr.CodeNotAllowed}, nil
		case "broken":
			return Decision{}, errors.New("database down")
		case "custom":
			return Decision{VenID: "VEN_CUSTOM", RegistrationID: "REG_CUSTOM"}, nil
		case "bad":
			return Decision{VenID: " bad "}, nil
		}
		return Approve(), nil
	}))
	reg := func(name string) *oadr.CreatedPartyRegistration {
		return as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
			RequestID: "R-" + name, ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, VenName: name,
			TransportAddress: "None",
		}))
	}
	a := reg("banned")
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, a.Response.Code)
	assert.Equal(t, "not on the list", a.Response.Description)
	assert.Equal(t, "R-banned", a.Response.RequestID)
	assert.Empty(t, a.VenID)
	assert.Equal(t, oadr.CodeNotAllowed, reg("teapot").Response.Code)
	b := reg("broken")
	assert.Equal(t, oadr.CodeDeploymentError, b.Response.Code)
	assert.NotContains(t, b.Response.Description, "database", "internal errors are not disclosed")
	assert.Equal(t, oadr.CodeDeploymentError, reg("bad").Response.Code, "an invalid ID from the hook is refused")
	c := reg("custom")
	assert.Equal(t, oadr.CodeOK, c.Response.Code)
	assert.Equal(t, "VEN_CUSTOM", c.VenID)
	assert.Equal(t, "REG_CUSTOM", c.RegistrationID)
	assert.Equal(t, "None", seen[len(seen)-1].TransportAddress)
	regs, err := v.Registrations(bg)
	require.NoError(t, err)
	require.Len(t, regs, 1, "only the approved VEN is registered")
}

func TestRegistrationRefusesWhatItCannotServe(t *testing.T) {
	v, _ := newVTN(t)
	for name, m := range map[string]*oadr.CreatePartyRegistration{
		"push":  {ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, HTTPPullModel: new(false)},
		"xmpp":  {ProfileName: oadr.Profile20b, TransportName: oadr.TransportXMPP},
		"2.0a":  {ProfileName: oadr.Profile20a, TransportName: oadr.TransportSimpleHTTP},
		"regID": {ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, RegistrationID: "NOPE"},
	} {
		m.RequestID = name
		a := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, m))
		assert.NotEqual(t, oadr.CodeOK, a.Response.Code, name)
		assert.Equal(t, name, a.Response.RequestID)
	}
	regs, _ := v.Registrations(bg)
	assert.Empty(t, regs)
}

func TestReregistrationKeepsVenID(t *testing.T) {
	var changes []ChangeKind
	v, _ := newVTN(t, WithRegistrationChangeHook(func(_ context.Context, c RegistrationChange) { changes = append(changes, c.Kind) }))
	venID, regID := register(t, v, "ven")
	drain(t, v, venID)

	require.NoError(t, v.RequestReregistration(bg, venID))
	rr := as[*oadr.RequestReregistration](t, pollMsg(t, v, venID))
	assert.Equal(t, venID, rr.VenID)
	// The VEN acknowledges with oadrResponse, then registers again.
	ackd := as[*oadr.Response](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.Response{Response: oadr.OK(""), VenID: venID}))
	assert.Equal(t, oadr.CodeOK, ackd.Response.Code)
	a := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R2", RegistrationID: regID, VenID: venID, ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, VenName: "renamed",
	}))
	require.Equal(t, oadr.CodeOK, a.Response.Code)
	assert.Equal(t, venID, a.VenID)
	assert.Equal(t, regID, a.RegistrationID)
	reg, _ := v.Registration(bg, venID)
	assert.Equal(t, "renamed", reg.VenName)
	assert.Equal(t, []ChangeKind{Registered, Reregistered}, changes)
	assert.Empty(t, drain(t, v, venID), "re-registration does not redo the VTN's report registration")

	// A registrationID that is not the VEN's is refused.
	other, _ := register(t, v, "other")
	b := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R3", RegistrationID: regID, VenID: other, ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
	}))
	assert.Equal(t, oadr.CodeInvalidID, b.Response.Code)
}

// A hook that gives a registered venID to a VEN that lost its registration
// starts that VEN afresh, keeping its events.
func TestRegistrationReplacesLostRegistration(t *testing.T) {
	v, clk := newVTN(t, WithRegistrationHook(func(context.Context, RegistrationRequest) (Decision, error) {
		return Decision{VenID: "VEN_FIXED"}, nil
	}))
	venID, reg1 := register(t, v, "ven")
	require.Equal(t, "VEN_FIXED", venID)
	id, err := v.CreateEvent(bg, venID, simpleEvent(clk.Now().Add(time.Hour)))
	require.NoError(t, err)
	require.NoError(t, v.Enqueue(bg, venID, &oadr.RequestReregistration{VenID: venID}))
	_, reg2 := register(t, v, "ven")
	assert.NotEqual(t, reg1, reg2)
	q, _ := v.Queue(bg, venID)
	assert.Equal(t, []string{"oadrRegisterReport"}, q, "stale queue dropped")
	_, err = v.Event(bg, venID, id)
	assert.NoError(t, err, "events kept")
}

func TestCancelByVEN(t *testing.T) {
	var changes []RegistrationChange
	v, _ := newVTN(t, WithRegistrationChangeHook(func(_ context.Context, c RegistrationChange) { changes = append(changes, c) }))
	venID, regID := register(t, v, "ven")

	wrong := as[*oadr.CanceledPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CancelPartyRegistration{RequestID: "C0", RegistrationID: "OTHER", VenID: venID}))
	assert.Equal(t, oadr.CodeInvalidID, wrong.Response.Code)

	// OpenLEADR's VEN expects oadrCanceledPartyRegistration, not oadrResponse.
	a := as[*oadr.CanceledPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CancelPartyRegistration{RequestID: "C1", RegistrationID: regID, VenID: venID}))
	assert.Equal(t, oadr.CodeOK, a.Response.Code)
	assert.Equal(t, "C1", a.Response.RequestID)
	assert.Equal(t, regID, a.RegistrationID)
	assert.Equal(t, venID, a.VenID)
	_, err := v.Registration(bg, venID)
	assert.ErrorIs(t, err, ErrUnknownVEN)
	assert.Equal(t, oadr.CodeInvalidID, code(t, pollMsg(t, v, venID)))
	require.Len(t, changes, 2)
	assert.Equal(t, Canceled, changes[1].Kind)
	assert.True(t, changes[1].ByVEN)

	// A VEN that omits its venID is found by its registrationID.
	venID2, regID2 := register(t, v, "ven2")
	b := as[*oadr.CanceledPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CancelPartyRegistration{RequestID: "C2", RegistrationID: regID2}))
	assert.Equal(t, oadr.CodeOK, b.Response.Code)
	assert.Equal(t, venID2, b.VenID)
}

func TestCancelByVTN(t *testing.T) {
	var changes []RegistrationChange
	v, clk := newVTN(t, WithRegistrationChangeHook(func(_ context.Context, c RegistrationChange) { changes = append(changes, c) }))
	venID, regID := register(t, v, "ven")
	drain(t, v, venID)

	// Unsolicited: out of sequence.
	early := as[*oadr.Response](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CanceledPartyRegistration{Response: oadr.OK("X"), RegistrationID: regID, VenID: venID}))
	assert.Equal(t, oadr.CodeOutOfSequence, early.Response.Code)

	require.NoError(t, v.CancelRegistration(bg, venID))
	require.NoError(t, v.CancelRegistration(bg, venID), "idempotent")
	assert.ErrorIs(t, v.RequestReregistration(bg, venID), ErrCancelPending)
	_, err := v.CreateEvent(bg, venID, simpleEvent(clk.Now().Add(time.Hour)))
	assert.ErrorIs(t, err, ErrCancelPending)

	c := as[*oadr.CancelPartyRegistration](t, pollMsg(t, v, venID))
	assert.Equal(t, regID, c.RegistrationID)
	assert.Equal(t, venID, c.VenID)
	assert.Empty(t, drain(t, v, venID), "queued once")

	a := as[*oadr.Response](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CanceledPartyRegistration{Response: oadr.OK(c.RequestID), RegistrationID: regID, VenID: venID}))
	assert.Equal(t, oadr.CodeOK, a.Response.Code)
	assert.Equal(t, c.RequestID, a.Response.RequestID)
	_, err = v.Registration(bg, venID)
	assert.ErrorIs(t, err, ErrUnknownVEN)
	require.Len(t, changes, 2)
	assert.Equal(t, Canceled, changes[1].Kind)
	assert.False(t, changes[1].ByVEN)

	assert.ErrorIs(t, v.CancelRegistration(bg, venID), ErrUnknownVEN)
	other, _ := register(t, v, "other")
	require.NoError(t, v.Forget(bg, other))
	_, err = v.Registration(bg, other)
	assert.ErrorIs(t, err, ErrUnknownVEN)
}

// Many VENs registering and polling at once: run with -race.
func TestConcurrentVENs(t *testing.T) {
	v, _ := newVTN(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			venID, _ := register(t, v, "ven")
			for range 20 {
				pollMsg(t, v, venID)
			}
			_, err := v.RequestReports(bg, venID, ReportRequest{ReportSpecifierID: "none"})
			assert.Error(t, err)
			if i%2 == 0 {
				require.NoError(t, v.CancelRegistration(bg, venID))
			}
		})
	}
	wg.Wait()
	regs, err := v.Registrations(bg)
	require.NoError(t, err)
	assert.Len(t, regs, 8)
}
