package snws2

import (
	"strings"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// DefaultMaxSkew is how far a request's date may be from the verifier's
// clock, as on SolarNetwork's servers.
const DefaultMaxSkew = 15 * time.Minute

// KeyValidDays is how many days, counting the day it was derived for, a
// signing key is accepted by SolarNetwork (and by Verifier).
const KeyValidDays = 7

// Option configures a Signer or a Verifier; each option says which it
// applies to.
type Option func(*options)

type options struct {
	clock      clock.Clock
	useDate    bool
	forcePort  bool
	extra      []string
	maxSkew    time.Duration
	maxBody    int64
	err        error
	trustProxy bool
}

func defaultOptions() options {
	return options{clock: clock.System(), maxSkew: DefaultMaxSkew, maxBody: 32 << 20, trustProxy: true}
}

// WithClock sets the clock requests are dated by (Signer) or checked
// against (Verifier). nil is an error. The default is the system clock.
func WithClock(c clock.Clock) Option {
	return func(o *options) {
		if c == nil {
			o.err = energy.Invalid("WithClock", "nil clock (omit the option for the system clock)")
		}
		o.clock = c
	}
}

// WithDateHeader makes the Signer date requests with the standard Date
// header instead of X-SN-Date (the default, which browsers and some proxies
// leave alone).
func WithDateHeader() Option { return func(o *options) { o.useDate = true } }

// WithForcedHostPort makes the Signer sign the host of an https (or wss)
// request with ":443" appended when it has no port, while the Host header
// sent stays as it is (an http request's implied port 80 is never added).
// SolarNetwork behind its TLS proxy sees X-Forwarded-Port 443 and, unless
// deployed with an explicit host, verifies against "host:443"; use this
// when a deployment answers 403 for requests that sign the bare host.
func WithForcedHostPort() Option { return func(o *options) { o.forcePort = true } }

// WithSignedHeaders makes the Signer sign these headers too, when a request
// has them (names are case-insensitive). Host, the date header,
// Content-Type, Content-MD5, Digest and every X-SN-* header are always
// signed.
func WithSignedHeaders(names ...string) Option {
	return func(o *options) {
		for _, n := range names {
			n = strings.ToLower(strings.TrimSpace(n))
			if n == "" || strings.ContainsAny(n, ";:, \t\r\n") {
				o.err = energy.Invalid("WithSignedHeaders", "%q is not a header name", n)
				return
			}
			o.extra = append(o.extra, n)
		}
	}
}

// WithMaxSkew sets how far a request's date may be from the Verifier's
// clock; it must be positive. The default is DefaultMaxSkew (15 minutes).
func WithMaxSkew(d time.Duration) Option {
	return func(o *options) {
		if d <= 0 {
			o.err = energy.Invalid("WithMaxSkew", "%v is not positive", d)
		}
		o.maxSkew = d
	}
}

// WithMaxBodyBytes bounds the body the Verifier reads to check the signature;
// a larger one is refused. n must be positive; the default is 32 MiB.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) {
		if n <= 0 {
			o.err = energy.Invalid("WithMaxBodyBytes", "%d is not positive", n)
		}
		o.maxBody = n
	}
}

// WithoutForwardedHost makes the Verifier sign the Host header exactly as
// received, ignoring X-Forwarded-Port and X-Forwarded-Proto (SolarNetwork's
// "explicit host" deployments). By default a Host without a port gets the
// forwarded port appended (except 80), as SolarNetwork does behind its
// proxy.
func WithoutForwardedHost() Option { return func(o *options) { o.trustProxy = false } }

func apply(opts []Option) (options, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
		if o.err != nil {
			return o, o.err
		}
	}
	return o, nil
}
