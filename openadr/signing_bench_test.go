package openadr

import (
	"bytes"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/internal/testpki"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// BenchmarkSignedPoll puts a poll with signatures on (the VEN signs each
// poll, the VTN verifies it and signs its answer) beside the same poll
// unsigned, in process, from a TLS client certificate.
//
//	go test -run '^$' -bench SignedPoll -benchmem ./openadr/
func BenchmarkSignedPoll(b *testing.B) {
	clk := clock.NewFake(t0)
	venSigner := benchSigner(b, "VEN", clk)
	state := &tls.ConnectionState{PeerCertificates: []*x509.Certificate{venSigner.Certificate()}}
	for _, sign := range []bool{false, true} {
		name, opts := "unsigned", []Option{WithClock(clk)}
		if sign {
			name, opts = "signed", append(opts, WithSigning(benchSigner(b, "VTN", clk)))
		}
		v, err := NewVTN("VTN_BENCH", opts...)
		require.NoError(b, err)
		marshal := oadr.Marshal
		if sign {
			marshal = venSigner.Marshal
		}
		do := func(svc oadr.ServiceName, msg oadr.Message) oadr.Message {
			body, err := marshal(msg)
			require.NoError(b, err)
			req := httptest.NewRequest(http.MethodPost, PathPrefix+string(svc), bytes.NewReader(body))
			req.TLS = state
			status, out := serve(b, v, req)
			require.Equal(b, http.StatusOK, status)
			m, err := oadr.Unmarshal(out)
			require.NoError(b, err)
			return m
		}
		created := do(oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{RequestID: "R1", VenName: "battery",
			ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, HTTPPullModel: new(true), XMLSignature: sign}).(*oadr.CreatedPartyRegistration)
		require.Equal(b, oadr.CodeOK, created.Response.Code)
		poll := &oadr.Poll{VenID: created.VenID}
		for range 3 { // the VTN's oadrRegisterReport first
			if _, ok := do(oadr.ServiceOadrPoll, poll).(*oadr.Response); ok {
				break
			}
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				body, _ := marshal(poll)
				req := httptest.NewRequest(http.MethodPost, PathPrefix+string(oadr.ServiceOadrPoll), bytes.NewReader(body))
				req.TLS = state
				rec := httptest.NewRecorder()
				v.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("HTTP %d", rec.Code)
				}
			}
		})
	}
}

func benchSigner(b testing.TB, name string, clk clock.Clock) *oadrsig.Signer {
	c := testpki.NewCA(b, name+"-ca").Client(name)
	s, err := oadrsig.NewSigner(c.PrivateKey.(crypto.Signer), c.Leaf, oadrsig.WithClock(clk))
	require.NoError(b, err)
	return s
}
