package snws2

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// SecretFunc returns the secret of a token id. It returns an error wrapping
// ErrUnknownToken when the id is not known; any other error is passed on.
type SecretFunc func(ctx context.Context, tokenID string) (secret string, err error)

// ErrUnknownToken is what a SecretFunc returns (wrapped) for an unknown
// token id.
var ErrUnknownToken = errors.New("snws2: unknown token")

// Verifier checks SNWS2-signed requests with the rules of SolarNetwork's
// servers:
//
//   - the Authorization header is "SNWS2 Credential=…,SignedHeaders=…,
//     Signature=…" with at least two signed headers, host and date or
//     x-sn-date among them, and a 64-digit hex signature;
//   - every Content-Type, Content-MD5, Digest and X-SN-* header the request
//     carries is signed;
//   - the request date (X-SN-Date, else Date) is within 15 minutes of the
//     verifier's clock;
//   - a Digest (sha-256, sha or sha-512; Base64 or hex) or Content-MD5
//     header matches the body;
//   - the signature matches with the key of the request's day or of any of
//     the 6 days before it (a signing key is valid for 7 days).
//
// It is safe for concurrent use.
type Verifier struct {
	lookup SecretFunc
	clock  clock.Clock
	opts   options
}

// NewVerifier returns a Verifier that finds secrets with lookup.
func NewVerifier(lookup SecretFunc, opts ...Option) (*Verifier, error) {
	if lookup == nil {
		return nil, energy.Invalid("lookup", "nil")
	}
	o, err := apply(opts)
	if err != nil {
		return nil, err
	}
	return &Verifier{lookup: lookup, clock: o.clock, opts: o}, nil
}

// Credentials is what a valid Authorization header says.
type Credentials struct {
	// TokenID is the Credential.
	TokenID string
	// SignedHeaders are the signed header names, lower case, as given.
	SignedHeaders []string
	// Signature is the hex signature.
	Signature string
}

// ParseAuthorization parses an SNWS2 Authorization header value. It checks
// the form only: at least two signed headers and a 64-digit hex signature.
func ParseAuthorization(v string) (Credentials, error) {
	var c Credentials
	rest, ok := strings.CutPrefix(v, Scheme+" ")
	if !ok {
		return c, &Error{Reason: ReasonMissing}
	}
	var haveHeaders bool
	for part := range strings.SplitSeq(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return c, fail(ReasonMalformed, "part %q has no '='", part)
		}
		switch k {
		case "Credential":
			c.TokenID = val
		case "SignedHeaders":
			haveHeaders = true
			for n := range strings.SplitSeq(val, ";") {
				c.SignedHeaders = append(c.SignedHeaders, strings.ToLower(strings.TrimSpace(n)))
			}
		case "Signature":
			c.Signature = val
		}
	}
	switch {
	case c.TokenID == "":
		return c, fail(ReasonMalformed, "no Credential")
	case !haveHeaders || len(c.SignedHeaders) < 2:
		return c, fail(ReasonMalformed, "fewer than 2 signed headers")
	case len(c.Signature) != 64 || !isHex(c.Signature):
		return c, fail(ReasonMalformed, "signature is not 64 hex digits")
	}
	return c, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// Verify checks r and returns the token id it was signed with. The body is
// read and left readable for the next handler. An error is an *Error
// wrapping energy.ErrUnauthorized, or the lookup's own error.
func (v *Verifier) Verify(r *http.Request) (string, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return "", &Error{Reason: ReasonMissing}
	}
	cred, err := ParseAuthorization(auth)
	if err != nil {
		return "", err
	}
	signed := cred.SignedHeaders
	if !slices.Contains(signed, "host") {
		return cred.TokenID, fail(ReasonUnsignedHeader, "host")
	}
	dateName := "x-sn-date"
	if r.Header.Get("X-SN-Date") == "" {
		dateName = "date"
	}
	if !slices.Contains(signed, dateName) {
		return cred.TokenID, fail(ReasonUnsignedHeader, "%s", dateName)
	}
	for k := range r.Header {
		if n := strings.ToLower(k); mustSign(n) && !slices.Contains(signed, n) {
			return cred.TokenID, fail(ReasonUnsignedHeader, "%s", n)
		}
	}
	t, err := http.ParseTime(r.Header.Get(dateName))
	if err != nil {
		return cred.TokenID, fail(ReasonMalformed, "%s: not an HTTP date", dateName)
	}
	if d := v.clock.Now().Sub(t); d > v.opts.maxSkew || d < -v.opts.maxSkew {
		return cred.TokenID, fail(ReasonDateSkew, "%v", d.Round(time.Second))
	}
	body, err := v.readBody(r)
	if err != nil {
		return cred.TokenID, err
	}
	if err := checkDigests(r.Header, body); err != nil {
		return cred.TokenID, err
	}
	params, err := Params(r, body)
	if err != nil {
		return cred.TokenID, fail(ReasonMalformed, "%v", err)
	}
	secret, err := v.lookup(r.Context(), cred.TokenID)
	if err != nil {
		if errors.Is(err, ErrUnknownToken) {
			return cred.TokenID, fail(ReasonUnknownToken, "%q", cred.TokenID)
		}
		return cred.TokenID, err
	}
	sum := sha256.Sum256(body)
	cr := Request{
		Method:     r.Method,
		Path:       serverPath(r),
		Query:      CanonicalQuery(params),
		BodySHA256: hex.EncodeToString(sum[:]),
	}
	for _, n := range signed {
		val := strings.TrimSpace(r.Header.Get(n))
		if n == "host" {
			val = v.host(r)
		}
		cr.Headers = append(cr.Headers, Header{n, val})
	}
	want, err := hex.DecodeString(cred.Signature)
	if err != nil {
		return cred.TokenID, fail(ReasonMalformed, "signature is not hex")
	}
	sts := []byte(cr.StringToSign(t))
	for back := range KeyValidDays {
		key := SigningKey(secret, t.AddDate(0, 0, -back))
		if hmac.Equal(hmacSHA256(key, sts), want) {
			return cred.TokenID, nil
		}
	}
	return cred.TokenID, &Error{Reason: ReasonBadSignature}
}

// Middleware returns a handler that answers 403 to requests that fail
// verification and passes the others to next.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := v.Verify(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (v *Verifier) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, v.opts.maxBody+1))
	_ = r.Body.Close()
	if err != nil {
		return nil, fail(ReasonMalformed, "reading body: %v", err)
	}
	if int64(len(b)) > v.opts.maxBody {
		return nil, fail(ReasonMalformed, "body larger than %d bytes", v.opts.maxBody)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

// serverPath is the raw path as received, as a servlet's request URI is.
func serverPath(r *http.Request) string {
	if r.RequestURI != "" && r.RequestURI != "*" && strings.HasPrefix(r.RequestURI, "/") {
		p, _, _ := strings.Cut(r.RequestURI, "?")
		return p
	}
	return requestPath(r.URL)
}

// host is the Host header as received, with the forwarded port appended
// when it has none, as SolarNetwork does behind its proxy.
func (v *Verifier) host(r *http.Request) string {
	h := r.Host
	if !v.opts.trustProxy {
		return h
	}
	if _, _, err := net.SplitHostPort(h); err == nil {
		return h
	}
	port := r.Header.Get("X-Forwarded-Port")
	if port == "" && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		port = "443"
	}
	if port != "" && port != "80" {
		return h + ":" + port
	}
	return h
}

// checkDigests verifies the Digest and Content-MD5 headers against body.
func checkDigests(h http.Header, body []byte) error {
	if v := h.Get("Content-MD5"); v != "" {
		sum := md5.Sum(body)
		if !digestEqual(strings.TrimSpace(v), sum[:]) {
			return fail(ReasonDigestMismatch, "Content-MD5")
		}
	}
	v := h.Get("Digest")
	if v == "" {
		return nil
	}
	alg, val, ok := strings.Cut(strings.TrimSpace(v), "=")
	if !ok {
		return fail(ReasonMalformed, "Digest has no '='")
	}
	var hf hash.Hash
	switch strings.ToLower(alg) {
	case "sha-256":
		hf = sha256.New()
	case "sha":
		hf = sha1.New()
	case "sha-512":
		hf = sha512.New()
	default:
		return fail(ReasonMalformed, "Digest algorithm %q", alg)
	}
	hf.Write(body)
	if !digestEqual(val, hf.Sum(nil)) {
		return fail(ReasonDigestMismatch, "Digest")
	}
	return nil
}

// digestEqual compares a Base64 or hex digest value with sum.
func digestEqual(v string, sum []byte) bool {
	if b, err := base64.StdEncoding.DecodeString(v); err == nil && len(b) == len(sum) {
		return hmac.Equal(b, sum)
	}
	if b, err := hex.DecodeString(v); err == nil {
		return hmac.Equal(b, sum)
	}
	return false
}
