package amber

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// DefaultBaseURL is the Amber public API.
const DefaultBaseURL = "https://api.amber.com.au/v1"

// Option configures a Client. New reports a bad option as a
// *energy.FieldError naming it.
type Option func(*options)

type options struct {
	rest         rest.Options // the settings every gridwire REST client shares
	limit        int
	window       time.Duration
	explicitRate bool
	noWait       bool
}

func defaultOptions() options {
	return options{rest: rest.DefaultOptions(DefaultBaseURL), limit: DefaultRateLimit, window: DefaultRateWindow}
}

func (o options) validate() error {
	if err := o.rest.Validate(); err != nil {
		return err
	}
	if o.limit > 0 && o.window <= 0 {
		return energy.Invalid("WithRateLimit", "window %v is not positive", o.window)
	}
	return nil
}

// WithHTTPClient sends requests through hc (its Transport, Timeout and
// Jar). The client works on a copy that refuses redirects to another origin;
// hc itself is not changed. The default is a client with WithTimeout's
// timeout.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.rest.HTTPClient = hc } }

// WithBaseURL points the client at another server speaking the Amber API,
// such as ambertest's fake. It must be an absolute http or https URL. The
// default is DefaultBaseURL.
func WithBaseURL(u string) Option { return func(o *options) { o.rest.BaseURL = u } }

// WithUserAgent puts product (such as "myapp/1.2") before gridwire's own
// User-Agent. The default is gridwire's alone.
func WithUserAgent(product string) Option { return func(o *options) { o.rest.UserAgent = product } }

// WithLogger logs each request at debug level and retries and rate-limit
// waits at warn level. The token never appears in the records. A nil logger
// is an error; the default is silence.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.rest.Logger = l } }

// WithClock sets the clock that rate-limit waits, retry back-off, reset
// estimates and "today" go by. A nil clock is an error; the default is the
// system clock. Tests pass a clock.Fake.
func WithClock(c clock.Clock) Option { return func(o *options) { o.rest.Clock = c } }

// WithRetries sets how many times a request that failed with a network
// error or a 5xx answer is tried again, with capped exponential back-off;
// 0 means never, a negative n is an error. The default is 2.
func WithRetries(n int) Option { return func(o *options) { o.rest.Retries = n } }

// WithTimeout bounds each attempt when WithHTTPClient is not given (that
// client's own Timeout applies otherwise). The default is 30 s; 0 means no
// bound but the context's; a negative d is an error.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.rest.Timeout = d } }

// WithRateLimit sets the client-side budget: at most n requests per window,
// a burst beyond it waiting for the window to end. The budget is kept even
// when the API reports another policy (use it to leave room for other
// programs sharing the account's quota); the API's Remaining and Reset
// still apply on top of it. Without this option the budget starts at 50
// per 300 s and follows the policy the API reports. n ≤ 0 turns the
// client-side limiter off: calls then go out at once and rely on the 429
// handling alone. With n > 0, a window that is not positive is an error.
func WithRateLimit(n int, window time.Duration) Option {
	return func(o *options) { o.limit, o.window, o.explicitRate = n, window, true }
}

// WithoutRateLimitWait makes the client return a *RateLimitError at once
// instead of waiting: when its own budget is spent (no request is sent) and
// when Amber answers 429. By default it waits, as long as the context
// allows, and retries a 429 once after the reported reset.
func WithoutRateLimitWait() Option { return func(o *options) { o.noWait = true } }
