package oadrsig_test

import (
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

const (
	nsO = "http://openadr.org/oadr-2.0b/2012/07"
	nsE = "http://docs.oasis-open.org/ns/energyinterop/201110"
)

// TestCanonicalForm pins the canonical bytes the signed object's digest is
// computed over, written out by hand from the C14N rules: exclusive C14N
// declares each namespace where it is first used, inclusive C14N declares
// every namespace in scope on the apex.
func TestCanonicalForm(t *testing.T) {
	_, ecP, _ := parties(t)
	clk := clock.NewFake(t0)
	for _, c := range []struct {
		name     string
		openLEAD bool
		object   string
	}{
		{"exclusive", false, `<oadr:oadrSignedObject xmlns:oadr="` + nsO + `" oadr:Id="oadrSignedObject">` +
			`<oadr:oadrPoll xmlns:ei="` + nsE + `" ei:schemaVersion="2.0b"><ei:venID>V&amp;1</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject>`},
		{"inclusive", true, `<oadr:oadrSignedObject xmlns:ei="` + nsE + `" xmlns:oadr="` + nsO + `" oadr:Id="oadrSignedObject">` +
			`<oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>V&amp;1</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSigner(t, ecP, clk)
			if c.openLEAD {
				oadrsig.UseOpenLEADRLayout(s)
			}
			got, err := newVerifier(t, ecP, clk).Verify(context.Background(), signedDoc(t, s, &oadr.Poll{VenID: "V&1"}))
			require.NoError(t, err)
			want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<oadr:oadrPayload xmlns:oadr="` + nsO + `">` + c.object + "</oadr:oadrPayload>\n"
			assert.Equal(t, want, string(got.Document))
		})
	}
}

// TestOpenLEADRPayloads signs the payloads OpenLEADR sent in an interop run
// (its own envelope: namespaces declared on the signed object, default
// namespaces, line breaks between elements) in both signature shapes, and
// verifies them: the message read back is the one sent, and the signed
// payload is still valid.
func TestOpenLEADRPayloads(t *testing.T) {
	dir := filepath.Join(conformance.Samples(), "openleadr-interop")
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	rsaP, _, _ := parties(t)
	clk := clock.NewFake(t0)
	var signed [][]byte
	for _, f := range files {
		doc, err := os.ReadFile(f)
		require.NoError(t, err)
		want, err := oadr.Unmarshal(doc)
		require.NoError(t, err, f)
		for _, openLEAD := range []bool{false, true} {
			s := newSigner(t, rsaP, clk)
			if openLEAD {
				oadrsig.UseOpenLEADRLayout(s)
			}
			sd, err := s.Sign(doc)
			require.NoError(t, err, f)
			got, err := newVerifier(t, rsaP, clk).Verify(context.Background(), sd)
			require.NoError(t, err, "%s\n%s", f, sd)
			assert.Equal(t, want, got.Message, f)
			signed = append(signed, sd)
		}
	}
	for i, verdict := range xmllint(t, signed...) {
		assert.Empty(t, verdict, "%s", signed[i])
	}
}
