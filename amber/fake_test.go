package amber_test

// The tests against ambertest's fake live in package amber_test: ambertest
// imports amber (for Server.Client), so amber's own tests cannot import it.

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/amber"
	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/energytest"
)

// t0 is 10:17 on 28 January 2026, NEM time.
var t0 = time.Date(2026, 1, 28, 0, 17, 0, 0, time.UTC)

// fake starts a fake at a fake clock set to now.
func fake(t *testing.T, now time.Time, opts ...ambertest.Option) (*ambertest.Server, *clock.Fake) {
	t.Helper()
	fc := clock.NewFake(now)
	srv := ambertest.NewServer(append(opts, ambertest.WithClock(fc))...)
	t.Cleanup(srv.Close)
	return srv, fc
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestRetriesAgainstFake: a passing outage is retried away; a lasting one
// is an *APIError wrapping energy.ErrUnavailable.
func TestRetriesAgainstFake(t *testing.T) {
	srv, _ := fake(t, t0)
	c := srv.Client()
	srv.FailNext(1, ambertest.Fault{Status: http.StatusInternalServerError})
	_, err := c.CurrentPrices(t.Context(), srv.SiteID, amber.CurrentPricesParams{Next: 2})
	require.NoError(t, err, "one 500 was not retried away")
	srv.FailNext(10, ambertest.Fault{Status: http.StatusServiceUnavailable})
	_, err = c.CurrentPrices(t.Context(), srv.SiteID, amber.CurrentPricesParams{Next: 2})
	var ae *amber.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 503, ae.StatusCode)
	assert.Equal(t, "Service Unavailable", ae.Message)
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Equal(t, 2+3, srv.Requests(), "1 + 1 retry, then 1 + 2 retries")
}

// TestFaultOnOneEndpoint: a fault aimed at one route fails that call only.
func TestFaultOnOneEndpoint(t *testing.T) {
	srv, _ := fake(t, t0)
	c := srv.Client(amber.WithRetries(0))
	srv.FailNext(1, ambertest.Fault{Endpoint: "/sites/{site}/prices/current", Status: http.StatusBadGateway})
	_, err := c.Sites(t.Context())
	require.NoError(t, err)
	_, err = c.CurrentPrices(t.Context(), srv.SiteID, amber.CurrentPricesParams{})
	assert.ErrorIs(t, err, energy.ErrUnavailable)
}

// TestPricesSplitsLongRanges asks for a month and checks the requests (at
// most 7 days each, consecutive, covering the month once) and the merged
// answer (every interval once, in order), against the fake API.
func TestPricesSplitsLongRanges(t *testing.T) {
	srv, _ := fake(t, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	var queries []url.Values
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		queries = append(queries, r.URL.Query())
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := srv.Client(amber.WithHTTPClient(hc))
	ivs, err := c.Prices(t.Context(), srv.SiteID, amber.PricesParams{StartDate: amber.NewDate(2026, 1, 1), EndDate: amber.NewDate(2026, 1, 31)})
	require.NoError(t, err)
	want := [][2]string{{"2026-01-01", "2026-01-07"}, {"2026-01-08", "2026-01-14"}, {"2026-01-15", "2026-01-21"},
		{"2026-01-22", "2026-01-28"}, {"2026-01-29", "2026-01-31"}}
	require.Len(t, queries, len(want), "%v", queries)
	for i, q := range queries {
		assert.Equal(t, want[i], [2]string{q.Get("startDate"), q.Get("endDate")}, "request %d", i)
	}
	// 31 days of 30-minute intervals on two channels, general first.
	require.Len(t, ivs, 2*31*48)
	start := amber.NewDate(2026, 1, 1).Start()
	for i, iv := range ivs {
		b := iv.Base()
		wantCh, k := amber.ChannelGeneral, i
		if i >= 31*48 {
			wantCh, k = amber.ChannelFeedIn, i-31*48
		}
		require.Equal(t, wantCh, b.ChannelType, "ivs[%d]", i)
		require.True(t, b.Start().Equal(start.Add(time.Duration(k)*30*time.Minute)), "ivs[%d] starts %v", i, b.Start())
		require.IsType(t, &amber.ActualInterval{}, iv, "ivs[%d]: January is past", i)
	}
}

func TestUsageSplitsAndMerges(t *testing.T) {
	srv, _ := fake(t, time.Date(2026, 2, 1, 3, 0, 0, 0, time.UTC), ambertest.WithIntervalLength(5))
	c := srv.Client()
	us, err := c.Site(srv.SiteID).Usage(t.Context(), amber.UsageParams{StartDate: amber.NewDate(2026, 1, 20), EndDate: amber.NewDate(2026, 1, 29)})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Requests(), "requests for 10 days")
	const perChannel = 10 * 24 * 12
	require.Len(t, us, 2*perChannel)
	for i := 1; i < len(us); i++ {
		if i == perChannel {
			require.Equal(t, "B1", us[i].ChannelIdentifier, "the feed-in channel comes after the general one")
			continue
		}
		require.True(t, us[i].Start().Equal(us[i-1].End()), "records[%d] starts %v, not where records[%d] ends (%v)",
			i, us[i].Start(), i-1, us[i-1].End())
	}
}

func TestPriceSourceContract(t *testing.T) {
	// Late afternoon in the NEM, so that 12 hours ahead cross the evening
	// peak and midnight.
	now := time.Date(2026, 1, 28, 6, 7, 0, 0, time.UTC)
	cases := []struct {
		name     string
		server   []ambertest.Option
		opts     []amber.PriceSourceOption
		from, to time.Duration // from now; zero: the contract's default (next 12 h)
	}{
		{name: "next 12h"},
		{name: "5-minute site, every channel", server: []ambertest.Option{ambertest.WithIntervalLength(5), ambertest.WithControlledLoad()},
			opts: []amber.PriceSourceOption{amber.WithChannels(amber.ChannelGeneral, amber.ChannelControlledLoad, amber.ChannelFeedIn)}},
		{name: "plain prices at 30 minutes", server: []ambertest.Option{ambertest.WithIntervalLength(5)},
			opts: []amber.PriceSourceOption{amber.WithPlainPrices(), amber.WithPriceResolution(amber.Resolution30)}},
		{name: "last 6 hours", from: -6 * time.Hour, to: -time.Minute},
		{name: "three days ago", from: -72 * time.Hour, to: -60 * time.Hour},
		{name: "past month into the future", from: -30 * 24 * time.Hour, to: 6 * time.Hour},
		{name: "later today", from: 2 * time.Hour, to: 10 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, fc := fake(t, now, tc.server...)
			c := srv.Client()
			h := energytest.PriceSourceHarness{Source: c.Site(srv.SiteID).PriceSource(tc.opts...), Requests: srv.Requests, Now: fc.Now,
				BadData: []energytest.BadData{
					// Enough faults for every request a range may take; a
					// new FailNext replaces what is left of them.
					{Name: "null prices", Prime: func() { srv.FailNext(1000, ambertest.Fault{NullPrices: true}) },
						Reset: func() { srv.FailNext(0, ambertest.Fault{NullPrices: true}) }},
					{Name: "null body", Prime: func() { srv.FailNext(1000, ambertest.Fault{NullBody: true}) },
						Reset: func() { srv.FailNext(0, ambertest.Fault{NullBody: true}) }},
				}}
			if tc.from != 0 || tc.to != 0 {
				h.From, h.To = now.Add(tc.from), now.Add(tc.to)
			}
			energytest.TestPriceSource(t, h)
		})
	}
}

// TestPriceSourceNullPrice: against a fake primed to send null prices, the
// PriceSource fails with energy.ErrUnavailable rather than offering free
// power, on the current endpoint and the date-range one alike.
func TestPriceSourceNullPrice(t *testing.T) {
	now := time.Date(2026, 1, 28, 6, 7, 0, 0, time.UTC)
	for _, r := range []struct{ from, to time.Duration }{{0, 6 * time.Hour}, {-72 * time.Hour, -60 * time.Hour}} {
		srv, _ := fake(t, now)
		src := srv.Client().Site(srv.SiteID).PriceSource()
		srv.FailNext(5, ambertest.Fault{NullPrices: true})
		ps, err := src.Prices(t.Context(), now.Add(r.from), now.Add(r.to))
		var de *amber.DecodeError
		require.ErrorAs(t, err, &de)
		assert.ErrorIs(t, err, energy.ErrUnavailable)
		assert.Empty(t, ps)
		assert.Equal(t, 1, srv.Requests(), "a decode error is not retried")
	}
}

// TestNullBodyAgainstFake: a null body is an error, not "no sites".
func TestNullBodyAgainstFake(t *testing.T) {
	srv, _ := fake(t, t0)
	srv.FailNext(1, ambertest.Fault{Endpoint: "/sites", NullBody: true})
	sites, err := srv.Client().Sites(t.Context())
	var de *amber.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Nil(t, sites)
}

// TestPriceSourceCoversTheRange: against the fake, which prices every
// interval, the answer covers [from, to) on each channel without a gap,
// whichever endpoints serve it (history crossing into tomorrow takes the
// date-range endpoint and the current one).
func TestPriceSourceCoversTheRange(t *testing.T) {
	now := time.Date(2026, 1, 28, 6, 7, 0, 0, time.UTC) // 16:07 in the NEM
	for _, r := range []struct{ from, to time.Duration }{
		{-time.Hour, 12 * time.Hour},
		{-72 * time.Hour, 12 * time.Hour},
		{-10 * 24 * time.Hour, -9 * 24 * time.Hour},
		{2 * time.Hour, 20 * time.Hour},
	} {
		srv, _ := fake(t, now)
		from, to := now.Add(r.from), now.Add(r.to)
		ps, err := srv.Client().Site(srv.SiteID).PriceSource().Prices(t.Context(), from, to)
		require.NoError(t, err, "%v..%v", r.from, r.to)
		for _, ch := range []energy.Channel{energy.ChannelImport, energy.ChannelExport} {
			var at time.Time
			for _, p := range ps {
				if p.Channel != ch {
					continue
				}
				gap := at.IsZero() && p.Start.After(from) || !at.IsZero() && !p.Start.Equal(at)
				require.False(t, gap, "%v..%v: %s prices have a gap before %v", r.from, r.to, ch, p.Start)
				at = p.End
			}
			assert.False(t, at.Before(to), "%v..%v: %s prices end at %v, before %v", r.from, r.to, ch, at, to)
		}
	}
}

func TestExportSignAgainstFake(t *testing.T) {
	// Midday in the NEM on a sunny day the fake's spot price can go
	// negative; the export price paid is −perKwh either way.
	srv, fc := fake(t, time.Date(2026, 1, 28, 2, 0, 0, 0, time.UTC))
	c := srv.Client()
	ivs, err := c.CurrentPrices(t.Context(), srv.SiteID, amber.CurrentPricesParams{Next: 4})
	require.NoError(t, err)
	ps, err := c.Site(srv.SiteID).PriceSource(amber.WithPlainPrices(), amber.WithChannels(amber.ChannelFeedIn)).
		Prices(t.Context(), fc.Now(), fc.Now().Add(2*time.Hour))
	require.NoError(t, err)
	feed := ivs.ByChannel(amber.ChannelFeedIn)
	// Two hours from 02:00 are four 30-minute intervals, the current one
	// and three of the four forecasts.
	require.Len(t, ps, 4)
	require.Len(t, feed, 5)
	for i, p := range ps {
		want := -feed[i].Base().PerKWh.DollarsPerKWh()
		assert.LessOrEqual(t, math.Abs(p.PerKWh-want), 1e-12, "price %d = %v, want %v", i, p.PerKWh, want)
		assert.Equal(t, energy.ChannelExport, p.Channel, "price %d", i)
	}
}

// TestBurstAgainstFakeWaitsInsteadOf429 fires more calls than the quota at
// the fake API: the client (with its default limiter, not the fake's
// relaxed Client) learns the policy from the first answer and spreads the
// rest, so the server never says 429.
func TestBurstAgainstFakeWaitsInsteadOf429(t *testing.T) {
	srv, fc := fake(t, t0, ambertest.WithQuota(5, time.Minute))
	var statuses []int
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil {
			statuses = append(statuses, resp.StatusCode)
		}
		return resp, err
	})}
	c, err := amber.New(srv.Token, amber.WithBaseURL(srv.URL), amber.WithClock(fc), amber.WithHTTPClient(hc))
	require.NoError(t, err)
	for i := range 12 {
		_, err := c.Sites(t.Context())
		require.NoError(t, err, "call %d", i)
	}
	assert.False(t, slices.Contains(statuses, http.StatusTooManyRequests), "statuses %v include 429", statuses)
	assert.Len(t, statuses, 12)
	got := fc.Sleeps()
	require.Len(t, got, 2, "want two waits of about a minute: %v", got)
	assert.True(t, got[0] >= 59*time.Second && got[0] <= time.Minute, "slept %v", got)
}

func TestNoWaitAgainstFake(t *testing.T) {
	srv, fc := fake(t, t0, ambertest.WithQuota(2, time.Minute))
	// The default limiter, which learns the fake's policy from its answers.
	c, err := amber.New(srv.Token, amber.WithBaseURL(srv.URL), amber.WithClock(fc), amber.WithoutRateLimitWait())
	require.NoError(t, err)
	for range 2 {
		_, err := c.Sites(t.Context())
		require.NoError(t, err)
	}
	_, err = c.Sites(t.Context())
	var rle *amber.RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, rle.Local)
	assert.Equal(t, 2, rle.Limit)
	assert.Equal(t, 2, srv.Requests(), "requests that reached the server")
}

// TestFakeClientIsRelaxed: the fake's Client is not paced by Amber's
// default budget, and the caller's options come last.
func TestFakeClientIsRelaxed(t *testing.T) {
	srv, fc := fake(t, t0, ambertest.WithQuota(1000, time.Minute))
	c := srv.Client()
	for range 60 {
		_, err := c.Sites(t.Context())
		require.NoError(t, err)
	}
	assert.Empty(t, fc.Sleeps())
	assert.Panics(t, func() { srv.Client(amber.WithRetries(-1)) })
}
