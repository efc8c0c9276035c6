package oscp

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
)

// maxErrorBody bounds the error body kept whole for a call. SolarNetwork's
// error envelopes are a few KiB at most; a longer body is not one, and its
// 512-byte excerpt (from internal/rest) is all an error needs.
const maxErrorBody = 64 << 10

// exchange is what captureTransport records for one call: internal/rest
// keeps only a 512-byte excerpt of an error body, which can cut a
// validation envelope's field errors short, so the transport keeps the
// whole body (bounded) and the credentials sent, to redact them from it.
type exchange struct {
	// body is the last attempt's body when its status was 400 or more and
	// it fitted maxErrorBody, else nil.
	body []byte
	// secrets are what must never be repeated from a body: each attempt's
	// Authorization header and its signature, and the secrets of the
	// request body (an OAuth client secret), in case a server or a proxy
	// echoes the request.
	secrets []string
}

type exchangeKey struct{}

// withExchange returns ctx carrying a fresh exchange for one call whose
// body holds the given secrets.
func withExchange(ctx context.Context, bodySecrets []string) (context.Context, *exchange) {
	x := &exchange{secrets: bodySecrets}
	return context.WithValue(ctx, exchangeKey{}, x), x
}

// redact returns b with every secret of the call replaced by "[redacted]".
// Secrets are tokens, hex signatures and the like, without JSON's special
// characters, so a redacted envelope still decodes.
func (x *exchange) redact(b []byte) []byte {
	for _, s := range x.secrets {
		if s != "" {
			b = bytes.ReplaceAll(b, []byte(s), []byte("[redacted]"))
		}
	}
	return b
}

// captureTransport fills the exchange of the call whose context carries
// one. It sits below internal/rest's signing hook, so it sees each
// attempt's signed headers.
type captureTransport struct{ base http.RoundTripper }

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	x, ok := req.Context().Value(exchangeKey{}).(*exchange)
	if ok {
		x.body = nil
		if auth := req.Header.Get("Authorization"); auth != "" {
			x.secrets = append(x.secrets, auth)
			if _, sig, found := strings.Cut(auth, "Signature="); found {
				x.secrets = append(x.secrets, sig)
			}
		}
	}
	resp, err := base.RoundTrip(req)
	if err != nil || !ok || resp.StatusCode < 400 {
		return resp, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody+1))
	if err != nil {
		_ = resp.Body.Close()
		return nil, err
	}
	if len(b) <= maxErrorBody {
		x.body = b
	}
	// internal/rest reads the answer as sent, whatever its length, and
	// applies its own size limit.
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	return resp, nil
}

// readCloser reads from one reader and closes another.
type readCloser struct {
	io.Reader
	io.Closer
}
