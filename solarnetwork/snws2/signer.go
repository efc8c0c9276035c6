package snws2

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// Signer signs requests with one SolarNetwork token. It is safe for
// concurrent use. Its token secret never appears in %v output, logs or
// errors.
type Signer struct {
	tokenID string
	secret  *string // behind a pointer so that %v of a Signer prints an address
	clock   clock.Clock
	opts    options
	// fixed, when set, is a key derived elsewhere (NewKeySigner); behind a
	// pointer so that %v of a Signer value prints no key.
	fixed *fixedKey
	keys  *keyCache // behind a pointer: %v of a Signer value must not print the key
}

// NewSigner returns a Signer for the token id and secret of a SolarNetwork
// security token. It does no I/O.
func NewSigner(tokenID, secret string, opts ...Option) (*Signer, error) {
	switch {
	case tokenID == "":
		return nil, energy.Invalid("tokenID", "empty")
	case strings.ContainsAny(tokenID, ", \t\r\n"):
		return nil, energy.Invalid("tokenID", "contains a comma, space or line break")
	case secret == "":
		return nil, energy.Invalid("secret", "empty")
	}
	o, err := apply(opts)
	if err != nil {
		return nil, err
	}
	return &Signer{tokenID: tokenID, secret: &secret, clock: o.clock, opts: o, keys: new(keyCache)}, nil
}

// NewKeySigner returns a Signer that signs with a signing key derived
// elsewhere (SigningKey) on the UTC day of derivedOn, instead of the token
// secret: a process that should not hold the secret can sign with it.
// SolarNetwork accepts such a key for KeyValidDays days from that day; a
// request dated later fails to sign with an *Error.
func NewKeySigner(tokenID string, key []byte, derivedOn time.Time, opts ...Option) (*Signer, error) {
	if len(key) != 32 {
		return nil, energy.Invalid("key", "%d bytes, want 32", len(key))
	}
	s, err := NewSigner(tokenID, "unused", opts...)
	if err != nil {
		return nil, err
	}
	s.secret = new(string)
	day := dayOf(derivedOn)
	s.fixed = &fixedKey{key: append([]byte(nil), key...), day: day, expires: day.AddDate(0, 0, KeyValidDays)}
	return s, nil
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// TokenID returns the token id requests are signed for.
func (s *Signer) TokenID() string { return s.tokenID }

// String describes the signer without its secret.
func (s *Signer) String() string { return fmt.Sprintf("snws2.Signer{TokenID: %q}", s.tokenID) }

// Sign signs req at the Signer's clock's time. It sets the date header,
// Digest when the body is not empty, and Authorization, and leaves the body
// readable. Call it on every attempt, just before sending: the signature
// covers the date.
func (s *Signer) Sign(req *http.Request) error { return s.SignAt(req, s.clock.Now()) }

// SignAt signs req as if sent at t (see Sign).
func (s *Signer) SignAt(req *http.Request, t time.Time) error {
	body, err := readBody(req)
	if err != nil {
		return fail(ReasonBadRequest, "reading body: %v", err)
	}
	sum := sha256.Sum256(body)
	if len(body) > 0 {
		req.Header.Set("Digest", "sha-256="+base64.StdEncoding.EncodeToString(sum[:]))
	} else {
		req.Header.Del("Digest")
	}
	date := t.UTC().Format(http.TimeFormat)
	dateName := "x-sn-date"
	if s.opts.useDate {
		dateName = "date"
		req.Header.Set("Date", date)
		req.Header.Del("X-SN-Date")
	} else {
		req.Header.Set("X-SN-Date", date)
	}
	params, err := Params(req, body)
	if err != nil {
		return err
	}
	host, err := s.host(req)
	if err != nil {
		return fail(ReasonBadRequest, "host: %v", err)
	}
	cr := Request{
		Method:     strings.ToUpper(req.Method),
		Path:       requestPath(req.URL),
		Query:      CanonicalQuery(params),
		Headers:    s.headers(req.Header, host, dateName, date),
		BodySHA256: hex.EncodeToString(sum[:]),
	}
	if cr.Method == "" {
		cr.Method = http.MethodGet
	}
	key, err := s.key(t)
	if err != nil {
		return err
	}
	sig := cr.Signature(key, t)
	req.Header.Set("Authorization", cr.Authorization(s.tokenID, sig))
	return nil
}

// key returns the signing key for a request at t.
func (s *Signer) key(t time.Time) ([]byte, error) {
	f := s.fixed
	if f == nil {
		return s.keys.get(*s.secret, t), nil
	}
	if !dayOf(t).Before(f.expires) {
		return nil, fail(ReasonBadRequest, "the signing key derived for %s expired at %s",
			f.day.Format(time.DateOnly), f.expires.Format(time.RFC3339))
	}
	return f.key, nil
}

// fixedKey is a signing key derived on day, valid until expires.
type fixedKey struct {
	key          []byte
	day, expires time.Time
}

// host returns the host to sign, and drops a default port from the Host
// the request will send: browsers and SolarNetwork's own clients send
// "example.com" for "https://example.com:443", and SolarNetwork verifies
// the Host it receives.
func (s *Signer) host(req *http.Request) (string, error) {
	h, err := requestHost(req)
	if err != nil {
		return "", err
	}
	scheme := ""
	if req.URL != nil {
		scheme = strings.ToLower(req.URL.Scheme)
	}
	tls := scheme == "https" || scheme == "wss"
	if name, port, err := net.SplitHostPort(h); err == nil {
		if (tls && port == "443") || (!tls && port == "80") {
			h = name
			if strings.Contains(name, ":") {
				h = "[" + name + "]"
			}
			req.Host = h
		}
	}
	if s.opts.forcePort && tls {
		if _, _, err := net.SplitHostPort(h); err != nil {
			return h + ":443", nil
		}
	}
	return h, nil
}

// headers returns the signed headers, sorted: host, the date header, the
// ones SolarNetwork requires to be signed when present, and the extra ones.
func (s *Signer) headers(h http.Header, host, dateName, date string) []Header {
	out := make([]Header, 0, 4+len(s.opts.extra))
	out = append(out, Header{"host", host}, Header{dateName, date})
	for k, vs := range h {
		n := strings.ToLower(k)
		if n == dateName || n == "host" || n == "authorization" {
			continue
		}
		if mustSign(n) || slices.Contains(s.opts.extra, n) {
			v := ""
			if len(vs) > 0 {
				v = strings.TrimSpace(vs[0])
			}
			out = append(out, Header{n, v})
		}
	}
	slices.SortFunc(out, func(a, b Header) int { return strings.Compare(a.Name, b.Name) })
	return slices.CompactFunc(out, func(a, b Header) bool { return a.Name == b.Name })
}

// mustSign reports whether SolarNetwork refuses a request that carries
// header n (lower case) without signing it.
func mustSign(n string) bool {
	return n == "content-type" || n == "content-md5" || n == "digest" || strings.HasPrefix(n, "x-sn-")
}

// Params returns the parameters SNWS2 signs: the query's, then, for an
// application/x-www-form-urlencoded body, the form's (as a servlet's
// parameter map holds them). body is the request body already read.
func Params(req *http.Request, body []byte) (url.Values, error) {
	params, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		return nil, fail(ReasonBadRequest, "query: %v", err)
	}
	if len(body) > 0 && isForm(req.Header.Get("Content-Type")) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fail(ReasonBadRequest, "form body: %v", err)
		}
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	return params, nil
}

func isForm(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// requestPath is the path net/http sends (escaped).
func requestPath(u *url.URL) string {
	if u.Opaque != "" {
		p, _, _ := strings.Cut(u.Opaque, "?")
		return p
	}
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	return p
}

// requestHost is the Host net/http sends: req.Host, else URL.Host. A
// non-ASCII host is refused: net/http would send its punycode form, which
// this package does not compute; pass the punycode host instead.
func requestHost(req *http.Request) (string, error) {
	h := req.Host
	if h == "" && req.URL != nil {
		h = req.URL.Host
	}
	if h == "" {
		return "", fmt.Errorf("no host")
	}
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			return "", fmt.Errorf("non-ASCII host %q: use its punycode form", h)
		}
	}
	return removeZone(h), nil
}

// removeZone drops an IPv6 zone ("[fe80::1%en0]:8080" → "[fe80::1]:8080"),
// as net/http does before sending the Host header.
func removeZone(host string) string {
	if !strings.HasPrefix(host, "[") {
		return host
	}
	i := strings.LastIndex(host, "]")
	if i < 0 {
		return host
	}
	j := strings.LastIndex(host[:i], "%")
	if j < 0 {
		return host
	}
	return host[:j] + host[i:]
}

// readBody returns the body's bytes and leaves req's body readable from
// the start. It prefers GetBody, which leaves req.Body untouched.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err == nil {
			defer rc.Close()
			return io.ReadAll(rc)
		}
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return b, nil
}
