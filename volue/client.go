package volue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// Client talks to the Energy Coordination API as one partner (one OAuth2
// client). It is safe for concurrent use; make one per set of credentials
// and share it, so that all calls share one cached token.
type Client struct {
	rest   *rest.Client
	tokens *tokens
	clock  clock.Clock
	log    *slog.Logger
}

// New returns a Client that authenticates with the OAuth2 client
// credentials clientID and clientSecret, from the Spark portal. It does no
// I/O: the first call fetches a token. The secret and the tokens never
// appear in logs, errors or %v output. An empty credential or an invalid
// option is a *energy.FieldError naming it.
func New(clientID, clientSecret string, opts ...Option) (*Client, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	switch {
	case strings.TrimSpace(clientID) == "":
		return nil, energy.Invalid("clientID", "empty")
	case clientSecret == "":
		return nil, energy.Invalid("clientSecret", "empty")
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	cfg := o.rest.Config("volue")
	cfg.BackoffBase = o.backoff
	c := &Client{clock: o.rest.Clock, log: o.rest.Logger}
	// The token request carries the client secret; it may be redirected
	// within the token URL's origin only, as API calls within the base
	// URL's.
	hc, err := rest.OriginBound(cfg.HTTPClient, "volue", http.MethodPost, o.tokenURL)
	if err != nil {
		return nil, energy.Invalid("WithTokenURL", "%v", err)
	}
	c.tokens = newTokens(strings.TrimSpace(clientID), rest.NewSecret(clientSecret), o.tokenURL, hc, c.clock, c.log)
	cfg.Sign = func(r *http.Request) error {
		// Per attempt, from the cache, so a retry after a long back-off
		// carries a token that is still valid.
		tok, err := c.tokens.token(r.Context())
		if err != nil {
			return err
		}
		r.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
	c.rest = rest.New(cfg)
	return c, nil
}

// call sends one request and decodes a 2xx answer into out (when not nil).
// A token is fetched first, so that refused credentials come back as an
// *AuthError without touching the API. A 401 from the API means the token
// was revoked or expired early: it is dropped, a new one fetched, and the
// request sent once more (whatever its method, since the API did not act on
// it).
func (c *Client) call(ctx context.Context, method, path string, q url.Values, body, out any) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("volue: %s %s: %w", method, path, err)
	}
	used, err := c.tokens.token(ctx)
	if err != nil && !(method == http.MethodGet && errors.Is(err, energy.ErrUnavailable) && ctx.Err() == nil) {
		return c.authErr(method, path, err)
	}
	// A token endpoint that failed rather than refused gives a read the
	// same retries as a failing API would: the token is fetched again per
	// attempt (cfg.Sign), and the last failure comes back as the
	// *AuthError it was.
	req := &rest.Request{Method: method, Path: path, Query: q, Body: body, Result: out,
		// Only reads are repeated after a failure; a DELETE is a write here,
		// whatever HTTP says about its idempotence.
		NoRetry: method == http.MethodDelete}
	_, err = c.rest.Do(ctx, req)
	var he *rest.HTTPError
	if errors.As(err, &he) && he.StatusCode == http.StatusUnauthorized {
		c.log.LogAttrs(ctx, slog.LevelDebug, "token refused by the API; renewing once", slog.String("vendor", "volue"), slog.String("endpoint", path))
		c.tokens.invalidate(used)
		if _, err := c.tokens.token(ctx); err != nil {
			return c.authErr(method, path, err)
		}
		_, err = c.rest.Do(ctx, req)
	}
	return convertError(err)
}

func (c *Client) authErr(method, path string, err error) error {
	var ae *AuthError
	if errors.As(err, &ae) {
		return err
	}
	var re *rest.RedirectError
	if errors.As(err, &re) {
		return convertError(re)
	}
	return fmt.Errorf("volue: %s %s: %w", method, path, err)
}

// TokensFetched returns how many access tokens the client has fetched so
// far, for monitoring.
func (c *Client) TokensFetched() int {
	c.tokens.sem <- struct{}{}
	defer func() { <-c.tokens.sem }()
	return c.tokens.fetched
}

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }
