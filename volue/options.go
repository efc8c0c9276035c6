package volue

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// Base URLs of the Energy Coordination API and its token endpoint.
const (
	// ProductionBaseURL is the production API, the default.
	ProductionBaseURL = "https://api.voluespark.com/energy-coordination/v1"
	// SandboxBaseURL is the sandbox, for trying things out with sandbox
	// credentials from the Spark portal.
	SandboxBaseURL = "https://api.sandbox.voluespark.com/energy-coordination/v1"
	// DefaultTokenURL is Volue's OAuth2 token endpoint, shared by the
	// sandbox and production.
	DefaultTokenURL = "https://auth.identity.volue.com/connect/token"
)

// DefaultRefreshMargin is how long before its expiry a token is replaced,
// at most: a token is renewed once less than this, or less than a quarter
// of its lifetime, is left, so that a request never leaves with a token
// that expires on the way.
const DefaultRefreshMargin = time.Minute

// Option configures a Client.
type Option func(*options)

type options struct {
	rest     rest.Options
	tokenURL string
	backoff  time.Duration // 0: rest's default
}

func defaultOptions() options {
	return options{rest: rest.DefaultOptions(ProductionBaseURL), tokenURL: DefaultTokenURL}
}

func (o options) validate() error {
	if err := o.rest.Validate(); err != nil {
		return err
	}
	if err := rest.ValidateBaseURL(o.tokenURL); err != nil {
		// ValidateBaseURL names WithBaseURL; this is the token URL's option.
		var fe *energy.FieldError
		if asField(err, &fe) {
			return energy.Invalid("WithTokenURL", "%s", fe.Reason)
		}
		return err
	}
	if o.backoff < 0 {
		return energy.Invalid("WithRetryBackoff", "%v is negative", o.backoff)
	}
	return nil
}

// WithHTTPClient sends requests, the token requests included, through hc
// (its Transport, Timeout and Jar). The default is a client whose timeout
// is WithTimeout's (30 seconds unless set).
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.rest.HTTPClient = hc } }

// WithBaseURL points the client at another server speaking the API, such as
// SandboxBaseURL or voluetest's fake. The default is ProductionBaseURL.
func WithBaseURL(u string) Option { return func(o *options) { o.rest.BaseURL = u } }

// WithTokenURL sets the OAuth2 token endpoint. The default is
// DefaultTokenURL.
func WithTokenURL(u string) Option { return func(o *options) { o.tokenURL = u } }

// WithUserAgent puts ua in front of gridwire's own User-Agent.
func WithUserAgent(ua string) Option { return func(o *options) { o.rest.UserAgent = ua } }

// WithLogger logs each request at debug level and retries and token
// renewals at warn and debug level. Credentials, tokens and signatures never
// appear in the records. nil is an error; the default is silence.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.rest.Logger = l } }

// WithClock sets the clock that token expiry and retry back-off go by. nil
// is an error; the default is the system clock.
func WithClock(c clock.Clock) Option { return func(o *options) { o.rest.Clock = c } }

// WithRetries sets how many times a read that failed with a network error or
// a 5xx answer is tried again, with capped exponential back-off. Writes are
// never repeated. 0 means never; negative is an error; the default is 2.
func WithRetries(n int) Option { return func(o *options) { o.rest.Retries = n } }

// WithTimeout bounds each attempt when WithHTTPClient is not given. The
// default is 30 seconds.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.rest.Timeout = d } }

// WithRetryBackoff sets the first back-off step between retries (it doubles
// from there, capped at 8 s). The default is 250 ms; fakes shorten it.
func WithRetryBackoff(d time.Duration) Option { return func(o *options) { o.backoff = d } }
