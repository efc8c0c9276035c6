package openadr_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/testpki"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// testCA issues client certificates (internal/testpki's CA, with the
// fingerprint the VTN binds a VEN to).
type testCA struct {
	*testpki.CA
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	ca := testpki.NewCA(t, "gridwire test CA")
	return &testCA{CA: ca, pool: ca.Pool()}
}

// issue returns a client certificate for name and its OpenADR fingerprint.
func (ca *testCA) issue(t *testing.T, name string) (tls.Certificate, string) {
	t.Helper()
	c := ca.Client(name).Certificate
	return c, openadr.Fingerprint(c.Leaf)
}

// tlsClient returns an HTTP client that trusts srv and presents cert.
func tlsClient(t *testing.T, srv *httptest.Server, cert tls.Certificate) *http.Client {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig.Certificates = []tls.Certificate{cert}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// postAs sends one message with c and decodes the answer.
func postAs(t *testing.T, c *http.Client, url string, svc oadr.ServiceName, msg oadr.Message) oadr.Message {
	t.Helper()
	body, err := oadr.Marshal(msg)
	require.NoError(t, err)
	resp, err := c.Post(url+openadr.PathPrefix+string(svc), "application/xml", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", out)
	m, err := oadr.Unmarshal(out)
	require.NoError(t, err)
	return m
}

// Two provisioned VENs with their own client certificates, over TLS that
// requires them: neither can read the other's events, post its reports,
// answer its events, re-register as it or cancel its registration; an
// unprovisioned certificate and plain HTTP cannot register at all.
func TestTLSIdentityTwoVENs(t *testing.T) {
	ca := newTestCA(t)
	certA, fpA := ca.issue(t, "ven-a")
	certB, fpB := ca.issue(t, "ven-b")
	certC, _ := ca.issue(t, "ven-c")
	clk := clock.NewFake(t0)
	vtn, err := openadr.NewVTN("VTN_TLS", openadr.WithClock(clk),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(10*time.Second, time.Minute)),
		openadr.WithVENFingerprint("VEN_A", fpA),                                               // AB:CD:… as OpenLEADR prints it
		openadr.WithVENFingerprint("VEN_B", strings.ToLower(strings.ReplaceAll(fpB, ":", ""))), // avob's spelling
	)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(recording(t, vtn))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	ctx := t.Context()

	type party struct {
		name, venID, regID string
		http               *http.Client
		ven                *ven.VEN
		eventID            string
	}
	parties := []*party{{name: "a", http: tlsClient(t, srv, certA)}, {name: "b", http: tlsClient(t, srv, certB)}}
	for _, p := range parties {
		p.ven, err = ven.New(srv.URL, ven.WithHTTPClient(p.http), ven.WithClock(clk), ven.WithVENName(p.name))
		require.NoError(t, err)
		require.NoError(t, p.ven.Register(ctx))
		s := p.ven.State()
		p.venID, p.regID = s.VENID, s.RegistrationID
		require.NoError(t, drainVEN(ctx, p.ven))
	}
	a, b := parties[0], parties[1]
	require.Equal(t, "VEN_A", a.venID, "the provisioned venID")
	require.Equal(t, "VEN_B", b.venID)
	clk.Advance(time.Minute)
	for _, p := range parties {
		require.NoError(t, p.ven.Tick(ctx)) // telemetry in
		require.NoError(t, vtn.Battery(p.venID, openadr.WithoutWaiting()).SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{
			{Start: t0.Add(time.Hour), End: t0.Add(2 * time.Hour), Mode: energy.ModeCharge, Power: 1000},
		}}))
		evs, err := vtn.Battery(p.venID).ScheduleEvents(ctx)
		require.NoError(t, err)
		p.eventID = evs[0].Event.ID
	}

	for _, pair := range [][2]*party{{b, a}, {a, b}} {
		thief, victim := pair[0], pair[1]
		t.Run(thief.name+" as "+victim.name, func(t *testing.T) {
			before, err := vtn.Telemetry(ctx, victim.venID)
			require.NoError(t, err)
			refused := func(want oadr.ResponseCode, svc oadr.ServiceName, msg oadr.Message) oadr.Message {
				t.Helper()
				ans := postAs(t, thief.http, srv.URL, svc, msg)
				var r *oadr.EiResponse
				switch m := ans.(type) {
				case *oadr.Response:
					r = &m.Response
				case *oadr.DistributeEvent:
					r = m.Response
				case *oadr.UpdatedReport:
					r = &m.Response
				case *oadr.CanceledPartyRegistration:
					r = &m.Response
				case *oadr.CreatedPartyRegistration:
					r = &m.Response
				}
				require.NotNil(t, r, "%s answered %s", msg.MessageName(), ans.MessageName())
				assert.Equal(t, want, r.Code, "%s: %s", msg.MessageName(), r.Description)
				return ans
			}
			// Events: neither by poll nor by request.
			refused(oadr.CodeNotRegisteredOrAuthorized, oadr.ServiceOadrPoll, &oadr.Poll{VenID: victim.venID})
			de := refused(oadr.CodeNotRegisteredOrAuthorized, oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "R", VenID: victim.venID}).(*oadr.DistributeEvent)
			assert.Empty(t, de.Events, "no event leaked")
			q, err := vtn.Queue(ctx, victim.venID)
			require.NoError(t, err)
			assert.Equal(t, []string{"oadrDistributeEvent"}, q, "the victim's queue is untouched")
			// Nor answer them for the victim.
			refused(oadr.CodeNotRegisteredOrAuthorized, oadr.ServiceEiEvent, &oadr.CreatedEvent{Response: oadr.OK(""), VenID: victim.venID,
				EventResponses: []oadr.EventResponse{{Code: oadr.CodeOK, QualifiedEventID: oadr.QualifiedEventID{EventID: victim.eventID}, OptType: oadr.OptOut}}})
			// Reports: refused, the victim's telemetry unchanged.
			refused(oadr.CodeNotRegisteredOrAuthorized, oadr.ServiceEiReport, &oadr.UpdateReport{RequestID: "U", VenID: victim.venID, Reports: []oadr.Report{{
				ReportSpecifierID: "battery1_telemetry_usage", ReportRequestID: "x", ReportName: oadr.ReportTelemetryUsage, CreatedDateTime: clk.Now(),
				Intervals: []oadr.ReportInterval{{Start: clk.Now(), Payloads: []oadr.ReportPayload{{RID: "battery1_soc", Value: 1}}}},
			}}})
			after, err := vtn.Telemetry(ctx, victim.venID)
			require.NoError(t, err)
			assert.Equal(t, before, after)
			// Registration: not cancelled by venID, by registrationID, or
			// with the thief's own venID; not taken over by registering.
			refused(oadr.CodeNotRegisteredOrAuthorized, oadr.ServiceEiRegisterParty, &oadr.CancelPartyRegistration{RequestID: "C1", RegistrationID: victim.regID, VenID: victim.venID})
			refused(oadr.CodeNotRegisteredOrAuthorized, oadr.ServiceEiRegisterParty, &oadr.CancelPartyRegistration{RequestID: "C2", RegistrationID: victim.regID})
			refused(oadr.CodeInvalidID, oadr.ServiceEiRegisterParty, &oadr.CancelPartyRegistration{RequestID: "C3", RegistrationID: victim.regID, VenID: thief.venID})
			refused(oadr.CodeNotRegisteredOrAuthorized, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{RequestID: "R1", VenID: victim.venID,
				ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP})
			// The same with a VEN client posing as the victim.
			impostor, err := ven.New(srv.URL, ven.WithHTTPClient(thief.http), ven.WithClock(clk),
				ven.WithVENID(victim.venID), ven.WithRegistrationID(victim.regID))
			require.NoError(t, err)
			err = impostor.Register(ctx)
			re, ok := errors.AsType[*ven.ResponseError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, re.Code)

			reg, err := vtn.Registration(ctx, victim.venID)
			require.NoError(t, err, "the victim is still registered")
			assert.Equal(t, victim.regID, reg.RegistrationID)
			assert.Equal(t, openadr.NormalizeFingerprint(map[string]string{"a": fpA, "b": fpB}[victim.name]), reg.Fingerprint)
		})
	}
	// Each VEN still gets its own event, once, and answers it.
	for _, p := range parties {
		require.NoError(t, drainVEN(ctx, p.ven))
		evs := p.ven.State().Events
		require.Len(t, evs, 1)
		assert.Equal(t, p.eventID, evs[0].ID)
		assert.NoError(t, vtn.Battery(p.venID).Await(ctx))
	}

	// A certificate the CA signed but nobody provisioned cannot register.
	stranger, err := ven.New(srv.URL, ven.WithHTTPClient(tlsClient(t, srv, certC)), ven.WithClock(clk))
	require.NoError(t, err)
	err = stranger.Register(ctx)
	require.ErrorIs(t, err, energy.ErrUnauthorized)
	assert.Contains(t, err.Error(), "not provisioned")
	// Nor can anyone over plain HTTP.
	plain := httptest.NewServer(vtn)
	defer plain.Close()
	defer plain.Client().CloseIdleConnections()
	cpr := postAs(t, plain.Client(), plain.URL, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{RequestID: "R", VenID: "VEN_A",
		ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP}).(*oadr.CreatedPartyRegistration)
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, cpr.Response.Code)
	assert.Empty(t, cpr.VenID)
}

// Provisioning is checked when the VTN is made.
func TestWithVENFingerprintInvalid(t *testing.T) {
	const fp = "01:23:45:67:89:AB:CD:EF:01:23"
	for _, c := range []struct {
		opts  []openadr.Option
		field string
	}{
		{[]openadr.Option{openadr.WithVENFingerprint("VEN_A", "01:23")}, "WithVENFingerprint.fingerprint"},
		{[]openadr.Option{openadr.WithVENFingerprint("", fp)}, "WithVENFingerprint.venID"},
		{[]openadr.Option{openadr.WithVENFingerprint("VEN_A", fp), openadr.WithVENFingerprint("VEN_A", "0123456789abcdef0124")}, "WithVENFingerprint.venID"},
		{[]openadr.Option{openadr.WithVENFingerprint("VEN_A", fp), openadr.WithVENFingerprint("VEN_B", "0123456789abcdef0123")}, "WithVENFingerprint.fingerprint"},
	} {
		_, err := openadr.NewVTN("VTN_X", c.opts...)
		fe, ok := errors.AsType[*energy.FieldError](err)
		if assert.True(t, ok, "%v", err) {
			assert.Equal(t, c.field, fe.Field)
		}
	}
}

// On plain HTTP nothing identifies a VEN: whoever knows a venID acts as that
// VEN. This is what the documentation warns of.
func TestPlainHTTPTrustsVenID(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.vtn.Battery(f.venID, openadr.WithoutWaiting()).SetSchedule(t.Context(), energy.Schedule{Windows: []energy.Window{
		{Start: t0.Add(time.Hour), End: t0.Add(2 * time.Hour), Mode: energy.ModeCharge, Power: 1000},
	}}))
	other := &http.Client{Transport: f.srv.Client().Transport} // another client, no certificate
	got := postAs(t, other, f.srv.URL, oadr.ServiceOadrPoll, &oadr.Poll{VenID: f.venID})
	assert.Equal(t, "oadrDistributeEvent", got.MessageName())
}

// Over TLS that asks for client certificates without requiring them, a VEN
// that registered without one is bound to none: a client with a certificate
// cannot re-register with its registrationID to capture it, nor act for it.
// Only the application rebinds it.
func TestTLSBindOnFirstUse(t *testing.T) {
	ca := newTestCA(t)
	certX, fpX := ca.issue(t, "attacker")
	vtn, err := openadr.NewVTN("VTN_TLS", openadr.WithClock(clock.NewFake(t0)))
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(recording(t, vtn))
	srv.TLS = &tls.Config{ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: ca.pool, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	ctx := t.Context()

	victim := srv.Client() // no client certificate
	reg := postAs(t, victim, srv.URL, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{RequestID: "R1",
		ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, HTTPPullModel: new(true)}).(*oadr.CreatedPartyRegistration)
	require.Equal(t, oadr.CodeOK, reg.Response.Code)

	attacker := tlsClient(t, srv, certX)
	re := postAs(t, attacker, srv.URL, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{RequestID: "R2",
		RegistrationID: reg.RegistrationID, VenID: reg.VenID,
		ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, HTTPPullModel: new(true)}).(*oadr.CreatedPartyRegistration)
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, re.Response.Code)
	poll := postAs(t, attacker, srv.URL, oadr.ServiceOadrPoll, &oadr.Poll{VenID: reg.VenID}).(*oadr.Response)
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, poll.Response.Code)
	got, err := vtn.Registration(ctx, reg.VenID)
	require.NoError(t, err)
	assert.Empty(t, got.Fingerprint, "still bound to no certificate")
	ok := postAs(t, victim, srv.URL, oadr.ServiceOadrPoll, &oadr.Poll{VenID: reg.VenID})
	assert.Equal(t, "oadrRegisterReport", ok.MessageName(), "the victim still polls")

	// The application moves the VEN to a certificate; then only that one
	// speaks for it.
	require.NoError(t, vtn.BindCertificate(ctx, reg.VenID, fpX))
	poll = postAs(t, victim, srv.URL, oadr.ServiceOadrPoll, &oadr.Poll{VenID: reg.VenID}).(*oadr.Response)
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, poll.Response.Code)
	poll = postAs(t, attacker, srv.URL, oadr.ServiceOadrPoll, &oadr.Poll{VenID: reg.VenID}).(*oadr.Response)
	assert.Equal(t, oadr.CodeOK, poll.Response.Code)
	assert.ErrorIs(t, vtn.BindCertificate(ctx, reg.VenID, "12:34"), energy.ErrInvalid)
	assert.ErrorIs(t, vtn.BindCertificate(ctx, "NOBODY", ""), openadr.ErrUnknownVEN)
}
