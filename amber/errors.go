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
// fits the status: 401 and 403 → energy.ErrUnauthorized, 5xx →
// energy.ErrUnavailable; a 400, 404 or 422 wraps none.
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

// convertError turns rest's *HTTPError into an *APIError or a
// *RateLimitError; other errors pass through unchanged.
func (c *Client) convertError(err error) error {
	var he *rest.HTTPError
	if !errors.As(err, &he) {
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

// DecodeError is an answer whose body is not the JSON the endpoint
// promises. It is an alias so that callers outside this module can name it
// in errors.As.
type DecodeError = rest.DecodeError

// TransportError is a failure to get any answer (DNS, connection refused,
// reset, TLS, timeout) after the client's retries. It wraps
// energy.ErrUnavailable and the cause.
type TransportError = rest.TransportError
