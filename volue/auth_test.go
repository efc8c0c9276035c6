package volue_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/volue"
	"github.com/gridwire/gridwire/volue/voluetest"
)

func TestTokenRequestIsTheDocumentedForm(t *testing.T) {
	c, mt, _ := newMock(t)
	var form string
	mt.RegisterResponder(http.MethodPost, tokenURL, func(r *http.Request) (*http.Response, error) {
		require.NoError(t, r.ParseForm())
		assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
		assert.Empty(t, r.Header.Get("Authorization"), "credentials go in the form, not Basic")
		form = r.PostForm.Encode()
		return respond(t, 200, "token.json")(r)
	})
	cp := &capture{}
	mt.RegisterResponder(http.MethodGet, base+"/users", cp.responder(t, 200, "users.json"))
	_, err := c.ListUsers(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "client_id=partner-client&client_secret=s3cr3t-client-value-do-not-leak&grant_type=client_credentials", form)
	assert.Equal(t, "Bearer "+accessToken, cp.auth)
}

func TestTokenCachedUntilShortlyBeforeExpiry(t *testing.T) {
	c, mt, fc := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/users", respond(t, 200, "users.json"))
	for range 3 {
		_, err := c.ListUsers(t.Context())
		require.NoError(t, err)
	}
	assert.Equal(t, 1, c.TokensFetched())
	// expires_in is 3600 s: renewed a minute before, not earlier.
	fc.Advance(58 * time.Minute)
	_, err := c.ListUsers(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, c.TokensFetched())
	fc.Advance(90 * time.Second)
	_, err = c.ListUsers(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 2, c.TokensFetched())
	assert.Equal(t, 2, mt.GetCallCountInfo()["POST "+tokenURL])
}

func TestShortLivedTokensRenewedOnTheFakesClock(t *testing.T) {
	fc := clock.NewFake(t0)
	srv := voluetest.NewServer(voluetest.WithClock(fc), voluetest.WithTokenLifetime(20*time.Second))
	defer srv.Close()
	c := srv.Client(volue.WithClock(fc))
	for range 5 {
		_, err := c.ListUsers(t.Context())
		require.NoError(t, err)
		fc.Advance(6 * time.Second)
	}
	// A 20 s token is renewed once less than 5 s (a quarter) is left:
	// fetched at 0 s and again at 18 s, never after a 401.
	assert.Equal(t, 2, srv.Tokens())
	assert.Equal(t, srv.Tokens(), c.TokensFetched())
}

func TestUnauthorizedRenewsOnceAndRetriesOnce(t *testing.T) {
	srv := voluetest.NewServer()
	defer srv.Close()
	c := srv.Client()
	_, err := c.CreateUser(t.Context())
	require.NoError(t, err)
	srv.RevokeTokens()
	before := srv.Requests()
	u, err := c.CreateUser(t.Context()) // a write: retried after a 401 too, the API did not act
	require.NoError(t, err)
	assert.NotEmpty(t, u.ID)
	assert.Equal(t, 2, srv.Tokens())
	assert.Equal(t, 3, srv.Requests()-before, "401, token, retry")
}

func TestUnauthorizedTwiceIsReturned(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/users", httpmock.NewStringResponder(401, ""))
	_, err := c.ListUsers(t.Context())
	require.ErrorIs(t, err, energy.ErrUnauthorized)
	var ae *volue.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 401, ae.StatusCode)
	assert.Equal(t, 2, mt.GetCallCountInfo()["GET "+base+"/users"], "one retry, no more")
	assert.Equal(t, 2, c.TokensFetched())
}

func TestRefusedCredentials(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodPost, tokenURL, respond(t, 400, "token_invalid_client.json"))
	_, err := c.ListUsers(t.Context())
	require.ErrorIs(t, err, energy.ErrUnauthorized)
	require.NotErrorIs(t, err, energy.ErrUnavailable)
	var ae *volue.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_client", ae.Code)
	assert.Equal(t, 400, ae.StatusCode)
	assert.Contains(t, err.Error(), "invalid_client")
	assert.NotContains(t, err.Error(), clientSecret)
	assert.Zero(t, mt.GetCallCountInfo()["GET "+base+"/users"], "the API is not called without a token")
}

func TestRefusedCredentialsFromTheFake(t *testing.T) {
	srv := voluetest.NewServer()
	defer srv.Close()
	c, err := volue.New(srv.ClientID, "wrong", volue.WithBaseURL(srv.URL), volue.WithTokenURL(srv.TokenURL))
	require.NoError(t, err)
	_, err = c.ListUsers(t.Context())
	var ae *volue.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_client", ae.Code)
	require.ErrorIs(t, err, energy.ErrUnauthorized)
}

func TestTokenEndpointDown(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodPost, tokenURL, httpmock.NewStringResponder(503, "<html>down</html>"))
	_, err := c.ListUsers(t.Context())
	require.ErrorIs(t, err, energy.ErrUnavailable)
	require.NotErrorIs(t, err, energy.ErrUnauthorized)
	assert.True(t, isErr[*volue.AuthError](err))
}

func TestTokenEndpointRateLimited(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodPost, tokenURL, httpmock.NewStringResponder(429, ""))
	_, err := c.ListUsers(t.Context())
	require.ErrorIs(t, err, energy.ErrRateLimited)
	require.NotErrorIs(t, err, energy.ErrUnauthorized)
}

func TestTokenRequestCancelled(t *testing.T) {
	c, _, _ := newMock(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.ListUsers(ctx)
	require.ErrorIs(t, err, context.Canceled)
}

func TestNewValidates(t *testing.T) {
	for _, tc := range []struct {
		id, secret string
		opts       []volue.Option
		field      string
	}{
		{"", "s", nil, "clientID"},
		{"id", "", nil, "clientSecret"},
		{"id", "s", []volue.Option{volue.WithBaseURL("ftp://x")}, "WithBaseURL"},
		{"id", "s", []volue.Option{volue.WithTokenURL("/connect/token")}, "WithTokenURL"},
		{"id", "s", []volue.Option{volue.WithLogger(nil)}, "WithLogger"},
		{"id", "s", []volue.Option{volue.WithClock(nil)}, "WithClock"},
		{"id", "s", []volue.Option{volue.WithRetries(-1)}, "WithRetries"},
		{"id", "s", []volue.Option{volue.WithTimeout(-time.Second)}, "WithTimeout"},
		{"id", "s", []volue.Option{volue.WithRetryBackoff(-time.Second)}, "WithRetryBackoff"},
	} {
		_, err := volue.New(tc.id, tc.secret, tc.opts...)
		wantField(t, err, tc.field)
	}
	c, err := volue.New("id", "s", volue.WithBaseURL(volue.SandboxBaseURL), volue.WithUserAgent("demo/1"))
	require.NoError(t, err)
	require.NotNil(t, c)
}

func TestConcurrentCallsShareOneTokenRequest(t *testing.T) {
	srv := voluetest.NewServer()
	defer srv.Close()
	c := srv.Client()
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := c.ListUsers(t.Context())
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
	assert.Equal(t, 1, srv.Tokens())
}

func TestRetryAfterALongBackoffCarriesARenewedToken(t *testing.T) {
	fc := clock.NewFake(t0)
	srv := voluetest.NewServer(voluetest.WithClock(fc), voluetest.WithTokenLifetime(4*time.Second))
	defer srv.Close()
	// One retry after 4 to 8 s (half the capped 8 s step, plus jitter).
	c := srv.Client(volue.WithClock(fc), volue.WithRetries(1), volue.WithRetryBackoff(8*time.Second))
	srv.FailNext(1, voluetest.Fault{Endpoint: "GET /users", Status: 503})
	_, err := c.ListUsers(t.Context())
	require.NoError(t, err)
	// The back-off outlasts the 4 s token: the retry is signed with a new
	// one, not sent to fail with 401.
	assert.Equal(t, 2, srv.Tokens())
	assert.Equal(t, 4, srv.Requests(), "token, 503, token, 200")
}

// expires_in as a string is read too; without it a token is kept until the
// API refuses it.
func TestTokenLifetimeForms(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		after      time.Duration
		want       int
	}{
		{"string expires_in, renewed a quarter before", `{"access_token":"a","token_type":"Bearer","expires_in":"120"}`, 91 * time.Second, 2},
		{"string expires_in, still valid", `{"access_token":"a","token_type":"Bearer","expires_in":"120"}`, 89 * time.Second, 1},
		{"no expires_in", `{"access_token":"a","token_type":"Bearer"}`, 10 * time.Hour, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, fc := newMock(t)
			mt.RegisterResponder(http.MethodPost, tokenURL, httpmock.NewStringResponder(200, tc.body).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
			mt.RegisterResponder(http.MethodGet, base+"/users", respond(t, 200, "users.json"))
			_, err := c.ListUsers(t.Context())
			require.NoError(t, err)
			fc.Advance(tc.after)
			_, err = c.ListUsers(t.Context())
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.TokensFetched())
		})
	}
}

func TestTokenAnswerWithoutAnAccessToken(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodPost, tokenURL, httpmock.NewStringResponder(200, `{"token_type":"Bearer","expires_in":3600}`).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	_, err := c.ListUsers(t.Context())
	var ae *volue.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Zero(t, mt.GetCallCountInfo()["GET "+base+"/users"])
}

// A token endpoint that fails (not refuses) is retried within a read's
// retries; a write still fails at once.
func TestTokenEndpointBlipRetriedForReads(t *testing.T) {
	c, mt, _ := newMock(t)
	fails := 1
	mt.RegisterResponder(http.MethodPost, tokenURL, func(r *http.Request) (*http.Response, error) {
		if fails > 0 {
			fails--
			return httpmock.NewStringResponse(503, "down"), nil
		}
		return respond(t, 200, "token.json")(r)
	})
	mt.RegisterResponder(http.MethodGet, base+"/users", respond(t, 200, "users.json"))
	users, err := c.ListUsers(t.Context())
	require.NoError(t, err)
	assert.Len(t, users, 2)
	assert.Equal(t, 2, mt.GetCallCountInfo()["POST "+tokenURL])

	c, mt, _ = newMock(t)
	mt.RegisterResponder(http.MethodPost, tokenURL, httpmock.NewStringResponder(503, "down"))
	_, err = c.ListUsers(t.Context())
	var ae *volue.AuthError
	require.ErrorAs(t, err, &ae, "%v", err)
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Equal(t, 4, mt.GetCallCountInfo()["POST "+tokenURL], "the first fetch, then one per attempt of the read (1 + 2 retries)")
	assert.Zero(t, mt.GetCallCountInfo()["GET "+base+"/users"])
	_, err = c.CreateUser(t.Context())
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 5, mt.GetCallCountInfo()["POST "+tokenURL], "a write is not retried")
}
