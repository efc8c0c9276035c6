package amber

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
)

// DefaultBaseURL is the Amber public API.
const DefaultBaseURL = "https://api.amber.com.au/v1"

// Option configures a Client.
type Option func(*options)

type options struct {
	httpClient   *http.Client
	baseURL      string
	logger       *slog.Logger
	clock        clock.Clock
	limit        int
	window       time.Duration
	explicitRate bool
	noWait       bool
	retries      int
}

// WithHTTPClient sends requests through hc (its Transport, Timeout and
// Jar). The default is a client with a 30-second timeout.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.httpClient = hc } }

// WithBaseURL points the client at another server speaking the Amber API,
// such as ambertest's fake. The default is DefaultBaseURL.
func WithBaseURL(u string) Option { return func(o *options) { o.baseURL = u } }

// WithLogger logs each request at debug level and retries and rate-limit
// waits at warn level. The token never appears in the records. The default
// is silence.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithClock sets the clock that rate-limit waits, retry back-off, reset
// estimates and "today" go by. The default is the system clock; tests pass
// a clock.Fake.
func WithClock(c clock.Clock) Option { return func(o *options) { o.clock = c } }

// WithRateLimit sets the client-side budget: at most n requests per window,
// a burst beyond it waiting for the window to end. The budget is kept even
// when the API reports another policy (use it to leave room for other
// programs sharing the account's quota); the API's Remaining and Reset
// still apply on top of it. Without this option the budget starts at 50
// per 300 s and follows the policy the API reports. n ≤ 0 turns the
// client-side limiter off: calls then go out at once and rely on the 429
// handling alone.
func WithRateLimit(n int, window time.Duration) Option {
	return func(o *options) { o.limit, o.window, o.explicitRate = n, window, true }
}

// WithoutRateLimitWait makes the client return a *RateLimitError at once
// instead of waiting: when its own budget is spent (no request is sent) and
// when Amber answers 429. By default it waits, as long as the context
// allows, and retries a 429 once after the reported reset.
func WithoutRateLimitWait() Option { return func(o *options) { o.noWait = true } }

// WithRetries sets how many times a request that failed with a network
// error or a 5xx answer is tried again, with capped exponential back-off;
// 0 (or less) means never. The default is 2.
func WithRetries(n int) Option {
	return func(o *options) {
		o.retries = n
	}
}
