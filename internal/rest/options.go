package rest

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// Options are the settings every REST vendor client shares. A vendor package
// keeps one Options in its own option struct and offers each field as an
// option of the same name and the same meaning in every package:
//
//	WithHTTPClient(*http.Client)  HTTPClient
//	WithBaseURL(string)           BaseURL
//	WithUserAgent(string)         UserAgent
//	WithLogger(*slog.Logger)      Logger
//	WithClock(clock.Clock)        Clock
//	WithRetries(int)              Retries
//	WithTimeout(time.Duration)    Timeout
//
// The vendor's constructor starts from DefaultOptions, applies the caller's
// options and returns Validate's error, if any, before doing anything else.
type Options struct {
	// HTTPClient sends the requests. Default: a client with Timeout.
	HTTPClient *http.Client
	// BaseURL is the absolute http or https URL every path is appended to.
	BaseURL string
	// UserAgent is sent as the User-Agent header; it is prefixed to
	// "gridwire/<version>". Default: "".
	UserAgent string
	// Logger receives debug records per attempt and warnings for retries
	// and waits. Default: silence.
	Logger *slog.Logger
	// Clock times back-off, rate-limit waits, signatures and snapshots.
	// Default: the system clock.
	Clock clock.Clock
	// Retries is how many times a request that failed with a network error
	// or a 5xx answer is tried again (idempotent requests only). 0 means
	// never. Default: DefaultRetries.
	Retries int
	// Timeout bounds each attempt when HTTPClient is not set (an
	// HTTPClient's own Timeout applies otherwise). Default: DefaultTimeout.
	Timeout time.Duration
}

// DefaultOptions returns the shared defaults for a vendor whose API lives at
// baseURL.
func DefaultOptions(baseURL string) Options {
	return Options{
		BaseURL: baseURL,
		Logger:  slog.New(slog.DiscardHandler),
		Clock:   clock.System(),
		Retries: DefaultRetries,
		Timeout: DefaultTimeout,
	}
}

// Validate checks the options with one rule for every vendor: nothing nil
// where a value is needed, an absolute http(s) base URL, no negative counts
// or durations. The error is a *energy.FieldError naming the option.
func (o Options) Validate() error {
	switch {
	case o.Logger == nil:
		return energy.Invalid("WithLogger", "nil logger (omit the option for silence)")
	case o.Clock == nil:
		return energy.Invalid("WithClock", "nil clock (omit the option for the system clock)")
	case o.Retries < 0:
		return energy.Invalid("WithRetries", "%d is negative (0 means never retry)", o.Retries)
	case o.Timeout < 0:
		return energy.Invalid("WithTimeout", "%v is negative", o.Timeout)
	}
	if err := ValidateUserAgent(o.UserAgent); err != nil {
		return err
	}
	return ValidateBaseURL(o.BaseURL)
}

// ValidateUserAgent checks the caller's product given to WithUserAgent,
// which goes into a header: a line break in it is an error.
func ValidateUserAgent(ua string) error {
	if strings.ContainsAny(ua, "\r\n") {
		return energy.Invalid("WithUserAgent", "contains a line break")
	}
	return nil
}

// ProductUserAgent is the User-Agent sent for the caller's product ua
// (WithUserAgent, such as "myapp/1.0"): ua before gridwire's own, or
// gridwire's alone when ua is "".
func ProductUserAgent(ua string) string {
	if ua == "" {
		return UserAgent
	}
	return ua + " " + UserAgent
}

// ValidateBaseURL checks that u is an absolute http or https URL with a host
// and neither a query nor a fragment. The error shows u only without its
// user information, query and fragment, where credentials may have been
// put, and not at all when it does not parse or is opaque ("user:pw@host"
// reads as the scheme "user").
func ValidateBaseURL(u string) error {
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return energy.Invalid("WithBaseURL", "not a URL")
	case p.Opaque != "":
		return energy.Invalid("WithBaseURL", "not an http or https URL")
	}
	shown := url.URL{Scheme: p.Scheme, Host: p.Host, Path: p.Path, RawPath: p.RawPath}
	switch {
	case p.Scheme != "http" && p.Scheme != "https":
		return energy.Invalid("WithBaseURL", "%q: scheme must be http or https", shown.String())
	case p.Host == "":
		return energy.Invalid("WithBaseURL", "%q has no host", shown.String())
	case p.RawQuery != "" || p.ForceQuery:
		return energy.Invalid("WithBaseURL", "%q: no query allowed", shown.String()+"?…")
	case p.Fragment != "":
		return energy.Invalid("WithBaseURL", "%q: no fragment allowed", shown.String()+"#…")
	}
	return nil
}

// Config returns a Config for vendor carrying these options; the vendor
// fills in the rest (Header, Sign, Limiter…).
func (o Options) Config(vendor string) Config {
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: o.Timeout}
	}
	return Config{
		Vendor:     vendor,
		BaseURL:    strings.TrimRight(o.BaseURL, "/"),
		HTTPClient: hc,
		UserAgent:  ProductUserAgent(o.UserAgent),
		Logger:     o.Logger,
		Clock:      o.Clock,
		Retries:    o.Retries,
	}
}

// String describes the options without secrets (there are none in Options),
// for debugging.
func (o Options) String() string {
	return fmt.Sprintf("rest.Options{BaseURL: %q, Retries: %d, Timeout: %v}", o.BaseURL, o.Retries, o.Timeout)
}
