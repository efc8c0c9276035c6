package oadrsig_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// TestSignatureByHand checks a signed payload without the XML libraries the
// package uses: the exclusive canonical forms of SignedInfo and of the
// signature properties are derived from the written text by the C14N rules
// (declare the namespace where it is used, write empty elements as start
// and end tag), and the digests and the signature value are checked with
// the standard library alone. Any conformant XML-DSig verifier computes
// these bytes.
func TestSignatureByHand(t *testing.T) {
	const dsDecl = ` xmlns:ds="http://www.w3.org/2000/09/xmldsig#"`
	emptyTag := regexp.MustCompile(`<(ds:[A-Za-z]+)([^<>]*)/>`)
	c14n := func(fragment, open string) []byte {
		s := strings.Replace(fragment, open, open+dsDecl, 1)
		return []byte(emptyTag.ReplaceAllString(s, "<$1$2></$1>"))
	}
	b64 := func(s string) []byte {
		b, err := base64.StdEncoding.DecodeString(s)
		require.NoError(t, err)
		return b
	}
	rsaP, ecP, _ := parties(t)
	for name, p := range map[string]party{"RSA": rsaP, "ECDSA": ecP} {
		t.Run(name, func(t *testing.T) {
			doc := signedDoc(t, newSigner(t, p, clock.NewFake(t0)), &oadr.Poll{VenID: "VEN_1"})
			s := string(doc)

			object := between(t, doc, "<oadr:oadrSignedObject", "</oadr:oadrSignedObject>")
			object = strings.Replace(object, "<oadr:oadrSignedObject", `<oadr:oadrSignedObject xmlns:oadr="`+nsO+`"`, 1)
			object = strings.Replace(object, "<oadr:oadrPoll", `<oadr:oadrPoll xmlns:ei="`+nsE+`"`, 1)
			props := c14n(between(t, doc, "<ds:SignatureProperties", "</ds:SignatureProperties>"), "<ds:SignatureProperties")
			info := c14n(between(t, doc, "<ds:SignedInfo>", "</ds:SignedInfo>"), "<ds:SignedInfo")

			digests := regexp.MustCompile(`<ds:DigestValue>([^<]+)</ds:DigestValue>`).FindAllStringSubmatch(s, -1)
			require.Len(t, digests, 2)
			sum := sha256.Sum256([]byte(object))
			assert.Equal(t, sum[:], b64(digests[0][1]), "digest of %s", object)
			sum = sha256.Sum256(props)
			assert.Equal(t, sum[:], b64(digests[1][1]), "digest of %s", props)

			value := b64(regexp.MustCompile(`<ds:SignatureValue>([^<]+)</ds:SignatureValue>`).FindStringSubmatch(s)[1])
			sum = sha256.Sum256(info)
			switch pub := p.cert.PublicKey.(type) {
			case *rsa.PublicKey:
				assert.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], value), "%s", info)
			case *ecdsa.PublicKey:
				require.Len(t, value, 64, "r||s of P-256")
				r, ss := new(big.Int).SetBytes(value[:32]), new(big.Int).SetBytes(value[32:])
				assert.True(t, ecdsa.Verify(pub, sum[:], r, ss), "%s", info)
			}
		})
	}
}
