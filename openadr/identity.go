package openadr

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gridwire/gridwire/energy"
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
	// Signed reports that the message carried an XML signature made with
	// the client certificate, which the VTN verified (see WithSigning).
	Signed bool

	cert     *x509.Certificate // the TLS client certificate, signatures' signer
	unsigned bool              // the VTN checks signatures and there was none
}

// identify resolves the caller of r.
func identify(r *http.Request) Caller {
	c := Caller{RemoteAddr: r.RemoteAddr}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		c.cert = r.TLS.PeerCertificates[0]
		c.Fingerprint = Fingerprint(c.cert)
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

// buildAllowList checks the WithVENFingerprint pairs and indexes them by
// normalised fingerprint.
func (v *VTN) buildAllowList() error {
	if len(v.provisioned) == 0 {
		return nil
	}
	v.allowed = make(map[string]string, len(v.provisioned))
	venIDs := make(map[string]bool, len(v.provisioned))
	for _, p := range v.provisioned {
		if err := checkID("WithVENFingerprint.venID", p.venID); err != nil {
			return err
		}
		fp := NormalizeFingerprint(p.fingerprint)
		switch {
		case fp == "":
			return energy.Invalid("WithVENFingerprint.fingerprint", "%q for venID %q is not 10 bytes of hex (AB:CD:… or 20 hex digits)", p.fingerprint, p.venID)
		case venIDs[p.venID]:
			return energy.Invalid("WithVENFingerprint.venID", "%q is provisioned twice", p.venID)
		case v.allowed[fp] != "":
			return energy.Invalid("WithVENFingerprint.fingerprint", "%s is provisioned for both %q and %q", fp, v.allowed[fp], p.venID)
		}
		v.allowed[fp] = p.venID
		venIDs[p.venID] = true
	}
	return nil
}

// provisionedVenID returns the venID provisioned for the caller's
// certificate, "" when no VEN is provisioned, or a 463 refusal.
func (v *VTN) provisionedVenID(c Caller, sent string) (string, error) {
	if v.allowed == nil {
		return "", nil
	}
	if c.Fingerprint == "" {
		return "", Reject(oadr.CodeNotRegisteredOrAuthorized, "this VTN registers only VENs with a provisioned TLS client certificate")
	}
	venID, ok := v.allowed[c.Fingerprint]
	switch {
	case !ok:
		return "", Reject(oadr.CodeNotRegisteredOrAuthorized, "client certificate %s is not provisioned on this VTN", c.Fingerprint)
	case sent != "" && sent != venID:
		return "", Reject(oadr.CodeNotRegisteredOrAuthorized, "venID %q does not belong to client certificate %s", sent, c.Fingerprint)
	}
	return venID, nil
}

// checkCaller decides whether c may speak for the VEN registered as reg.
// A registration is bound on first use to the certificate it was made with,
// or to none: a registration made with a client certificate takes requests
// only with it, and one made without takes none with a certificate, so that
// a client presenting one cannot pass for a VEN that had none (and
// re-register to capture it). BindCertificate changes the binding. A VEN
// that registered with oadrXmlSignature true must sign every message.
func checkCaller(c Caller, reg *Registration) error {
	switch {
	case c.Fingerprint != reg.Fingerprint && reg.Fingerprint == "":
		return Reject(oadr.CodeNotRegisteredOrAuthorized, "venID %q was registered without a client certificate", reg.VenID)
	case c.Fingerprint != reg.Fingerprint:
		return Reject(oadr.CodeNotRegisteredOrAuthorized, "venID %q is registered to another client certificate", reg.VenID)
	case c.unsigned && reg.XMLSignature:
		return Reject(oadr.CodeInvalidData, "venID %q registered with oadrXmlSignature true and must sign its messages", reg.VenID)
	}
	return nil
}

// venUpdate is one updateVEN call, or one idle check, as a Store callback:
// the checks and the bookkeeping around the caller's fn. It is pooled with
// its callbacks made once, so that a request does not allocate a closure and
// the variables it sets (a Store does not keep fn once it has returned).
type venUpdate struct {
	v        *VTN
	fp       string // the caller's, for checkCaller
	unsigned bool
	fn       func(*VENState) error
	// back and since are what fn found: a VEN reported silent, heard from
	// again, and its last contact before this request.
	back  bool
	since time.Time
	// idle is what peek found (see VTN.idle).
	idle  bool
	apply func(*VENState) error // u.run, made once
	peek  func(*VENState) error // u.checkIdle, made once
}

var venUpdates = sync.Pool{New: func() any {
	u := new(venUpdate)
	u.apply, u.peek = u.run, u.checkIdle
	return u
}}

// getVenUpdate returns a pooled venUpdate for a request from c to v.
func getVenUpdate(v *VTN, c Caller) *venUpdate {
	u := venUpdates.Get().(*venUpdate)
	u.v, u.fp, u.unsigned = v, c.Fingerprint, c.unsigned
	return u
}

// put returns u to the pool, keeping nothing of its request.
func (u *venUpdate) put() {
	*u = venUpdate{apply: u.apply, peek: u.peek}
	venUpdates.Put(u)
}

func (u *venUpdate) caller() Caller { return Caller{Fingerprint: u.fp, unsigned: u.unsigned} }

func (u *venUpdate) run(st *VENState) error {
	if err := checkCaller(u.caller(), &st.Registration); err != nil {
		return err
	}
	u.back, u.since = st.Contact.Silent, lastContact(st) // before fn re-registers
	if err := u.fn(st); err != nil {
		return err
	}
	u.v.recordContact(st)
	return nil
}

// updateVEN is the one place a venID taken from a message is trusted: it
// checks that the VEN is registered and that the caller may speak for it,
// then runs fn on the VEN's state inside a Store update. A request that fn
// accepts is the VEN's latest contact (see CheckLiveness).
func (v *VTN) updateVEN(ctx context.Context, c Caller, venID string, fn func(*VENState) error) error {
	if venID == "" {
		return Reject(oadr.CodeInvalidID, "venID is required")
	}
	u := getVenUpdate(v, c)
	u.fn = fn
	err := v.store.Update(ctx, venID, u.apply)
	back, since := u.back, u.since
	u.put()
	if err == nil && back {
		v.notifyLiveness(ctx, LivenessChange{VenID: venID, LastContact: since})
	}
	return err
}
