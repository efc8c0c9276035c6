package oadrsig_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/internal/conformance"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// TestSignedPayloadsValidate: a signed payload stays valid against
// oadr_20b.xsd, which checks the ds:Signature block against the XML-DSig
// schema, for RSA and ECDSA and messages of both directions; so does the
// Document a Verifier returns.
func TestSignedPayloadsValidate(t *testing.T) {
	rsaP, ecP, _ := parties(t)
	clk := clock.NewFake(t0)
	msgs := []oadr.Message{
		sampleReport(),
		&oadr.Poll{VenID: "VEN_1"},
		oadr.NewResponse(oadr.CodeOK, "OK", "REQ_1"),
		&oadr.DistributeEvent{RequestID: "REQ_2", VtnID: "VTN_1"},
	}
	var docs [][]byte
	for _, p := range []party{rsaP, ecP} {
		s := newSigner(t, p, clk)
		for _, m := range msgs {
			doc := signedDoc(t, s, m)
			// What Verify hands on is a payload of its own, valid too.
			got, err := newVerifier(t, p, clk).Verify(context.Background(), doc)
			require.NoError(t, err)
			docs = append(docs, doc, got.Document)
		}
	}
	for i, verdict := range xmllint(t, docs...) {
		assert.Empty(t, verdict, "%s", docs[i])
	}
}

// TestXSDCatchesASignatureInTheWrongPlace makes sure the check above can
// fail: the known interoperability bug of a signature after the signed
// object is invalid.
func TestXSDCatchesASignatureInTheWrongPlace(t *testing.T) {
	_, ecP, _ := parties(t)
	doc := signedDoc(t, newSigner(t, ecP, clock.NewFake(t0)), &oadr.Poll{VenID: "VEN_1"})
	sig := between(t, doc, "<ds:Signature", "</ds:Signature>")
	late := bytes.Replace(replace(t, doc, sig, ""), []byte("</oadr:oadrPayload>"), []byte(sig+"</oadr:oadrPayload>"), 1)
	verdict := xmllint(t, late)
	assert.Contains(t, verdict[0], "Signature")
}

// TestSignedSampleStructure reads the one signed payload among the shared
// samples (from avob's VTN): its ds:Signature parses, and the verifier
// refuses it for what it is (no oadrSignedObject; besides, one reference to
// the whole document and RSA-SHA1, no ReplayProtect) without panicking.
func TestSignedSampleStructure(t *testing.T) {
	p := filepath.Join(conformance.Samples(), "invalid", "avob-xsd-fail", "xmlsignature_signatureOadrPayload.xml")
	doc, err := os.ReadFile(p)
	require.NoError(t, err)
	payload, err := oadr.UnmarshalPayload(doc)
	if err == nil {
		assert.True(t, payload.Signed)
	}
	_, ecP, _ := parties(t)
	v, err := oadrsig.NewVerifier(oadrsig.WithCertificate(ecP.cert), oadrsig.WithClock(clock.NewFake(t0)))
	require.NoError(t, err)
	_, err = v.Verify(context.Background(), doc)
	assert.ErrorIs(t, err, oadrsig.ErrMalformed)

	// With a signed object added, the signature itself is judged: one
	// reference, SHA-1.
	withObject := bytes.Replace(doc, []byte("</oadr:oadrPayload>"),
		[]byte(`<oadr:oadrSignedObject oadr:Id="oadrSignedObject"><oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>V</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject></oadr:oadrPayload>`), 1)
	_, err = v.Verify(context.Background(), withObject)
	assert.ErrorIs(t, err, oadrsig.ErrBadSignature)
	assert.Contains(t, err.Error(), "not accepted")
}
