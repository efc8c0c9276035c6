package openadr

import (
	"context"
	"crypto/x509"
	"errors"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// signing is the VTN's side of 2.0b XML signatures (WithSigning). A VTN
// without it has none, and its handler takes the unsigned path unchanged.
type signing struct {
	signer   *oadrsig.Signer
	verifier *oadrsig.Verifier
	required bool          // WithRequiredSignatures
	window   time.Duration // WithSignatureWindow; 0 = oadrsig.DefaultWindow
	// Whether the options were given, to refuse them without WithSigning.
	requiredSet, windowSet bool
}

// setupSigning checks the signing options and builds the Verifier. It runs
// once the VTN's clock is known, so that signatures are judged by it.
func (v *VTN) setupSigning() error {
	s := v.sig
	if s == nil {
		return nil
	}
	switch {
	case s.signer == nil && s.requiredSet:
		return energy.Invalid("WithRequiredSignatures", "needs WithSigning")
	case s.signer == nil && s.windowSet:
		return energy.Invalid("WithSignatureWindow", "needs WithSigning")
	case s.signer == nil:
		return energy.Invalid("WithSigning", "nil signer")
	case s.windowSet && s.window <= 0:
		return energy.Invalid("WithSignatureWindow", "%v is not positive", s.window)
	}
	opts := []oadrsig.Option{oadrsig.WithLookup(signerOf), oadrsig.WithClock(v.clock)}
	if s.windowSet {
		opts = append(opts, oadrsig.WithWindow(s.window))
	}
	if !s.required {
		// Each VEN chooses with oadrXmlSignature; checkCaller refuses an
		// unsigned message from one that chose signatures.
		opts = append(opts, oadrsig.WithOptional())
	}
	verifier, err := oadrsig.NewVerifier(opts...)
	if err != nil {
		return err
	}
	s.verifier = verifier
	return nil
}

// callerKey carries the request's *Caller to signerOf through Verify.
type callerKey struct{}

// signerOf is the Verifier's lookup: a VEN signs with its TLS client
// certificate, the one its venID is bound to (checkCaller holds the venID
// to it afterwards, as for any request). A request without one (plain
// HTTP, where the VTN has no certificate to trust) fails with 463, and so
// does a signature whose KeyInfo names another certificate (oadrsig checks
// KeyInfo against the certificate returned here). For a push VEN's answer,
// the certificate is the one its push server presented, pinned to the
// registered fingerprint (see pushsend.go).
func signerOf(ctx context.Context, _ oadrsig.Peer) (*x509.Certificate, error) {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	if c == nil || c.cert == nil {
		return nil, nil
	}
	return c.cert, nil
}

// verify checks the signature of a request body and returns the message
// decoded from the bytes the signature covers, and the caller marked as
// signed or unsigned. A body that does not decode returns the decoder's
// error, for decodeErrorAnswer; a signature that fails returns refusal,
// the answer to send.
func (v *VTN) verify(ctx context.Context, c Caller, body []byte) (msg oadr.Message, _ Caller, refusal oadr.Message, err error) {
	got, err := v.sig.verifier.Verify(context.WithValue(ctx, callerKey{}, &c), body)
	if err != nil {
		se, ok := errors.AsType[*oadrsig.Error](err)
		switch {
		case !ok:
			// signerOf fails only with the context.
			v.log.WarnContext(ctx, "openadr: verifying a signature", "err", err)
			return nil, c, v.signatureRefusal(body, Reject(oadr.CodeDeploymentError, "the VTN could not verify the signature")), nil
		case errors.Is(se.Kind, oadrsig.ErrMalformed):
			// Answered as an unsigned body that does not decode is, with
			// the decoder's own words when it has them.
			if _, derr := oadr.Unmarshal(body); derr != nil {
				return nil, c, nil, derr
			}
			return nil, c, nil, se
		}
		v.log.InfoContext(ctx, "openadr: signature refused", "remote", c.RemoteAddr, "code", int(se.ResponseCode()), "err", se)
		return nil, c, v.signatureRefusal(body, &ResponseError{Code: se.ResponseCode(), Description: se.Error()}), nil
	}
	c.Signed, c.unsigned = got.Signed, !got.Signed
	if m, ok := got.Message.(*oadr.CreatePartyRegistration); ok && m.XMLSignature && !got.Signed {
		return nil, c, v.errorAnswer(m.MessageName(), m.RequestID, "", Reject(oadr.CodeInvalidData, "a VEN registering with oadrXmlSignature true must sign its registration")), nil
	}
	return got.Message, c, nil, nil
}

// signatureRefusal answers a request whose signature failed, in the answer
// its message calls for. Nothing of the unverified message is echoed but
// its name, which only chooses the answer's type.
func (v *VTN) signatureRefusal(body []byte, pe *ResponseError) oadr.Message {
	var name string
	if m, err := oadr.Unmarshal(body); err == nil {
		name = m.MessageName()
	}
	return v.errorAnswer(name, "", "", pe)
}

// sign signs an encoded answer. A key that fails to sign (an HSM that is
// down, say) leaves the VEN an unsigned 469 rather than no answer.
func (v *VTN) sign(b []byte, name string) []byte {
	signed, err := v.sig.signer.Sign(b)
	if err == nil {
		return signed
	}
	v.log.Error("openadr: signing answer", "message", name, "err", err)
	b, _ = oadr.Marshal(oadr.NewResponse(oadr.CodeDeploymentError, "the VTN could not sign its answer", ""))
	return b
}

// sigOpts returns the signing options, creating them for the first option
// that sets one.
func (v *VTN) sigOpts() *signing {
	if v.sig == nil {
		v.sig = new(signing)
	}
	return v.sig
}
