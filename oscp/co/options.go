package co

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/internal/rest"
)

// Option configures a Client.
type Option func(*options)

type options struct{ rest rest.Options }

// WithHTTPClient sends requests through hc. The default is a client with
// the WithTimeout timeout.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.rest.HTTPClient = hc } }

// WithBaseURL sets the Flexibility Provider's OSCP 2.0 base URL, such as
// the base_url of its Register message. Required.
func WithBaseURL(u string) Option { return func(o *options) { o.rest.BaseURL = u } }

// WithUserAgent puts ua in front of gridwire's User-Agent.
func WithUserAgent(ua string) Option { return func(o *options) { o.rest.UserAgent = ua } }

// WithLogger logs each message at debug level and heartbeat failures at
// warn level; the token never appears. nil is an error; the default is
// silence.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.rest.Logger = l } }

// WithClock sets the clock heartbeats are timed and dated by. nil is an
// error; the default is the system clock.
func WithClock(c clock.Clock) Option { return func(o *options) { o.rest.Clock = c } }

// WithRetries sets how many times a heartbeat that failed with a network
// error or a 5xx answer is tried again (other messages are never retried:
// they are not idempotent for the FP). 0 means never; the default is 2.
func WithRetries(n int) Option { return func(o *options) { o.rest.Retries = n } }

// WithTimeout bounds each attempt when WithHTTPClient is not given.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.rest.Timeout = d } }
