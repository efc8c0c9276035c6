package openadr

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Caller is who sent a request, as far as the transport can tell. The VTN
// resolves it before it trusts any venID in the message.
type Caller struct {
	// Fingerprint is the OpenADR fingerprint of the TLS client certificate
	// (see Fingerprint), or "" when the request came without one.
	Fingerprint string
	// RemoteAddr is the network address of the peer, for logs.
	RemoteAddr string
}

// identify resolves the caller of r.
func identify(r *http.Request) Caller {
	c := Caller{RemoteAddr: r.RemoteAddr}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		c.Fingerprint = Fingerprint(r.TLS.PeerCertificates[0])
	}
	return c
}

// Fingerprint returns the OpenADR 2.0b fingerprint of a certificate: the last
// 10 bytes of the SHA-256 of its DER encoding, as upper-case hex pairs
// joined by colons ("AB:CD:…", 29 characters), the form OpenLEADR prints.
// NormalizeFingerprint reads the other forms in use.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return formatFingerprint(sum[len(sum)-10:])
}

// NormalizeFingerprint returns a fingerprint given in any of the usual forms
// (20 hex digits as avob writes them, colon- or space-separated pairs, any
// case) in the form Fingerprint returns, or "" if s is not 10 bytes of hex.
func NormalizeFingerprint(s string) string {
	s = strings.NewReplacer(":", "", " ", "", "-", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 10 {
		return ""
	}
	return formatFingerprint(b)
}

func formatFingerprint(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 3*len(b)-1)
	for i, c := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, digits[c>>4], digits[c&0xF])
	}
	return string(out)
}

// checkCaller decides whether c may speak for the VEN registered as reg.
// A registration made with a client certificate binds the venID to it.
func checkCaller(c Caller, reg *Registration) error {
	if reg.Fingerprint != "" && c.Fingerprint != reg.Fingerprint {
		return Reject(oadr.CodeNotRegisteredOrAuthorized, "venID %q is registered to another client certificate", reg.VenID)
	}
	return nil
}

// updateVEN is the one place a venID taken from a message is trusted: it
// checks that the VEN is registered and that the caller may speak for it,
// then runs fn on the VEN's state inside a Store update.
func (v *VTN) updateVEN(ctx context.Context, c Caller, venID string, fn func(*VENState) error) error {
	if venID == "" {
		return Reject(oadr.CodeInvalidID, "venID is required")
	}
	return v.store.Update(ctx, venID, func(st *VENState) error {
		if err := checkCaller(c, &st.Registration); err != nil {
			return err
		}
		return fn(st)
	})
}
