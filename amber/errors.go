package amber

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// APIError is an answer from Amber with an HTTP status of 400 or more (other
// than 429, which is a *RateLimitError). It wraps the energy sentinel that
// fits the status: 400 and 422 → energy.ErrInvalid, 401 and 403 →
// energy.ErrUnauthorized, 5xx → energy.ErrUnavailable; a 404 wraps none.
type APIError struct {
	// StatusCode is the HTTP status, such as 404 (unknown site) or 422 (a
	// range or count over the API's limits).
	StatusCode int
	// Message is the message of Amber's error body, {"message": "…"}, or ""
	// when the body had none.
	Message string
	// Method and Endpoint identify the call; Endpoint is the path, without
	// the query string.
	Method, Endpoint string
	// Body is the start of the answer's body when it carried no message.
	Body string
}

// Error implements error.
func (e *APIError) Error() string {
	msg := fmt.Sprintf("amber: %s %s: %d %s", e.Method, e.Endpoint, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Message != "":
		msg += ": " + e.Message
	case e.Body != "":
		msg += ": " + e.Body
	}
	return msg
}

// Unwrap returns the energy sentinel for the status, or nil.
func (e *APIError) Unwrap() error { return rest.StatusSentinel(e.StatusCode) }

// RateLimitError reports that the account's request quota is spent. It is
// returned for a 429 that was not (or could not be) waited out, and when the
// client's own limiter has no budget left and may not wait for it (waiting
// is turned off with WithoutRateLimitWait, or would outlast the context's
// deadline); then no request is sent. It wraps energy.ErrRateLimited.
type RateLimitError struct {
	// ResetAt is when the quota is expected to be renewed, or zero when
	// neither the answer nor earlier ones said.
	ResetAt time.Time
	// Limit and Remaining are the quota and what is left of it, from the
	// RateLimit headers, or -1 when unknown.
	Limit, Remaining int
	// Policy is the raw RateLimit-Policy header, such as "50;w=300", or "".
	Policy string
	// Local is true when the client's own limiter refused the call, so no
	// request was sent.
	Local bool
	// Message is the message of Amber's error body, or "".
	Message string
}

// Error implements error.
func (e *RateLimitError) Error() string {
	msg := "amber: rate limited"
	if e.Local {
		msg += " (client-side budget spent; not sent)"
	}
	if e.Limit >= 0 {
		msg += fmt.Sprintf(": %d of %d requests left", max(e.Remaining, 0), e.Limit)
	}
	if !e.ResetAt.IsZero() {
		msg += "; quota resets at " + e.ResetAt.UTC().Format(time.RFC3339)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Unwrap returns energy.ErrRateLimited.
func (e *RateLimitError) Unwrap() error { return energy.ErrRateLimited }

// errorBody is Amber's (API Gateway's) error body.
type errorBody struct {
	Message string `json:"message"`
}

// convertError turns rest's errors into this package's: an *HTTPError into
// an *APIError or a *RateLimitError, and the decode, transport and redirect
// errors into their namesakes here. Others (the context's, the limiter's
// *RateLimitError) pass through unchanged.
func (c *Client) convertError(err error) error {
	var (
		he *rest.HTTPError
		de *rest.DecodeError
		te *rest.TransportError
		re *rest.RedirectError
	)
	switch {
	case errors.As(err, &de):
		return &DecodeError{Method: de.Method, Endpoint: de.Endpoint, Body: de.Body, Err: de.Err}
	case errors.As(err, &te):
		return &TransportError{Method: te.Method, Endpoint: te.Endpoint, Attempts: te.Attempts, Err: te.Err}
	case errors.As(err, &re):
		return &RedirectError{Method: re.Method, Endpoint: re.Endpoint, From: re.From, To: re.To}
	case !errors.As(err, &he):
		return err
	}
	var body errorBody
	if json.Unmarshal([]byte(he.Body), &body) != nil {
		// Not Amber's JSON (a proxy's HTML page, say): the excerpt goes in
		// Body instead.
		body.Message = ""
	}
	if he.StatusCode == http.StatusTooManyRequests {
		rle := &RateLimitError{Limit: -1, Remaining: -1, Message: body.Message}
		now := c.clock.Now()
		// A malformed header was logged when the answer arrived
		// (onResponse); here it only means falling back on the last state.
		if h, ok, _ := parseRateLimit(he.Header, now); ok {
			c.mu.Lock()
			h = c.completeLocked(h, he.StatusCode)
			c.mu.Unlock()
			rle.Limit, rle.Remaining, rle.Policy, rle.ResetAt = h.Limit, h.Remaining, h.Policy, h.ResetAt
		} else if st, ok := c.RateLimit(); ok {
			// The 429 itself said nothing (API Gateway's often don't): fall
			// back on the last answer that did.
			rle.Limit, rle.Remaining, rle.Policy = st.Limit, 0, st.Policy
			if st.ResetAt.After(now) {
				rle.ResetAt = st.ResetAt
			}
		}
		if rle.ResetAt.IsZero() && he.RetryAfter > 0 {
			rle.ResetAt = now.Add(he.RetryAfter)
		}
		return rle
	}
	ae := &APIError{StatusCode: he.StatusCode, Message: body.Message, Method: he.Method, Endpoint: he.Endpoint}
	if ae.Message == "" {
		ae.Body = he.Body
	}
	return ae
}

// DecodeError is a 2xx answer whose body is not what the endpoint
// promises: not JSON, a literal null where a list is due, an interval
// without a price, a type Amber does not define. The data is not available,
// so it wraps energy.ErrUnavailable, and the decoder's error.
type DecodeError struct {
	// Method and Endpoint identify the call; Endpoint is the path, without
	// the query string.
	Method, Endpoint string
	// Body is the start of the body, at most 512 bytes, with the token
	// removed; "" when the body was well-formed JSON with bad content.
	Body string
	// Err is the decoder's error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("amber: %s %s: malformed response: %v", e.Method, e.Endpoint, e.Err)
	if e.Body != "" {
		msg += " (body: " + e.Body + ")"
	}
	return msg
}

// Unwrap returns energy.ErrUnavailable and the decoder's error.
func (e *DecodeError) Unwrap() []error { return []error{energy.ErrUnavailable, e.Err} }

// TransportError is a failure to get a usable answer (DNS, connection
// refused, reset, TLS, timeout, or a body over the client's size limit)
// after the client's retries. It wraps energy.ErrUnavailable and the cause.
type TransportError struct {
	// Method and Endpoint identify the call, as in DecodeError.
	Method, Endpoint string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *TransportError) Error() string {
	return fmt.Sprintf("amber: %s %s: %v (after %d attempt(s))", e.Method, e.Endpoint, e.Err, e.Attempts)
}

// Unwrap returns energy.ErrUnavailable and the cause.
func (e *TransportError) Unwrap() []error { return []error{energy.ErrUnavailable, e.Err} }

// RedirectError is a redirect the client refused to follow because it led
// to another origin (scheme, host or port) than the base URL's, an
// https→http downgrade included: the token is sent to the base URL's origin
// only. It wraps no energy sentinel, as trying again would meet the same
// redirect; point WithBaseURL at where the API now lives instead.
type RedirectError struct {
	// Method and Endpoint identify the call, as in DecodeError.
	Method, Endpoint string
	// From is the base URL's origin, such as "https://api.amber.com.au".
	From string
	// To is the origin redirected to.
	To string
}

// Error implements error.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("amber: %s %s: refused a redirect from %s to another origin, %s (the token is sent to %s only)",
		e.Method, e.Endpoint, e.From, e.To, e.From)
}
