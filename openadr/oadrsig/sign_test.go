package oadrsig_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestRoundTrip(t *testing.T) {
	rsaP, ecP, _ := parties(t)
	for name, p := range map[string]party{"RSA": rsaP, "ECDSA": ecP} {
		t.Run(name, func(t *testing.T) {
			clk := clock.NewFake(t0)
			doc := signedDoc(t, newSigner(t, p, clk), sampleReport())
			t.Logf("%s", doc)
			clk.Advance(3e9)
			got, err := newVerifier(t, p, clk).Verify(context.Background(), doc)
			require.NoError(t, err)
			assert.True(t, got.Signed)
			assert.Equal(t, sampleReport(), got.Message)
			assert.True(t, got.Certificate.Equal(p.cert))
			assert.Equal(t, t0, got.Timestamp)
			assert.Len(t, got.Nonce, 32)
			again, err := oadr.Unmarshal(got.Document)
			require.NoError(t, err)
			assert.Equal(t, sampleReport(), again)
		})
	}
}

func TestSignKeepsTheDocument(t *testing.T) {
	_, ecP, _ := parties(t)
	plain, err := oadr.Marshal(sampleReport())
	require.NoError(t, err)
	doc, err := newSigner(t, ecP, clock.NewFake(t0)).Sign(plain)
	require.NoError(t, err)
	i := bytes.Index(doc, []byte("<ds:Signature"))
	j := bytes.Index(doc, []byte("</ds:Signature>")) + len("</ds:Signature>")
	require.Positive(t, i)
	assert.Equal(t, plain, append(append([]byte{}, doc[:i]...), doc[j:]...), "only the signature is added")
	assert.Less(t, i, bytes.Index(doc, []byte("<oadr:oadrSignedObject")), "the signature comes first")
	p, err := oadr.UnmarshalPayload(doc)
	require.NoError(t, err)
	assert.True(t, p.Signed)
}
