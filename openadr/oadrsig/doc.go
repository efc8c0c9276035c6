// Package oadrsig signs and verifies OpenADR 2.0b payloads with XML
// signatures, the 2.0b high-security profile: an enveloped ds:Signature as
// the first child of oadrPayload, over the oadrSignedObject and a signed
// ReplayProtect property (timestamp and nonce), with the signer's
// certificate in KeyInfo. It works on bytes, around the oadr codec, so a
// VTN's HTTP handler and a VEN's transport call it just before sending and
// just after receiving:
//
//	signer, err := oadrsig.NewSigner(key, cert) // *ecdsa.PrivateKey or *rsa.PrivateKey
//	body, err := signer.Marshal(msg)            // oadr.Marshal, then Sign
//
//	verifier, err := oadrsig.NewVerifier(oadrsig.WithCertificate(peerCert))
//	v, err := verifier.Verify(ctx, body)
//	if err != nil {
//		var se *oadrsig.Error
//		if errors.As(err, &se) {
//			code := se.ResponseCode() // 454, or 463 for the wrong signer
//		}
//	}
//	switch m := v.Message.(type) { … }
//
// A VTN serving many VENs makes its Verifier WithLookup, finding each VEN's
// certificate by the venID of the message (and comparing the fingerprint of
// Peer.Certificate or of the TLS client certificate with the one it has on
// record); a VEN trusts its VTN's certificate WithCertificate. A VTN that
// lets each VEN choose (oadrXmlSignature in its registration) makes its
// Verifier WithOptional, refuses an unsigned payload (Verified.Signed
// false) from a VEN that chose signatures, and signs its answers to those
// that did.
//
// # What is written
//
// Sign writes RSA-SHA256 or ECDSA-SHA256 (r||s, as XML-DSig wants) over
// exactly two references, each with an exclusive C14N transform and a
// SHA-256 digest: #oadrSignedObject (the oadr:Id oadr.Marshal writes) and
// a ds:SignatureProperties holding dsp:ReplayProtect in namespace
// NamespaceDSP, with the current time and 128 random bits as nonce.
// Exclusive C14N is what 2.0b specifies, and it keeps a signature valid
// whichever namespaces the surrounding envelope declares. OpenLEADR signs
// with inclusive C14N and verifies whatever canonicalisation a signature
// names, expecting exactly the two references written here. The rest of
// the document is left byte for byte as oadr.Marshal wrote it, and the
// result validates against oadr_20b.xsd.
//
// # What is accepted
//
// Verify accepts C14N 1.0, C14N 1.1 and exclusive C14N (without comments),
// RSA and ECDSA with SHA-256, -384 or -512, and the property reference
// naming a ds:Object, ds:SignatureProperties or ds:SignatureProperty of the
// signature (OpenLEADR names the ds:Object). It refuses SHA-1, HMAC, any
// transform but canonicalisation and enveloped-signature, references to
// anything but the two elements above, an Id carried by two elements
// (signature wrapping), a signature anywhere but first, and a signer other
// than the trusted certificate. What it returns is decoded from the very
// canonical bytes the digests covered; nothing outside them is read after
// verification. Nonces are remembered per signer for the window (see
// WithWindow, WithMaxNonces), within bounded memory.
//
// # Why the signature is assembled here
//
// Canonicalisation (exclusive C14N, C14N 1.0 and 1.1) comes from
// github.com/russellhaering/goxmldsig, on beevik/etree. Its signing and
// validation contexts are not used: they make and check an enveloped
// signature with one reference, to the element that contains it, and
// validate only that reference. A 2.0b signature sits beside
// oadrSignedObject, not inside it, and signs two references, the second
// being the ReplayProtect property in the signature's own ds:Object;
// validated by goxmldsig, the nonce and timestamp would go unchecked. So
// this package builds the ds:Signature, resolves and digests both
// references, and checks the signature value itself (crypto/rsa,
// crypto/ecdsa), on goxmldsig's canonical bytes.
//
// Errors are *Error values whose Kind (ErrMissingSignature,
// ErrBadSignature, ErrWrongCertificate, ErrReplay, ErrStale) wraps
// energy.ErrUnauthorized, or ErrMalformed, which wraps energy.ErrInvalid;
// they never hold signature values or keys.
package oadrsig
