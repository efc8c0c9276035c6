package energy

import (
	"errors"
	"fmt"
)

// Sentinel errors that every vendor package wraps, so callers can classify a
// failure with errors.Is without importing the vendor package.
var (
	// ErrUnsupported: the device or vendor cannot do what was asked. The
	// wrapping error says why (for example "at most 2 charge windows").
	ErrUnsupported = errors.New("energy: unsupported")
	// ErrUnauthorized: credentials are missing, wrong, expired or not
	// allowed to do this.
	ErrUnauthorized = errors.New("energy: unauthorized")
	// ErrRateLimited: the vendor refused the call because too many were made;
	// retrying later may succeed.
	ErrRateLimited = errors.New("energy: rate limited")
	// ErrUnavailable: the vendor or device cannot be reached or has no
	// current data (offline, maintenance, 5xx, network failure, stale data).
	ErrUnavailable = errors.New("energy: unavailable")
	// ErrInvalid: the caller's input is invalid; sending it again unchanged
	// cannot succeed. What a package can check itself it rejects before any
	// I/O, with a *FieldError that names the field; a vendor's own refusal
	// of a parameter (AlphaESS code 6001, say) wraps ErrInvalid too.
	ErrInvalid = errors.New("energy: invalid input")
)

// FieldError reports invalid input, naming the offending field. It wraps
// ErrInvalid.
type FieldError struct {
	// Field is the path of the offending field, such as "Windows[1].End".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements error.
func (e *FieldError) Error() string { return "invalid " + e.Field + ": " + e.Reason }

// Unwrap returns ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Invalid returns a *FieldError for field with a formatted reason.
func Invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// UnsupportedError reports an operation a vendor or device cannot carry out.
// It wraps ErrUnsupported.
type UnsupportedError struct {
	// Op is the operation that was asked for, after the name of the
	// package that refuses it, as its other errors begin: such as
	// "alphaess: SetSchedule".
	Op string
	// Reason explains the limit, such as "AlphaESS supports 2 charge windows".
	Reason string
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	if e.Reason == "" {
		return e.Op + ": unsupported"
	}
	return e.Op + ": unsupported: " + e.Reason
}

// Unwrap returns ErrUnsupported.
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// Unsupported returns an *UnsupportedError for op with a formatted reason.
func Unsupported(op, format string, args ...any) error {
	return &UnsupportedError{Op: op, Reason: fmt.Sprintf(format, args...)}
}
