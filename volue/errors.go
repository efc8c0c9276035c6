package volue

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// APIError is an answer from the API with an HTTP status of 400 or more. It
// wraps the energy sentinel that fits the status: 401 and 403 →
// energy.ErrUnauthorized, 429 → energy.ErrRateLimited, 408 and 5xx →
// energy.ErrUnavailable, 400, 409 and 422 → energy.ErrInvalid; a 404 wraps
// none (see IsNotFound).
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Method and Endpoint identify the call; Endpoint is the path below the
	// base URL, without the query string.
	Method, Endpoint string
	// Title and Detail are the problem-details fields of the answer
	// ({"title": …, "detail": …}), or "" when the body had none.
	Title, Detail string
	// Errors holds per-field validation messages when the API sent them
	// ({"errors": {"field": ["message"]}}).
	Errors map[string][]string
	// Body is the start of the answer's body, at most 512 bytes.
	Body string
}

// Error implements error.
func (e *APIError) Error() string {
	msg := fmt.Sprintf("volue: %s %s: %d %s", e.Method, e.Endpoint, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Title != "" || e.Detail != "":
		msg += ": " + strings.TrimPrefix(e.Title+": "+e.Detail, ": ")
		msg = strings.TrimSuffix(msg, ": ")
	case e.Body != "":
		msg += ": " + e.Body
	}
	return msg
}

// Unwrap returns the energy sentinel for the status, or nil.
func (e *APIError) Unwrap() error {
	if e.StatusCode == http.StatusConflict {
		return energy.ErrInvalid
	}
	return rest.StatusSentinel(e.StatusCode)
}

// IsNotFound reports whether err is an *APIError with status 404, as
// GetResource, DeleteResource and GetEvent return for an unknown id.
func IsNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound
}

// AuthError is a refusal or failure of the token endpoint. When the endpoint
// refused the credentials (a 4xx answer, or an OAuth2 error code) it wraps
// energy.ErrUnauthorized; a 429 wraps energy.ErrRateLimited; when the
// endpoint could not be reached or failed (5xx) it wraps
// energy.ErrUnavailable and the cause. The client secret is never part
// of it.
type AuthError struct {
	// StatusCode is the token endpoint's HTTP status, or 0 when no answer
	// came.
	StatusCode int
	// Code is the OAuth2 error code the endpoint gave, such as
	// "invalid_client" or "unauthorized_client", or "".
	Code string
	// Description is the endpoint's error_description, or "".
	Description string
	// Err is the cause when no answer came (network, timeout), or nil.
	Err error
}

// Error implements error.
func (e *AuthError) Error() string {
	msg := "volue: token request"
	switch {
	case e.Code != "":
		msg += " refused: " + e.Code
		if e.Description != "" {
			msg += " (" + e.Description + ")"
		}
	case e.StatusCode != 0:
		msg += fmt.Sprintf(" failed: %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	case e.Err != nil:
		msg += " failed: " + e.Err.Error()
	}
	return msg
}

// Unwrap returns energy.ErrUnauthorized for a refusal,
// energy.ErrRateLimited for a 429, or energy.ErrUnavailable and the cause
// for a failure.
func (e *AuthError) Unwrap() []error {
	if e.refused() {
		return []error{energy.ErrUnauthorized}
	}
	if e.StatusCode == http.StatusTooManyRequests {
		return []error{energy.ErrRateLimited}
	}
	if e.Err != nil {
		return []error{energy.ErrUnavailable, e.Err}
	}
	return []error{energy.ErrUnavailable}
}

func (e *AuthError) refused() bool {
	return e.Code != "" || (e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusTooManyRequests && e.StatusCode != http.StatusRequestTimeout)
}

// DecodeError is a 2xx answer whose body is not the JSON the endpoint
// promises. The data is not available, so it wraps energy.ErrUnavailable,
// and the decoder's error.
type DecodeError struct {
	// Method and Endpoint identify the call.
	Method, Endpoint string
	// Body is the start of the body, at most 512 bytes.
	Body string
	// Err is the decoder's error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("volue: %s %s: malformed response: %v (body: %s)", e.Method, e.Endpoint, e.Err, e.Body)
}

// Unwrap returns energy.ErrUnavailable and the decoder's error.
func (e *DecodeError) Unwrap() []error { return []error{energy.ErrUnavailable, e.Err} }

// TransportError is a failure to get any answer from the API (DNS,
// connection refused, reset, TLS, timeout) after the client's retries. It
// wraps energy.ErrUnavailable and the cause.
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
	return fmt.Sprintf("volue: %s %s: %v (after %d attempt(s))", e.Method, e.Endpoint, e.Err, e.Attempts)
}

// Unwrap returns energy.ErrUnavailable and the cause.
func (e *TransportError) Unwrap() []error { return []error{energy.ErrUnavailable, e.Err} }

// problem is an RFC 7807 problem-details body, as ASP.NET services send.
type problem struct {
	Title  string              `json:"title"`
	Detail string              `json:"detail"`
	Errors map[string][]string `json:"errors"`
}

// convertError turns internal/rest's errors into this package's; others
// (context errors, auth errors) pass through unchanged.
func convertError(err error) error {
	var he *rest.HTTPError
	var de *rest.DecodeError
	var te *rest.TransportError
	var re *rest.RedirectError
	switch {
	case errors.As(err, &re):
		return &RedirectError{Method: re.Method, Endpoint: re.Endpoint, From: re.From, To: re.To}
	case errors.As(err, &he):
		ae := &APIError{StatusCode: he.StatusCode, Method: he.Method, Endpoint: he.Endpoint, Body: he.Body}
		var p problem
		// Not every answer is problem details (a gateway's HTML page, say):
		// then Title and Detail stay empty and Body says what came.
		if json.Unmarshal([]byte(he.Body), &p) == nil {
			ae.Title, ae.Detail, ae.Errors = p.Title, p.Detail, p.Errors
		}
		return ae
	case errors.As(err, &de):
		return &DecodeError{Method: de.Method, Endpoint: de.Endpoint, Body: de.Body, Err: de.Err}
	case errors.As(err, &te):
		var ae *AuthError
		if errors.As(te.Err, &ae) {
			// The token could not be renewed between attempts.
			return ae
		}
		return &TransportError{Method: te.Method, Endpoint: te.Endpoint, Attempts: te.Attempts, Err: te.Err}
	}
	return err
}

func asField(err error, fe **energy.FieldError) bool { return errors.As(err, fe) }

func excerpt(b []byte) string { return rest.Excerpt(b) }

// RedirectError is a redirect the client refused to follow because it led
// to another origin (scheme, host or port) than the base URL's, or for the
// token request than the token URL's, an https→http downgrade included:
// credentials (the access token, the client secret) are sent to those
// origins only. It wraps no energy sentinel, as trying again would meet the
// same redirect; point WithBaseURL or WithTokenURL at where the service now
// lives instead.
type RedirectError struct {
	// Method and Endpoint identify the call (for the token request, POST
	// and the token URL's path).
	Method, Endpoint string
	// From is the base URL's origin, or the token URL's; To is the origin
	// redirected to.
	From, To string
}

// Error implements error.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("volue: %s %s: refused a redirect from %s to another origin, %s (credentials are sent to %s only)",
		e.Method, e.Endpoint, e.From, e.To, e.From)
}
