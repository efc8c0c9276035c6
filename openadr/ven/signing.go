package ven

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"strings"
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
		opts = append(opts, oadrsig.WithLookup(serverCertificate))
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

// tlsStateKey carries the answer's TLS connection state to serverCertificate.
type tlsStateKey struct{}

// serverCertificate trusts the certificate the VTN presented on the
// connection the answer came by.
func serverCertificate(ctx context.Context, _ oadrsig.Peer) (*x509.Certificate, error) {
	st, _ := ctx.Value(tlsStateKey{}).(*tls.ConnectionState)
	if st == nil || len(st.PeerCertificates) == 0 {
		return nil, nil
	}
	return st.PeerCertificates[0], nil
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
	got, err := v.sig.verifier.Verify(context.WithValue(ctx, tlsStateKey{}, state), data)
	if err != nil {
		v.log.Warn("answer refused", "err", err)
		return nil, err
	}
	return got.Message, nil
}
