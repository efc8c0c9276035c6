package openadr

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// FuzzSignedHandler drives the request path of a signing VTN with arbitrary
// bodies from a VEN's client certificate: it must never panic nor answer
// 500, and every answer must be signed with the VTN's certificate. Seeds are
// the samples, signed by the VEN, and unsigned.
func FuzzSignedHandler(f *testing.F) {
	clk := clock.NewFake(t0) // never moves: no signature goes stale
	vtnSigner, venSigner := benchSigner(f, "VTN", clk), benchSigner(f, "VEN", clk)
	v, _ := newVTN(f, WithSigning(vtnSigner))
	fp := Fingerprint(venSigner.Certificate())
	for _, id := range []string{"VEN_FORTRESS_1", "ven_id_fortress", "VEN_EPRI_1", "ven_123", "VEN123", "ven-1234"} {
		require.NoError(f, v.store.Create(bg, &VENState{Registration: Registration{VenID: id, RegistrationID: "REG_" + id, Fingerprint: fp, XMLSignature: true}}))
	}
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".xml") {
			return nil
		}
		b, err := os.ReadFile(p)
		require.NoError(f, err)
		msg, err := oadr.Unmarshal(b)
		if err != nil {
			return nil
		}
		svc := byte(0)
		for i, s := range fuzzServices {
			if served(s, msg.MessageName()) {
				svc = byte(i)
			}
		}
		signed, err := venSigner.Marshal(msg)
		require.NoError(f, err)
		f.Add(svc, signed)
		f.Add(svc, b)
		return nil
	})
	state := &tls.ConnectionState{PeerCertificates: []*x509.Certificate{venSigner.Certificate()}}

	f.Fuzz(func(t *testing.T, svc byte, body []byte) {
		req := httptest.NewRequest(http.MethodPost, PathPrefix+string(fuzzServices[int(svc)%len(fuzzServices)]), bytes.NewReader(body))
		req.TLS = state
		status, out := serve(t, v, req)
		switch status {
		case http.StatusOK, http.StatusRequestEntityTooLarge, http.StatusBadRequest:
		default:
			require.FailNow(t, "unexpected status", "HTTP %d", status)
		}
		verifier, err := oadrsig.NewVerifier(oadrsig.WithCertificate(vtnSigner.Certificate()), oadrsig.WithClock(clk))
		require.NoError(t, err)
		_, err = verifier.Verify(t.Context(), out)
		require.NoError(t, err, "answer not signed by the VTN:\n%s", out)
	})
}
