package alphaess

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// Option configures a Client. New reports a bad option as a
// *energy.FieldError naming it.
type Option func(*options)

// options are New's settings: the ones every REST vendor shares, then
// AlphaESS's own.
type options struct {
	rest        rest.Options
	loc         *time.Location
	sn          string
	minInterval time.Duration
	verify      bool
}

func defaultOptions() options {
	return options{rest: rest.DefaultOptions(DefaultBaseURL), loc: time.Local, minInterval: DefaultMinInterval}
}

// validate checks the options, the shared ones first.
func (o *options) validate() error {
	switch {
	case o.loc == nil:
		return energy.Invalid("WithLocation", "nil location (omit the option for time.Local)")
	case o.minInterval < 0:
		return energy.Invalid("WithMinInterval", "%v is negative (0 turns pacing off)", o.minInterval)
	}
	return o.rest.Validate()
}

// WithHTTPClient sets the HTTP client requests go through (its Transport,
// Timeout and Jar); by default (or nil) one with WithTimeout's timeout.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.rest.HTTPClient = hc } }

// WithBaseURL sets the API's base URL, DefaultBaseURL by default; endpoint
// names are appended to it ("{base}/getEssList"). Use it to reach a fake
// (alphaesstest) or any other server that speaks the Open API. It must be
// an absolute http or https URL.
func WithBaseURL(u string) Option { return func(o *options) { o.rest.BaseURL = u } }

// WithUserAgent puts ua before gridwire's own User-Agent.
func WithUserAgent(ua string) Option { return func(o *options) { o.rest.UserAgent = ua } }

// WithLogger sets where the client logs (debug records per attempt, warnings
// for retries and slow-downs). Without it the client is silent; nil is an
// error. Secrets and signatures are never logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.rest.Logger = l } }

// WithClock sets the clock that timestamps signatures, paces calls, times
// back-off and stamps snapshots; the system clock by default, nil is an
// error.
func WithClock(c clock.Clock) Option { return func(o *options) { o.rest.Clock = c } }

// WithRetries sets how many times a request that failed with a network
// error or a 5xx answer is tried again (reads and value-setting writes
// only): 0 means never, so WithRetries(0) sends such a request once. A 429,
// and AlphaESS's 6053 ("too fast") on a call that may be repeated, are
// waited out and sent again whatever n is: the server did not act on them.
// The default is 2; a negative n is an error.
func WithRetries(n int) Option { return func(o *options) { o.rest.Retries = n } }

// WithTimeout bounds each attempt when WithHTTPClient is not given (the
// client's own Timeout applies otherwise); 30 s by default. A negative
// duration is an error.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.rest.Timeout = d } }

// WithLocation sets the time zone of the systems: the zone in which
// AlphaESS counts days (queryDate), writes uploadTime and runs the charge
// and discharge windows. The default is time.Local, which is right when the
// program runs where the system is; set it otherwise (containers often run
// in UTC). Client.In overrides it per system. Nil is an error.
func WithLocation(loc *time.Location) Option { return func(o *options) { o.loc = loc } }

// WithSerialNumber sets the default system serial number (sysSn) for the
// per-system methods, so that a Client from New works without
// Client.System.
func WithSerialNumber(sn string) Option { return func(o *options) { o.sn = sn } }

// WithMinInterval sets the minimum spacing between the starts of two calls,
// DefaultMinInterval by default. 0 turns pacing off until the server first
// answers 6053 (too fast); after that the client keeps at least
// DefaultMinInterval, doubling on every further 6053. A negative duration
// is an error.
func WithMinInterval(d time.Duration) Option { return func(o *options) { o.minInterval = d } }

// WithVerifyWrites makes every settings write read the value back and return
// a *NotAppliedError when it differs. AlphaESS answers code 200 for writes
// that the device then ignores (the 24 h write limit, model restrictions,
// backend migrations), so only a read-back shows whether a write stuck. It
// costs one more call per write.
func WithVerifyWrites(on bool) Option { return func(o *options) { o.verify = on } }
