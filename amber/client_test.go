package amber

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/gridwire/gridwire/energy"
)

func TestSites(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterMatcherResponder(http.MethodGet, base+"/sites",
		httpmock.HeaderIs("Authorization", "Bearer "+testToken),
		respond(t, 200, "sites.json", rateHeaders(50, 49, 300)))
	sites, err := c.Sites(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 3 {
		t.Fatalf("got %d sites, want 3", len(sites))
	}
	closed, active, pending := sites[0], sites[1], sites[2]
	if closed.Status != SiteClosed || closed.ClosedOn != NewDate(2022, 5, 1) || closed.ActiveFrom != NewDate(2021, 5, 1) {
		t.Errorf("closed site = %+v", closed)
	}
	if closed.IntervalLength != 30*time.Minute || active.IntervalLength != 5*time.Minute {
		t.Errorf("interval lengths %v, %v; want 30m, 5m", closed.IntervalLength, active.IntervalLength)
	}
	if active.ID != siteID || active.NMI != "30522828721" || active.Network != "Jemena" || !active.ClosedOn.IsZero() {
		t.Errorf("active site = %+v", active)
	}
	want := []Channel{{"E1", ChannelGeneral, "A100"}, {"E2", ChannelControlledLoad, "A180"}, {"B1", ChannelFeedIn, "A100"}}
	if fmt.Sprint(active.Channels) != fmt.Sprint(want) {
		t.Errorf("channels = %v, want %v", active.Channels, want)
	}
	if ch, ok := active.Channel(ChannelFeedIn); !ok || ch.Identifier != "B1" {
		t.Errorf("Channel(feedIn) = %v, %v", ch, ok)
	}
	if pending.Status != SitePending || pending.ActiveFrom != NewDate(2027, 1, 15) {
		t.Errorf("pending site = %+v", pending)
	}
	if s, ok := ActiveSite(sites); !ok || s.ID != siteID {
		t.Errorf("ActiveSite = %v, %v; want %s", s.ID, ok, siteID)
	}
}

func TestSitesWithoutAnID(t *testing.T) {
	for _, body := range []string{`[null]`, `[{"nmi":"3052282872","status":"active","channels":[]}]`} {
		c, mt, _ := newMock(t)
		mt.RegisterResponder(http.MethodGet, base+"/sites", httpmock.NewStringResponder(200, body))
		sites, err := c.Sites(t.Context())
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%s: Sites = %v, %v; want a decode error", body, sites, err)
		}
	}
}

func TestActiveSite(t *testing.T) {
	older := Site{ID: "old", Status: SiteActive, ActiveFrom: NewDate(2020, 1, 1)}
	newer := Site{ID: "new", Status: SiteActive, ActiveFrom: NewDate(2024, 1, 1)}
	closed := Site{ID: "closed", Status: SiteClosed, ActiveFrom: NewDate(2019, 1, 1)}
	if s, ok := ActiveSite([]Site{closed, newer, older}); !ok || s.ID != "old" {
		t.Errorf("ActiveSite = %q, %v; want the one active the longest", s.ID, ok)
	}
	if _, ok := ActiveSite([]Site{closed}); ok {
		t.Error("ActiveSite found an active site among closed ones")
	}
}

func TestSiteJSONRoundTrip(t *testing.T) {
	var sites []Site
	if err := json.Unmarshal(fixture(t, "sites.json"), &sites); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(sites)
	if err != nil {
		t.Fatal(err)
	}
	var again []Site
	if err := json.Unmarshal(b, &again); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(again) != fmt.Sprint(sites) {
		t.Errorf("round trip changed the sites:\n%v\n%v", sites, again)
	}
	if !strings.Contains(string(b), `"intervalLength":5`) || strings.Contains(string(b), `"closedOn":"0000`) {
		t.Errorf("marshalled form is not the wire form: %s", b)
	}
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
		{422, "error_422.json", nil, "Requested date range is greater than 7 days", 1},
		{500, "error_500.json", energy.ErrUnavailable, "Internal server error", 3}, // retried twice
	}
	for _, ep := range endpoints {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/%d", ep.name, tc.status), func(t *testing.T) {
				c, mt, _ := newMock(t)
				mt.RegisterResponder(http.MethodGet, base+ep.path, respond(t, tc.status, tc.file, nil))
				err := ep.call(t.Context(), c)
				var ae *APIError
				if !errors.As(err, &ae) {
					t.Fatalf("err = %v (%T); want *APIError", err, err)
				}
				if ae.StatusCode != tc.status || ae.Message != tc.message || ae.Endpoint != ep.path || ae.Method != "GET" {
					t.Errorf("APIError = %+v", ae)
				}
				for _, s := range []error{energy.ErrUnauthorized, energy.ErrUnavailable, energy.ErrRateLimited} {
					if got, want := errors.Is(err, s), s == tc.sentinel; got != want {
						t.Errorf("errors.Is(err, %v) = %v, want %v", s, got, want)
					}
				}
				if !strings.Contains(err.Error(), tc.message) {
					t.Errorf("Error() = %q lacks Amber's message", err)
				}
				if n := mt.GetTotalCallCount(); n != tc.attempts {
					t.Errorf("%d attempts, want %d", n, tc.attempts)
				}
			})
		}
		t.Run(ep.name+"/429", func(t *testing.T) {
			c, mt, _ := newMock(t, WithoutRateLimitWait())
			mt.RegisterResponder(http.MethodGet, base+ep.path, respond(t, 429, "error_429.json", rateHeaders(50, 0, 60)))
			err := ep.call(t.Context(), c)
			var rle *RateLimitError
			if !errors.As(err, &rle) || !errors.Is(err, energy.ErrRateLimited) || rle.Message != "Too Many Requests" {
				t.Fatalf("err = %v (%T); want *RateLimitError", err, err)
			}
			if n := mt.GetTotalCallCount(); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
		t.Run(ep.name+"/malformed", func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(http.MethodGet, base+ep.path, respond(t, 200, "malformed.json", nil))
			err := ep.call(t.Context(), c)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v (%T); want a *DecodeError", err, err)
			}
		})
		t.Run(ep.name+"/not-json-error-body", func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(http.MethodGet, base+ep.path, httpmock.NewStringResponder(502, "<html>Bad Gateway</html>"))
			err := ep.call(t.Context(), c)
			var ae *APIError
			if !errors.As(err, &ae) || ae.Message != "" || ae.Body != "<html>Bad Gateway</html>" || !errors.Is(err, energy.ErrUnavailable) {
				t.Fatalf("err = %#v; want an *APIError keeping the body", err)
			}
		})
		t.Run(ep.name+"/cancelled", func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterNoResponder(httpmock.NewStringResponder(200, "[]"))
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			err := ep.call(ctx, c)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v; want context.Canceled", err)
			}
			if n := mt.GetTotalCallCount(); n != 0 {
				t.Errorf("%d requests made with a cancelled context", n)
			}
		})
		t.Run(ep.name+"/network", func(t *testing.T) {
			c, mt, _ := newMock(t, WithRetries(0))
			mt.RegisterNoResponder(httpmock.ConnectionFailure)
			err := ep.call(t.Context(), c)
			if !errors.Is(err, energy.ErrUnavailable) {
				t.Fatalf("err = %v; want energy.ErrUnavailable", err)
			}
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
	if err1 == nil || err2 == nil {
		t.Fatal("want errors")
	}
	site := c.Site(siteID)
	shown := fmt.Sprintf("%v %+v %#v %s %+v %#v %v %v %q %x", c, c, c, c.token, site, site, err1, err2, c.token, c.token)
	if logs.Len() == 0 {
		t.Fatal("the debug logger recorded nothing")
	}
	for name, s := range map[string]string{"fmt": shown, "logs": logs.String()} {
		if strings.Contains(s, testToken) || strings.Contains(s, "5ecre7") {
			t.Errorf("the token appears in %s:\n%s", name, s)
		}
	}
}

// TestNewValidates: New refuses what cannot work, naming the token or the
// option, before any request; an empty token is one (the house rule for
// credentials, even though the renewables endpoint would not need it).
func TestNewValidates(t *testing.T) {
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
			if c != nil {
				t.Errorf("New returned a client with an error")
			}
			wantField(t, err, tc.field)
		})
	}
	if _, err := New(testToken, WithRateLimit(0, 0), WithRetries(0), WithTimeout(0), WithUserAgent("app/1")); err != nil {
		t.Errorf("valid options refused: %v", err)
	}
}

func TestUserAgentAndBaseURL(t *testing.T) {
	c, mt, _ := newMock(t, WithBaseURL("https://amber.example/v1/"))
	mt.RegisterMatcherResponder(http.MethodGet, "https://amber.example/v1/sites",
		httpmock.HeaderContains("User-Agent", "gridwire/"), httpmock.NewStringResponder(200, "[]"))
	if sites, err := c.Sites(t.Context()); err != nil || len(sites) != 0 {
		t.Fatalf("Sites = %v, %v", sites, err)
	}
}
