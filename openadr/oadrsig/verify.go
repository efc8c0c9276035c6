package oadrsig

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Verifier checks signed OpenADR 2.0b payloads from peers and remembers
// their nonces. It is safe for concurrent use; use one per VTN or VEN so
// that a nonce seen on one connection is a replay on every other.
type Verifier struct {
	opts   options
	nonces *nonceCache
}

// NewVerifier returns a Verifier that trusts the certificate given with
// WithCertificate or found by WithLookup (exactly one of them). Options:
// WithClock, WithWindow, WithMaxNonces, WithOptional.
func NewVerifier(opts ...Option) (*Verifier, error) {
	v := &Verifier{opts: defaultOptions()}
	for _, o := range opts {
		o(&v.opts)
	}
	if v.opts.err != nil {
		return nil, v.opts.err
	}
	switch {
	case v.opts.cert == nil && v.opts.lookup == nil:
		return nil, &energy.FieldError{Field: "WithCertificate", Reason: "a certificate or WithLookup is required"}
	case v.opts.cert != nil && v.opts.lookup != nil:
		return nil, &energy.FieldError{Field: "WithLookup", Reason: "exclusive with WithCertificate"}
	}
	v.nonces = newNonceCache(v.opts.maxNonces)
	return v, nil
}

// Verified is a payload that passed verification.
type Verified struct {
	// Document is an oadrPayload holding exactly the oadrSignedObject that
	// was signed, in the canonical form its digest was computed over; pass
	// it on to code that wants bytes (oadr.Unmarshal reads it). Nothing of
	// the received document outside the signed references is in it. For
	// an unsigned payload accepted by WithOptional it is the input.
	Document []byte
	// Message is Document decoded.
	Message oadr.Message
	// Signed reports that the payload was signed (always true unless the
	// Verifier was made WithOptional).
	Signed bool
	// Certificate is the certificate the signature verified with.
	Certificate *x509.Certificate
	// Timestamp and Nonce are the signed ReplayProtect property.
	Timestamp time.Time
	Nonce     string
}

// Verify checks doc, a received oadrPayload, and returns what was signed.
// It rejects, with an *Error:
//   - a payload without ds:Signature as the first child of oadrPayload
//     (ErrMissingSignature, unless WithOptional);
//   - a signature that is misshapen, uses other algorithms than RSA or
//     ECDSA with SHA-256/384/512 and C14N 1.0, 1.1 or exclusive C14N, has
//     other references than exactly one to the oadrSignedObject and one to
//     a signature property holding dsp:ReplayProtect, or whose digests or
//     value do not verify (ErrBadSignature);
//   - a signer other than the trusted certificate, or a peer the lookup
//     does not know (ErrWrongCertificate);
//   - a timestamp further than the window from the clock (ErrStale);
//   - a nonce seen within the window from the same signer (ErrReplay);
//   - a document that is not an OpenADR payload (ErrMalformed).
//
// An error of the Lookup is returned wrapped, not as an *Error.
//
// Only the canonical bytes of the signed references are read after the
// check: the returned Document and Message are decoded from exactly what
// the digest covered, the timestamp and nonce from the signed property.
func (v *Verifier) Verify(ctx context.Context, doc []byte) (*Verified, error) {
	if len(doc) > oadr.MaxDocumentSize {
		return nil, fail(ErrMalformed, "document too large", nil)
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		return nil, fail(ErrMalformed, "not well-formed XML", err)
	}
	root := d.Root()
	if root == nil {
		return nil, fail(ErrMalformed, "no root element", nil)
	}
	sigEl, object, err := envelope(root)
	if err != nil {
		return nil, err
	}
	if sigEl == nil {
		return v.unsigned(doc)
	}
	return v.signed(ctx, root, sigEl, object)
}

// signed verifies a payload that carries a signature.
func (v *Verifier) signed(ctx context.Context, root, sigEl, object *etree.Element) (*Verified, error) {
	sig, err := readSignature(sigEl)
	if err != nil {
		return nil, fail(ErrBadSignature, "", err)
	}
	objRef, propsRef, props, err := resolve(root, sigEl, object, sig.refs)
	if err != nil {
		return nil, fail(ErrBadSignature, "", err)
	}
	// Digests first: they need no key, and a tampered payload then fails
	// as a bad signature whatever the tampering did to the message.
	signed, err := canonical(objRef.c14n, object)
	if err != nil {
		return nil, fail(ErrMalformed, "canonicalising oadrSignedObject", err)
	}
	if !digestMatches(objRef, signed) {
		return nil, fail(ErrBadSignature, "digest of the signed object does not match", nil)
	}
	propsBytes, err := canonical(propsRef.c14n, props)
	if err != nil {
		return nil, fail(ErrBadSignature, "canonicalising the ReplayProtect property", err)
	}
	if !digestMatches(propsRef, propsBytes) {
		return nil, fail(ErrBadSignature, "digest of the ReplayProtect property does not match", nil)
	}
	out := wrap(signed)
	msg, err := oadr.Unmarshal(out)
	if err != nil {
		return nil, fail(ErrMalformed, "signed object", err)
	}
	cert, err := v.trusted(ctx, Peer{VenID: venID(msg), Message: msg.MessageName(), Certificate: sig.keyInfoCert})
	if err != nil {
		return nil, err
	}
	if sig.keyInfoCert != nil && !sig.keyInfoCert.Equal(cert) {
		return nil, fail(ErrWrongCertificate, "KeyInfo holds another certificate than the peer's", nil)
	}
	info, err := canonical(sig.c14n, sig.info)
	if err != nil {
		return nil, fail(ErrBadSignature, "canonicalising SignedInfo", err)
	}
	h := newHash(sig.method.hash)
	h.Write(info)
	if err := checkSignature(cert.PublicKey, sig.method, h.Sum(nil), sig.value); err != nil {
		return nil, fail(ErrBadSignature, "SignatureValue does not verify with the peer's certificate", nil)
	}
	// The property's bytes are verified now; the timestamp and nonce are
	// read from them rather than from the received tree.
	at, nonce, err := v.fresh(propsBytes, cert)
	if err != nil {
		return nil, err
	}
	return &Verified{Document: out, Message: msg, Signed: true, Certificate: cert, Timestamp: at, Nonce: nonce}, nil
}

// fresh checks the ReplayProtect of a verified property: its timestamp
// within the window, its nonce not seen before from this signer.
func (v *Verifier) fresh(verified []byte, cert *x509.Certificate) (time.Time, string, error) {
	at, nonce, err := replayProtect(verified)
	if err != nil {
		return at, nonce, err
	}
	now := v.opts.clock.Now()
	if at.Before(now.Add(-v.opts.window)) {
		return at, nonce, fail(ErrStale, fmt.Sprintf("signed %s ago, more than the window of %s", now.Sub(at).Round(time.Second), v.opts.window), nil)
	}
	if at.After(now.Add(v.opts.window)) {
		return at, nonce, fail(ErrStale, fmt.Sprintf("signed %s in the future, more than the window of %s", at.Sub(now).Round(time.Second), v.opts.window), nil)
	}
	// Nonces are kept per signer, so that one peer cannot spend another's.
	sum := sha256.Sum256(cert.Raw)
	if err := v.nonces.add(string(sum[:16])+nonce, at, now.Add(-v.opts.window)); err != nil {
		return at, nonce, fail(err, "nonce of this signer", nil)
	}
	return at, nonce, nil
}

// unsigned handles a payload without signature.
func (v *Verifier) unsigned(doc []byte) (*Verified, error) {
	if !v.opts.optional {
		return nil, fail(ErrMissingSignature, "", nil)
	}
	msg, err := oadr.Unmarshal(doc)
	if err != nil {
		return nil, fail(ErrMalformed, "", err)
	}
	return &Verified{Document: doc, Message: msg}, nil
}

// trusted returns the certificate to verify with.
func (v *Verifier) trusted(ctx context.Context, p Peer) (*x509.Certificate, error) {
	if v.opts.cert != nil {
		return v.opts.cert, nil
	}
	cert, err := v.opts.lookup(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("oadrsig: looking up the certificate of %q: %w", p.VenID, err)
	}
	if cert == nil {
		return nil, fail(ErrWrongCertificate, "no certificate known for the peer", nil)
	}
	return cert, nil
}

// envelope returns the signature (nil if none) and the signed object of an
// oadrPayload; a bare message has neither.
func envelope(root *etree.Element) (sig, object *etree.Element, err error) {
	if !is(root, nsOADR, "oadrPayload") {
		if root.NamespaceURI() == nsOADR {
			return nil, nil, nil // a bare message: unsigned
		}
		return nil, nil, fail(ErrMalformed, "the root is not oadrPayload", nil)
	}
	for i, c := range root.ChildElements() {
		switch {
		case is(c, nsDS, "Signature"):
			if i != 0 {
				return nil, nil, fail(ErrBadSignature, "ds:Signature is not the first child of oadrPayload", nil)
			}
			sig = c
		case is(c, nsOADR, "oadrSignedObject"):
			if object != nil {
				return nil, nil, fail(ErrMalformed, "more than one oadrSignedObject", nil)
			}
			object = c
		default:
			return nil, nil, fail(ErrMalformed, "unexpected "+c.Tag+" in oadrPayload", nil)
		}
	}
	if object == nil {
		return nil, nil, fail(ErrMalformed, "no oadrSignedObject", nil)
	}
	return sig, object, nil
}

// resolve matches the two references with the signed object and with the
// signature property that holds ReplayProtect. An Id must name one element
// of the whole document, so that no copy elsewhere can stand in for what
// was signed.
func resolve(root, sig, object *etree.Element, refs []reference) (objRef, propsRef reference, props *etree.Element, err error) {
	ids := map[string][]*etree.Element{}
	want := map[string]bool{refs[0].id: true, refs[1].id: true}
	collectIDs(root, want, ids)
	found := 0
	for _, r := range refs {
		els := ids[r.id]
		if len(els) != 1 {
			return objRef, propsRef, nil, fmt.Errorf("reference #%s names %d elements, want 1", r.id, len(els))
		}
		switch el := els[0]; {
		case el == object:
			objRef = r
			found |= 1
		case isSignatureProperty(el, sig):
			propsRef, props = r, el
			found |= 2
		default:
			return objRef, propsRef, nil, fmt.Errorf("reference #%s is neither the oadrSignedObject nor a signature property", r.id)
		}
	}
	if found != 3 {
		return objRef, propsRef, nil, fmt.Errorf("the references do not cover both the oadrSignedObject and its ReplayProtect")
	}
	return objRef, propsRef, props, nil
}

// collectIDs records, for each wanted id, the elements with an Id
// attribute (in any namespace) of that value. Iterative: the tree's depth
// is bounded by the parser, but a wide tree would cost stack to no end.
func collectIDs(root *etree.Element, want map[string]bool, ids map[string][]*etree.Element) {
	stack := []*etree.Element{root}
	for len(stack) > 0 {
		el := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, a := range el.Attr {
			if a.Key == "Id" && a.Space != "xmlns" && want[a.Value] {
				ids[a.Value] = append(ids[a.Value], el)
			}
		}
		stack = append(stack, el.ChildElements()...)
	}
}

// idOf returns the value of el's Id attribute, whatever its prefix (2.0b
// writes oadr:Id, XML-DSig an unprefixed Id), or "".
func idOf(el *etree.Element) string {
	for _, a := range el.Attr {
		if a.Key == "Id" && a.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// isSignatureProperty reports whether el is a ds:Object, ds:SignatureProperties
// or ds:SignatureProperty inside a ds:Object child of sig.
func isSignatureProperty(el, sig *etree.Element) bool {
	if !is(el, nsDS, "Object") && !is(el, nsDS, "SignatureProperties") && !is(el, nsDS, "SignatureProperty") {
		return false
	}
	for p := el; p != nil; p = p.Parent() {
		if p.Parent() == sig {
			return is(p, nsDS, "Object")
		}
	}
	return false
}

func digestMatches(r reference, canonical []byte) bool {
	h := newHash(r.hash)
	h.Write(canonical)
	return equalDigest(h.Sum(nil), r.digest)
}

// replayProtect reads the one dsp:ReplayProtect in a verified property.
func replayProtect(verified []byte) (time.Time, string, error) {
	d := etree.NewDocument()
	if err := d.ReadFromBytes(verified); err != nil {
		return time.Time{}, "", fail(ErrBadSignature, "re-reading the ReplayProtect property", err)
	}
	var rp *etree.Element
	stack := []*etree.Element{d.Root()}
	for len(stack) > 0 {
		el := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if is(el, NamespaceDSP, "ReplayProtect") {
			if rp != nil {
				return time.Time{}, "", fail(ErrBadSignature, "more than one ReplayProtect", nil)
			}
			rp = el
			continue
		}
		stack = append(stack, el.ChildElements()...)
	}
	if rp == nil {
		return time.Time{}, "", fail(ErrBadSignature, "the signed property holds no ReplayProtect", nil)
	}
	kids := rp.ChildElements()
	if len(kids) != 2 || !is(kids[0], NamespaceDSP, "timestamp") || !is(kids[1], NamespaceDSP, "nonce") {
		return time.Time{}, "", fail(ErrBadSignature, "ReplayProtect is not timestamp, nonce", nil)
	}
	at, err := oadr.ParseDateTime(strings.TrimSpace(kids[0].Text()))
	if err != nil {
		return time.Time{}, "", fail(ErrStale, "unreadable timestamp", err)
	}
	nonce := strings.TrimSpace(kids[1].Text())
	if nonce == "" || len(nonce) > maxNonce {
		return time.Time{}, "", fail(ErrBadSignature, fmt.Sprintf("nonce of %d characters", len(nonce)), nil)
	}
	return at, nonce, nil
}

// wrap puts a canonical oadrSignedObject back into an envelope of its own.
// Canonical forms declare every namespace they use, so the object reads
// the same there as where it was signed.
func wrap(object []byte) []byte {
	const open = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<oadr:oadrPayload xmlns:oadr="` + nsOADR + `">`
	const closing = "</oadr:oadrPayload>\n"
	b := make([]byte, 0, len(open)+len(object)+len(closing))
	b = append(b, open...)
	b = append(b, object...)
	return append(b, closing...)
}
