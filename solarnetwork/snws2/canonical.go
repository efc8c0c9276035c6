package snws2

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Scheme is the Authorization scheme and the algorithm name in the string
// to sign.
const (
	Scheme    = "SNWS2"
	Algorithm = "SNWS2-HMAC-SHA256"
)

// EmptyBodySHA256 is the hex SHA-256 of an empty body.
const EmptyBodySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Header is one signed header: its lower-case name and its value.
type Header struct {
	Name, Value string
}

// Request holds the parts of a request that SNWS2 signs, already
// extracted from the HTTP request. Signer and Verifier fill it in; it is
// exported so that other transports can sign too.
type Request struct {
	// Method is the HTTP verb, such as "GET".
	Method string
	// Path is the request path exactly as sent (escaped), such as
	// "/solaruser/api/v1/sec/user/oscp/settings".
	Path string
	// Query is the canonical query string (CanonicalQuery of the query and
	// form parameters).
	Query string
	// Headers are the signed headers, sorted by name, names lower case,
	// values trimmed.
	Headers []Header
	// BodySHA256 is the lower-case hex SHA-256 of the body.
	BodySHA256 string
}

// SignedHeaderNames returns the header names joined by ";".
func (r *Request) SignedHeaderNames() string {
	var b strings.Builder
	for i, h := range r.Headers {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(h.Name)
	}
	return b.String()
}

// Canonical returns the canonical request: its six parts joined by "\n".
func (r *Request) Canonical() string { return string(r.appendCanonical(nil)) }

// appendCanonical appends the canonical request to dst.
func (r *Request) appendCanonical(dst []byte) []byte {
	dst = append(dst, r.Method...)
	dst = append(dst, '\n')
	dst = append(dst, r.Path...)
	dst = append(dst, '\n')
	dst = append(dst, r.Query...)
	dst = append(dst, '\n')
	for _, h := range r.Headers {
		dst = append(dst, h.Name...)
		dst = append(dst, ':')
		dst = append(dst, h.Value...)
		dst = append(dst, '\n')
	}
	for i, h := range r.Headers {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, h.Name...)
	}
	dst = append(dst, '\n')
	return append(dst, r.BodySHA256...)
}

// StringToSign returns the string to sign for the request at t: the
// algorithm, t as yyyyMMdd'T'HHmmss'Z' in UTC and the hex SHA-256 of the
// canonical request, joined by "\n".
func (r *Request) StringToSign(t time.Time) string { return string(r.appendStringToSign(nil, t)) }

// appendStringToSign appends the string to sign to dst. The canonical
// request is built in a stack buffer (most requests fit), since only its
// hash is needed.
func (r *Request) appendStringToSign(dst []byte, t time.Time) []byte {
	var buf [1024]byte
	sum := sha256.Sum256(r.appendCanonical(buf[:0]))
	dst = append(dst, Algorithm+"\n"...)
	dst = t.UTC().AppendFormat(dst, "20060102T150405Z")
	dst = append(dst, '\n')
	return hex.AppendEncode(dst, sum[:])
}

// Signature returns the lower-case hex signature of the request at t with
// the given signing key (see SigningKey).
func (r *Request) Signature(key []byte, t time.Time) string {
	var buf [128]byte
	m := hmac.New(sha256.New, key)
	m.Write(r.appendStringToSign(buf[:0], t))
	var sum [sha256.Size]byte
	return hex.EncodeToString(m.Sum(sum[:0]))
}

// Authorization returns the Authorization header value for tokenID and
// signature: "SNWS2 Credential=…,SignedHeaders=…,Signature=…", with no
// spaces after the commas (SolarNetwork splits on them).
func (r *Request) Authorization(tokenID, signature string) string {
	return Scheme + " Credential=" + tokenID + ",SignedHeaders=" + r.SignedHeaderNames() + ",Signature=" + signature
}
