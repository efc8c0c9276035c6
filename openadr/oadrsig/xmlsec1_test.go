package oadrsig_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// TestXMLSec1Signatures verifies polls whose digests and signature values
// xmlsec1, an independent XML-DSig implementation, computed (see
// testdata/xmlsec1/README.md), and refuses them once changed.
func TestXMLSec1Signatures(t *testing.T) {
	signedAt := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	for _, alg := range []string{"rsa", "ecdsa"} {
		t.Run(alg, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join("testdata", "xmlsec1", "poll-"+alg+".xml"))
			require.NoError(t, err)
			certPEM, err := os.ReadFile(filepath.Join("testdata", "xmlsec1", alg+"-cert.pem"))
			require.NoError(t, err)
			block, _ := pem.Decode(certPEM)
			require.NotNil(t, block)
			cert, err := x509.ParseCertificate(block.Bytes)
			require.NoError(t, err)
			verifier := func() *oadrsig.Verifier {
				v, err := oadrsig.NewVerifier(oadrsig.WithCertificate(cert), oadrsig.WithClock(clock.NewFake(signedAt)))
				require.NoError(t, err)
				return v
			}

			got, err := verifier().Verify(context.Background(), doc)
			require.NoError(t, err)
			msg, err := oadr.Unmarshal(got.Document)
			require.NoError(t, err)
			assert.Equal(t, &oadr.Poll{VenID: "VEN_XMLSEC1"}, msg)

			_, err = verifier().Verify(context.Background(), bytes.Replace(doc, []byte("VEN_XMLSEC1"), []byte("VEN_XMLSEC2"), 1))
			assert.Error(t, err, "a changed venID verified")
		})
	}
}
