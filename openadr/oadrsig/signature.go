package oadrsig

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// signature is a ds:Signature read strictly: every element in its place,
// every algorithm one this package accepts. Nothing in it is trusted until
// the SignatureValue verifies over the canonical SignedInfo.
type signature struct {
	el          *etree.Element
	info        *etree.Element
	c14n        dsig.Canonicalizer
	method      signatureMethod
	refs        []reference
	value       []byte
	keyInfoCert *x509.Certificate // first X509Certificate of KeyInfo, or nil
}

// reference is one ds:Reference.
type reference struct {
	id     string // the URI without its "#"
	c14n   dsig.Canonicalizer
	hash   crypto.Hash
	digest []byte
}

const nsExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"

// maxNonce bounds the nonce kept in memory; OpenLEADR's has 32 characters.
const maxNonce = 256

func readSignature(el *etree.Element) (*signature, error) {
	s := &signature{el: el}
	kids := el.ChildElements()
	i := 0
	next := func(local string) *etree.Element {
		if i < len(kids) && is(kids[i], nsDS, local) {
			i++
			return kids[i-1]
		}
		return nil
	}
	if s.info = next("SignedInfo"); s.info == nil {
		return nil, fmt.Errorf("SignedInfo is not the first child of Signature")
	}
	value := next("SignatureValue")
	if value == nil {
		return nil, fmt.Errorf("no SignatureValue after SignedInfo")
	}
	keyInfo := next("KeyInfo")
	for next("Object") != nil {
	}
	if i != len(kids) {
		return nil, fmt.Errorf("unexpected %s in Signature", kids[i].Tag)
	}
	var err error
	if s.value, err = decodeBase64(value.Text()); err != nil {
		return nil, fmt.Errorf("SignatureValue: %w", err)
	}
	if err := s.readSignedInfo(); err != nil {
		return nil, err
	}
	if keyInfo != nil {
		if s.keyInfoCert, err = firstCertificate(keyInfo); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *signature) readSignedInfo() error {
	kids := s.info.ChildElements()
	if len(kids) < 3 || !is(kids[0], nsDS, "CanonicalizationMethod") || !is(kids[1], nsDS, "SignatureMethod") {
		return fmt.Errorf("SignedInfo is not CanonicalizationMethod, SignatureMethod, Reference…")
	}
	c14n, err := readC14N(kids[0])
	if err != nil {
		return fmt.Errorf("CanonicalizationMethod: %w", err)
	}
	s.c14n = c14n
	alg := kids[1].SelectAttrValue("Algorithm", "")
	m, ok := signatureMethods[alg]
	if !ok || len(kids[1].ChildElements()) != 0 {
		return fmt.Errorf("SignatureMethod %q is not accepted", alg)
	}
	s.method = m
	for _, r := range kids[2:] {
		if !is(r, nsDS, "Reference") {
			return fmt.Errorf("unexpected %s in SignedInfo", r.Tag)
		}
		ref, err := readReference(r)
		if err != nil {
			return err
		}
		s.refs = append(s.refs, ref)
	}
	if len(s.refs) != 2 {
		return fmt.Errorf("%d references, want 2 (the signed object and its ReplayProtect)", len(s.refs))
	}
	return nil
}

// readC14N reads a CanonicalizationMethod or a canonicalising Transform.
func readC14N(el *etree.Element) (dsig.Canonicalizer, error) {
	alg := el.SelectAttrValue("Algorithm", "")
	prefixes := ""
	for _, c := range el.ChildElements() {
		if !is(c, nsExcC14N, "InclusiveNamespaces") || alg != string(dsig.CanonicalXML10ExclusiveAlgorithmId) {
			return nil, fmt.Errorf("unexpected %s", c.Tag)
		}
		prefixes = c.SelectAttrValue("PrefixList", "")
	}
	c := canonicalizer(alg, prefixes)
	if c == nil {
		return nil, fmt.Errorf("algorithm %q is not accepted", alg)
	}
	return c, nil
}

func readReference(el *etree.Element) (reference, error) {
	var r reference
	uri := el.SelectAttrValue("URI", "")
	if len(uri) < 2 || uri[0] != '#' {
		return r, fmt.Errorf("reference URI %q is not a same-document #id", uri)
	}
	r.id = uri[1:]
	kids := el.ChildElements()
	if len(kids) > 0 && is(kids[0], nsDS, "Transforms") {
		for _, t := range kids[0].ChildElements() {
			if !is(t, nsDS, "Transform") {
				return r, fmt.Errorf("unexpected %s in Transforms", t.Tag)
			}
			// The enveloped-signature transform removes the signature from
			// what it references; the references accepted here never
			// contain it, so it changes nothing.
			if t.SelectAttrValue("Algorithm", "") == string(dsig.EnvelopedSignatureAltorithmId) && len(t.ChildElements()) == 0 {
				continue
			}
			if r.c14n != nil {
				return r, fmt.Errorf("more than one canonicalisation in a reference")
			}
			c, err := readC14N(t)
			if err != nil {
				return r, fmt.Errorf("Transform: %w", err)
			}
			r.c14n = c
		}
		kids = kids[1:]
	}
	if r.c14n == nil {
		// XML-DSig turns a node-set into octets with inclusive C14N 1.0.
		r.c14n = dsig.MakeC14N10RecCanonicalizer()
	}
	if len(kids) != 2 || !is(kids[0], nsDS, "DigestMethod") || !is(kids[1], nsDS, "DigestValue") {
		return r, fmt.Errorf("reference is not Transforms?, DigestMethod, DigestValue")
	}
	alg := kids[0].SelectAttrValue("Algorithm", "")
	h, ok := digestAlgorithms[alg]
	if !ok {
		return r, fmt.Errorf("DigestMethod %q is not accepted", alg)
	}
	r.hash = h
	d, err := decodeBase64(kids[1].Text())
	if err != nil || len(d) != h.Size() {
		return r, fmt.Errorf("DigestValue is not a %s digest", h)
	}
	r.digest = d
	return r, nil
}

// firstCertificate returns the first KeyInfo/X509Data/X509Certificate, or
// nil when KeyInfo holds none.
func firstCertificate(keyInfo *etree.Element) (*x509.Certificate, error) {
	for _, data := range keyInfo.ChildElements() {
		if !is(data, nsDS, "X509Data") {
			continue
		}
		for _, c := range data.ChildElements() {
			if !is(c, nsDS, "X509Certificate") {
				continue
			}
			der, err := decodeBase64(c.Text())
			if err != nil {
				return nil, fmt.Errorf("X509Certificate: %w", err)
			}
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("X509Certificate: %w", err)
			}
			return cert, nil
		}
	}
	return nil, nil
}

// decodeBase64 decodes base64 that may be wrapped over lines.
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r':
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}
