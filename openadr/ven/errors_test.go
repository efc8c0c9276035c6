package ven_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRejectsBadInput(t *testing.T) {
	bad := func(mod func(*ven.BatteryConfig)) ven.Option {
		c := ven.DefaultBattery()
		mod(&c)
		return ven.WithBattery(c)
	}
	for _, tc := range []struct {
		url   string
		opt   ven.Option
		field string
	}{
		{"ftp://vtn.example.com", nil, "vtnURL"},
		{"http://", nil, "vtnURL"},
		{"http://vtn.example.com/?x=1", nil, "vtnURL"},
		{"http://user:secret@vtn.example.com", nil, "vtnURL"},
		{"http://user:secret@vtn.example.com/%zz", nil, "vtnURL"},
		{"://", nil, "vtnURL"},
		{"http://vtn", ven.WithVENName(" "), "WithVENName"},
		{"http://vtn", ven.WithResourceID(""), "WithResourceID"},
		{"http://vtn", ven.WithClock(nil), "WithClock"},
		{"http://vtn", ven.WithLogger(nil), "WithLogger"},
		{"http://vtn", bad(func(c *ven.BatteryConfig) { c.Capacity = 0 }), "BatteryConfig.Capacity"},
		{"http://vtn", bad(func(c *ven.BatteryConfig) { c.MaxPower = -1 }), "BatteryConfig.MaxPower"},
		{"http://vtn", bad(func(c *ven.BatteryConfig) { c.InitialSoC = 1.2 }), "BatteryConfig.InitialSoC"},
		{"http://vtn", bad(func(c *ven.BatteryConfig) { c.NominalVoltage = 0 }), "BatteryConfig.NominalVoltage"},
		{"http://vtn", bad(func(c *ven.BatteryConfig) { c.Ambient = 200 }), "BatteryConfig.Ambient"},
		{"http://vtn", bad(func(c *ven.BatteryConfig) { c.Efficiency = 0 }), "BatteryConfig.Efficiency"},
	} {
		var opts []ven.Option
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		_, err := ven.New(tc.url, opts...)
		var fe *energy.FieldError
		require.ErrorAs(t, err, &fe, "New(%q) = %v, want a FieldError for %s", tc.url, err, tc.field)
		require.EqualValues(t, tc.field, fe.Field, "New(%q) = %v, want a FieldError for %s", tc.url, err, tc.field)
		require.ErrorIs(t, err, energy.ErrInvalid, "New(%q) = %v, want a FieldError for %s", tc.url, err, tc.field)
		assert.False(t, err != nil && strings.Contains(err.Error(), "secret"), "the error shows the URL's password: %v", err)
	}
}

func TestNewAcceptsServicePrefix(t *testing.T) {
	f := newFakeVTN(t)
	v, err := ven.New(f.srv.URL+"/OpenADR2/Simple/2.0b/", ven.WithHTTPClient(f.srv.Client()))
	require.NoError(t, err)
	if _, err := v.QueryRegistration(context.Background()); err != nil {
		require.NoError(t, err)
	}
}

func TestTransportErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply reply
		check func(t *testing.T, err error)
	}{
		{"HTTP 500", reply{status: 500, body: "boom"}, func(t *testing.T, err error) {
			var he *ven.HTTPError
			require.ErrorAs(t, err, &he, "err = %v", err)
			require.EqualValues(t, 500, he.StatusCode, "err = %v", err)
			require.EqualValues(t, oadr.ServiceEiRegisterParty, he.Service, "err = %v", err)
			require.ErrorIs(t, err, energy.ErrUnavailable, "err = %v", err)
			require.Contains(t, err.Error(), "boom", "err = %v", err)
		}},
		{"HTTP 403", reply{status: 403}, func(t *testing.T, err error) {
			require.ErrorIs(t, err, energy.ErrUnauthorized, "err = %v", err)
			require.ErrorIs(t, err, energy.ErrUnavailable, "err = %v", err)
		}},
		{"HTTP 429", reply{status: 429}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, energy.ErrRateLimited, "err = %v", err)
		}},
		{"HTML", reply{body: "<html>hello"}, func(t *testing.T, err error) {
			var de *oadr.DecodeError
			require.ErrorAs(t, err, &de, "err = %v, want a *oadr.DecodeError", err)
			require.ErrorIs(t, err, oadr.ErrUnknownMessage, "err = %v, want a *oadr.DecodeError", err)
		}},
		{"truncated", reply{body: `<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><oadr:oadrSignedObject>`}, func(t *testing.T, err error) {
			var de *oadr.DecodeError
			require.ErrorAs(t, err, &de, "err = %v, want a *oadr.DecodeError", err)
			require.ErrorIs(t, err, oadr.ErrMalformed, "err = %v, want a *oadr.DecodeError", err)
		}},
		{"2.0a message", reply{body: `<oadrResponse xmlns="http://openadr.org/oadr-2.0a/2012/07"/>`}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, oadr.ErrUnknownMessage, "err = %v", err)
		}},
		{"empty body", reply{}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, oadr.ErrMalformed, "err = %v", err)
		}},
		{"oadrResponse 469", reply{msg: &oadr.Response{Response: oadr.EiResponse{Code: 469, Description: "database down"}}}, func(t *testing.T, err error) {
			var re *ven.ResponseError
			require.ErrorAs(t, err, &re, "err = %v", err)
			require.EqualValues(t, 469, re.Code, "err = %v", err)
			require.EqualValues(t, "oadrCreatePartyRegistration", re.Message, "err = %v", err)
			require.Contains(t, err.Error(), "database down", "err = %v", err)
			require.NotErrorIs(t, err, ven.ErrNotRegistered, "err = %v", err)
		}},
		{"registration refused", reply{msg: &oadr.CreatedPartyRegistration{Response: oadr.Err(oadr.CodeNotAllowed, ""),
			VtnID: "VTN", Profiles: []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}}}},
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, energy.ErrUnauthorized, "err = %v", err)
			}},
		{"no venID", reply{msg: &oadr.CreatedPartyRegistration{Response: oadr.OK(""), RegistrationID: "R", VtnID: "VTN",
			Profiles: []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}}}},
			func(t *testing.T, err error) {
				var pe *ven.ProtocolError
				require.ErrorAs(t, err, &pe, "err = %v", err)
				require.Contains(t, err.Error(), "venID", "err = %v", err)
			}},
		{"wrong message", reply{msg: &oadr.Poll{VenID: "x"}}, func(t *testing.T, err error) {
			var ue *ven.UnexpectedMessageError
			require.ErrorAs(t, err, &ue, "err = %v", err)
			require.EqualValues(t, "oadrCreatePartyRegistration", ue.Sent, "err = %v", err)
			require.EqualValues(t, "oadrPoll", ue.Got, "err = %v", err)
		}},
		{"request reregistration", reply{msg: &oadr.RequestReregistration{VenID: "x"}}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ven.ErrNotRegistered, "err = %v", err)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeVTN(t)
			f.setOverride(func(string, oadr.Message) *reply { r := tc.reply; return &r })
			v := f.newVEN(clock.NewFake(t0))
			err := v.Register(context.Background())
			require.Error(t, err, "Register succeeded")
			tc.check(t, err)
			assert.False(t, v.State().Registered, "registered after a failure")
		})
	}
}

func TestUnreachableVTN(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	v, err := ven.New("http://"+addr, ven.WithHTTPClient(&http.Client{Timeout: 2 * time.Second}))
	require.NoError(t, err)
	err = v.Register(context.Background())
	assert.ErrorIs(t, err, energy.ErrUnavailable, "Register = %v, want energy.ErrUnavailable", err)
}

func TestCancelledContext(t *testing.T) {
	f := newFakeVTN(t)
	v := f.newVEN(clock.NewFake(t0))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := v.Register(ctx)
	assert.ErrorIs(t, err, context.Canceled, "Register = %v, want context.Canceled", err)
	err = v.Run(ctx)
	assert.NoError(t, err, "Run with a done context = %v, want nil", err)
}

func TestPollAnswers(t *testing.T) {
	f := newFakeVTN(t)
	v := registered(t, f, clock.NewFake(t0), nil)
	ctx := context.Background()
	// Nothing queued.
	got, err := v.PollOnce(ctx)
	require.False(t, got || err != nil, "PollOnce on an empty queue = %v, %v", got, err)
	p := last[*oadr.Poll](t, f)
	assert.EqualValues(t, "VEN_FORTRESS_1", p.VenID, "oadrPoll = %+v", p)
	// A message a VTN never sends a VEN.
	f.enqueue(&oadr.CreatedReport{Response: oadr.OK("x")})
	var ue *ven.UnexpectedMessageError
	_, err = v.PollOnce(ctx)
	require.ErrorAs(t, err, &ue, "PollOnce = %v, want an UnexpectedMessageError", err)
	require.EqualValues(t, "oadrCreatedReport", ue.Got, "PollOnce = %v, want an UnexpectedMessageError", err)
	// An error answer that does not concern the registration.
	f.enqueue(&oadr.Response{Response: oadr.Err(oadr.CodeServiceUnavailable, "")})
	_, err = v.PollOnce(ctx)
	require.False(t, !errors.Is(err, energy.ErrUnavailable) || !v.State().Registered, "PollOnce = %v, registered %v", err, v.State().Registered)
}
