package oscp

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gridwire/gridwire/energy"
)

// APIError is an answer from SolarNetwork that is not a success: any answer
// whose envelope says "success": false, whatever its HTTP status, and any
// answer with a status of 400 or more. It wraps the energy sentinel that
// fits the status: 401 and 403 → energy.ErrUnauthorized, 422 →
// energy.ErrInvalid, 429 → energy.ErrRateLimited, 5xx →
// energy.ErrUnavailable; other statuses wrap none.
type APIError struct {
	// Method and Endpoint identify the call; Endpoint is the path.
	Method, Endpoint string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is SolarNetwork's error code, such as "VAL.00004" (validation)
	// or "DAO.00102" (not found), or "" when it sent none.
	Code string
	// Message is SolarNetwork's message, for people (never branch on it).
	Message string
	// Errors lists the field errors of a validation failure.
	Errors []ValidationError
	// Body is the start of the body when it was not SolarNetwork's
	// envelope (a proxy's HTML page, say).
	Body string
}

// ValidationError is one field error of a validation failure.
type ValidationError struct {
	// Location is the field, such as "name".
	Location string `json:"location,omitempty"`
	// Code is the validation code, such as "Size".
	Code string `json:"code,omitempty"`
	// RejectedValue is the refused value as SolarNetwork echoed it (raw
	// JSON), or nil.
	RejectedValue any `json:"rejectedValue,omitempty"`
	// Message says what is wrong.
	Message string `json:"message,omitempty"`
}

// Error implements error.
func (e *APIError) Error() string {
	msg := fmt.Sprintf("oscp: %s %s: %d %s", e.Method, e.Endpoint, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		msg += " [" + e.Code + "]"
	}
	switch {
	case e.Message != "":
		msg += ": " + e.Message
	case e.Body != "":
		msg += ": " + e.Body
	}
	for _, fe := range e.Errors {
		msg += fmt.Sprintf("; %s: %s", fe.Location, fe.Message)
	}
	return msg
}

// Unwrap returns the energy sentinel for the status, or nil. A
// success:false inside a 2xx answer is classified by its code instead:
// validation and integrity codes (VAL.*, DAO.001xx, 422) → ErrInvalid,
// transient ones (DAO.002xx, DAO.003xx, WEB.10000) → ErrRateLimited,
// internal errors (E.00500, EE.00500) → ErrUnavailable.
func (e *APIError) Unwrap() error {
	if e.StatusCode < 400 {
		return codeSentinel(e.Code)
	}
	switch {
	case e.StatusCode == http.StatusUnauthorized, e.StatusCode == http.StatusForbidden:
		return energy.ErrUnauthorized
	case e.StatusCode == http.StatusUnprocessableEntity:
		return energy.ErrInvalid
	case e.StatusCode == http.StatusTooManyRequests:
		return energy.ErrRateLimited
	case e.StatusCode >= 500:
		return energy.ErrUnavailable
	}
	return nil
}

// DecodeError is a successful answer whose body is not the JSON the
// endpoint promises.
type DecodeError struct {
	// Method and Endpoint identify the call.
	Method, Endpoint string
	// Body is the start of the body.
	Body string
	// Err is the decoder's error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("oscp: %s %s: malformed response: %v (body: %s)", e.Method, e.Endpoint, e.Err, e.Body)
}

// Unwrap returns the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// codeSentinel classifies SolarNetwork's error codes as its servers map
// them to HTTP statuses.
func codeSentinel(code string) error {
	switch {
	case code == "422", strings.HasPrefix(code, "VAL."), strings.HasPrefix(code, "DAO.001"):
		return energy.ErrInvalid
	case strings.HasPrefix(code, "DAO.002"), strings.HasPrefix(code, "DAO.003"), code == "WEB.10000":
		return energy.ErrRateLimited
	case code == "E.00500", code == "EE.00500", code == "500":
		return energy.ErrUnavailable
	case code == "403":
		return energy.ErrUnauthorized
	}
	return nil
}
