package snws2

import (
	"fmt"

	"github.com/gridwire/gridwire/energy"
)

// Reason says why a request could not be signed or was not verified.
type Reason string

// The reasons.
const (
	// ReasonMissing: no SNWS2 Authorization header.
	ReasonMissing Reason = "missing authorization"
	// ReasonMalformed: the Authorization header, a date or a digest cannot
	// be parsed, or too few headers are signed.
	ReasonMalformed Reason = "malformed authorization"
	// ReasonUnsignedHeader: a header that must be signed is not.
	ReasonUnsignedHeader Reason = "unsigned header"
	// ReasonDateSkew: the request date is too far from the server's clock.
	ReasonDateSkew Reason = "request date skew too large"
	// ReasonUnknownToken: the token id is not known to the verifier.
	ReasonUnknownToken Reason = "unknown token"
	// ReasonDigestMismatch: a Digest or Content-MD5 header does not match
	// the body.
	ReasonDigestMismatch Reason = "digest does not match body"
	// ReasonBadSignature: the signature does not match.
	ReasonBadSignature Reason = "bad signature"
	// ReasonBadRequest: the Signer could not read the request (its body or
	// its query).
	ReasonBadRequest Reason = "request cannot be signed"
)

// Error is a failure to sign or verify. Verification failures wrap
// energy.ErrUnauthorized; signing failures wrap energy.ErrInvalid. It never
// carries the secret, the signing key or the signature.
type Error struct {
	// Reason classifies the failure.
	Reason Reason
	// Detail says more, for people (never branch on it).
	Detail string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Detail == "" {
		return "snws2: " + string(e.Reason)
	}
	return "snws2: " + string(e.Reason) + ": " + e.Detail
}

// Unwrap returns energy.ErrInvalid for signing failures and
// energy.ErrUnauthorized for verification failures.
func (e *Error) Unwrap() error {
	if e.Reason == ReasonBadRequest {
		return energy.ErrInvalid
	}
	return energy.ErrUnauthorized
}

func fail(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...)}
}
