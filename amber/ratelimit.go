package amber

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/internal/rest"
)

// Amber's quota, as announced in 2023: 50 requests per 5 minutes per
// account. The client starts from it and follows what the API's RateLimit
// headers say once it has seen them.
const (
	DefaultRateLimit  = 50
	DefaultRateWindow = 300 * time.Second
)

// resetMargin is added to a server-given reset delay before retrying: the
// delay is whole seconds, and retrying exactly on the boundary races the
// server's own clock.
const resetMargin = time.Second

// maxRateWait bounds any wait for Amber's quota, the client's own limiter
// and a 429's reset alike: the documented window plus a margin. A server
// that asks for longer (a year, say) is not believed: the call fails at
// once with a *RateLimitError instead of blocking.
const maxRateWait = DefaultRateWindow + 30*resetMargin

// RateLimitState is the account's quota as the API last reported it, in the
// RateLimit-Limit, -Remaining, -Reset and -Policy headers (the IETF
// httpapi-ratelimit-headers draft). An answer that leaves some headers out
// (API Gateway's 429s often carry RateLimit-Reset alone) keeps what earlier
// answers said: Limit, Window and Policy from the last answer that gave
// them (at first Amber's documented 50 per 300 s), and Remaining from the
// last answer, or 0 for a 429.
type RateLimitState struct {
	// Limit is the number of requests allowed per window.
	Limit int
	// Remaining is what was left of the quota after the request.
	Remaining int
	// Reset is how long the window still had to run, as sent.
	Reset time.Duration
	// ResetAt estimates when the quota is renewed: ObservedAt + Reset, by
	// the client's clock. It is zero when the answer gave no reset.
	ResetAt time.Time
	// Window is the length of the quota window, from the policy's "w"
	// parameter (300 s for "50;w=300"), or 0 when there was no policy.
	Window time.Duration
	// Policy is the raw RateLimit-Policy header.
	Policy string
	// ObservedAt is when the answer carrying these headers arrived.
	ObservedAt time.Time
}

// RateLimit returns the rate-limit state of the last answer that carried
// RateLimit headers; ok is false before the first one. It makes no request.
// (The public renewables endpoint sends no such headers and leaves it be.)
func (c *Client) RateLimit() (st RateLimitState, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rl, c.haveRL
}

// onResponse is rest's per-attempt hook: it records the RateLimit headers of
// every answer, errors and 429s included, and re-seeds the limiter.
func (c *Client) onResponse(resp *http.Response) {
	st, ok, err := parseRateLimit(resp.Header, c.clock.Now())
	if err != nil {
		// A malformed header must not fail the call it came with; the
		// limiter keeps its previous view and we say why.
		c.log.Warn("amber: ignoring malformed rate-limit headers", "error", err.Error())
		return
	}
	if !ok {
		return
	}
	if st.Reset > maxRateWait || st.Window > maxRateWait {
		c.log.Warn("amber: rate-limit headers report a window longer than Amber's; waits stay bounded",
			"reset", st.Reset, "window", st.Window, "bound", maxRateWait)
	}
	c.mu.Lock()
	st = c.completeLocked(st, resp.StatusCode)
	c.rl, c.haveRL = st, true
	c.mu.Unlock()
	if c.limiter != nil {
		c.limiter.observe(st)
	}
}

// completeLocked fills in what an answer's headers left out (-1 or zero)
// from the previous state, as RateLimitState describes. c.mu must be held.
func (c *Client) completeLocked(st RateLimitState, status int) RateLimitState {
	prev := RateLimitState{Limit: DefaultRateLimit, Remaining: -1, Window: DefaultRateWindow}
	if c.haveRL {
		prev = c.rl
	}
	if st.Limit < 0 {
		st.Limit = prev.Limit
		if st.Window == 0 {
			st.Window, st.Policy = prev.Window, prev.Policy
		}
	}
	if st.Remaining < 0 {
		switch {
		case status == http.StatusTooManyRequests:
			st.Remaining = 0
		case prev.Remaining >= 0:
			st.Remaining = prev.Remaining
		default:
			st.Remaining = st.Limit
		}
	}
	return st
}

// retryAfter is rest's hook for 429s: wait out RateLimit-Reset (plus a
// margin), else Retry-After, else what the last headers said. ok is false
// when nothing says, and rest backs off briefly instead (Amber also sends
// 429s while quota remains, which a short pause usually clears).
func (c *Client) retryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	// Bounded by rest.MaxServerWait, so a huge value cannot overflow into a
	// negative wait; rest then refuses anything over maxRateWait.
	if d, ok := rest.ParseSeconds(resp.Header.Get("RateLimit-Reset")); ok {
		return d + resetMargin, true
	}
	if d, ok := rest.ParseRetryAfter(resp, now); ok {
		return d, true
	}
	if st, ok := c.RateLimit(); ok && st.Remaining == 0 && st.ResetAt.After(now) {
		return st.ResetAt.Sub(now) + resetMargin, true
	}
	return 0, false
}

// parseRateLimit reads the RateLimit headers. ok is false when none is
// present; err reports one that is present but malformed.
func parseRateLimit(h http.Header, now time.Time) (st RateLimitState, ok bool, err error) {
	limit, remaining, reset := h.Get("RateLimit-Limit"), h.Get("RateLimit-Remaining"), h.Get("RateLimit-Reset")
	st = RateLimitState{Limit: -1, Remaining: -1, Policy: h.Get("RateLimit-Policy"), ObservedAt: now}
	if limit == "" && remaining == "" && reset == "" && st.Policy == "" {
		return RateLimitState{}, false, nil
	}
	num := func(name, v string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return 0, fmt.Errorf("RateLimit-%s %q is not a non-negative integer", name, v)
		}
		return n, nil
	}
	if limit != "" {
		if st.Limit, err = num("Limit", limit); err != nil {
			return RateLimitState{}, false, err
		}
	}
	if remaining != "" {
		if st.Remaining, err = num("Remaining", remaining); err != nil {
			return RateLimitState{}, false, err
		}
	}
	if reset != "" {
		d, ok := rest.ParseSeconds(reset)
		if !ok {
			return RateLimitState{}, false, fmt.Errorf("RateLimit-Reset %q is not a non-negative integer", reset)
		}
		st.Reset, st.ResetAt = d, now.Add(d)
	}
	if st.Policy != "" {
		pols, err := parsePolicy(st.Policy)
		if err != nil {
			return RateLimitState{}, false, err
		}
		// With several policies, the limit header names the one in force.
		p := pols[0]
		for _, q := range pols {
			if q.limit == st.Limit {
				p = q
				break
			}
		}
		st.Window = p.window
		if st.Limit < 0 {
			st.Limit = p.limit
		}
	}
	return st, true, nil
}

type policy struct {
	limit  int
	window time.Duration
}

// parsePolicy parses RateLimit-Policy: a list of RFC 8941 items, each a
// quota with a "w" (window, seconds) parameter, such as "50;w=300" or
// "50;w=300, 1000;w=86400". The later draft's form, a name with a "q"
// (quota) parameter ("default";q=50;w=300), is accepted too; other
// parameters are ignored.
func parsePolicy(v string) ([]policy, error) {
	var out []policy
	for _, item := range strings.Split(v, ",") {
		parts := strings.Split(strings.TrimSpace(item), ";")
		p := policy{limit: -1}
		if n, err := strconv.Atoi(strings.TrimSpace(parts[0])); err == nil && n >= 0 {
			p.limit = n
		}
		for _, param := range parts[1:] {
			k, val, _ := strings.Cut(strings.TrimSpace(param), "=")
			n, err := strconv.Atoi(strings.TrimSpace(val))
			switch k {
			case "w":
				// Capped like a reset, so a window of years cannot overflow.
				d, ok := rest.ParseSeconds(val)
				if !ok || d <= 0 {
					return nil, fmt.Errorf("RateLimit-Policy %q: bad window %q", v, val)
				}
				p.window = d
			case "q":
				if err != nil || n < 0 {
					return nil, fmt.Errorf("RateLimit-Policy %q: bad quota %q", v, val)
				}
				p.limit = n
			}
		}
		if p.limit < 0 {
			return nil, fmt.Errorf("RateLimit-Policy %q: item %q has no quota", v, item)
		}
		out = append(out, p)
	}
	return out, nil
}

// limiter paces requests so that a burst waits instead of running into 429s.
// It keeps two budgets and grants a request only when both allow it:
//
//   - its own fixed window: limit requests per window, the window opening
//     at the first request after the previous one closed (Amber counts the
//     same way). It starts at 50 per 300 s; unless the caller set a budget
//     with WithRateLimit, it follows the policy the API reports.
//   - the server's view: the Remaining and Reset of the latest answer. Once
//     Remaining is spent, requests wait until the reported reset; after the
//     reset the server's view is stale and only the own window applies.
//
// Waiting goes through the injected clock, so tests need no real sleeping.
// Requests in flight when an answer arrives are not yet in the server's
// Remaining, so a burst may overshoot by as many; the 429 handling covers
// that.
type limiter struct {
	clock    clock.Clock
	noWait   bool // return a *RateLimitError instead of waiting
	explicit bool // the budget was set by the caller: keep it

	mu          sync.Mutex
	limit       int
	window      time.Duration
	used        int
	windowStart time.Time
	windowEnd   time.Time // zero: no window open

	srvKnown     bool
	srvRemaining int
	srvResetAt   time.Time // when the server says its quota renews
	srvStaleAt   time.Time // when its view is dropped: srvResetAt, at most maxRateWait on
}

func newLimiter(c clock.Clock, limit int, window time.Duration, explicit, noWait bool) *limiter {
	return &limiter{clock: c, limit: limit, window: window, explicit: explicit, noWait: noWait}
}

// Wait blocks until a request may be sent, or ctx is done. With noWait, or
// when the wait would outlast ctx's deadline, it returns a *RateLimitError at
// once instead of waiting.
func (l *limiter) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := l.clock.Now()
		l.mu.Lock()
		d, ok := l.reserve(now)
		lim, bound := l.limit, l.maxWait()
		l.mu.Unlock()
		if ok {
			return nil
		}
		// Like rest's handling of 429s, a wait that would outlast the
		// context's deadline, or is longer than Amber's window allows, is
		// not begun: the caller learns at once that the budget is spent,
		// and until when.
		if dl, has := ctx.Deadline(); l.noWait || d > bound || (has && now.Add(d).After(dl)) {
			return &RateLimitError{Local: true, ResetAt: now.Add(d), Limit: lim, Remaining: 0}
		}
		if err := l.clock.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// reserve takes one request from both budgets, or says how long to wait.
// l.mu must be held.
func (l *limiter) reserve(now time.Time) (time.Duration, bool) {
	if !l.windowEnd.IsZero() && !now.Before(l.windowEnd) {
		l.used, l.windowEnd = 0, time.Time{}
	}
	if l.used >= l.limit {
		return l.windowEnd.Sub(now), false
	}
	if l.srvKnown && !now.Before(l.srvStaleAt) {
		l.srvKnown = false
	}
	if l.srvKnown && l.srvRemaining <= 0 {
		return l.srvResetAt.Sub(now), false
	}
	if l.windowEnd.IsZero() {
		l.windowStart, l.windowEnd = now, now.Add(l.window)
	}
	l.used++
	if l.srvKnown {
		l.srvRemaining--
	}
	return 0, true
}

// maxWait is the longest wait Wait begins: Amber's window plus a margin,
// or the caller's own window (WithRateLimit) plus a margin when that is
// longer. l.mu must be held.
func (l *limiter) maxWait() time.Duration {
	if l.explicit {
		return max(maxRateWait, l.window+30*resetMargin)
	}
	return maxRateWait
}

// observe re-seeds the limiter from an answer's headers. A policy window
// longer than maxRateWait is not adopted, and a reset further away than
// that is believed only for as long: a server claiming a year-long window
// gets a *RateLimitError at once for a while, never a year of blocking, and
// after maxRateWait the client asks again.
func (l *limiter) observe(st RateLimitState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.explicit && st.Limit > 0 && st.Window > 0 && st.Window <= maxRateWait {
		l.limit, l.window = st.Limit, st.Window
		if !l.windowEnd.IsZero() {
			l.windowEnd = l.windowStart.Add(st.Window)
		}
	}
	if st.Remaining >= 0 && !st.ResetAt.IsZero() {
		l.srvKnown, l.srvRemaining, l.srvResetAt = true, st.Remaining, st.ResetAt
		l.srvStaleAt = st.ResetAt
		if st.Reset > maxRateWait {
			l.srvStaleAt = st.ObservedAt.Add(maxRateWait)
		}
	}
}
