package oadrsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"math/big"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Namespaces of the signature block.
const (
	// NamespaceDSP is the namespace of the OpenADR ReplayProtect signature
	// property (prefix dsp).
	NamespaceDSP = "http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties"
	nsDS         = dsig.Namespace
	nsOADR       = oadr.NamespaceOADR
)

// Identifiers written by the Signer. The signed object keeps the Id the
// oadr codec gives it; the others are unlikely to appear in any message.
const (
	signedObjectID    = "oadrSignedObject"
	signatureID       = "oadrSignature"
	replayProtectID   = "oadrReplayProtect"
	typeSigProperties = "http://www.w3.org/2000/09/xmldsig#SignatureProperties"
)

// canonicalizer returns goxmldsig's implementation of a canonicalisation
// algorithm, or nil for one this package does not accept. Comments are
// never part of what is signed.
func canonicalizer(alg, prefixList string) dsig.Canonicalizer {
	switch dsig.AlgorithmID(alg) {
	case dsig.CanonicalXML10ExclusiveAlgorithmId:
		return dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList(prefixList)
	case dsig.CanonicalXML10RecAlgorithmId:
		return dsig.MakeC14N10RecCanonicalizer()
	case dsig.CanonicalXML11AlgorithmId:
		return dsig.MakeC14N11Canonicalizer()
	}
	return nil
}

// canonical returns the canonical form of el as it stands in its document:
// a copy carrying the namespace declarations in scope is canonicalised, so
// the result does not depend on where the element was (exclusive C14N) or
// carries what it inherited (inclusive C14N).
func canonical(c dsig.Canonicalizer, el *etree.Element) ([]byte, error) {
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, err
	}
	detached, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, err
	}
	return c.Canonicalize(detached)
}

// digestAlgorithms are the digests accepted in references; SHA-1 is not.
var digestAlgorithms = map[string]crypto.Hash{
	"http://www.w3.org/2001/04/xmlenc#sha256":       crypto.SHA256,
	"http://www.w3.org/2001/04/xmldsig-more#sha384": crypto.SHA384,
	"http://www.w3.org/2001/04/xmlenc#sha512":       crypto.SHA512,
}

const digestSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"

func newHash(h crypto.Hash) hash.Hash {
	switch h {
	case crypto.SHA384:
		return sha512.New384()
	case crypto.SHA512:
		return sha512.New()
	}
	return sha256.New()
}

// signatureMethod is an accepted SignatureMethod.
type signatureMethod struct {
	ecdsa bool
	hash  crypto.Hash
}

var signatureMethods = map[string]signatureMethod{
	dsig.RSASHA256SignatureMethod:   {false, crypto.SHA256},
	dsig.RSASHA384SignatureMethod:   {false, crypto.SHA384},
	dsig.RSASHA512SignatureMethod:   {false, crypto.SHA512},
	dsig.ECDSASHA256SignatureMethod: {true, crypto.SHA256},
	dsig.ECDSASHA384SignatureMethod: {true, crypto.SHA384},
	dsig.ECDSASHA512SignatureMethod: {true, crypto.SHA512},
}

// checkSignature verifies a SignatureValue over digest with pub. XML-DSig
// writes ECDSA signatures as r and s side by side, each as long as the
// curve's order; DER, which some libraries write by mistake, is accepted too.
func checkSignature(pub crypto.PublicKey, m signatureMethod, digest, sig []byte) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if m.ecdsa {
			return errors.New("an ECDSA signature method with an RSA key")
		}
		return rsa.VerifyPKCS1v15(k, m.hash, digest, sig)
	case *ecdsa.PublicKey:
		if !m.ecdsa {
			return errors.New("an RSA signature method with an ECDSA key")
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) == 2*size {
			r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
			if ecdsa.Verify(k, digest, r, s) {
				return nil
			}
		} else if ecdsa.VerifyASN1(k, digest, sig) {
			return nil
		}
		return errors.New("ECDSA verification failed")
	}
	return fmt.Errorf("unsupported public key %T", pub)
}

// rawECDSA turns an ASN.1 ECDSA signature, as crypto.Signer returns it, into
// the r||s form XML-DSig wants.
func rawECDSA(der []byte, pub *ecdsa.PublicKey) ([]byte, error) {
	var rs struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &rs)
	if err != nil || len(rest) != 0 || rs.R == nil || rs.S == nil {
		return nil, fmt.Errorf("signer returned a malformed ECDSA signature")
	}
	size := (pub.Curve.Params().BitSize + 7) / 8
	if rs.R.Sign() < 0 || rs.S.Sign() < 0 || rs.R.BitLen() > 8*size || rs.S.BitLen() > 8*size {
		return nil, fmt.Errorf("signer returned a malformed ECDSA signature")
	}
	out := make([]byte, 2*size)
	rs.R.FillBytes(out[:size])
	rs.S.FillBytes(out[size:])
	return out, nil
}

// equalDigest compares digests in constant time.
func equalDigest(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

// is reports whether el is the element {space}local.
func is(el *etree.Element, space, local string) bool {
	return el != nil && el.Tag == local && el.NamespaceURI() == space
}
