package openadr_test

import (
	"context"
	"crypto/tls"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// tlsVTN serves vtn over TLS that requires client certificates from ca.
func tlsVTN(t *testing.T, ca *testCA, vtn *openadr.VTN) *httptest.Server {
	srv := httptest.NewUnstartedServer(recording(t, vtn))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	t.Cleanup(srv.Client().CloseIdleConnections)
	return srv
}

func freshRegistration(id string) *oadr.CreatePartyRegistration {
	return &oadr.CreatePartyRegistration{RequestID: id, VenName: "battery",
		ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, HTTPPullModel: new(true)}
}

// A VEN that lost its state registers again without its registrationID
// from the same client certificate: it gets its venID back, its old
// registration is replaced rather than left behind, and its events stay.
func TestRegisterAgainWithSameCertificateReplaces(t *testing.T) {
	ca := newTestCA(t)
	cert, fp := ca.issue(t, "ven")
	otherCert, _ := ca.issue(t, "other")
	var (
		requests []openadr.RegistrationRequest
		changes  []openadr.RegistrationChange
	)
	vtn, err := openadr.NewVTN("VTN_TLS", openadr.WithClock(clock.NewFake(t0)),
		openadr.WithRegistrationHook(func(_ context.Context, r openadr.RegistrationRequest) (openadr.Decision, error) {
			requests = append(requests, r)
			return openadr.Approve(), nil
		}),
		openadr.WithRegistrationChangeHook(func(_ context.Context, c openadr.RegistrationChange) { changes = append(changes, c) }))
	require.NoError(t, err)
	srv := tlsVTN(t, ca, vtn)
	c := tlsClient(t, srv, cert)

	first := postAs(t, c, srv.URL, oadr.ServiceEiRegisterParty, freshRegistration("R1")).(*oadr.CreatedPartyRegistration)
	require.Equal(t, oadr.CodeOK, first.Response.Code)
	_, err = vtn.CreateEvent(t.Context(), first.VenID, openadr.Event{Start: t0.Add(time.Hour),
		Signals: []openadr.Signal{{Name: oadr.SignalSimple, Type: oadr.SignalTypeLevel, Intervals: []openadr.Interval{{Duration: time.Hour, Value: 1}}}}})
	require.NoError(t, err)

	again := postAs(t, c, srv.URL, oadr.ServiceEiRegisterParty, freshRegistration("R2")).(*oadr.CreatedPartyRegistration)
	require.Equal(t, oadr.CodeOK, again.Response.Code)
	assert.Equal(t, first.VenID, again.VenID, "the certificate's VEN keeps its venID")
	assert.NotEqual(t, first.RegistrationID, again.RegistrationID)
	require.Len(t, requests, 2)
	assert.Empty(t, requests[0].BoundVenID)
	assert.Equal(t, first.VenID, requests[1].BoundVenID, "the hook sees whose certificate it is")
	require.Len(t, changes, 2)
	assert.Empty(t, changes[0].Replaced)
	assert.Equal(t, first.VenID, changes[1].Replaced)

	regs, err := vtn.Registrations(t.Context())
	require.NoError(t, err)
	require.Len(t, regs, 1, "no registration left behind")
	assert.Equal(t, again.RegistrationID, regs[0].RegistrationID)
	assert.Equal(t, fp, regs[0].Fingerprint)
	events, err := vtn.Events(t.Context(), first.VenID)
	require.NoError(t, err)
	assert.Len(t, events, 1, "its events are kept")

	// Another certificate is another VEN.
	other := postAs(t, tlsClient(t, srv, otherCert), srv.URL, oadr.ServiceEiRegisterParty, freshRegistration("R3")).(*oadr.CreatedPartyRegistration)
	require.Equal(t, oadr.CodeOK, other.Response.Code)
	assert.NotEqual(t, first.VenID, other.VenID)
}

// A gateway registers several VENs with one certificate.
func TestRegisterWithSharedCertificates(t *testing.T) {
	ca := newTestCA(t)
	cert, _ := ca.issue(t, "gateway")
	vtn, err := openadr.NewVTN("VTN_TLS", openadr.WithClock(clock.NewFake(t0)), openadr.WithSharedCertificates())
	require.NoError(t, err)
	srv := tlsVTN(t, ca, vtn)
	c := tlsClient(t, srv, cert)
	a := postAs(t, c, srv.URL, oadr.ServiceEiRegisterParty, freshRegistration("R1")).(*oadr.CreatedPartyRegistration)
	b := postAs(t, c, srv.URL, oadr.ServiceEiRegisterParty, freshRegistration("R2")).(*oadr.CreatedPartyRegistration)
	assert.NotEqual(t, a.VenID, b.VenID)
	regs, err := vtn.Registrations(t.Context())
	require.NoError(t, err)
	assert.Len(t, regs, 2)
}
