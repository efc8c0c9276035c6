package rest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// maxExcerpt bounds how much of a response body an error carries.
const maxExcerpt = 512

// HTTPError is an answer with a status of 400 or more. It wraps the energy
// sentinel that fits the status: 401 and 403 → ErrUnauthorized, 429 →
// ErrRateLimited, 408 and 5xx → ErrUnavailable.
type HTTPError struct {
	// Vendor names the service, such as "amber".
	Vendor string
	// Method and Endpoint identify the call (Endpoint is the path, without
	// the query string).
	Method, Endpoint string
	// StatusCode is the HTTP status.
	StatusCode int
	// Header holds the answer's headers (for rate-limit and retry fields).
	Header http.Header
	// Body is the start of the response body, at most 512 bytes.
	Body string
	// RetryAfter is how long the server asked us to wait, or 0.
	RetryAfter time.Duration
}

// Error implements error.
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("%s: %s %s: %d %s", e.Vendor, e.Method, e.Endpoint, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Unwrap returns the energy sentinel for the status, or nil.
func (e *HTTPError) Unwrap() error { return StatusSentinel(e.StatusCode) }

// StatusSentinel returns the energy sentinel an HTTP status maps to, or nil:
// 400 and 422, the server refusing what was asked, are ErrInvalid, as
// energy documents for a vendor's refusal of a parameter.
func StatusSentinel(status int) error {
	switch {
	case status == http.StatusBadRequest, status == http.StatusUnprocessableEntity:
		return energy.ErrInvalid
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return energy.ErrUnauthorized
	case status == http.StatusTooManyRequests:
		return energy.ErrRateLimited
	case status == http.StatusRequestTimeout, status >= 500:
		return energy.ErrUnavailable
	}
	return nil
}

// TransportError is a failure to get any answer: DNS, connection refused,
// reset, TLS, timeout. It wraps both energy.ErrUnavailable and the cause.
type TransportError struct {
	// Vendor, Method and Endpoint identify the call, as in HTTPError.
	Vendor, Method, Endpoint string
	// Attempts is how many times the request was tried.
	Attempts int
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *TransportError) Error() string {
	return fmt.Sprintf("%s: %s %s: %v (after %d attempt(s))", e.Vendor, e.Method, e.Endpoint, e.Err, e.Attempts)
}

// Unwrap returns energy.ErrUnavailable and the cause.
func (e *TransportError) Unwrap() []error { return []error{energy.ErrUnavailable, e.Err} }

// DecodeError is an answer whose body could not be decoded.
type DecodeError struct {
	// Vendor, Method and Endpoint identify the call, as in HTTPError.
	Vendor, Method, Endpoint string
	// Body is the start of the body, at most 512 bytes.
	Body string
	// Err is the decoder's error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s: %s %s: malformed response: %v (body: %s)", e.Vendor, e.Method, e.Endpoint, e.Err, e.Body)
}

// Unwrap returns the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// ErrBodyTooLarge is returned (wrapped) when a response body exceeds
// Config.MaxBodyBytes.
var ErrBodyTooLarge = errors.New("response body too large")

// Excerpt returns the start of b, at most 512 bytes, as a string with
// invalid UTF-8 replaced, for error messages.
func Excerpt(b []byte) string {
	if len(b) > maxExcerpt {
		return strings.ToValidUTF8(string(b[:maxExcerpt]), "") + "…"
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
