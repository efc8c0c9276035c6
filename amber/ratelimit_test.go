package amber

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

func TestParseRateLimit(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
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
		{"amber", h("RateLimit-Limit", "50", "RateLimit-Remaining", "37", "RateLimit-Reset", "212", "RateLimit-Policy", "50;w=300"),
			true, false, 50, 37, 212 * time.Second, 300 * time.Second},
		{"none", h(), false, false, 0, 0, 0, 0},
		{"policy list picks the limit's", h("RateLimit-Limit", "1000", "RateLimit-Remaining", "3", "RateLimit-Reset", "9",
			"RateLimit-Policy", "50;w=300, 1000;w=86400;comment=\"daily\""), true, false, 1000, 3, 9 * time.Second, 86400 * time.Second},
		{"later draft form", h("RateLimit-Policy", `"default";q=50;w=300`), true, false, 50, -1, 0, 300 * time.Second},
		{"spaces", h("RateLimit-Limit", " 50 ", "RateLimit-Remaining", "0", "RateLimit-Reset", " 5"), true, false, 50, 0, 5 * time.Second, 0},
		{"bad limit", h("RateLimit-Limit", "lots"), false, true, 0, 0, 0, 0},
		{"negative remaining", h("RateLimit-Remaining", "-1"), false, true, 0, 0, 0, 0},
		{"bad reset", h("RateLimit-Reset", "Thu, 01 Jan 2026 00:00:00 GMT"), false, true, 0, 0, 0, 0},
		{"bad window", h("RateLimit-Policy", "50;w=soon"), false, true, 0, 0, 0, 0},
		{"no quota", h("RateLimit-Policy", ";w=300"), false, true, 0, 0, 0, 0},
	}
	for _, tc := range cases {
		st, ok, err := parseRateLimit(tc.h, t0)
		if ok != tc.ok || (err != nil) != tc.bad {
			t.Errorf("%s: ok %v err %v; want ok %v, error %v", tc.name, ok, err, tc.ok, tc.bad)
			continue
		}
		if !ok {
			continue
		}
		if st.Limit != tc.limit || st.Remaining != tc.remain || st.Reset != tc.reset || st.Window != tc.window || !st.ObservedAt.Equal(t0) {
			t.Errorf("%s: %+v", tc.name, st)
		}
		if tc.reset > 0 && !st.ResetAt.Equal(t0.Add(tc.reset)) {
			t.Errorf("%s: ResetAt %v, want %v", tc.name, st.ResetAt, t0.Add(tc.reset))
		}
	}
}

func TestRateLimitState(t *testing.T) {
	c, mt, fc := newMock(t)
	if _, ok := c.RateLimit(); ok {
		t.Fatal("RateLimit reported a state before any answer")
	}
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 200, "sites.json", rateHeaders(50, 42, 120)))
	fc.Advance(time.Minute)
	if _, err := c.Sites(t.Context()); err != nil {
		t.Fatal(err)
	}
	st, ok := c.RateLimit()
	want := RateLimitState{Limit: 50, Remaining: 42, Reset: 120 * time.Second, ResetAt: t0.Add(3 * time.Minute),
		Window: 300 * time.Second, Policy: "50;w=300", ObservedAt: t0.Add(time.Minute)}
	if !ok || st != want {
		t.Errorf("RateLimit() = %+v, %v\nwant %+v", st, ok, want)
	}
	// An error answer's headers count too.
	mt.RegisterResponder(http.MethodGet, base+"/sites/x/prices/current", respond(t, 404, "error_404.json", rateHeaders(50, 41, 100)))
	_, _ = c.CurrentPrices(t.Context(), "x", CurrentPricesParams{})
	if st, _ := c.RateLimit(); st.Remaining != 41 {
		t.Errorf("after a 404, Remaining = %d, want 41", st.Remaining)
	}
	// A malformed header is ignored, not fatal.
	bad := rateHeaders(50, 40, 90)
	bad.Set("RateLimit-Remaining", "many")
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 200, "sites.json", bad))
	if _, err := c.Sites(t.Context()); err != nil {
		t.Fatalf("a malformed rate-limit header failed the call: %v", err)
	}
	if st, _ := c.RateLimit(); st.Remaining != 41 {
		t.Errorf("a malformed header changed the state: %+v", st)
	}
}

func TestLimiterBurstWaitsForTheWindow(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, 3, 10*time.Second, true, false)
	for i := range 7 {
		if err := l.Wait(t.Context()); err != nil {
			t.Fatalf("Wait %d: %v", i, err)
		}
	}
	// Three per window: the 4th and the 7th wait for a window to end.
	if got, want := fc.Sleeps(), []time.Duration{10 * time.Second, 10 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("slept %v, want %v", got, want)
	}
	if got := fc.Now().Sub(t0); got != 20*time.Second {
		t.Errorf("seven requests took %v, want 20s", got)
	}
}

func TestLimiterFollowsTheServer(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, DefaultRateLimit, DefaultRateWindow, false, false)
	// The account's quota is shared: another program has spent it.
	l.observe(RateLimitState{Limit: 50, Remaining: 0, Reset: 42 * time.Second, ResetAt: t0.Add(42 * time.Second), Window: 300 * time.Second})
	if err := l.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := fc.Sleeps(); !slices.Equal(got, []time.Duration{42 * time.Second}) {
		t.Errorf("slept %v, want [42s] (until the reported reset)", got)
	}
	// Re-seeded from the policy: 2 per minute.
	l.observe(RateLimitState{Limit: 2, Remaining: 2, ResetAt: fc.Now().Add(time.Minute), Window: time.Minute})
	for range 3 {
		if err := l.Wait(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if got := fc.Sleeps(); len(got) != 2 {
		t.Errorf("slept %v; want a second wait once the server's 2 were spent", got)
	}
}

func TestLimiterKeepsAnExplicitBudget(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, 2, time.Minute, true, false)
	l.observe(RateLimitState{Limit: 50, Remaining: 50, ResetAt: t0.Add(5 * time.Minute), Window: 5 * time.Minute})
	for range 3 {
		if err := l.Wait(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if got := fc.Sleeps(); !slices.Equal(got, []time.Duration{time.Minute}) {
		t.Errorf("slept %v; the caller's 2 per minute must hold", got)
	}
}

func TestLimiterWithoutWaiting(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, 1, time.Minute, true, true)
	if err := l.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	err := l.Wait(t.Context())
	var rle *RateLimitError
	if !errors.As(err, &rle) || !rle.Local || !rle.ResetAt.Equal(t0.Add(time.Minute)) || !errors.Is(err, energy.ErrRateLimited) {
		t.Fatalf("err = %v; want a local *RateLimitError resetting at %v", err, t0.Add(time.Minute))
	}
	if len(fc.Sleeps()) != 0 {
		t.Error("slept although waiting is off")
	}
}

func TestLimiterHonoursContext(t *testing.T) {
	fc := clock.NewFake(t0)
	l := newLimiter(fc, 1, time.Minute, true, false)
	_ = l.Wait(t.Context())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", err)
	}
}

func Test429IsWaitedOutAndRetried(t *testing.T) {
	c, mt, fc := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/sites",
		respond(t, 429, "error_429.json", rateHeaders(50, 0, 17)).Once().Then(respond(t, 200, "sites.json", rateHeaders(50, 49, 300))))
	sites, err := c.Sites(t.Context())
	if err != nil || len(sites) != 3 {
		t.Fatalf("Sites = %d sites, %v", len(sites), err)
	}
	if got := fc.Sleeps(); !slices.Equal(got, []time.Duration{18 * time.Second}) {
		t.Errorf("slept %v, want [18s] (reset + 1 s margin)", got)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func Test429WithoutWaiting(t *testing.T) {
	c, mt, fc := newMock(t, WithoutRateLimitWait())
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 429, "error_429.json", rateHeaders(50, 0, 17)))
	_, err := c.Sites(t.Context())
	var rle *RateLimitError
	if !errors.As(err, &rle) {
		t.Fatalf("err = %v (%T); want *RateLimitError", err, err)
	}
	want := RateLimitError{ResetAt: t0.Add(17 * time.Second), Limit: 50, Remaining: 0, Policy: "50;w=300", Message: "Too Many Requests"}
	if *rle != want || !errors.Is(err, energy.ErrRateLimited) {
		t.Errorf("err = %+v\nwant %+v", *rle, want)
	}
	if n := mt.GetTotalCallCount(); n != 1 || len(fc.Sleeps()) != 0 {
		t.Errorf("%d requests, slept %v; want 1 request and no wait", n, fc.Sleeps())
	}
	if s := err.Error(); s != "amber: rate limited: 0 of 50 requests left; quota resets at 2026-01-28T00:17:17Z: Too Many Requests" {
		t.Errorf("Error() = %q", s)
	}
}

func Test429TwiceIsARateLimitError(t *testing.T) {
	c, mt, fc := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 429, "error_429.json", rateHeaders(50, 0, 30)))
	_, err := c.Sites(t.Context())
	var rle *RateLimitError
	if !errors.As(err, &rle) || rle.Local || !rle.ResetAt.After(t0) {
		t.Fatalf("err = %v; want a *RateLimitError from the server", err)
	}
	if n := mt.GetTotalCallCount(); n != 2 || len(fc.Sleeps()) != 1 {
		t.Errorf("%d requests, slept %v; want one wait and one retry", n, fc.Sleeps())
	}
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
		if _, err := c.Sites(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if got := fc.Sleeps(); len(got) != 1 || got[0] > 10*time.Second {
		t.Errorf("slept %v; want one short pause", got)
	}

	c, mt, _ = newMock(t, WithoutRateLimitWait())
	mt.RegisterResponder(http.MethodGet, base+"/sites",
		respond(t, 200, "sites.json", rateHeaders(50, 0, 200)).Once().Then(respond(t, 429, "error_429.json", nil)))
	_, _ = c.Sites(t.Context())
	_, err := c.Sites(t.Context())
	var rle *RateLimitError
	if !errors.As(err, &rle) || rle.Limit != 50 || !rle.ResetAt.Equal(t0.Add(200*time.Second)) {
		t.Errorf("err = %+v; want the last known reset", err)
	}
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
		if _, err := c.Sites(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if got := fc.Sleeps(); !slices.Equal(got, []time.Duration{201 * time.Second}) {
		t.Errorf("slept %v, want [3m21s] (the last reported reset + 1 s margin)", got)
	}
}

func TestRetryAfterHeader(t *testing.T) {
	c, mt, fc := newMock(t)
	h := http.Header{"Retry-After": {"7"}}
	mt.RegisterResponder(http.MethodGet, base+"/sites",
		respond(t, 429, "error_429.json", h).Once().Then(httpmock.NewStringResponder(200, "[]")))
	if _, err := c.Sites(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := fc.Sleeps(); !slices.Equal(got, []time.Duration{7 * time.Second}) {
		t.Errorf("slept %v, want [7s]", got)
	}
}

func TestWithRateLimitOff(t *testing.T) {
	c, mt, fc := newMock(t, WithRateLimit(0, 0))
	mt.RegisterResponder(http.MethodGet, base+"/sites", httpmock.NewStringResponder(200, "[]"))
	for range 60 {
		if _, err := c.Sites(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if len(fc.Sleeps()) != 0 {
		t.Errorf("slept %v with the limiter off", fc.Sleeps())
	}
}

// TestWaitsAreBoundedByTheDeadline uses the real clock: a wait the
// context's deadline would cut short is not begun, for the client's own
// budget and for a 429 alike.
func TestWaitsAreBoundedByTheDeadline(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c := mustNew(t, testToken, WithHTTPClient(&http.Client{Transport: mt}), WithRateLimit(1, time.Hour))
	mt.RegisterResponder(http.MethodGet, base+"/sites", httpmock.NewStringResponder(200, "[]"))
	if _, err := c.Sites(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Sites(ctx)
	var rle *RateLimitError
	if !errors.As(err, &rle) || !rle.Local || time.Until(rle.ResetAt) < 59*time.Minute {
		t.Errorf("err = %v; want a local *RateLimitError resetting in about an hour", err)
	}

	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests; the refused call must not be sent", n)
	}

	c = mustNew(t, testToken, WithHTTPClient(&http.Client{Transport: mt}))
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 429, "error_429.json", rateHeaders(50, 0, 120)))
	_, err = c.Sites(ctx)
	if n := mt.GetTotalCallCount(); !errors.As(err, &rle) || rle.Local || n != 2 {
		t.Errorf("err = %v after %d requests in all; want one server 429, not waited out", err, n)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v; nothing should have waited", d)
	}
}
