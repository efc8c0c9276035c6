package alphaess

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
)

// Option configures a Client.
type Option func(*config)

type config struct {
	baseURL     string
	httpClient  *http.Client
	logger      *slog.Logger
	clock       clock.Clock
	loc         *time.Location
	sn          string
	minInterval time.Duration
	retries     int
	verify      bool
}

// WithBaseURL sets the API's base URL, DefaultBaseURL by default; endpoint
// names are appended to it ("{base}/getEssList"). Use it to reach a fake
// (alphaesstest) or any other server that speaks the Open API.
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithHTTPClient sets the HTTP client requests go through; by default one
// with a 30 s timeout.
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithLogger sets where the client logs (debug records per attempt, warnings
// for retries and slow-downs). Nil, the default, is silent. Secrets and
// signatures are never logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithClock sets the clock that timestamps signatures, paces calls, times
// back-off and stamps snapshots; the system clock by default.
func WithClock(cl clock.Clock) Option { return func(c *config) { c.clock = cl } }

// WithLocation sets the time zone of the systems: the zone in which
// AlphaESS counts days (queryDate), writes uploadTime and runs the charge
// and discharge windows. The default is time.Local, which is right when the
// program runs where the system is; set it otherwise (containers often run
// in UTC). Client.In overrides it per system.
func WithLocation(loc *time.Location) Option { return func(c *config) { c.loc = loc } }

// WithSerialNumber sets the default system serial number (sysSn) for the
// per-system methods, so that New(…).LastPowerData works without
// Client.System.
func WithSerialNumber(sn string) Option { return func(c *config) { c.sn = sn } }

// WithMinInterval sets the minimum spacing between the starts of two calls,
// DefaultMinInterval by default. 0 turns pacing off until the server first
// answers 6053 (too fast); after that the client keeps at least
// DefaultMinInterval, doubling on every further 6053.
func WithMinInterval(d time.Duration) Option { return func(c *config) { c.minInterval = max(d, 0) } }

// WithRetries sets how many times a request that failed with a network
// error or a 5xx answer is tried again (reads and value-setting writes
// only); 2 by default, 0 (or less) for never.
func WithRetries(n int) Option { return func(c *config) { c.retries = n } }

// WithVerifyWrites makes every settings write read the value back and return
// a *NotAppliedError when it differs. AlphaESS answers code 200 for writes
// that the device then ignores (the 24 h write limit, model restrictions,
// backend migrations), so only a read-back shows whether a write stuck. It
// costs one more call per write.
func WithVerifyWrites(on bool) Option { return func(c *config) { c.verify = on } }
