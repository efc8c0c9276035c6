package volue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/internal/rest"
)

// tokens fetches access tokens with the client-credentials grant and caches
// one until shortly before it expires. Expiry is reckoned on the client's
// clock from the endpoint's expires_in, so tests can move time on.
type tokens struct {
	clientID string
	secret   rest.Secret
	tokenURL string
	hc       *http.Client
	clock    clock.Clock
	log      *slog.Logger

	// sem is a one-slot lock that waiting callers can give up on when their
	// context ends; only one token request is in flight at a time.
	sem     chan struct{}
	access  rest.Secret
	expires time.Time // zero: no expiry given; valid until a 401
	renewAt time.Time
	fetched int
}

func newTokens(clientID string, secret rest.Secret, tokenURL string, hc *http.Client, c clock.Clock, log *slog.Logger) *tokens {
	return &tokens{clientID: clientID, secret: secret, tokenURL: tokenURL, hc: hc, clock: c, log: log, sem: make(chan struct{}, 1)}
}

// token returns a valid access token, fetching one when none is cached or
// the cached one is due for renewal.
func (t *tokens) token(ctx context.Context) (string, error) {
	select {
	case t.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-t.sem }()
	now := t.clock.Now()
	if !t.access.IsZero() && (t.renewAt.IsZero() || now.Before(t.renewAt)) {
		return t.access.Reveal(), nil
	}
	return t.fetch(ctx, now)
}

// invalidate drops the cached token if it is still used, the one the API
// just refused with a 401, so that the next call fetches a new one; a token
// another caller has already renewed is kept. used "" (the call did not
// know its token in advance) drops whatever is cached.
func (t *tokens) invalidate(used string) {
	t.sem <- struct{}{}
	defer func() { <-t.sem }()
	if used == "" || t.access.Reveal() == used {
		t.access = rest.Secret{}
	}
}

// fetch asks the token endpoint for a new token; the caller holds sem.
func (t *tokens) fetch(ctx context.Context, now time.Time) (string, error) {
	cc := clientcredentials.Config{
		ClientID:     t.clientID,
		ClientSecret: t.secret.Reveal(),
		TokenURL:     t.tokenURL,
		// The documented request sends the credentials in the form; say so,
		// rather than let the library try Basic first and then the form.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	start := time.Now()
	tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, t.hc))
	var re *rest.RedirectError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return "", fmt.Errorf("volue: token request: %w", ctx.Err())
	case errors.As(err, &re):
		// Not an authentication failure, and not worth a retry: the
		// same redirect would come back. rest.Do returns it as it is when
		// a retry's token fetch meets it; call converts it.
		return "", re
	default:
		return "", authError(err, t.secret.Reveal())
	}
	if tok.AccessToken == "" {
		return "", &AuthError{Err: errors.New("the token endpoint answered without an access_token")}
	}
	life := lifetime(tok, start)
	t.access = rest.NewSecret(tok.AccessToken)
	t.expires, t.renewAt = time.Time{}, time.Time{}
	if life > 0 {
		t.expires = now.Add(life)
		t.renewAt = t.expires.Add(-min(DefaultRefreshMargin, life/4))
	}
	t.fetched++
	t.log.LogAttrs(ctx, slog.LevelDebug, "token renewed", slog.String("vendor", "volue"), slog.Duration("lifetime", life))
	return tok.AccessToken, nil
}

// lifetime reads expires_in from the answer, falling back on the expiry the
// oauth2 package computed on the system clock when the field is not a plain
// number.
func lifetime(tok *oauth2.Token, start time.Time) time.Duration {
	switch v := tok.Extra("expires_in").(type) {
	case float64:
		return time.Duration(v * float64(time.Second))
	case string:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.Duration(n) * time.Second
		}
	}
	if tok.Expiry.IsZero() {
		return 0
	}
	return max(tok.Expiry.Sub(start), time.Second)
}

// authError converts the oauth2 package's errors. RetrieveError's own
// message quotes the answer body, so only the parsed fields are kept, and
// the secret is cut out of the description should an endpoint quote the
// request back.
func authError(err error, secret string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		ae := &AuthError{Code: re.ErrorCode, Description: strings.ReplaceAll(re.ErrorDescription, secret, "[redacted]")}
		if re.Response != nil {
			ae.StatusCode = re.Response.StatusCode
		}
		return ae
	}
	return &AuthError{Err: err}
}
