package ven_test

import (
	"crypto"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/testpki"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
	"github.com/gridwire/gridwire/openadr/ven"
)

// newSigner returns a Signer with a fresh key and certificate.
func newSigner(t *testing.T, name string) *oadrsig.Signer {
	t.Helper()
	c := testpki.NewCA(t, name+"-ca").Client(name)
	s, err := oadrsig.NewSigner(c.PrivateKey.(crypto.Signer), c.Leaf)
	require.NoError(t, err)
	return s
}

func TestSigningOptionsInvalid(t *testing.T) {
	s := newSigner(t, "VEN")
	for _, tc := range []struct {
		url   string
		opts  []ven.Option
		field string
	}{
		{"https://vtn", []ven.Option{ven.WithSigning(nil)}, "WithSigning"},
		{"https://vtn", []ven.Option{ven.WithVTNCertificate(s.Certificate())}, "WithVTNCertificate"},
		{"https://vtn", []ven.Option{ven.WithSignatureWindow(time.Minute)}, "WithSignatureWindow"},
		{"https://vtn", []ven.Option{ven.WithSigning(s), ven.WithVTNCertificate(nil)}, "WithVTNCertificate"},
		{"https://vtn", []ven.Option{ven.WithSigning(s), ven.WithSignatureWindow(-time.Second)}, "WithSignatureWindow"},
		{"http://vtn", []ven.Option{ven.WithSigning(s)}, "WithVTNCertificate"},
	} {
		_, err := ven.New(tc.url, tc.opts...)
		fe, ok := errors.AsType[*energy.FieldError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, tc.field, fe.Field)
	}
	_, err := ven.New("http://vtn", ven.WithSigning(s), ven.WithVTNCertificate(s.Certificate()))
	require.NoError(t, err, "over plain HTTP with the VTN's certificate given")
}

// A signing VEN registers with oadrXmlSignature true and a signature the
// VTN verifies with the VEN's certificate, and takes the VTN's signed
// answer; its IDs come from the bytes the VTN signed.
func TestSignedRegistration(t *testing.T) {
	venSigner, vtnSigner := newSigner(t, "VEN"), newSigner(t, "VTN")
	verifier, err := oadrsig.NewVerifier(oadrsig.WithCertificate(venSigner.Certificate()))
	require.NoError(t, err)
	var got *oadr.CreatePartyRegistration
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if !assert.NoError(t, err) {
			return
		}
		v, err := verifier.Verify(r.Context(), body)
		if !assert.NoError(t, err, "the VEN's request verifies with its certificate") {
			http.Error(w, "bad signature", http.StatusBadRequest)
			return
		}
		var answer oadr.Message
		switch m := v.Message.(type) {
		case *oadr.CreatePartyRegistration:
			got = m
			answer = &oadr.CreatedPartyRegistration{Response: oadr.OK(m.RequestID),
				VenID: "VEN_1", RegistrationID: "REG_1", VtnID: "VTN_1", PollFreq: 10 * time.Second,
				Profiles: []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}}}
		case *oadr.RegisterReport:
			answer = &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), VenID: m.VenID}
		case *oadr.RequestEvent:
			ok := oadr.OK(m.RequestID)
			answer = &oadr.DistributeEvent{Response: &ok, RequestID: "DE_1", VtnID: "VTN_1"}
		default:
			assert.Fail(t, "unexpected "+m.MessageName())
			answer = oadr.NewResponse(oadr.CodeNotRecognized, "", "")
		}
		out, err := vtnSigner.Marshal(answer)
		if !assert.NoError(t, err) {
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)

	v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithSigning(venSigner), ven.WithVTNCertificate(vtnSigner.Certificate()))
	require.NoError(t, err)
	require.NoError(t, v.Register(t.Context()))
	require.NotNil(t, got)
	assert.True(t, got.XMLSignature)
	assert.Equal(t, "VEN_1", v.State().VENID)
	assert.Equal(t, "REG_1", v.State().RegistrationID)
}
