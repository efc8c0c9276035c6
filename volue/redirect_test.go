package volue_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/volue"
)

// TestRedirectToAnotherOriginRefused: a redirect from the API to another
// origin is refused before anything is sent there, as a *volue.RedirectError
// (not an internal type) naming both origins.
func TestRedirectToAnotherOriginRefused(t *testing.T) {
	other, elsewhere := elsewhereServer(t)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			writeToken(w)
			return
		}
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer api.Close()
	c, err := volue.New("id", "secret", volue.WithBaseURL(api.URL), volue.WithTokenURL(api.URL+"/token"))
	require.NoError(t, err)
	_, err = c.ListUsers(context.Background())
	requireRefused(t, err, api.URL, other.URL)
	assert.Zero(t, elsewhere.Load(), "a request reached the other origin")
}

// TestTokenRedirectToAnotherOriginRefused: the token request carries the
// client secret in its form, and a 307 would have net/http post that form
// on; a redirect to another origin is refused before anything is sent
// there, as a *volue.RedirectError, and is not retried.
func TestTokenRedirectToAnotherOriginRefused(t *testing.T) {
	other, elsewhere := elsewhereServer(t)
	var tokenRequests atomic.Int32
	auth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokenRequests.Add(1)
		http.Redirect(w, r, other.URL+"/token", http.StatusTemporaryRedirect)
	}))
	defer auth.Close()
	c, err := volue.New("id", "s3cr3t-value", volue.WithBaseURL(other.URL), volue.WithTokenURL(auth.URL+"/token"))
	require.NoError(t, err)
	_, err = c.ListUsers(context.Background())
	re := requireRefused(t, err, auth.URL, other.URL)
	assert.Equal(t, "/token", re.Endpoint)
	assert.NotContains(t, err.Error(), "s3cr3t-value")
	assert.Zero(t, elsewhere.Load(), "the token request, with the client secret, reached the other origin")
	assert.Equal(t, int32(1), tokenRequests.Load(), "a refused redirect is not retried")
}

// TestTokenRedirectWithinOriginFollowed: a token endpoint that moved within
// its own origin still works.
func TestTokenRedirectWithinOriginFollowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old-token":
			http.Redirect(w, r, "/token", http.StatusTemporaryRedirect)
		case "/token":
			writeToken(w)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"users":[]}`))
		}
	}))
	defer srv.Close()
	c, err := volue.New("id", "secret", volue.WithBaseURL(srv.URL), volue.WithTokenURL(srv.URL+"/old-token"))
	require.NoError(t, err)
	_, err = c.ListUsers(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, c.TokensFetched())
}

// TestTokenRedirectMetOnARetry: a read whose first token request failed
// goes on to the API, fetching a token per attempt; a refused redirect met
// there is the same *volue.RedirectError, not a transport failure to retry.
func TestTokenRedirectMetOnARetry(t *testing.T) {
	other, elsewhere := elsewhereServer(t)
	var tokenRequests atomic.Int32
	auth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tokenRequests.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		http.Redirect(w, r, other.URL+"/token", http.StatusTemporaryRedirect)
	}))
	defer auth.Close()
	c, err := volue.New("id", "s3cr3t-value", volue.WithBaseURL(other.URL), volue.WithTokenURL(auth.URL+"/token"),
		volue.WithRetryBackoff(time.Millisecond))
	require.NoError(t, err)
	_, err = c.ListUsers(context.Background())
	var re *volue.RedirectError
	require.ErrorAs(t, err, &re)
	assert.NotErrorIs(t, err, energy.ErrUnavailable, "a refused redirect is not a failure to retry")
	assert.Equal(t, int32(2), tokenRequests.Load(), "the refusal ends the call")
	assert.Zero(t, elsewhere.Load())
}

// requireRefused requires err to be the refusal of a redirect from one
// origin to another, and returns it.
func requireRefused(t *testing.T, err error, from, to string) *volue.RedirectError {
	t.Helper()
	var re *volue.RedirectError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, from, re.From)
	assert.Equal(t, to, re.To)
	return re
}

// elsewhereServer is another origin that a redirect points at, and the
// count of requests that reached it, which must stay 0.
func elsewhereServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	return srv, &n
}

// writeToken answers a token request with a valid token.
func writeToken(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"access_token":"tok","expires_in":3600,"token_type":"Bearer"}`))
}
