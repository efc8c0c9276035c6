package oadrsig

import (
	"errors"
	"fmt"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Kinds of verification failure. Each is carried by an *Error and wraps an
// energy sentinel, so errors.Is(err, energy.ErrUnauthorized) holds for every
// failure that is the peer's fault in signing, and
// errors.Is(err, oadrsig.ErrReplay) tells the kinds apart.
var (
	// ErrMissingSignature: the payload carries no ds:Signature although
	// signatures are required.
	ErrMissingSignature = fmt.Errorf("oadrsig: missing signature: %w", energy.ErrUnauthorized)
	// ErrBadSignature: the signature does not verify: a digest or the
	// signature value does not match, the signature is misshapen or in the
	// wrong place, references something other than the signed object and
	// its ReplayProtect property, or uses an algorithm this package does
	// not accept.
	ErrBadSignature = fmt.Errorf("oadrsig: bad signature: %w", energy.ErrUnauthorized)
	// ErrWrongCertificate: the payload was signed with, or names, another
	// certificate than the one trusted for this peer, or no certificate is
	// known for the peer.
	ErrWrongCertificate = fmt.Errorf("oadrsig: wrong certificate: %w", energy.ErrUnauthorized)
	// ErrReplay: the ReplayProtect nonce was seen before within the window.
	ErrReplay = fmt.Errorf("oadrsig: replayed nonce: %w", energy.ErrUnauthorized)
	// ErrStale: the ReplayProtect timestamp is older or further in the
	// future than the window allows, or is missing or unreadable.
	ErrStale = fmt.Errorf("oadrsig: timestamp outside the window: %w", energy.ErrUnauthorized)
	// ErrMalformed: the document is not an OpenADR 2.0b payload at all (not
	// well-formed XML, no oadrSignedObject, a message that does not
	// decode). It wraps energy.ErrInvalid: nothing about the signature could
	// be judged.
	ErrMalformed = fmt.Errorf("oadrsig: malformed payload: %w", energy.ErrInvalid)
)

// Error is a verification failure.
type Error struct {
	// Kind is one of ErrMissingSignature, ErrBadSignature,
	// ErrWrongCertificate, ErrReplay, ErrStale and ErrMalformed.
	Kind error
	// Detail says what was found wrong, for logs. It never holds signature
	// values, digests or keys.
	Detail string
	// Err is the underlying cause, if any (a parse error, an
	// *oadr.DecodeError, the lookup's own error).
	Err error
}

// Error returns, e.g., "oadrsig: bad signature: energy: unauthorized: digest of
// the signed object does not match".
func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns Kind and the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// ResponseCode is the OpenADR response code a VTN or VEN answers a payload
// with that failed verification:
//
//   - 463 (not registered or authorized) when the signer is not the peer
//     it should be (ErrWrongCertificate), as for a TLS certificate that does
//     not match the venID;
//   - 454 (invalid data) for everything else: a missing, bad or replayed
//     signature, a stale timestamp, a malformed payload. 2.0b has no code
//     of its own for signatures; 454 is what deployed VTNs answer
//     ("Can't validate payload xml signature").
func (e *Error) ResponseCode() oadr.ResponseCode {
	if errors.Is(e.Kind, ErrWrongCertificate) {
		return oadr.CodeNotRegisteredOrAuthorized
	}
	return oadr.CodeInvalidData
}

func fail(kind error, detail string, cause error) *Error {
	return &Error{Kind: kind, Detail: detail, Err: cause}
}
