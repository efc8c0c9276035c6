package alphaess

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// APIError is an answer whose envelope carries a code other than 200. It
// wraps the energy sentinel of its code (see Code.Sentinel), so
//
//	errors.Is(err, energy.ErrUnavailable) // true for 6042, system offline
//
// holds without importing this package.
type APIError struct {
	// Code is the envelope's code.
	Code Code
	// Msg is the envelope's message (or its "info" field), localised to the
	// developer account's language: show it, never branch on it.
	Msg string
	// ExpMsg is the envelope's detail, which sometimes says more than Msg
	// ("time list is null").
	ExpMsg string
	// Endpoint is the endpoint called, such as "getLastPowerData".
	Endpoint string
	// ServerTime is the server's Date header, when it sent one. For the
	// timestamp codes (6006, 6009) it shows how far the local clock is off.
	ServerTime time.Time
	// LocalTime is the client's clock when the answer arrived.
	LocalTime time.Time
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "alphaess: %s: code %d (%s)", e.Endpoint, int(e.Code), e.Code)
	if e.Msg != "" {
		fmt.Fprintf(&b, ": %s", e.Msg)
	}
	if e.ExpMsg != "" && e.ExpMsg != e.Msg {
		fmt.Fprintf(&b, " (%s)", e.ExpMsg)
	}
	if skew, ok := e.ClockSkew(); ok && (e.Code == CodeTimestampError || e.Code == CodeWhitelistFailed) {
		fmt.Fprintf(&b, "; the local clock is %s off the server's", skew.Round(time.Second))
	}
	return b.String()
}

// Unwrap returns the energy sentinel of the code, or nil.
func (e *APIError) Unwrap() error { return e.Code.Sentinel() }

// Retryable reports whether the same request may succeed later.
func (e *APIError) Retryable() bool { return e.Code.Retryable() }

// ClockSkew returns how far the local clock was ahead of the server's
// (negative when behind) when the answer arrived, if the server sent a Date
// header. The Date header has a resolution of one second.
func (e *APIError) ClockSkew() (time.Duration, bool) {
	if e.ServerTime.IsZero() || e.LocalTime.IsZero() {
		return 0, false
	}
	return e.LocalTime.Sub(e.ServerTime), true
}

// HTTPError is an answer without the AlphaESS envelope: an HTTP status of 400
// or more. AlphaESS answers a wrong method with Spring Boot's 405 body
// ({"timestamp":…,"status":405,"error":"Method Not Allowed","path":"/api/…"}),
// an unknown endpoint with 404, and maintenance with 502. 5xx answers wrap
// energy.ErrUnavailable and 404 wraps energy.ErrUnsupported (the server does
// not offer the endpoint).
type HTTPError struct {
	// Method and Endpoint identify the call.
	Method, Endpoint string
	// StatusCode is the HTTP status.
	StatusCode int
	// Reason and Path come from a Spring Boot error body, when there is one.
	Reason, Path string
	// Body is the start of the body, at most 512 bytes.
	Body string

	err error // the *rest.HTTPError
}

func newHTTPError(ep endpoint, he *rest.HTTPError) *HTTPError {
	e := &HTTPError{Method: ep.method, Endpoint: ep.name, StatusCode: he.StatusCode, Body: he.Body, err: he}
	var spring struct {
		Status int    `json:"status"`
		Error  string `json:"error"`
		Path   string `json:"path"`
	}
	if json.Unmarshal([]byte(he.Body), &spring) == nil && spring.Status == he.StatusCode {
		e.Reason, e.Path = spring.Error, spring.Path
	}
	return e
}

// Error implements error.
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("alphaess: %s %s: HTTP %d %s", e.Method, e.Endpoint, e.StatusCode, http.StatusText(e.StatusCode))
	switch e.StatusCode {
	case http.StatusMethodNotAllowed:
		msg += ": the endpoint does not take " + e.Method
	case http.StatusNotFound:
		msg += ": the server has no such endpoint (check the base URL)"
	default:
		if e.Reason == "" && e.Body != "" {
			return msg + ": " + e.Body
		}
	}
	if e.Path != "" {
		msg += " (path " + e.Path + ")"
	}
	return msg
}

// Unwrap returns the sentinels of the status.
func (e *HTTPError) Unwrap() []error {
	if e.StatusCode == http.StatusNotFound {
		return []error{energy.ErrUnsupported, e.err}
	}
	return []error{e.err}
}

// MissingDataError is a successful answer (code 200) whose values are null:
// some systems (Storion-S5, some after backend upgrades) answer
// getLastPowerData with every field null. It wraps energy.ErrUnavailable,
// since presenting nulls as zeros would show stale or invented data as fresh.
type MissingDataError struct {
	// Endpoint is the endpoint called.
	Endpoint string
	// Fields are the wire names of the null fields that were needed.
	Fields []string
}

// Error implements error.
func (e *MissingDataError) Error() string {
	return fmt.Sprintf("alphaess: %s: no data: %s null", e.Endpoint, strings.Join(e.Fields, ", "))
}

// Unwrap returns energy.ErrUnavailable.
func (e *MissingDataError) Unwrap() error { return energy.ErrUnavailable }

// ValueError is a successful answer (code 200) carrying a value that cannot
// be true: a number that is not finite ("NaN", "Infinity", or one that
// overflows when converted to gridwire's units), a state of charge outside
// 0..100 %, a power or capacity beyond any AlphaESS system, a negative PV
// or load. It wraps energy.ErrUnavailable: like a null, such a reading is
// unusable, so it is reported and never passed on or kept.
type ValueError struct {
	// Endpoint is the endpoint called.
	Endpoint string
	// Field is the wire name of the value, such as "soc", or "" when the
	// decoder cannot tell.
	Field string
	// Value is the value as sent (or as converted, for an overflow).
	Value string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements error.
func (e *ValueError) Error() string {
	field := e.Field
	if field == "" {
		field = "a value"
	}
	return fmt.Sprintf("alphaess: %s: %s is %s: %s", e.Endpoint, field, e.Value, e.Reason)
}

// Unwrap returns energy.ErrUnavailable.
func (e *ValueError) Unwrap() error { return energy.ErrUnavailable }

// ErrNotApplied is wrapped by *NotAppliedError.
var ErrNotApplied = errors.New("alphaess: write not applied")

// NotAppliedError reports a write that AlphaESS accepted (code 200) but that
// a read-back shows was not applied: the once-a-day write limit, model
// restrictions and regional backend migrations all cause this. Only clients
// made WithVerifyWrites return it. It wraps ErrNotApplied.
type NotAppliedError struct {
	// Endpoint is the write endpoint.
	Endpoint string
	// Diffs lists each field that differs after the write.
	Diffs []FieldDiff
}

// FieldDiff is one field that a read-back shows differs from what was sent.
type FieldDiff struct {
	Field     string // the Go field path, such as "Period1.Start"
	Sent, Got string
}

// Error implements error.
func (e *NotAppliedError) Error() string {
	parts := make([]string, len(e.Diffs))
	for i, d := range e.Diffs {
		parts[i] = fmt.Sprintf("%s is %s (sent %s)", d.Field, d.Got, d.Sent)
	}
	return fmt.Sprintf("alphaess: %s: accepted but not applied: %s", e.Endpoint, strings.Join(parts, ", "))
}

// Unwrap returns ErrNotApplied.
func (e *NotAppliedError) Unwrap() error { return ErrNotApplied }

// DecodeError is an answer whose body is not the AlphaESS envelope, or whose
// data does not decode (a null list item, a string where a number is due).
// Its message says "malformed response".
type DecodeError struct {
	// Method and Endpoint identify the call, such as "GET" and
	// "getEssList".
	Method, Endpoint string
	// Body is the start of the body, at most 512 bytes.
	Body string
	// Err is the decoder's error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("alphaess: %s %s: malformed response: %v (body: %s)", e.Method, e.Endpoint, e.Err, e.Body)
}

// Unwrap returns the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// TransportError is a failure to get any answer (DNS, connection refused,
// reset, TLS, timeout) after the client's retries. It wraps
// energy.ErrUnavailable and the cause.
type TransportError struct {
	// Method and Endpoint identify the call.
	Method, Endpoint string
	// Attempts is how many times the request was tried.
	Attempts int
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *TransportError) Error() string {
	return fmt.Sprintf("alphaess: %s %s: %v (after %d attempt(s))", e.Method, e.Endpoint, e.Err, e.Attempts)
}

// Unwrap returns energy.ErrUnavailable and the cause.
func (e *TransportError) Unwrap() []error { return []error{energy.ErrUnavailable, e.Err} }

// fromRest turns internal/rest's errors into this package's own types, so
// that callers can name every error they get.
func fromRest(ep endpoint, err error) error {
	var he *rest.HTTPError
	var te *rest.TransportError
	var de *rest.DecodeError
	var re *rest.RedirectError
	switch {
	case errors.As(err, &re):
		return &RedirectError{Method: ep.method, Endpoint: ep.name, From: re.From, To: re.To}
	case errors.As(err, &he):
		return newHTTPError(ep, he)
	case errors.As(err, &te):
		return &TransportError{Method: ep.method, Endpoint: ep.name, Attempts: te.Attempts, Err: te.Err}
	case errors.As(err, &de):
		return &DecodeError{Method: ep.method, Endpoint: ep.name, Body: de.Body, Err: de.Err}
	}
	return err
}

// RedirectError is a redirect the client refused to follow because it led
// to another origin (scheme, host or port) than the base URL's, an
// https→http downgrade included: credentials are sent to the base URL's
// origin only. It wraps no energy sentinel, as trying again would meet the
// same redirect; point WithBaseURL at where the API now lives instead.
type RedirectError struct {
	// Method and Endpoint identify the call.
	Method, Endpoint string
	// From is the base URL's origin; To is the origin redirected to.
	From, To string
}

// Error implements error.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("alphaess: %s %s: refused a redirect from %s to another origin, %s (credentials are sent to %s only)",
		e.Method, e.Endpoint, e.From, e.To, e.From)
}
