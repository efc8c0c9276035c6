package volue

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

// The headers a delivery's signature arrives in.
const (
	// SignatureHeader carries Base64(HMAC-SHA256(webhook secret, raw body)).
	SignatureHeader = "X-Payload-Signature"
	// LegacySignatureHeader is the name older documentation gives the
	// header; it is checked the same way when SignatureHeader is absent.
	LegacySignatureHeader = "Spark-Signature"
)

// SignPayload returns the signature Volue sends with a delivery of body to a
// webhook registered with secret: the standard Base64 encoding of
// HMAC-SHA256 keyed with the secret's UTF-8 bytes over the raw body bytes.
func SignPayload(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// verifySignature reports whether sig is the signature of body under any of
// secrets. Every secret is tried, and each comparison takes constant time,
// so the answer's timing tells nothing about the signature or which secret
// matched.
func verifySignature(secrets [][]byte, body []byte, sig string) bool {
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
	if err != nil {
		// Some senders drop the padding.
		if got, err = base64.RawStdEncoding.DecodeString(strings.TrimSpace(sig)); err != nil {
			return false
		}
	}
	ok := 0
	for _, s := range secrets {
		m := hmac.New(sha256.New, s)
		m.Write(body)
		ok |= subtle.ConstantTimeCompare(m.Sum(nil), got)
	}
	return ok == 1
}

// verifyLegacySecret reports whether header is one of the secrets itself,
// the literal reading of the older documentation. Digests are compared, not
// the strings, since ConstantTimeCompare returns at once on a length
// mismatch and would tell a prober how long the secret is.
func verifyLegacySecret(secrets [][]byte, header string) bool {
	got := sha256.Sum256([]byte(header))
	ok := 0
	for _, s := range secrets {
		want := sha256.Sum256(s)
		ok |= subtle.ConstantTimeCompare(want[:], got[:])
	}
	return ok == 1 && header != ""
}
