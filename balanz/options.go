package balanz

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// Defaults of a new Client.
const (
	// DefaultReadLimit is the largest answer the client reads: far above the
	// largest real answers (GetGroups with details, DrawAll, GetSessions
	// with charging histories), which run to a few hundred KiB.
	DefaultReadLimit = 32 << 20
	// DefaultTimeout bounds a call whose context has no deadline. OCPP
	// pass-through commands wait for the charger, and balanz answers one
	// call at a time, so this is generous.
	DefaultTimeout = 60 * time.Second
	// DefaultWriteTimeout bounds sending one frame.
	DefaultWriteTimeout = 10 * time.Second
	// Subprotocol is the WebSocket subprotocol balanz requires.
	Subprotocol = "ocpp1.6"
)

// Option configures a Client.
type Option func(*options)

type options struct {
	httpClient *http.Client
	userAgent  string
	logger     *slog.Logger
	clock      clock.Clock
	timeout    time.Duration
	readLimit  int64
	loc        *time.Location
	reconnect  bool
	minBackoff time.Duration
	maxBackoff time.Duration
	err        error // the first bad option
}

func defaultOptions() options {
	return options{
		httpClient: http.DefaultClient,
		userAgent:  rest.UserAgent,
		logger:     slog.New(slog.DiscardHandler),
		clock:      clock.System(),
		timeout:    DefaultTimeout,
		readLimit:  DefaultReadLimit,
		loc:        time.Local,
		minBackoff: 500 * time.Millisecond,
		maxBackoff: 30 * time.Second,
	}
}

func (o *options) fail(option, format string, args ...any) {
	o.failWith(energy.Invalid(option, format, args...))
}

// failWith keeps err unless an earlier option failed.
func (o *options) failWith(err error) {
	if o.err == nil {
		o.err = err
	}
}

// WithHTTPClient sets the HTTP client used for the WebSocket handshake
// (proxies, TLS settings). Default (and nil, as in the REST vendors)
// http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.httpClient = hc } }

// WithUserAgent puts ua (such as "myapp/1.0") before gridwire's own
// User-Agent in the handshake, as the REST vendors' option of that name
// does; a line break in it is an error.
func WithUserAgent(ua string) Option {
	return func(o *options) {
		if err := rest.ValidateUserAgent(ua); err != nil {
			o.failWith(err)
		} else if ua != "" {
			o.userAgent = rest.ProductUserAgent(ua)
		}
	}
}

// WithLogger sets where the client logs (connection drops, reconnections,
// answers that match no call). Default: silence.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l == nil {
			o.fail("WithLogger", "nil logger (omit the option for silence)")
			return
		}
		o.logger = l
	}
}

// WithClock sets the clock that measured-at times and reconnection back-off
// use. Default the system clock.
func WithClock(c clock.Clock) Option {
	return func(o *options) {
		if c == nil {
			o.fail("WithClock", "nil clock (omit the option for the system clock)")
			return
		}
		o.clock = c
	}
}

// WithTimeout bounds each call whose context has no earlier deadline.
// Default DefaultTimeout; 0 leaves calls bounded by their context only.
func WithTimeout(d time.Duration) Option {
	return func(o *options) {
		if d < 0 {
			o.fail("WithTimeout", "negative duration %v", d)
			return
		}
		o.timeout = d
	}
}

// WithReadLimit sets the largest answer, in bytes, the client reads; a
// larger one closes the connection (every call in flight fails with an
// error wrapping energy.ErrUnavailable). Default DefaultReadLimit.
func WithReadLimit(n int64) Option {
	return func(o *options) {
		if n < 1<<10 {
			o.fail("WithReadLimit", "%d bytes is below 1 KiB", n)
			return
		}
		o.readLimit = n
	}
}

// WithLocation sets the time zone of the balanz server: it sends some times
// as "YYYY-MM-DD HH:MM:SS" wall-clock strings in its own local time, and
// filters logs by such strings. Default time.Local.
func WithLocation(loc *time.Location) Option {
	return func(o *options) {
		if loc == nil {
			o.fail("WithLocation", "nil location")
			return
		}
		o.loc = loc
	}
}

// WithReconnect turns reconnection on: when the connection drops, calls in
// flight fail (wrapping energy.ErrUnavailable), and the client redials with
// exponential back-off from min up to max, each wait jittered by ±50 %, and
// logs in again with the last token that succeeded before any new call goes
// out. New calls wait for that, within their context. If balanz refuses the
// token then, the connection is kept and calls fail with
// StatusNotAuthorized. Default off: after a drop every call fails until
// Close.
func WithReconnect(min, max time.Duration) Option {
	return func(o *options) {
		if min <= 0 || max < min {
			o.fail("WithReconnect", "want 0 < min ≤ max, got %v and %v", min, max)
			return
		}
		o.reconnect, o.minBackoff, o.maxBackoff = true, min, max
	}
}
