package oscp

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// APIError is an answer from SolarNetwork that is not a success: any answer
// whose envelope says "success": false, whatever its HTTP status, and any
// answer with a status of 400 or more. It wraps the energy sentinel that
// fits the status: 400 and 422 → energy.ErrInvalid, 401 and 403 →
// energy.ErrUnauthorized, 429 → energy.ErrRateLimited, 408 and 5xx →
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
	return rest.StatusSentinel(e.StatusCode)
}

// DecodeError is a successful answer whose body is not the JSON the
// endpoint promises: not SolarNetwork's envelope, no data where the
// endpoint returns some, or data of the wrong shape. The data is not
// available, so it wraps energy.ErrUnavailable, and the decoder's error.
type DecodeError struct {
	// Method and Endpoint identify the call.
	Method, Endpoint string
	// Body is the start of the body, at most 512 bytes, with the call's
	// credentials redacted.
	Body string
	// Err is the decoder's error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("oscp: %s %s: malformed response: %v (body: %s)", e.Method, e.Endpoint, e.Err, e.Body)
}

// Unwrap returns energy.ErrUnavailable and the decoder's error.
func (e *DecodeError) Unwrap() []error { return []error{energy.ErrUnavailable, e.Err} }

// TransportError is a failure to get a usable answer (DNS, connection
// refused, reset, TLS, timeout, or a body over the client's size limit)
// after the client's retries. It wraps energy.ErrUnavailable and the cause.
type TransportError struct {
	// Method and Endpoint identify the call.
	Method, Endpoint string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *TransportError) Error() string {
	return fmt.Sprintf("oscp: %s %s: %v (after %d attempt(s))", e.Method, e.Endpoint, e.Err, e.Attempts)
}

// Unwrap returns energy.ErrUnavailable and the cause.
func (e *TransportError) Unwrap() []error { return []error{energy.ErrUnavailable, e.Err} }

// RedirectError is a redirect the client refused to follow because it led
// to another origin (scheme, host or port) than the base URL's, an
// https→http downgrade included: signed requests go to the base URL's
// origin only. It wraps no energy sentinel, as trying again would meet the
// same redirect; point WithBaseURL at where the API now lives instead.
type RedirectError struct {
	// Method and Endpoint identify the call.
	Method, Endpoint string
	// From is the base URL's origin, such as "https://data.solarnetwork.net".
	From string
	// To is the origin redirected to.
	To string
}

// Error implements error.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("oscp: %s %s: refused a redirect from %s to another origin, %s (signed requests go to %s only)",
		e.Method, e.Endpoint, e.From, e.To, e.From)
}

// convertError turns internal/rest's errors into this package's, so that
// callers can name every error they get: an *HTTPError becomes an
// *APIError read from the whole body the exchange kept, and the decode,
// transport and redirect errors their namesakes here. Others (the
// context's) pass through unchanged.
func convertError(err error, x *exchange) error {
	var (
		he *rest.HTTPError
		de *rest.DecodeError
		te *rest.TransportError
		re *rest.RedirectError
	)
	switch {
	case errors.As(err, &he):
		body := x.body
		if body == nil {
			body = []byte(he.Body)
		}
		return apiError(he.Method, he.Endpoint, he.StatusCode, x.redact(body))
	case errors.As(err, &de):
		return &DecodeError{Method: de.Method, Endpoint: de.Endpoint, Body: string(x.redact([]byte(de.Body))), Err: de.Err}
	case errors.As(err, &te):
		return &TransportError{Method: te.Method, Endpoint: te.Endpoint, Attempts: te.Attempts, Err: te.Err}
	case errors.As(err, &re):
		return &RedirectError{Method: re.Method, Endpoint: re.Endpoint, From: re.From, To: re.To}
	}
	return err
}

// decodeError is a *DecodeError for the call x recorded, with its secrets
// redacted from the body before it is cut to an excerpt.
func (x *exchange) decodeError(method, endpoint string, body []byte, err error) *DecodeError {
	return &DecodeError{Method: method, Endpoint: endpoint, Body: rest.Excerpt(x.redact(body)), Err: err}
}

// apiError builds an *APIError from an answer's status and (redacted) body.
func apiError(method, endpoint string, status int, body []byte) error {
	ae := &APIError{Method: method, Endpoint: endpoint, StatusCode: status}
	if env, ok := decodeEnvelope(body); ok {
		ae.Code, ae.Message, ae.Errors = string(env.Code), env.Message, env.Errors
	} else {
		ae.Body = rest.Excerpt(body)
	}
	return ae
}

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
