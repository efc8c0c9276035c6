package amber

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// Client talks to the Amber public API. It is safe for concurrent use; make
// one per account and share it, since the quota and the limiter are per
// account.
type Client struct {
	// token is behind a pointer: fmt does not call the Secret's redacting
	// methods on an unexported field, but prints a nested pointer as an
	// address, so %v of a Client cannot show the token.
	token   rest.Secret
	rest    *rest.Client // authenticated, paced, rate-limit aware
	public  *rest.Client // the token-free renewables endpoint
	clock   clock.Clock
	log     *slog.Logger
	limiter *limiter // nil when turned off

	mu     sync.Mutex
	rl     RateLimitState
	haveRL bool
}

// New returns a Client that authenticates with token, an API key from
// app.amber.com.au/developers ("psk_…"). It does no I/O and starts nothing.
// The token is held as a secret: it never appears in logs, errors or %v
// output, even when a server echoes it back. An empty token, or one with
// spaces or line breaks, and a bad option are a *energy.FieldError naming
// it ("token", or the option such as "WithBaseURL").
func New(token string, opts ...Option) (*Client, error) {
	if token == "" {
		return nil, energy.Invalid("token", "is empty (get an API key at app.amber.com.au/developers)")
	}
	if strings.ContainsAny(token, " \t\r\n") {
		return nil, energy.Invalid("token", "contains white space")
	}
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	secret := rest.NewSecret(token)
	c := &Client{token: secret, clock: o.rest.Clock, log: o.rest.Logger}
	if o.limit > 0 {
		c.limiter = newLimiter(o.rest.Clock, o.limit, o.window, o.explicitRate, o.noWait)
	}
	base := o.rest.Config("amber")
	base.NoWaitOnRateLimit = o.noWait
	// Amber's window is 300 s and a reset is waited for with a margin;
	// the context bounds the wait further.
	base.MaxWait = maxRateWait
	c.public = rest.New(base)

	authed := base
	authed.Secrets = []rest.Secret{secret}
	authed.Sign = func(r *http.Request) error {
		// Set per attempt from the Secret, so the token lives nowhere else.
		r.Header.Set("Authorization", "Bearer "+c.token.Reveal())
		return nil
	}
	authed.OnResponse = c.onResponse
	authed.RetryAfter = c.retryAfter
	if c.limiter != nil {
		authed.Limiter = c.limiter
	}
	c.rest = rest.New(authed)
	return c, nil
}

// get sends an authenticated GET and decodes the answer into out.
func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	return c.do(ctx, c.rest, path, q, out)
}

// do sends a GET through rc and converts its errors to this package's.
// Every endpoint answers a JSON array, so a literal null is a *DecodeError
// rather than an empty list: Amber never sends one for "nothing".
func (c *Client) do(ctx context.Context, rc *rest.Client, path string, q url.Values, out any) error {
	resp, err := rc.Do(ctx, &rest.Request{Path: path, Query: q, Result: out})
	if err != nil {
		return c.convertError(err)
	}
	if isNull(resp.Body) {
		return &DecodeError{Method: http.MethodGet, Endpoint: path, Body: "null", Err: errNullList}
	}
	return nil
}

// errNullList is the decode error of a null where a list is due.
var errNullList = errors.New("null instead of a list")

// isNull reports whether b is the JSON literal null.
func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }
