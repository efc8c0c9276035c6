package oadrsig_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// t0 is the fake time every test starts at.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// party is a key with a self-signed certificate.
type party struct {
	key  crypto.Signer
	cert *x509.Certificate
}

var (
	keysOnce               sync.Once
	rsaVEN, ecVEN, ecOther party
)

// parties returns keys made once per test binary: RSA key generation is
// slow under -race.
func parties(tb testing.TB) (rsaP, ecP, other party) {
	tb.Helper()
	keysOnce.Do(func() {
		rk, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaVEN = selfSigned(rk, "VEN_RSA")
		ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		ecVEN = selfSigned(ek, "VEN_EC")
		ok, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		ecOther = selfSigned(ok, "OTHER")
	})
	return rsaVEN, ecVEN, ecOther
}

func selfSigned(key crypto.Signer, cn string) party {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    t0.Add(-time.Hour),
		NotAfter:     t0.Add(365 * 24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return party{key: key, cert: cert}
}

func newSigner(t testing.TB, p party, clk clock.Clock) *oadrsig.Signer {
	t.Helper()
	s, err := oadrsig.NewSigner(p.key, p.cert, oadrsig.WithClock(clk))
	require.NoError(t, err)
	return s
}

func newVerifier(t testing.TB, p party, clk clock.Clock, opts ...oadrsig.Option) *oadrsig.Verifier {
	t.Helper()
	v, err := oadrsig.NewVerifier(append([]oadrsig.Option{oadrsig.WithCertificate(p.cert), oadrsig.WithClock(clk)}, opts...)...)
	require.NoError(t, err)
	return v
}

// sampleReport is a message with text, attributes-free nesting and
// repeated elements, enough to tamper with.
func sampleReport() oadr.Message {
	return &oadr.UpdateReport{
		RequestID: "REQ_1",
		VenID:     "VEN_1",
		Reports: []oadr.Report{{
			EiReportID:        "RPT_1",
			ReportRequestID:   "RR_1",
			ReportSpecifierID: "TELEMETRY_USAGE",
			ReportName:        "TELEMETRY_USAGE",
			CreatedDateTime:   t0,
			Intervals: []oadr.ReportInterval{
				{Start: t0, Duration: time.Minute, Payloads: []oadr.ReportPayload{{RID: "soc", Value: 55.5}}},
				{Start: t0.Add(time.Minute), Duration: time.Minute, Payloads: []oadr.ReportPayload{{RID: "soc", Value: 56}}},
			},
		}},
	}
}

func signedDoc(t testing.TB, s *oadrsig.Signer, msg oadr.Message) []byte {
	t.Helper()
	doc, err := s.Marshal(msg)
	require.NoError(t, err)
	return doc
}
