package oscp

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/internal/rest"
	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

// DefaultBaseURL is SolarNetwork's public server; the SolarUser OSCP API is
// under APIPath on it.
const DefaultBaseURL = "https://data.solarnetwork.net"

// APIPath is where the SolarUser OSCP API lives on a SolarNetwork server.
const APIPath = "/solaruser/api/v1/sec/user/oscp"

// Option configures a Client.
type Option func(*options)

type options struct {
	rest   rest.Options
	signer []snws2.Option
}

// WithHTTPClient sends requests through hc. The default is a client with
// the WithTimeout timeout.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.rest.HTTPClient = hc } }

// WithBaseURL points the client at another SolarNetwork server (or the
// oscptest fake): an absolute http(s) URL to which APIPath is appended. The
// default is DefaultBaseURL.
func WithBaseURL(u string) Option { return func(o *options) { o.rest.BaseURL = u } }

// WithUserAgent puts ua in front of gridwire's User-Agent.
func WithUserAgent(ua string) Option { return func(o *options) { o.rest.UserAgent = ua } }

// WithLogger logs each request at debug level and retries at warn level;
// no token, secret or signature appears in the records. nil is an error.
// The default is silence.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.rest.Logger = l } }

// WithClock sets the clock that dates signatures and times back-off. nil is
// an error. The default is the system clock.
func WithClock(c clock.Clock) Option { return func(o *options) { o.rest.Clock = c } }

// WithRetries sets how many times a read that failed with a network error
// or a 5xx answer is tried again; writes are never retried. 0 means never;
// negative is an error. The default is 2.
func WithRetries(n int) Option { return func(o *options) { o.rest.Retries = n } }

// WithTimeout bounds each attempt when WithHTTPClient is not given. The
// default is 30 s.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.rest.Timeout = d } }

// WithSignerOptions passes options to the SNWS2 signer, such as
// snws2.WithDateHeader or snws2.WithForcedHostPort. The signer's clock is
// the client's (WithClock).
func WithSignerOptions(opts ...snws2.Option) Option {
	return func(o *options) { o.signer = append(o.signer, opts...) }
}
