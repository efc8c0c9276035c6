package amber

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
)

func TestParseRateLimit(t *testing.T) {
	cases := []struct {
		name   string
		h      http.Header
		ok     bool
		bad    bool
		limit  int
		remain int
		reset  time.Duration
		window time.Duration
	}{
		{"amber", headers("RateLimit-Limit", "50", "RateLimit-Remaining", "37", "RateLimit-Reset", "212", "RateLimit-Policy", "50;w=300"),
			true, false, 50, 37, 212 * time.Second, 300 * time.Second},
		{"none", headers(), false, false, 0, 0, 0, 0},
		{"policy list picks the limit's", headers("RateLimit-Limit", "1000", "RateLimit-Remaining", "3", "RateLimit-Reset", "9",
			"RateLimit-Policy", "50;w=300, 1000;w=86400;comment=\"daily\""), true, false, 1000, 3, 9 * time.Second, 86400 * time.Second},
		{"later draft form", headers("RateLimit-Policy", `"default";q=50;w=300`), true, false, 50, -1, 0, 300 * time.Second},
		{"spaces", headers("RateLimit-Limit", " 50 ", "RateLimit-Remaining", "0", "RateLimit-Reset", " 5"), true, false, 50, 0, 5 * time.Second, 0},
		{"bad limit", headers("RateLimit-Limit", "lots"), false, true, 0, 0, 0, 0},
		{"negative remaining", headers("RateLimit-Remaining", "-1"), false, true, 0, 0, 0, 0},
		{"bad reset", headers("RateLimit-Reset", "Thu, 01 Jan 2026 00:00:00 GMT"), false, true, 0, 0, 0, 0},
		{"bad window", headers("RateLimit-Policy", "50;w=soon"), false, true, 0, 0, 0, 0},
		{"no quota", headers("RateLimit-Policy", ";w=300"), false, true, 0, 0, 0, 0},
	}
	for _, tc := range cases {
		st, ok, err := parseRateLimit(tc.h, t0)
		if !assert.Equal(t, tc.ok, ok, tc.name) || !assert.Equal(t, tc.bad, err != nil, "%s: err %v", tc.name, err) || !ok {
			continue
		}
		assert.Equal(t, tc.limit, st.Limit, tc.name)
		assert.Equal(t, tc.remain, st.Remaining, tc.name)
		assert.Equal(t, tc.reset, st.Reset, tc.name)
		assert.Equal(t, tc.window, st.Window, tc.name)
		assert.True(t, st.ObservedAt.Equal(t0), tc.name)
		if tc.reset > 0 {
			assert.True(t, st.ResetAt.Equal(t0.Add(tc.reset)), "%s: ResetAt %v", tc.name, st.ResetAt)
		}
	}
}

func TestRateLimitState(t *testing.T) {
	c, mt, fc := newMock(t)
	_, ok := c.RateLimit()
	require.False(t, ok, "RateLimit reported a state before any answer")
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 200, "sites.json", rateHeaders(50, 42, 120)))
	fc.Advance(time.Minute)
	_, err := c.Sites(t.Context())
	require.NoError(t, err)
	st, ok := c.RateLimit()
	want := RateLimitState{Limit: 50, Remaining: 42, Reset: 120 * time.Second, ResetAt: t0.Add(3 * time.Minute),
		Window: 300 * time.Second, Policy: "50;w=300", ObservedAt: t0.Add(time.Minute)}
	assert.True(t, ok)
	assert.Equal(t, want, st)
	// An error answer's headers count too.
	mt.RegisterResponder(http.MethodGet, base+"/sites/x/prices/current", respond(t, 404, "error_404.json", rateHeaders(50, 41, 100)))
	_, _ = c.CurrentPrices(t.Context(), "x", CurrentPricesParams{})
	st, _ = c.RateLimit()
	assert.Equal(t, 41, st.Remaining, "after a 404")
	// A malformed header is ignored, not fatal.
	bad := rateHeaders(50, 40, 90)
	bad.Set("RateLimit-Remaining", "many")
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 200, "sites.json", bad))
	_, err = c.Sites(t.Context())
	require.NoError(t, err, "a malformed rate-limit header failed the call")
	st, _ = c.RateLimit()
	assert.Equal(t, 41, st.Remaining, "a malformed header changed the state")
}

func TestLimiterBurstWaitsForTheWindow(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, 3, 10*time.Second, true, false)
	for i := range 7 {
		require.NoError(t, l.Wait(t.Context()), "Wait %d", i)
	}
	// Three per window: the 4th and the 7th wait for a window to end.
	assert.Equal(t, []time.Duration{10 * time.Second, 10 * time.Second}, fc.Sleeps())
	assert.Equal(t, 20*time.Second, fc.Now().Sub(t0), "seven requests took")
}

func TestLimiterFollowsTheServer(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, DefaultRateLimit, DefaultRateWindow, false, false)
	// The account's quota is shared: another program has spent it.
	l.observe(RateLimitState{Limit: 50, Remaining: 0, Reset: 42 * time.Second, ResetAt: t0.Add(42 * time.Second), Window: 300 * time.Second})
	require.NoError(t, l.Wait(t.Context()))
	assert.Equal(t, []time.Duration{42 * time.Second}, fc.Sleeps(), "until the reported reset")
	// Re-seeded from the policy: 2 per minute.
	l.observe(RateLimitState{Limit: 2, Remaining: 2, ResetAt: fc.Now().Add(time.Minute), Window: time.Minute})
	for range 3 {
		require.NoError(t, l.Wait(t.Context()))
	}
	assert.Len(t, fc.Sleeps(), 2, "want a second wait once the server's 2 were spent")
}

func TestLimiterKeepsAnExplicitBudget(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, 2, time.Minute, true, false)
	l.observe(RateLimitState{Limit: 50, Remaining: 50, ResetAt: t0.Add(5 * time.Minute), Window: 5 * time.Minute})
	for range 3 {
		require.NoError(t, l.Wait(t.Context()))
	}
	assert.Equal(t, []time.Duration{time.Minute}, fc.Sleeps(), "the caller's 2 per minute must hold")
}

func TestLimiterWithoutWaiting(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, 1, time.Minute, true, true)
	require.NoError(t, l.Wait(t.Context()))
	err := l.Wait(t.Context())
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, rle.Local)
	assert.True(t, rle.ResetAt.Equal(t0.Add(time.Minute)), "ResetAt %v", rle.ResetAt)
	assert.ErrorIs(t, err, energy.ErrRateLimited)
	assert.Empty(t, fc.Sleeps(), "slept although waiting is off")
}

func TestLimiterHonoursContext(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, 1, time.Minute, true, false)
	_ = l.Wait(t.Context())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, l.Wait(ctx), context.Canceled)
}

func Test429IsWaitedOutAndRetried(t *testing.T) {
	c, mt, fc := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/sites",
		respond(t, 429, "error_429.json", rateHeaders(50, 0, 17)).Once().Then(respond(t, 200, "sites.json", rateHeaders(50, 49, 300))))
	sites, err := c.Sites(t.Context())
	require.NoError(t, err)
	require.Len(t, sites, 3)
	assert.Equal(t, []time.Duration{18 * time.Second}, fc.Sleeps(), "reset + 1 s margin")
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func Test429WithoutWaiting(t *testing.T) {
	c, mt, fc := newMock(t, WithoutRateLimitWait())
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 429, "error_429.json", rateHeaders(50, 0, 17)))
	_, err := c.Sites(t.Context())
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	want := RateLimitError{ResetAt: t0.Add(17 * time.Second), Limit: 50, Remaining: 0, Policy: "50;w=300", Message: "Too Many Requests"}
	assert.Equal(t, want, *rle)
	assert.ErrorIs(t, err, energy.ErrRateLimited)
	assert.Equal(t, 1, mt.GetTotalCallCount())
	assert.Empty(t, fc.Sleeps())
	assert.Equal(t, "amber: rate limited: 0 of 50 requests left; quota resets at 2026-01-28T00:17:17Z: Too Many Requests", err.Error())
}

func Test429TwiceIsARateLimitError(t *testing.T) {
	c, mt, fc := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 429, "error_429.json", rateHeaders(50, 0, 30)))
	_, err := c.Sites(t.Context())
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	require.False(t, rle.Local, "want a *RateLimitError from the server")
	require.True(t, rle.ResetAt.After(t0))
	assert.Equal(t, 2, mt.GetTotalCallCount(), "one wait and one retry")
	assert.Len(t, fc.Sleeps(), 1, "one wait and one retry")
}

// Test429WithoutHeaders: API Gateway's 429s may carry no RateLimit headers,
// and some come while quota remains. The client pauses briefly, retries,
// and, if refused again, reports the reset it last heard of.
func Test429WithoutHeaders(t *testing.T) {
	c, mt, fc := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/sites",
		respond(t, 200, "sites.json", rateHeaders(50, 10, 200)).Once().
			Then(respond(t, 429, "error_429.json", nil).Once()).
			Then(respond(t, 200, "sites.json", nil)))
	for range 2 {
		_, err := c.Sites(t.Context())
		require.NoError(t, err)
	}
	got := fc.Sleeps()
	require.Len(t, got, 1, "want one short pause")
	assert.LessOrEqual(t, got[0], 10*time.Second, "want one short pause")

	c, mt, _ = newMock(t, WithoutRateLimitWait())
	mt.RegisterResponder(http.MethodGet, base+"/sites",
		respond(t, 200, "sites.json", rateHeaders(50, 0, 200)).Once().Then(respond(t, 429, "error_429.json", nil)))
	_, _ = c.Sites(t.Context())
	_, err := c.Sites(t.Context())
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.Equal(t, 50, rle.Limit)
	assert.True(t, rle.ResetAt.Equal(t0.Add(200*time.Second)), "want the last known reset, got %v", rle.ResetAt)
}

// Test429WithoutHeadersAfterQuotaSpent: with the limiter off, a bare 429
// after an answer that reported the quota spent is waited out until that
// answer's reset, not just briefly.
func Test429WithoutHeadersAfterQuotaSpent(t *testing.T) {
	c, mt, fc := newMock(t, WithRateLimit(0, 0))
	mt.RegisterResponder(http.MethodGet, base+"/sites",
		respond(t, 200, "sites.json", rateHeaders(50, 0, 200)).Once().
			Then(respond(t, 429, "error_429.json", nil).Once()).
			Then(respond(t, 200, "sites.json", nil)))
	for range 2 {
		_, err := c.Sites(t.Context())
		require.NoError(t, err)
	}
	assert.Equal(t, []time.Duration{201 * time.Second}, fc.Sleeps(), "the last reported reset + 1 s margin")
}

func TestRetryAfterHeader(t *testing.T) {
	c, mt, fc := newMock(t)
	h := http.Header{"Retry-After": {"7"}}
	mt.RegisterResponder(http.MethodGet, base+"/sites",
		respond(t, 429, "error_429.json", h).Once().Then(httpmock.NewStringResponder(200, "[]")))
	_, err := c.Sites(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{7 * time.Second}, fc.Sleeps())
}

func TestWithRateLimitOff(t *testing.T) {
	c, mt, fc := newMock(t, WithRateLimit(0, 0))
	mt.RegisterResponder(http.MethodGet, base+"/sites", httpmock.NewStringResponder(200, "[]"))
	for range 60 {
		_, err := c.Sites(t.Context())
		require.NoError(t, err)
	}
	assert.Empty(t, fc.Sleeps(), "slept with the limiter off")
}

// TestWaitsAreBoundedByTheDeadline uses the real clock: a wait the
// context's deadline would cut short is not begun, for the client's own
// budget and for a 429 alike.
func TestWaitsAreBoundedByTheDeadline(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c := mustNew(t, testToken, WithHTTPClient(&http.Client{Transport: mt}), WithRateLimit(1, time.Hour))
	mt.RegisterResponder(http.MethodGet, base+"/sites", httpmock.NewStringResponder(200, "[]"))
	_, err := c.Sites(t.Context())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c.Sites(ctx)
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, rle.Local)
	assert.GreaterOrEqual(t, time.Until(rle.ResetAt), 59*time.Minute, "want a reset in about an hour")
	assert.Equal(t, 1, mt.GetTotalCallCount(), "the refused call must not be sent")

	c = mustNew(t, testToken, WithHTTPClient(&http.Client{Transport: mt}))
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 429, "error_429.json", rateHeaders(50, 0, 120)))
	_, err = c.Sites(ctx)
	require.ErrorAs(t, err, &rle)
	assert.False(t, rle.Local, "want one server 429, not waited out")
	assert.Equal(t, 2, mt.GetTotalCallCount(), "requests in all")
	assert.LessOrEqual(t, time.Since(start), time.Second, "nothing should have waited")
}
