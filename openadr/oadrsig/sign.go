package oadrsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Signer signs encoded OpenADR 2.0b payloads with one key and certificate.
// It is safe for concurrent use.
type Signer struct {
	key    crypto.Signer
	cert   *x509.Certificate
	method string
	layout layout
	opts   options
}

// layout is the shape of the signature block. Signers write
// defaultLayout; tests also write the shape OpenLEADR writes, which the
// Verifier must accept.
type layout struct {
	c14n     string // CanonicalizationMethod and the references' transform
	sigID    string // Id of ds:Signature, or none
	onObject bool   // the property reference names ds:Object, not ds:SignatureProperties
	propsID  string // Id of what the property reference names
	propID   string // Id of ds:SignatureProperty, or none
	target   string // Target of ds:SignatureProperty
}

// defaultLayout uses exclusive C14N, so the signature verifies wherever a
// peer's envelope declares its namespaces, and names the signature
// properties with the Type XML-DSig defines for them.
var defaultLayout = layout{
	c14n:    string(dsig.CanonicalXML10ExclusiveAlgorithmId),
	sigID:   signatureID,
	propsID: replayProtectID,
	target:  "#" + signatureID,
}

// NewSigner returns a Signer for key, an *rsa.PrivateKey or
// *ecdsa.PrivateKey (or any crypto.Signer with such a public key, an HSM
// say), and cert, the certificate of its public key that peers trust.
// Options: WithClock.
func NewSigner(key crypto.Signer, cert *x509.Certificate, opts ...Option) (*Signer, error) {
	if key == nil {
		return nil, &energy.FieldError{Field: "key", Reason: "nil"}
	}
	if cert == nil {
		return nil, &energy.FieldError{Field: "cert", Reason: "nil"}
	}
	s := &Signer{key: key, cert: cert, layout: defaultLayout, opts: defaultOptions()}
	switch key.Public().(type) {
	case *rsa.PublicKey:
		s.method = dsig.RSASHA256SignatureMethod
	case *ecdsa.PublicKey:
		s.method = dsig.ECDSASHA256SignatureMethod
	default:
		return nil, &energy.FieldError{Field: "key", Reason: fmt.Sprintf("%T is neither RSA nor ECDSA", key.Public())}
	}
	if pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(cert.PublicKey) {
		return nil, &energy.FieldError{Field: "cert", Reason: "does not hold the key's public key"}
	}
	for _, o := range opts {
		o(&s.opts)
	}
	if s.opts.err != nil {
		return nil, s.opts.err
	}
	return s, nil
}

// Certificate returns the signer's certificate.
func (s *Signer) Certificate() *x509.Certificate { return s.cert }

// Marshal encodes msg with oadr.Marshal and signs it.
func (s *Signer) Marshal(msg oadr.Message) ([]byte, error) {
	doc, err := oadr.Marshal(msg)
	if err != nil {
		return nil, err
	}
	return s.Sign(doc)
}

// Sign returns doc, an oadrPayload whose oadrSignedObject carries
// oadr:Id="oadrSignedObject" (as oadr.Marshal writes it), with an
// enveloped ds:Signature inserted as the first child of oadrPayload. The
// signature has two references, both canonicalised with exclusive C14N
// and digested with SHA-256: the signed object, and a ReplayProtect
// signature property holding the current time and a fresh random nonce.
// It is signed with RSA-SHA256 or ECDSA-SHA256 and carries the signer's
// certificate in KeyInfo/X509Data. The rest of doc is kept byte for byte.
//
// Errors: a doc that is not such a payload, or is signed already, gives
// an error wrapping energy.ErrInvalid; a failing key gives its own error.
func (s *Signer) Sign(doc []byte) ([]byte, error) {
	root, object, insertAt, err := parseForSigning(doc)
	if err != nil {
		return nil, err
	}
	id := idOf(object)
	if id == "" {
		return nil, fmt.Errorf("oadrsig: oadrSignedObject has no Id to reference: %w", energy.ErrInvalid)
	}

	nonce, err := newNonce()
	if err != nil {
		return nil, err
	}
	b := s.newBlock(root, id, nonce)
	c14n := canonicalizer(s.layout.c14n, "")
	for _, r := range []struct {
		ref, target *etree.Element
	}{{b.objectRef, object}, {b.propsRef, b.props}} {
		c, err := canonical(c14n, r.target)
		if err != nil {
			return nil, fmt.Errorf("oadrsig: canonicalising %s: %w", r.target.Tag, err)
		}
		sum := newHash(crypto.SHA256)
		sum.Write(c)
		r.ref.SelectElement("DigestValue").SetText(base64.StdEncoding.EncodeToString(sum.Sum(nil)))
	}
	c, err := canonical(c14n, b.info)
	if err != nil {
		return nil, fmt.Errorf("oadrsig: canonicalising SignedInfo: %w", err)
	}
	raw, err := s.signBytes(c)
	if err != nil {
		return nil, err
	}
	b.value.SetText(base64.StdEncoding.EncodeToString(raw))

	out := etree.NewDocument()
	out.AddChild(b.sig.Copy())
	sigXML, err := out.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("oadrsig: writing the signature: %w", err)
	}
	signed := make([]byte, 0, len(doc)+len(sigXML))
	signed = append(signed, doc[:insertAt]...)
	signed = append(signed, sigXML...)
	return append(signed, doc[insertAt:]...), nil
}

// block is a ds:Signature under construction, with the elements Sign
// still has to fill in.
type block struct {
	sig, info, value    *etree.Element
	objectRef, propsRef *etree.Element // the two ds:Reference
	props               *etree.Element // what propsRef names
}

// newBlock appends to root (where it sees the namespaces in scope there)
// a ds:Signature referencing objectID and a ReplayProtect dated now.
func (s *Signer) newBlock(root *etree.Element, objectID, nonce string) *block {
	l := s.layout
	b := &block{sig: root.CreateElement("ds:Signature")}
	b.sig.CreateAttr("xmlns:ds", nsDS)
	if l.sigID != "" {
		b.sig.CreateAttr("Id", l.sigID)
	}
	b.info = b.sig.CreateElement("ds:SignedInfo")
	b.info.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", l.c14n)
	b.info.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", s.method)
	b.objectRef = addReference(b.info, "#"+objectID, "", l.c14n)
	b.value = b.sig.CreateElement("ds:SignatureValue")
	b.sig.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").
		SetText(base64.StdEncoding.EncodeToString(s.cert.Raw))

	dsObject := b.sig.CreateElement("ds:Object")
	props := dsObject.CreateElement("ds:SignatureProperties")
	prop := props.CreateElement("ds:SignatureProperty")
	if l.propID != "" {
		prop.CreateAttr("Id", l.propID)
	}
	prop.CreateAttr("Target", l.target)
	if l.onObject {
		dsObject.CreateAttr("Id", l.propsID)
		b.props, b.propsRef = dsObject, addReference(b.info, "#"+l.propsID, "", l.c14n)
	} else {
		props.CreateAttr("Id", l.propsID)
		b.props, b.propsRef = props, addReference(b.info, "#"+l.propsID, typeSigProperties, l.c14n)
	}
	rp := prop.CreateElement("dsp:ReplayProtect")
	rp.CreateAttr("xmlns:dsp", NamespaceDSP)
	rp.CreateElement("dsp:timestamp").SetText(oadr.FormatDateTime(s.opts.clock.Now()))
	rp.CreateElement("dsp:nonce").SetText(nonce)
	return b
}

// addReference appends a ds:Reference with a canonicalising transform and
// a SHA-256 digest still to be filled in.
func addReference(info *etree.Element, uri, typ, c14n string) *etree.Element {
	ref := info.CreateElement("ds:Reference")
	if typ != "" {
		ref.CreateAttr("Type", typ) // before URI, in canonical order
	}
	ref.CreateAttr("URI", uri)
	ref.CreateElement("ds:Transforms").CreateElement("ds:Transform").CreateAttr("Algorithm", c14n)
	ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", digestSHA256)
	ref.CreateElement("ds:DigestValue")
	return ref
}

func (s *Signer) signBytes(data []byte) ([]byte, error) {
	sum := newHash(crypto.SHA256)
	sum.Write(data)
	raw, err := s.key.Sign(rand.Reader, sum.Sum(nil), crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("oadrsig: signing: %w", err)
	}
	if pub, ok := s.key.Public().(*ecdsa.PublicKey); ok {
		return rawECDSA(raw, pub)
	}
	return raw, nil
}

// newNonce returns 128 random bits in hex, as long as OpenLEADR's nonces.
func newNonce() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		return "", fmt.Errorf("oadrsig: nonce: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// parseForSigning parses doc and returns its root, the oadrSignedObject and
// the offset just after the root's start tag, where the signature goes.
func parseForSigning(doc []byte) (root, object *etree.Element, insertAt int, err error) {
	invalid := func(reason string, cause error) error {
		if cause != nil {
			return fmt.Errorf("oadrsig: %s: %w: %w", reason, energy.ErrInvalid, cause)
		}
		return fmt.Errorf("oadrsig: %s: %w", reason, energy.ErrInvalid)
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		return nil, nil, 0, invalid("not well-formed XML", err)
	}
	root = d.Root()
	if !is(root, nsOADR, "oadrPayload") {
		return nil, nil, 0, invalid("the root is not oadrPayload", nil)
	}
	for _, c := range root.ChildElements() {
		switch {
		case is(c, nsDS, "Signature"):
			return nil, nil, 0, invalid("already signed", nil)
		case is(c, nsOADR, "oadrSignedObject"):
			if object != nil {
				return nil, nil, 0, invalid("more than one oadrSignedObject", nil)
			}
			object = c
		}
	}
	if object == nil {
		return nil, nil, 0, invalid("no oadrSignedObject", nil)
	}
	// encoding/xml reports the offset after the root's start tag, where
	// etree's tree has no positions.
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return nil, nil, 0, invalid("not well-formed XML", err)
		}
		if _, ok := tok.(xml.StartElement); ok {
			return root, object, int(dec.InputOffset()), nil
		}
	}
}
