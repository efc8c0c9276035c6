package oadrsig

import (
	"crypto/x509"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// Option configures a Signer or a Verifier. Each option says which it
// applies to; the other ignores it.
type Option func(*options)

type options struct {
	clock     clock.Clock
	window    time.Duration
	maxNonces int
	optional  bool
	cert      *x509.Certificate
	lookup    Lookup
	err       *energy.FieldError
}

// Defaults of the Verifier.
const (
	// DefaultWindow is how far a ReplayProtect timestamp may lie from the
	// verifier's clock, either way: room for clock skew and slow links,
	// short enough that the nonces of a busy VTN fit in memory.
	DefaultWindow = 5 * time.Minute
	// DefaultMaxNonces bounds the nonces a Verifier remembers.
	DefaultMaxNonces = 1 << 16
)

func defaultOptions() options {
	return options{clock: clock.System(), window: DefaultWindow, maxNonces: DefaultMaxNonces}
}

func (o *options) invalid(field, reason string) {
	if o.err == nil {
		o.err = &energy.FieldError{Field: field, Reason: reason}
	}
}

// WithClock sets the clock that dates signatures (Signer) and judges their
// timestamps (Verifier). Default: the system clock; nil is an error.
func WithClock(c clock.Clock) Option {
	return func(o *options) {
		if c == nil {
			o.invalid("WithClock", "nil clock")
			return
		}
		o.clock = c
	}
}

// WithWindow sets how far a ReplayProtect timestamp may be older or newer
// than the Verifier's clock; nonces are remembered for as long. Default
// DefaultWindow; it must be positive.
func WithWindow(d time.Duration) Option {
	return func(o *options) {
		if d <= 0 {
			o.invalid("WithWindow", "must be positive")
			return
		}
		o.window = d
	}
}

// WithMaxNonces bounds the nonces a Verifier remembers (default
// DefaultMaxNonces; at least 1). When that many arrive within one window,
// the oldest is forgotten and every payload dated no later than it is
// refused as stale from then on: memory stays bounded and a replay is
// never accepted, at the price of refusing late payloads under overload.
func WithMaxNonces(n int) Option {
	return func(o *options) {
		if n < 1 {
			o.invalid("WithMaxNonces", "must be at least 1")
			return
		}
		o.maxNonces = n
	}
}

// WithOptional makes a Verifier accept a payload without signature (it is
// returned with Verified.Signed false). By default a signature is required.
// A payload that carries a signature is verified either way.
func WithOptional() Option {
	return func(o *options) { o.optional = true }
}

// WithCertificate makes a Verifier trust exactly this certificate: the
// peer's, such as the VTN's certificate in a VEN. Exclusive with
// WithLookup.
func WithCertificate(cert *x509.Certificate) Option {
	return func(o *options) {
		if cert == nil {
			o.invalid("WithCertificate", "nil certificate")
			return
		}
		o.cert = cert
	}
}

// WithLookup makes a Verifier ask fn for the certificate of each payload's
// signer, such as a VTN finding a VEN's certificate by venID. Exclusive
// with WithCertificate.
func WithLookup(fn Lookup) Option {
	return func(o *options) {
		if fn == nil {
			o.invalid("WithLookup", "nil lookup")
			return
		}
		o.lookup = fn
	}
}
