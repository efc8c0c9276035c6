package oadrsig_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// replace replaces the one occurrence of old in doc, failing the test when
// there is not exactly one.
func replace(t *testing.T, doc []byte, old, new string) []byte {
	t.Helper()
	require.Equal(t, 1, bytes.Count(doc, []byte(old)), "%q must occur once", old)
	return bytes.Replace(doc, []byte(old), []byte(new), 1)
}

// replaceRE replaces the first match of re with repl.
func replaceRE(t *testing.T, doc []byte, re, repl string) []byte {
	t.Helper()
	r := regexp.MustCompile(re)
	loc := r.FindIndex(doc)
	require.NotNil(t, loc, "%s must match", re)
	out := append([]byte{}, doc[:loc[0]]...)
	out = append(out, r.ReplaceAll(doc[loc[0]:loc[1]], []byte(repl))...)
	return append(out, doc[loc[1]:]...)
}

func between(t *testing.T, doc []byte, open, close string) string {
	t.Helper()
	i := bytes.Index(doc, []byte(open))
	require.GreaterOrEqual(t, i, 0, open)
	j := bytes.Index(doc[i:], []byte(close))
	require.GreaterOrEqual(t, j, 0, close)
	return string(doc[i : i+j+len(close)])
}

// flipBase64 changes the first character of the base64 text inside tag.
func flipBase64(t *testing.T, doc []byte, tag string) []byte {
	t.Helper()
	re := regexp.MustCompile("<" + tag + ">([^<]+)</" + tag + ">")
	m := re.FindSubmatchIndex(doc)
	require.NotNil(t, m, tag)
	raw, err := base64.StdEncoding.DecodeString(string(doc[m[2]:m[3]]))
	require.NoError(t, err)
	raw[len(raw)/2] ^= 1
	out := append([]byte{}, doc[:m[2]]...)
	out = append(out, base64.StdEncoding.EncodeToString(raw)...)
	return append(out, doc[m[3]:]...)
}

func TestTamperingIsRejected(t *testing.T) {
	rsaP, ecP, other := parties(t)
	for name, p := range map[string]party{"RSA": rsaP, "ECDSA": ecP} {
		t.Run(name, func(t *testing.T) {
			clk := clock.NewFake(t0)
			doc := signedDoc(t, newSigner(t, p, clk), sampleReport())
			byOther := signedDoc(t, newSigner(t, other, clk), sampleReport())
			sigBlock := between(t, doc, "<ds:Signature", "</ds:Signature>")
			object := between(t, doc, "<oadr:oadrSignedObject", "</oadr:oadrSignedObject>")
			otherCert := between(t, byOther, "<ds:X509Certificate>", "</ds:X509Certificate>")
			ownCert := between(t, doc, "<ds:X509Certificate>", "</ds:X509Certificate>")

			cases := []struct {
				name string
				doc  []byte
				kind error
			}{
				{"message text", replace(t, doc, "<ei:venID>VEN_1</ei:venID>", "<ei:venID>VEN_2</ei:venID>"), oadrsig.ErrBadSignature},
				{"a value", replace(t, doc, "<ei:value>55.5</ei:value>", "<ei:value>-55.5</ei:value>"), oadrsig.ErrBadSignature},
				{"attribute", replace(t, doc, `ei:schemaVersion="2.0b"`, `ei:schemaVersion="2.0b "`), oadrsig.ErrBadSignature},
				{"added attribute", replace(t, doc, `<oadr:oadrReport>`, `<oadr:oadrReport xmlns:x="urn:x" x:y="1">`), oadrsig.ErrBadSignature},
				{"reordered intervals", replaceRE(t, doc, `(?s)(<ei:interval>.*?</ei:interval>)(<ei:interval>.*?</ei:interval>)`, "$2$1"), oadrsig.ErrBadSignature},
				{"added element", replace(t, doc, "<ei:venID>", "<ei:venID>VEN_1</ei:venID><ei:venID>"), oadrsig.ErrBadSignature},
				{"signature value", flipBase64(t, doc, "ds:SignatureValue"), oadrsig.ErrBadSignature},
				{"digest", flipBase64(t, doc, "ds:DigestValue"), oadrsig.ErrBadSignature},
				{"timestamp", replaceRE(t, doc, `<dsp:timestamp>[^<]*</dsp:timestamp>`, "<dsp:timestamp>2026-03-01T12:00:01Z</dsp:timestamp>"), oadrsig.ErrBadSignature},
				{"nonce", replaceRE(t, doc, `<dsp:nonce>[^<]*</dsp:nonce>`, "<dsp:nonce>0123</dsp:nonce>"), oadrsig.ErrBadSignature},
				{"ReplayProtect removed", replaceRE(t, doc, `<dsp:ReplayProtect.*</dsp:ReplayProtect>`, ""), oadrsig.ErrBadSignature},
				{"Object removed", replaceRE(t, doc, `<ds:Object>.*</ds:Object>`, ""), oadrsig.ErrBadSignature},
				{"property reference removed", replaceRE(t, doc, `<ds:Reference [^>]*URI="#oadrReplayProtect".*?</ds:Reference>`, ""), oadrsig.ErrBadSignature},
				{"object reference moved", replace(t, doc, `URI="#oadrSignedObject"`, `URI="#oadrReplayProtect"`), oadrsig.ErrBadSignature},
				{"signed object Id changed", replace(t, doc, `oadr:Id="oadrSignedObject"`, `oadr:Id="other"`), oadrsig.ErrBadSignature},
				{"SignatureMethod SHA-1", replaceRE(t, doc, `xmldsig-more#(rsa|ecdsa)-sha256`, "xmldsig-more#${1}-sha1"), oadrsig.ErrBadSignature},
				{"signature after the object", replace(t, doc, sigBlock+object, object+sigBlock), oadrsig.ErrBadSignature},
				{"signature removed", replace(t, doc, sigBlock, ""), oadrsig.ErrMissingSignature},
				{"KeyInfo names another certificate", replace(t, doc, ownCert, otherCert), oadrsig.ErrWrongCertificate},
				{"signed by another key", byOther, oadrsig.ErrWrongCertificate},
				{"signed by another key, naming ours", replace(t, byOther, otherCert, ownCert), oadrsig.ErrBadSignature},
				{"signed by another key, KeyInfo removed", replaceRE(t, byOther, `<ds:KeyInfo>.*</ds:KeyInfo>`, ""), oadrsig.ErrBadSignature},
				{"wrapped: a second object with the same Id", replace(t, doc, "</ds:Signature>", "</ds:Signature>"+string(replace(t, []byte(object), "VEN_1", "VEN_2"))), oadrsig.ErrMalformed},
				{"wrapped: the signed object hidden in ds:Object", replace(t, replace(t, doc, "</ds:Object>", "</ds:Object><ds:Object>"+object+"</ds:Object>"), "</ds:Signature>"+object, "</ds:Signature>"+string(replace(t, replace(t, []byte(object), `oadr:Id="oadrSignedObject"`, ``), "VEN_1", "VEN_2"))), oadrsig.ErrBadSignature},
				{"not XML", doc[:len(doc)/2], oadrsig.ErrMalformed},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					require.NotEqual(t, doc, c.doc)
					t.Cleanup(func() {
						if t.Failed() {
							t.Logf("%s", c.doc)
						}
					})
					v := newVerifier(t, p, clk)
					got, err := v.Verify(context.Background(), c.doc)
					require.Error(t, err)
					assert.Nil(t, got)
					assert.ErrorIs(t, err, c.kind)
					var se *oadrsig.Error
					require.ErrorAs(t, err, &se)
					t.Log(err)
					if c.kind == oadrsig.ErrMalformed {
						assert.ErrorIs(t, err, energy.ErrInvalid)
					} else {
						assert.ErrorIs(t, err, energy.ErrUnauthorized)
					}
					assert.NotContains(t, err.Error(), between(t, doc, "<ds:SignatureValue>", "</ds:SignatureValue>")[len("<ds:SignatureValue>"):][:16], "no signature in errors")
					// The untouched document still verifies with a fresh verifier.
					_, err = newVerifier(t, p, clk).Verify(context.Background(), doc)
					require.NoError(t, err)
				})
			}
		})
	}
}

func TestMissingSignature(t *testing.T) {
	_, ecP, _ := parties(t)
	clk := clock.NewFake(t0)
	plain, err := oadr.Marshal(sampleReport())
	require.NoError(t, err)
	bare := []byte(`<oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b"><ei:venID>V</ei:venID></oadr:oadrPoll>`)

	for _, doc := range [][]byte{plain, bare} {
		_, err = newVerifier(t, ecP, clk).Verify(context.Background(), doc)
		assert.ErrorIs(t, err, oadrsig.ErrMissingSignature)
		var se *oadrsig.Error
		require.ErrorAs(t, err, &se)
		assert.Equal(t, oadr.CodeInvalidData, se.ResponseCode())

		got, err := newVerifier(t, ecP, clk, oadrsig.WithOptional()).Verify(context.Background(), doc)
		require.NoError(t, err)
		assert.False(t, got.Signed)
		assert.Nil(t, got.Certificate)
		assert.Equal(t, doc, got.Document)
	}

	// Optional signatures are still checked when present.
	doc := signedDoc(t, newSigner(t, ecP, clk), sampleReport())
	_, err = newVerifier(t, ecP, clk, oadrsig.WithOptional()).Verify(context.Background(), flipBase64(t, doc, "ds:SignatureValue"))
	assert.ErrorIs(t, err, oadrsig.ErrBadSignature)
}

func TestResponseCodes(t *testing.T) {
	for kind, code := range map[error]oadr.ResponseCode{
		oadrsig.ErrMissingSignature: oadr.CodeInvalidData,
		oadrsig.ErrBadSignature:     oadr.CodeInvalidData,
		oadrsig.ErrReplay:           oadr.CodeInvalidData,
		oadrsig.ErrStale:            oadr.CodeInvalidData,
		oadrsig.ErrMalformed:        oadr.CodeInvalidData,
		oadrsig.ErrWrongCertificate: oadr.CodeNotRegisteredOrAuthorized,
	} {
		e := &oadrsig.Error{Kind: kind, Detail: "d", Err: errors.New("cause")}
		assert.Equal(t, code, e.ResponseCode(), kind.Error())
		assert.ErrorIs(t, e, kind)
		assert.Contains(t, e.Error(), "d: cause")
	}
}
