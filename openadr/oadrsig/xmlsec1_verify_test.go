package oadrsig_test

import (
	"bytes"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/internal/conformance"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// TestXMLSec1VerifiesOurs has xmlsec1, an independent XML-DSig
// implementation, verify what the Signer writes (RSA and ECDSA, gridwire's
// layout and OpenLEADR's, a poll, an update report and the OpenLEADR
// samples), and refuse it once changed: the other direction of
// TestXMLSec1Signatures.
func TestXMLSec1VerifiesOurs(t *testing.T) {
	bin, err := exec.LookPath("xmlsec1")
	if err != nil {
		skips.Skip(t, "xmlsec1 not found (Debian: apt-get install xmlsec1)")
	}
	rsaP, ecP, _ := parties(t)
	clk := clock.NewFake(t0)
	msgs := []oadr.Message{&oadr.Poll{VenID: "VEN_1"}, sampleReport()}
	files, err := filepath.Glob(filepath.Join(conformance.Samples(), "openleadr-interop", "*.xml"))
	require.NoError(t, err)
	for _, f := range files {
		m, err := oadr.Unmarshal(conformance.ReadSample(t, filepath.Join("openleadr-interop", filepath.Base(f))))
		require.NoError(t, err, f)
		msgs = append(msgs, m)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name     string
		p        party
		openLEAD bool
	}{{"rsa", rsaP, false}, {"ecdsa", ecP, false}, {"rsa-openleadr", rsaP, true}, {"ecdsa-openleadr", ecP, true}} {
		t.Run(c.name, func(t *testing.T) {
			cert := filepath.Join(dir, c.name+"-cert.pem")
			require.NoError(t, os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.p.cert.Raw}), 0o600))
			s := newSigner(t, c.p, clk)
			if c.openLEAD {
				oadrsig.UseOpenLEADRLayout(s)
			}
			verify := func(doc []byte) (string, error) {
				f := filepath.Join(dir, c.name+".xml")
				require.NoError(t, os.WriteFile(f, doc, 0o600))
				out, err := exec.Command(bin, "--verify", "--pubkey-cert-pem", cert,
					"--id-attr:Id", "http://openadr.org/oadr-2.0b/2012/07:oadrSignedObject",
					"--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:SignatureProperties",
					f).CombinedOutput()
				return string(out), err
			}
			for _, m := range msgs {
				doc := signedDoc(t, s, m)
				out, err := verify(doc)
				require.NoError(t, err, "xmlsec1 refused our signed %s:\n%s\n%s", m.MessageName(), out, doc)
				assert.Contains(t, out, "SignedInfo References (ok/all): 2/2", "both references (the object and ReplayProtect) checked")

				i := bytes.Index(doc, []byte("</oadr:oadrSignedObject>"))
				require.Positive(t, i)
				changed := append(bytes.Clone(doc[:i]), append([]byte("<!-- -->x"), doc[i:]...)...)
				out, err = verify(changed)
				assert.Error(t, err, "xmlsec1 took a changed %s:\n%s", m.MessageName(), out)

				j := bytes.Index(doc, []byte("nonce>")) + len("nonce>")
				require.Greater(t, j, len("nonce>"))
				changed = bytes.Clone(doc)
				changed[j] ^= 1 // the nonce's first character
				out, err = verify(changed)
				assert.Error(t, err, "xmlsec1 took a changed nonce in %s:\n%s", m.MessageName(), out)
			}
		})
	}
}
