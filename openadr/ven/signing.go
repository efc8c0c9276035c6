package ven

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// WithSigning makes the VEN speak 2.0b XML signatures: it registers with
// oadrXmlSignature true, signs every message it sends with signer (its key
// and the certificate the VTN knows it by, normally its TLS client
// certificate), and accepts only answers the VTN signed, with the
// certificate given with WithVTNCertificate or, without it, the one the VTN
// presented on the TLS connection. An answer unsigned, signed by another
// key, tampered with, replayed or dated outside the window (see
// WithSignatureWindow) fails the call with an *oadrsig.Error, which wraps
// energy.ErrUnauthorized. The signatures are dated by the signer's clock
// and judged by the VEN's (WithClock).
func WithSigning(signer *oadrsig.Signer) Option {
	return func(o *options) { o.signer, o.signerSet = signer, true }
}

// WithVTNCertificate sets the certificate the VTN signs its messages with,
// when it is not the VTN's TLS server certificate, or the VTN is reached
// over plain HTTP. It needs WithSigning.
func WithVTNCertificate(cert *x509.Certificate) Option {
	return func(o *options) { o.vtnCert, o.vtnCertSet = cert, true }
}

// WithSignatureWindow sets how far the timestamp of the VTN's signature may
// lie from the VEN's clock, either way (default oadrsig.DefaultWindow; it
// must be positive). It needs WithSigning.
func WithSignatureWindow(d time.Duration) Option {
	return func(o *options) { o.sigWindow, o.sigWindowSet = d, true }
}

// signingOptions are the options above, as given.
type signingOptions struct {
	signer       *oadrsig.Signer
	signerSet    bool
	vtnCert      *x509.Certificate
	vtnCertSet   bool
	sigWindow    time.Duration
	sigWindowSet bool
}

// signing is what a VEN made WithSigning signs and verifies with.
type signing struct {
	signer   *oadrsig.Signer
	verifier *oadrsig.Verifier
	// seen is the certificate of the VTN's last verified answer over TLS:
	// pushes, which come on the VTN's own connection, are checked
	// against it (without WithVTNCertificate).
	seen atomic.Pointer[x509.Certificate]
}

// newSigning checks the signing options; nil means signatures are off.
func newSigning(o signingOptions, endpoint string, clk clock.Clock) (*signing, error) {
	switch {
	case !o.signerSet && o.vtnCertSet:
		return nil, energy.Invalid("WithVTNCertificate", "needs WithSigning")
	case !o.signerSet && o.sigWindowSet:
		return nil, energy.Invalid("WithSignatureWindow", "needs WithSigning")
	case !o.signerSet:
		return nil, nil
	case o.signer == nil:
		return nil, energy.Invalid("WithSigning", "nil signer")
	case o.vtnCertSet && o.vtnCert == nil:
		return nil, energy.Invalid("WithVTNCertificate", "nil certificate")
	case o.sigWindowSet && o.sigWindow <= 0:
		return nil, energy.Invalid("WithSignatureWindow", "%v is not positive", o.sigWindow)
	case o.vtnCert == nil && !strings.HasPrefix(endpoint, "https:"):
		return nil, energy.Invalid("WithVTNCertificate", "required over plain HTTP: there is no TLS certificate to trust the VTN's signatures by")
	}
	opts := []oadrsig.Option{oadrsig.WithClock(clk)}
	if o.vtnCert != nil {
		opts = append(opts, oadrsig.WithCertificate(o.vtnCert))
	} else {
		opts = append(opts, oadrsig.WithLookup(vtnCertificate))
	}
	if o.sigWindowSet {
		opts = append(opts, oadrsig.WithWindow(o.sigWindow))
	}
	verifier, err := oadrsig.NewVerifier(opts...)
	if err != nil {
		return nil, err
	}
	return &signing{signer: o.signer, verifier: verifier}, nil
}

// vtnCertKey carries the certificate trusted for one payload to
// vtnCertificate.
type vtnCertKey struct{}

// vtnCertificate trusts the certificate decodeAnswer or decodePush found:
// the VTN's TLS server certificate, or nil when there is none.
func vtnCertificate(ctx context.Context, _ oadrsig.Peer) (*x509.Certificate, error) {
	cert, _ := ctx.Value(vtnCertKey{}).(*x509.Certificate)
	return cert, nil
}

// marshal encodes, and signs when signatures are on, one of the VEN's
// messages.
func (v *VEN) marshal(msg oadr.Message) ([]byte, error) {
	if v.sig == nil {
		return oadr.Marshal(msg)
	}
	return v.sig.signer.Marshal(msg)
}

// decodeAnswer decodes an answer of the VTN, verifying its signature first
// when signatures are on: the message is then decoded from the bytes the
// signature covers, not from data.
func (v *VEN) decodeAnswer(ctx context.Context, state *tls.ConnectionState, data []byte) (oadr.Message, error) {
	if v.sig == nil {
		return oadr.Unmarshal(data)
	}
	var cert *x509.Certificate
	if state != nil && len(state.PeerCertificates) > 0 {
		cert = state.PeerCertificates[0]
	}
	got, err := v.sig.verifier.Verify(context.WithValue(ctx, vtnCertKey{}, cert), data)
	if err != nil {
		v.log.Warn("answer refused", "err", err)
		return nil, err
	}
	if cert != nil {
		v.sig.seen.Store(cert)
	}
	return got.Message, nil
}

// decodePush decodes a message the VTN pushed, verifying its signature
// first when signatures are on. The push comes on the VTN's connection,
// not on one the VEN opened to the VTN's TLS server, so it is checked
// against the certificate given with WithVTNCertificate or else the one
// that verified the VTN's last answer (its registration's, at least).
func (v *VEN) decodePush(ctx context.Context, data []byte) (oadr.Message, error) {
	if v.sig == nil {
		return oadr.Unmarshal(data)
	}
	got, err := v.sig.verifier.Verify(context.WithValue(ctx, vtnCertKey{}, v.sig.seen.Load()), data)
	if err != nil {
		v.log.Warn("push refused", "err", err)
		return nil, err
	}
	return got.Message, nil
}
