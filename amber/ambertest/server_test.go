package ambertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/clock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// now is 16:47 in the NEM on 28 January 2026.
var now = time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC)

type fixture struct {
	t   *testing.T
	srv *Server
	fc  *clock.Fake
}

func start(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	fc := clock.NewFake(now)
	srv := NewServer(append([]Option{WithClock(fc)}, opts...)...)
	t.Cleanup(srv.Close)
	return &fixture{t, srv, fc}
}

// get sends a GET with the server's token (auth false: without one) and
// returns the status, headers and body.
func (f *fixture) get(path string, auth bool) (int, http.Header, []byte) {
	f.t.Helper()
	req, err := http.NewRequestWithContext(f.t.Context(), http.MethodGet, f.srv.URL+path, nil)
	require.NoError(f.t, err)
	if auth {
		req.Header.Set("Authorization", "Bearer "+f.srv.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return resp.StatusCode, resp.Header, b
}

// getJSON expects 200 and decodes the body into out.
func (f *fixture) getJSON(path string, out any) http.Header {
	f.t.Helper()
	status, h, b := f.get(path, true)
	require.Equal(f.t, http.StatusOK, status, "GET %s: %s", path, b)
	assert.Equal(f.t, "application/json", h.Get("Content-Type"), "GET %s", path)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	require.NoError(f.t, dec.Decode(out), "GET %s\n%s", path, b)
	return h
}

func TestListensOnLoopback(t *testing.T) {
	f := start(t)
	assert.True(t, strings.HasPrefix(f.srv.URL, "http://127.0.0.1:"), f.srv.URL)
	assert.True(t, strings.HasSuffix(f.srv.URL, "/v1"), f.srv.URL)
}

func TestAuth(t *testing.T) {
	f := start(t, WithToken("psk_other"))
	for _, path := range []string{"/sites", "/sites/" + DefaultSiteID + "/prices/current", "/sites/" + DefaultSiteID + "/prices",
		"/sites/" + DefaultSiteID + "/usage?startDate=2026-01-20&endDate=2026-01-20"} {
		status, h, body := f.get(path, false)
		assert.Equal(t, http.StatusUnauthorized, status, "GET %s without a token: %s", path, body)
		assert.Contains(t, string(body), `"message"`, "GET %s", path)
		assert.Empty(t, h.Get("RateLimit-Limit"), "GET %s: a 401 carries rate-limit headers", path)
	}
	var sites []wireSite
	f.getJSON("/sites", &sites)
	require.Len(t, sites, 2)
	assert.Equal(t, f.srv.SiteID, sites[1].ID)
	assert.Equal(t, "active", sites[1].Status)
	assert.NotEmpty(t, sites[0].ClosedOn)
}

func TestCurrentPricesShape(t *testing.T) {
	f := start(t, WithIntervalLength(5), WithControlledLoad())
	var ivs []wireInterval
	h := f.getJSON("/sites/"+DefaultSiteID+"/prices/current?next=6&previous=3", &ivs)
	assert.Equal(t, "50;w=300", h.Get("RateLimit-Policy"))
	assert.Equal(t, "49", h.Get("RateLimit-Remaining"))
	assert.Equal(t, "300", h.Get("RateLimit-Reset"))
	require.Len(t, ivs, 3*10, "3 channels × (3 + 1 + 6)")
	for i, iv := range ivs {
		ch := []string{"general", "controlledLoad", "feedIn"}[i/10]
		typ := map[bool]string{true: "ActualInterval"}[i%10 < 3]
		if i%10 == 3 {
			typ = "CurrentInterval"
		} else if i%10 > 3 {
			typ = "ForecastInterval"
		}
		require.Equal(t, []any{ch, typ, 5}, []any{iv.ChannelType, iv.Type, iv.Duration}, "ivs[%d]", i)
		end, _ := time.Parse(time.RFC3339, iv.EndTime)
		startT, _ := time.Parse(time.RFC3339, iv.StartTime)
		nem, _ := time.Parse(time.RFC3339, iv.NEMTime)
		assert.Equal(t, 5*time.Minute-time.Second, end.Sub(startT), "ivs[%d] start %s end %s", i, iv.StartTime, iv.EndTime)
		assert.True(t, nem.Equal(end), "ivs[%d] nem %s end %s", i, iv.NEMTime, iv.EndTime)
		assert.True(t, strings.HasSuffix(iv.NEMTime, "+10:00"), "ivs[%d] nem %s", i, iv.NEMTime)
		assert.True(t, strings.HasSuffix(iv.EndTime, "Z"), "ivs[%d] end %s", i, iv.EndTime)
		assert.Equal(t, "2026-01-28", iv.Date, "ivs[%d]", i)
		assert.Equal(t, typ == "ActualInterval", iv.AdvancedPrice == nil, "ivs[%d] %s: advancedPrice %v", i, typ, iv.AdvancedPrice)
		assert.Equal(t, typ == "CurrentInterval", iv.Estimate != nil, "ivs[%d] %s: estimate %v", i, typ, iv.Estimate)
		if a := iv.AdvancedPrice; a != nil {
			assert.True(t, a.Low <= a.Predicted && a.Predicted <= a.High, "ivs[%d]: advancedPrice %+v out of order", i, a)
		}
		require.NotNil(t, iv.PerKWh, "ivs[%d]", i)
		if ch == "feedIn" {
			assert.Equal(t, -round(iv.SpotPerKWh*0.95, 5), *iv.PerKWh, "ivs[%d]: feed-in perKwh for spot %v", i, iv.SpotPerKWh)
		}
	}
	cur := ivs[3]
	assert.True(t, strings.HasPrefix(cur.EndTime, "2026-01-28T06:50:00"), "current = %+v (now %v)", cur, now)
	assert.True(t, *cur.Estimate)
	// In the interval's last sixth the price is locked in.
	f.fc.Set(time.Date(2026, 1, 28, 6, 49, 30, 0, time.UTC))
	f.getJSON("/sites/"+DefaultSiteID+"/prices/current", &ivs)
	require.Len(t, ivs, 3)
	assert.False(t, *ivs[0].Estimate, "late in the interval: %+v", ivs[0])
}

func TestDeterministic(t *testing.T) {
	f := start(t)
	path := "/sites/" + DefaultSiteID + "/prices?startDate=2026-01-20&endDate=2026-01-26"
	_, _, a := f.get(path, true)
	_, _, b := f.get(path, true)
	assert.Equal(t, a, b, "the same request gave different answers")
	// Same interval, same price, whichever endpoint returns it.
	var ranged, current []wireInterval
	f.getJSON("/sites/"+DefaultSiteID+"/prices?startDate=2026-01-28&endDate=2026-01-28", &ranged)
	f.getJSON("/sites/"+DefaultSiteID+"/prices/current?previous=2&next=2", &current)
	byEnd := map[string]wireInterval{}
	for _, iv := range ranged {
		byEnd[iv.ChannelType+iv.EndTime] = iv
	}
	for _, iv := range current {
		r := byEnd[iv.ChannelType+iv.EndTime]
		require.NotNil(t, r.PerKWh, "%s %s not in /prices", iv.ChannelType, iv.EndTime)
		assert.Equal(t, *r.PerKWh, *iv.PerKWh, "%s %s", iv.ChannelType, iv.EndTime)
		assert.Equal(t, r.Type, iv.Type, "%s %s", iv.ChannelType, iv.EndTime)
	}
}

func TestPriceShape(t *testing.T) {
	f := start(t)
	var ivs []wireInterval
	f.getJSON("/sites/"+DefaultSiteID+"/prices?startDate=2026-01-01&endDate=2026-01-07&resolution=30", &ivs)
	require.Len(t, ivs, 2*7*48)
	spikes, negative := 0, 0
	var night, evening float64
	descriptors := map[string]bool{}
	for _, iv := range ivs[:7*48] {
		descriptors[iv.Descriptor] = true
		if iv.SpikeStatus == "spike" {
			spikes++
		}
		if iv.SpotPerKWh < 0 {
			negative++
		}
		end, _ := time.Parse(time.RFC3339, iv.EndTime)
		switch end.In(nem).Hour() {
		case 3:
			night += *iv.PerKWh
		case 19:
			evening += *iv.PerKWh
		}
	}
	assert.True(t, spikes > 0 && spikes <= 20, "%d spike intervals in a week; want a few", spikes)
	assert.NotZero(t, negative, "no negative spot price at midday all week")
	assert.Greater(t, evening, night, "evening prices not above night prices")
	assert.GreaterOrEqual(t, len(descriptors), 4, "descriptors %v; want a spread", descriptors)
}

func TestLimits(t *testing.T) {
	f := start(t)
	site := "/sites/" + DefaultSiteID
	cases := []struct {
		path   string
		status int
	}{
		{site + "/prices/current?next=2000&previous=49", 422},
		{site + "/prices/current?next=2000&previous=48", 200},
		{site + "/prices/current?next=9223372036854775807&previous=1", 422},
		{"/state/sa/renewables/current?next=1&previous=9223372036854775807", 422},
		{site + "/prices/current?next=-1", 400},
		{site + "/prices/current?next=ten", 400},
		{site + "/prices/current?resolution=15", 400},
		{site + "/prices?startDate=2026-01-01&endDate=2026-01-09", 422},
		{site + "/prices?startDate=2026-01-01&endDate=2026-01-08", 200},
		{site + "/prices?startDate=2026-01-02&endDate=2026-01-01", 400},
		{site + "/prices?startDate=01/02/2026", 400},
		{site + "/usage?startDate=2026-01-01", 400},
		{site + "/usage?startDate=2026-01-01&endDate=2026-01-09", 422},
		{site + "/usage?startDate=2026-01-29&endDate=2026-01-29", 400},
		{"/sites/01NOSUCHSITE/prices/current", 404},
		{"/state/tas/renewables/current", 404},
		{"/nowhere", 404},
	}
	for _, tc := range cases {
		status, _, body := f.get(tc.path, true)
		assert.Equal(t, tc.status, status, "GET %s: %s", tc.path, body)
		if status != 200 {
			var e wireError
			assert.NoError(t, json.Unmarshal(body, &e), "GET %s: error body %s", tc.path, body)
			assert.NotEmpty(t, e.Message, "GET %s: error body %s is not {\"message\": …}", tc.path, body)
		}
	}
}

func TestQuota(t *testing.T) {
	f := start(t, WithQuota(3, time.Minute))
	for i := range 3 {
		status, h, _ := f.get("/sites", true)
		require.Equal(t, 200, status, "request %d", i)
		require.Equal(t, strconv.Itoa(2-i), h.Get("RateLimit-Remaining"), "request %d", i)
		f.fc.Advance(10 * time.Second)
	}
	status, h, body := f.get("/sites", true)
	require.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "0", h.Get("RateLimit-Remaining"))
	assert.Equal(t, "30", h.Get("RateLimit-Reset"))
	assert.Equal(t, "3;w=60", h.Get("RateLimit-Policy"))
	assert.Equal(t, `{"message":"Too Many Requests"}`, string(body))
	// The public endpoint neither counts nor is refused, and says nothing
	// about the quota.
	status, h, _ = f.get("/state/sa/renewables/current?next=2", false)
	assert.Equal(t, 200, status, "renewables over quota")
	assert.Empty(t, h.Get("RateLimit-Limit"))
	f.fc.Advance(30 * time.Second)
	status, h, _ = f.get("/sites", true)
	assert.Equal(t, 200, status, "after the window")
	assert.Equal(t, "2", h.Get("RateLimit-Remaining"))
	assert.Equal(t, "60", h.Get("RateLimit-Reset"))
	assert.Equal(t, 6, f.srv.Requests())
}

func TestUsageShape(t *testing.T) {
	f := start(t)
	var us []wireUsage
	f.getJSON("/sites/"+DefaultSiteID+"/usage?startDate=2026-01-27&endDate=2026-01-28", &us)
	// Only the 27th: the 28th is today, its meter data not in yet.
	require.Len(t, us, 2*48)
	var imported, exported float64
	for _, u := range us {
		require.Equal(t, "Usage", u.Type, "record %+v", u)
		require.Contains(t, []string{"billable", "estimated"}, u.Quality, "record %+v", u)
		require.Equal(t, "2026-01-27", u.Date, "record %+v", u)
		require.NotNil(t, u.PerKWh)
		assert.InDelta(t, u.KWh**u.PerKWh, u.Cost, 1e-4, "cost is not kwh × perKwh")
		switch u.ChannelIdentifier {
		case "E1":
			imported += u.KWh
		case "B1":
			exported += u.KWh
		}
	}
	assert.True(t, imported >= 5 && imported <= 40 && exported <= -3,
		"a day's import %v kWh, export %v kWh: not a household with solar", imported, exported)
}

func TestRenewables(t *testing.T) {
	f := start(t)
	var sa, vic []wireRenewable
	status, _, body := f.get("/state/sa/renewables/current?next=4&previous=2", false)
	require.Equal(t, 200, status, string(body))
	require.NoError(t, json.Unmarshal(body, &sa))
	f.getJSON("/state/vic/renewables/current?next=4&previous=2", &vic)
	require.Len(t, sa, 7)
	require.Equal(t, "ActualRenewable", sa[0].Type)
	require.Equal(t, "CurrentRenewable", sa[2].Type)
	require.Equal(t, "ForecastRenewable", sa[6].Type)
	require.Equal(t, 30, sa[0].Duration)
	for i := range sa {
		assert.Greater(t, sa[i].Renewables, vic[i].Renewables, "interval %d", i)
		assert.LessOrEqual(t, sa[i].Renewables, 100.0, "interval %d", i)
		assert.NotEmpty(t, sa[i].Descriptor, "interval %d", i)
	}
}

func TestFailNext(t *testing.T) {
	f := start(t)
	f.srv.FailNext(2, Fault{Status: http.StatusServiceUnavailable})
	for range 2 {
		status, h, body := f.get("/sites", true)
		require.Equal(t, 503, status, string(body))
		assert.NotEmpty(t, h.Get("RateLimit-Remaining"))
		assert.Equal(t, `{"message":"Service Unavailable"}`, string(body))
	}
	status, _, _ := f.get("/sites", true)
	assert.Equal(t, 200, status, "third request")
}

// TestFailNextEndpoint: a fault for one route leaves the others alone and
// is used up by its own route only.
func TestFailNextEndpoint(t *testing.T) {
	f := start(t)
	prices := "/sites/" + DefaultSiteID + "/prices?startDate=2026-01-20&endDate=2026-01-20"
	f.srv.FailNext(1, Fault{Endpoint: "/sites/{site}/prices", Status: 500})
	status, _, _ := f.get("/sites", true)
	assert.Equal(t, 200, status)
	status, _, _ = f.get("/sites/"+DefaultSiteID+"/prices/current", true)
	assert.Equal(t, 200, status, "the current-prices route is another one")
	status, _, _ = f.get(prices, true)
	assert.Equal(t, 500, status)
	status, _, _ = f.get(prices, true)
	assert.Equal(t, 200, status)

	f.srv.FailNext(1, Fault{Endpoint: "/state/{state}/renewables/current", Status: 502})
	status, _, _ = f.get("/state/sa/renewables/current", false)
	assert.Equal(t, 502, status)

	assert.Panics(t, func() { f.srv.FailNext(1, Fault{Endpoint: "/v1/sites", Status: 500}) })
	assert.Panics(t, func() { f.srv.FailNext(1, Fault{}) })
}

// TestFailNextBrokenAnswers: NullPrices and NullBody answer 200 with what a
// broken upstream might send.
func TestFailNextBrokenAnswers(t *testing.T) {
	f := start(t)
	f.srv.FailNext(2, Fault{NullPrices: true})
	for _, path := range []string{"/sites/" + DefaultSiteID + "/prices/current?next=2", "/sites/" + DefaultSiteID + "/usage?startDate=2026-01-27&endDate=2026-01-27"} {
		status, _, body := f.get(path, true)
		require.Equal(t, 200, status, path)
		assert.Contains(t, string(body), `"perKwh":null`, path)
		assert.NotContains(t, string(body), `"perKwh":1`, path)
		assert.NotContains(t, string(body), `"perKwh":2`, path)
	}
	status, _, body := f.get("/sites/"+DefaultSiteID+"/prices/current", true)
	assert.Equal(t, 200, status)
	assert.NotContains(t, string(body), `"perKwh":null`, "the fault was used up")

	f.srv.FailNext(1, Fault{Endpoint: "/sites", NullBody: true})
	status, _, body = f.get("/sites", true)
	assert.Equal(t, 200, status)
	assert.Equal(t, "null", string(body))
}

// TestHandlerMounts: Handler serves the same fake, sharing its state.
func TestHandlerMounts(t *testing.T) {
	f := start(t)
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/v1/sites", nil)
	req.Header.Set("Authorization", "Bearer "+f.srv.Token)
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, rec.Body.String(), DefaultSiteID)
	assert.Equal(t, 1, f.srv.Requests())
}
