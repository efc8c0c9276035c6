package oadrsig_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/internal/conformance"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// FuzzVerify feeds hostile documents to a Verifier: it never panics, every
// failure is an *Error, and whatever passes decodes and was signed by the
// trusted key.
func FuzzVerify(f *testing.F) {
	// ECDSA only: every fuzzing worker runs this setup, and an ECDSA key
	// is quick to make. Run with -fuzzminimizetime=3s or so: minimising a
	// new input shows as minutes of "0/sec" with the default.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(f, err)
	p := selfSigned(key, "FUZZ")
	clk := clock.NewFake(t0)
	s := newSigner(f, p, clk)
	f.Add(signedDoc(f, s, sampleReport()))
	f.Add(signedDoc(f, s, &oadr.Poll{VenID: "VEN_1"}))
	oadrsig.UseOpenLEADRLayout(s)
	f.Add(signedDoc(f, s, &oadr.Poll{VenID: "VEN_1"}))
	plain, err := oadr.Marshal(sampleReport())
	require.NoError(f, err)
	f.Add(plain)
	f.Add([]byte(`<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></oadr:oadrPayload>`))
	if b, err := os.ReadFile(filepath.Join(conformance.Samples(), "invalid", "avob-xsd-fail", "xmlsignature_signatureOadrPayload.xml")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		v, err := oadrsig.NewVerifier(oadrsig.WithCertificate(p.cert), oadrsig.WithClock(clk), oadrsig.WithMaxNonces(4))
		require.NoError(t, err)
		got, err := v.Verify(context.Background(), doc)
		if err != nil {
			var se *oadrsig.Error
			require.ErrorAs(t, err, &se)
			return
		}
		require.True(t, got.Signed)
		require.True(t, got.Certificate.Equal(p.cert))
		_, err = oadr.Unmarshal(got.Document)
		require.NoError(t, err)
	})
}
