package amber

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

func TestSites(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterMatcherResponder(http.MethodGet, base+"/sites",
		httpmock.HeaderIs("Authorization", "Bearer "+testToken),
		respond(t, 200, "sites.json", rateHeaders(50, 49, 300)))
	sites, err := c.Sites(t.Context())
	require.NoError(t, err)
	require.Len(t, sites, 3)
	closed, active, pending := sites[0], sites[1], sites[2]
	assert.Equal(t, SiteClosed, closed.Status)
	assert.Equal(t, NewDate(2022, 5, 1), closed.ClosedOn)
	assert.Equal(t, NewDate(2021, 5, 1), closed.ActiveFrom)
	assert.Equal(t, 30*time.Minute, closed.IntervalLength)
	assert.Equal(t, 5*time.Minute, active.IntervalLength)
	assert.Equal(t, siteID, active.ID)
	assert.Equal(t, "30522828721", active.NMI)
	assert.Equal(t, "Jemena", active.Network)
	assert.True(t, active.ClosedOn.IsZero())
	want := []Channel{{"E1", ChannelGeneral, "A100"}, {"E2", ChannelControlledLoad, "A180"}, {"B1", ChannelFeedIn, "A100"}}
	assert.Equal(t, want, active.Channels)
	ch, ok := active.Channel(ChannelFeedIn)
	assert.True(t, ok)
	assert.Equal(t, "B1", ch.Identifier)
	assert.Equal(t, SitePending, pending.Status)
	assert.Equal(t, NewDate(2027, 1, 15), pending.ActiveFrom)
	s, ok := ActiveSite(sites)
	assert.True(t, ok)
	assert.Equal(t, siteID, s.ID)
}

func TestSitesWithoutAnID(t *testing.T) {
	for _, body := range []string{`[null]`, `[{"nmi":"3052282872","status":"active","channels":[]}]`} {
		c, mt, _ := newMock(t)
		mt.RegisterResponder(http.MethodGet, base+"/sites", httpmock.NewStringResponder(200, body))
		sites, err := c.Sites(t.Context())
		var de *DecodeError
		assert.ErrorAs(t, err, &de, "%s: Sites = %v", body, sites)
	}
}

func TestActiveSite(t *testing.T) {
	older := Site{ID: "old", Status: SiteActive, ActiveFrom: NewDate(2020, 1, 1)}
	newer := Site{ID: "new", Status: SiteActive, ActiveFrom: NewDate(2024, 1, 1)}
	closed := Site{ID: "closed", Status: SiteClosed, ActiveFrom: NewDate(2019, 1, 1)}
	s, ok := ActiveSite([]Site{closed, newer, older})
	assert.True(t, ok)
	assert.Equal(t, "old", s.ID, "want the one active the longest")
	_, ok = ActiveSite([]Site{closed})
	assert.False(t, ok, "ActiveSite found an active site among closed ones")
}

func TestSiteJSONRoundTrip(t *testing.T) {
	var sites []Site
	require.NoError(t, json.Unmarshal(fixture(t, "sites.json"), &sites))
	b, err := json.Marshal(sites)
	require.NoError(t, err)
	var again []Site
	require.NoError(t, json.Unmarshal(b, &again))
	assert.Equal(t, sites, again, "round trip changed the sites")
	assert.Contains(t, string(b), `"intervalLength":5`, "marshalled form is not the wire form")
	assert.NotContains(t, string(b), `"closedOn":"0000`, "marshalled form is not the wire form")
}

// endpoints lists one call per authenticated endpoint, for the failure
// tests that every endpoint must pass.
var endpoints = []struct {
	name, path string
	call       func(ctx context.Context, c *Client) error
}{
	{"Sites", "/sites", func(ctx context.Context, c *Client) error { _, err := c.Sites(ctx); return err }},
	{"CurrentPrices", "/sites/" + siteID + "/prices/current", func(ctx context.Context, c *Client) error {
		_, err := c.CurrentPrices(ctx, siteID, CurrentPricesParams{Next: 12})
		return err
	}},
	{"Prices", "/sites/" + siteID + "/prices", func(ctx context.Context, c *Client) error {
		_, err := c.Prices(ctx, siteID, PricesParams{StartDate: NewDate(2026, 1, 20)})
		return err
	}},
	{"Usage", "/sites/" + siteID + "/usage", func(ctx context.Context, c *Client) error {
		_, err := c.Site(siteID).Usage(ctx, UsageParams{StartDate: NewDate(2026, 1, 20)})
		return err
	}},
	{"CurrentRenewables", "/state/vic/renewables/current", func(ctx context.Context, c *Client) error {
		_, err := c.CurrentRenewables(ctx, VIC, RenewablesParams{})
		return err
	}},
}

func TestEndpointErrors(t *testing.T) {
	cases := []struct {
		status   int
		file     string
		sentinel error // nil: wraps none of energy's
		message  string
		attempts int
	}{
		{401, "error_401.json", energy.ErrUnauthorized, "Unauthorized", 1},
		{404, "error_404.json", nil, "Site not found", 1},
		{422, "error_422.json", energy.ErrInvalid, "Requested date range is greater than 7 days", 1},
		{500, "error_500.json", energy.ErrUnavailable, "Internal server error", 3}, // retried twice
	}
	for _, ep := range endpoints {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/%d", ep.name, tc.status), func(t *testing.T) {
				c, mt, _ := newMock(t)
				mt.RegisterResponder(http.MethodGet, base+ep.path, respond(t, tc.status, tc.file, nil))
				err := ep.call(t.Context(), c)
				var ae *APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, tc.status, ae.StatusCode)
				assert.Equal(t, tc.message, ae.Message)
				assert.Equal(t, ep.path, ae.Endpoint)
				assert.Equal(t, "GET", ae.Method)
				for _, s := range []error{energy.ErrUnauthorized, energy.ErrUnavailable, energy.ErrRateLimited, energy.ErrInvalid} {
					if s == tc.sentinel {
						assert.ErrorIs(t, err, s)
					} else {
						assert.NotErrorIs(t, err, s)
					}
				}
				assert.Contains(t, err.Error(), tc.message, "Error() lacks Amber's message")
				assert.Equal(t, tc.attempts, mt.GetTotalCallCount(), "attempts")
			})
		}
		t.Run(ep.name+"/429", func(t *testing.T) {
			c, mt, _ := newMock(t, WithoutRateLimitWait())
			mt.RegisterResponder(http.MethodGet, base+ep.path, respond(t, 429, "error_429.json", rateHeaders(50, 0, 60)))
			err := ep.call(t.Context(), c)
			var rle *RateLimitError
			require.ErrorAs(t, err, &rle)
			require.ErrorIs(t, err, energy.ErrRateLimited)
			require.Equal(t, "Too Many Requests", rle.Message)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "attempts")
		})
		t.Run(ep.name+"/malformed", func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(http.MethodGet, base+ep.path, respond(t, 200, "malformed.json", nil))
			err := ep.call(t.Context(), c)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.ErrorIs(t, err, energy.ErrUnavailable)
		})
		t.Run(ep.name+"/not-json-error-body", func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(http.MethodGet, base+ep.path, httpmock.NewStringResponder(502, "<html>Bad Gateway</html>"))
			err := ep.call(t.Context(), c)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Empty(t, ae.Message)
			assert.Equal(t, "<html>Bad Gateway</html>", ae.Body, "an *APIError keeps the body")
			assert.ErrorIs(t, err, energy.ErrUnavailable)
		})
		t.Run(ep.name+"/cancelled", func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterNoResponder(httpmock.NewStringResponder(200, "[]"))
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			err := ep.call(ctx, c)
			require.ErrorIs(t, err, context.Canceled)
			assert.Zero(t, mt.GetTotalCallCount(), "requests made with a cancelled context")
		})
		t.Run(ep.name+"/network", func(t *testing.T) {
			c, mt, _ := newMock(t, WithRetries(0))
			mt.RegisterNoResponder(httpmock.ConnectionFailure)
			err := ep.call(t.Context(), c)
			var te *TransportError
			require.ErrorAs(t, err, &te)
			assert.ErrorIs(t, err, energy.ErrUnavailable)
			assert.Equal(t, 1, te.Attempts, "WithRetries(0) means never")
		})
	}
}

func TestTokenNeverShown(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt, _ := newMock(t, WithLogger(logger))
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 401, "error_401.json", nil))
	mt.RegisterResponder(http.MethodGet, base+"/sites/"+siteID+"/prices/current", respond(t, 500, "error_500.json", nil))
	_, err1 := c.Sites(t.Context())
	_, err2 := c.CurrentPrices(t.Context(), siteID, CurrentPricesParams{})
	require.Error(t, err1)
	require.Error(t, err2)
	site := c.Site(siteID)
	shown := fmt.Sprintf("%v %+v %#v %s %+v %#v %v %v %q %x", c, c, c, c.token, site, site, err1, err2, c.token, c.token)
	require.NotZero(t, logs.Len(), "the debug logger recorded nothing")
	for name, s := range map[string]string{"fmt": shown, "logs": logs.String()} {
		assert.NotContains(t, s, testToken, "the token appears in %s", name)
		assert.NotContains(t, s, "5ecre7", "the token appears in %s", name)
	}
}

// TestEchoedTokenRedacted: a server that echoes the Authorization header in
// its error body (a 401, and a 500 that is retried and so logged) does not
// get the token into errors or logs.
func TestEchoedTokenRedacted(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt, _ := newMock(t, WithLogger(logger))
	echo := func(status int) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			body := fmt.Sprintf(`{"message":"denied","you sent":%q,"token":%q}`, r.Header.Get("Authorization"), testToken)
			return httpmock.NewStringResponse(status, body), nil
		}
	}
	mt.RegisterResponder(http.MethodGet, base+"/sites", echo(401))
	mt.RegisterResponder(http.MethodGet, base+"/sites/"+siteID+"/prices/current", echo(500))
	mt.RegisterResponder(http.MethodGet, base+"/sites/"+siteID+"/prices", func(r *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(502, "<html>"+r.Header.Get("Authorization")+"</html>"), nil
	})
	_, err1 := c.Sites(t.Context())
	_, err2 := c.CurrentPrices(t.Context(), siteID, CurrentPricesParams{})
	_, err3 := c.Prices(t.Context(), siteID, PricesParams{})
	var ae *APIError
	require.ErrorAs(t, err3, &ae)
	assert.Contains(t, ae.Body, "[redacted]")
	for _, s := range []string{fmt.Sprintf("%v %+v %v %+v %v %#v", err1, err1, err2, err2, err3, ae), logs.String()} {
		assert.NotContains(t, s, "5ecre7")
	}
	assert.Contains(t, logs.String(), "retrying")
}

func TestNewValidates(t *testing.T) {
	// New refuses what cannot work, naming the token or the option, before
	// any request; an empty token is one (the house rule for credentials,
	// even though the renewables endpoint would not need it).
	for _, tc := range []struct {
		name, token, field string
		opts               []Option
	}{
		{"empty token", "", "token", nil},
		{"token with a newline", "psk_x\r\nX-Evil: 1", "token", nil},
		{"relative base URL", testToken, "WithBaseURL", []Option{WithBaseURL("/v1")}},
		{"nil logger", testToken, "WithLogger", []Option{WithLogger(nil)}},
		{"nil clock", testToken, "WithClock", []Option{WithClock(nil)}},
		{"negative retries", testToken, "WithRetries", []Option{WithRetries(-1)}},
		{"negative timeout", testToken, "WithTimeout", []Option{WithTimeout(-time.Second)}},
		{"user agent newline", testToken, "WithUserAgent", []Option{WithUserAgent("a\nb")}},
		{"rate limit without window", testToken, "WithRateLimit", []Option{WithRateLimit(5, 0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.token, tc.opts...)
			assert.Nil(t, c, "New returned a client with an error")
			wantField(t, err, tc.field)
		})
	}
	_, err := New(testToken, WithRateLimit(0, 0), WithRetries(0), WithTimeout(0), WithUserAgent("app/1"))
	assert.NoError(t, err, "valid options refused")
}

func TestUserAgentAndBaseURL(t *testing.T) {
	c, mt, _ := newMock(t, WithBaseURL("https://amber.example/v1/"), WithUserAgent("myapp/2"))
	mt.RegisterMatcherResponder(http.MethodGet, "https://amber.example/v1/sites",
		httpmock.HeaderContains("User-Agent", "myapp/2 gridwire/"), httpmock.NewStringResponder(200, "[]"))
	sites, err := c.Sites(t.Context())
	require.NoError(t, err)
	assert.Empty(t, sites)
}
