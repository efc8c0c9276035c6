package amber

import (
	"context"
	"fmt"
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
// app.amber.com.au/developers ("psk_…"). It does no I/O. The token is held
// as a secret: it never appears in logs, errors or %v output. An empty token
// is allowed for CurrentRenewables, the one public endpoint; the other calls
// then fail with energy.ErrUnauthorized without a request.
func New(token string, opts ...Option) *Client {
	o := options{baseURL: DefaultBaseURL, limit: DefaultRateLimit, window: DefaultRateWindow, retries: rest.DefaultRetries}
	for _, opt := range opts {
		opt(&o)
	}
	if o.clock == nil {
		o.clock = clock.System()
	}
	if o.window <= 0 {
		o.window = DefaultRateWindow
	}
	secret := rest.NewSecret(token)
	c := &Client{token: secret, clock: o.clock, log: o.logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if o.limit > 0 {
		c.limiter = newLimiter(o.clock, o.limit, o.window, o.explicitRate, o.noWait)
	}
	base := rest.Config{
		Vendor:            "amber",
		BaseURL:           strings.TrimRight(o.baseURL, "/"),
		HTTPClient:        o.httpClient,
		Logger:            o.logger,
		Clock:             o.clock,
		Retries:           o.retries,
		NoWaitOnRateLimit: o.noWait,
		// Amber's window is 300 s and a reset is waited for with a margin;
		// the context bounds the wait further.
		MaxWait: DefaultRateWindow + 30*resetMargin,
	}
	public := base
	c.public = rest.New(public)

	authed := base
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
	return c
}

// get sends an authenticated GET and decodes the answer into out.
func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	if c.token.IsZero() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("amber: GET %s: %w", path, err)
		}
		return fmt.Errorf("amber: GET %s: no API token: %w", path, energy.ErrUnauthorized)
	}
	return c.do(ctx, c.rest, path, q, out)
}

// do sends a GET through rc and converts its HTTP errors to this package's.
func (c *Client) do(ctx context.Context, rc *rest.Client, path string, q url.Values, out any) error {
	_, err := rc.Do(ctx, &rest.Request{Path: path, Query: q, Result: out})
	if err != nil {
		return c.convertError(err)
	}
	return nil
}
