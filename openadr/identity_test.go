package openadr

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/internal/testpki"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// clientCert returns a client certificate of a CA of its own.
func clientCert(t *testing.T, name string) tls.Certificate {
	t.Helper()
	return testpki.NewCA(t, name+"-ca").Client(name).Certificate
}

// Over real TLS, the VTN sees the client certificate, hands its fingerprint
// to the registration hook, and binds the venID to it.
func TestTLSClientCertificate(t *testing.T) {
	var seen string
	v, _ := newVTN(t, WithRegistrationHook(func(_ context.Context, r RegistrationRequest) (Decision, error) {
		seen = r.Caller.Fingerprint
		return Approve(), nil
	}))
	srv := httptest.NewUnstartedServer(v)
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()

	certA, certB := clientCert(t, "ven-a"), clientCert(t, "ven-b")
	client := func(cert tls.Certificate) *http.Client {
		tr := srv.Client().Transport.(*http.Transport).Clone()
		tr.TLSClientConfig.Certificates = []tls.Certificate{cert}
		return &http.Client{Transport: tr}
	}
	a, b := client(certA), client(certB)
	defer a.CloseIdleConnections()
	defer b.CloseIdleConnections()
	call := func(c *http.Client, svc oadr.ServiceName, msg oadr.Message) oadr.Message {
		body, err := oadr.Marshal(msg)
		require.NoError(t, err)
		resp, err := c.Post(srv.URL+PathPrefix+string(svc), "application/xml", bytes.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		recordEmitted(t.Name(), out)
		m, err := oadr.Unmarshal(out)
		require.NoError(t, err)
		return m
	}
	reg := as[*oadr.CreatedPartyRegistration](t, call(a, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP}))
	parsed, err := x509.ParseCertificate(certA.Certificate[0])
	require.NoError(t, err)
	assert.Equal(t, Fingerprint(parsed), seen)
	assert.Equal(t, "oadrRegisterReport", call(a, oadr.ServiceOadrPoll, &oadr.Poll{VenID: reg.VenID}).MessageName())
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, code(t, call(b, oadr.ServiceOadrPoll, &oadr.Poll{VenID: reg.VenID})))
}

// A VEN that registered with a TLS client certificate is bound to it: the
// same venID from another certificate (or none) is refused with 463.
func TestClientCertificateBindsVenID(t *testing.T) {
	v, _ := newVTN(t)
	certA := &x509.Certificate{Raw: []byte("certificate A")}
	certB := &x509.Certificate{Raw: []byte("certificate B")}
	postAs := func(cert *x509.Certificate, svc oadr.ServiceName, msg oadr.Message) oadr.Message {
		body, err := oadr.Marshal(msg)
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodPost, PathPrefix+string(svc), bytes.NewReader(body))
		if cert != nil {
			req.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{cert}}
		}
		status, out := serve(t, v, req)
		require.Equal(t, http.StatusOK, status)
		m, err := oadr.Unmarshal(out)
		require.NoError(t, err)
		return m
	}
	a := as[*oadr.CreatedPartyRegistration](t, postAs(certA, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
	}))
	reg, err := v.Registration(bg, a.VenID)
	require.NoError(t, err)
	assert.Equal(t, Fingerprint(certA), reg.Fingerprint)

	assert.Equal(t, "oadrRegisterReport", postAs(certA, oadr.ServiceOadrPoll, &oadr.Poll{VenID: a.VenID}).MessageName())
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, code(t, postAs(certB, oadr.ServiceOadrPoll, &oadr.Poll{VenID: a.VenID})))
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, code(t, postAs(nil, oadr.ServiceOadrPoll, &oadr.Poll{VenID: a.VenID})))
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, code(t, postAs(certB, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R", RegistrationID: a.RegistrationID, ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
	})), "nor may it re-register")
}

func TestFingerprint(t *testing.T) {
	// sha256("certificate A"), last 10 bytes.
	fp := Fingerprint(&x509.Certificate{Raw: []byte("certificate A")})
	assert.Len(t, fp, 29)
	assert.Regexp(t, `^([0-9A-F]{2}:){9}[0-9A-F]{2}$`, fp)
	assert.Equal(t, fp, NormalizeFingerprint(fp))
	plain := bytes.ToLower(bytes.ReplaceAll([]byte(fp), []byte(":"), nil))
	assert.Equal(t, fp, NormalizeFingerprint(string(plain)), "avob's 20 lower-case hex digits")
	assert.Empty(t, NormalizeFingerprint("AB:CD"))
	assert.Empty(t, NormalizeFingerprint("zz"+string(plain[2:])))
}

// Where VENs bring their own venID (the hook assigns the one sent), a VEN
// that registers afresh replaces its registration; but not with another
// VEN's certificate: that would hand it the VEN's events.
func TestRegistrationCannotTakeAnotherCertificatesVenID(t *testing.T) {
	v, _ := newVTN(t, WithRegistrationHook(func(_ context.Context, r RegistrationRequest) (Decision, error) {
		return Decision{VenID: r.VenID}, nil
	}))
	certA := &x509.Certificate{Raw: []byte("certificate A")}
	certB := &x509.Certificate{Raw: []byte("certificate B")}
	registerAs := func(cert *x509.Certificate) *oadr.CreatedPartyRegistration {
		body, err := oadr.Marshal(&oadr.CreatePartyRegistration{RequestID: "R", VenID: "VEN_X", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP})
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodPost, PathPrefix+string(oadr.ServiceEiRegisterParty), bytes.NewReader(body))
		req.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{cert}}
		_, out := serve(t, v, req)
		m, err := oadr.Unmarshal(out)
		require.NoError(t, err)
		return as[*oadr.CreatedPartyRegistration](t, m)
	}
	a := registerAs(certA)
	require.Equal(t, oadr.CodeOK, a.Response.Code)
	require.Equal(t, "VEN_X", a.VenID)

	b := registerAs(certB)
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, b.Response.Code)
	reg, err := v.Registration(bg, "VEN_X")
	require.NoError(t, err)
	assert.Equal(t, a.RegistrationID, reg.RegistrationID, "A's registration stands")
	assert.Equal(t, Fingerprint(certA), reg.Fingerprint)

	again := registerAs(certA) // A lost its registration and starts afresh
	require.Equal(t, oadr.CodeOK, again.Response.Code)
	assert.NotEqual(t, a.RegistrationID, again.RegistrationID)
}
