package oadrsig

import (
	"context"
	"crypto/x509"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Lookup returns the certificate trusted for the peer that sent a payload,
// or (nil, nil) when the peer is unknown, which fails verification with
// ErrWrongCertificate. Its own errors are returned by Verify wrapped, but
// not as an *Error: a registry that is down is not the peer's fault.
// Return one that wraps an energy sentinel (say energy.ErrUnavailable).
type Lookup func(ctx context.Context, p Peer) (*x509.Certificate, error)

// Peer is what a payload claims about its sender, before verification. Use
// it to find the certificate to trust, never to trust it: Verify checks
// the signature against the certificate the Lookup returns.
type Peer struct {
	// VenID is the venID of the message ("" for messages without one, such
	// as those a VTN sends). Once Verify succeeds it is the signed venID.
	VenID string
	// Message is the message element's name, e.g. "oadrPoll".
	Message string
	// Certificate is the first certificate in the signature's KeyInfo, or
	// nil. Compare its fingerprint with the one registered for VenID.
	Certificate *x509.Certificate
}

// venID returns the venID a message carries, "" for those without one.
func venID(m oadr.Message) string {
	if v, ok := m.(oadr.VENNamed); ok {
		return v.VENID()
	}
	return ""
}
