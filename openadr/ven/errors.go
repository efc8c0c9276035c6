package ven

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

var (
	// ErrNotRegistered means the VEN has no registration the VTN accepts:
	// Register has not succeeded yet, the VTN answered 452 (invalid ID) or 463
	// (not registered or authorized), or it asked the VEN to register again.
	ErrNotRegistered = errors.New("ven: not registered")
	// ErrRegistrationCanceled means the VTN cancelled the registration with
	// oadrCancelPartyRegistration. Run returns it rather than registering
	// again behind the operator's back.
	ErrRegistrationCanceled = errors.New("ven: registration cancelled by the VTN")
)

// ResponseError is a VTN's answer whose eiResponse carries a code other than
// 2xx. It matches ErrNotRegistered for 452 and 463, energy.ErrUnauthorized for
// 403, 451 and 463, and energy.ErrUnavailable for 503.
type ResponseError struct {
	// Message is the VEN's message the VTN answered, e.g. "oadrPoll".
	Message string
	// Code and Description are the VTN's eiResponse.
	Code        oadr.ResponseCode
	Description string
}

// Error implements error.
func (e *ResponseError) Error() string {
	s := fmt.Sprintf("ven: VTN answered %s with %s", e.Message, e.Code)
	if e.Description != "" && e.Description != e.Code.Text() {
		s += ": " + quote(e.Description)
	}
	return s
}

// Is lets errors.Is classify the code.
func (e *ResponseError) Is(target error) bool {
	switch target {
	case ErrNotRegistered:
		return e.Code == oadr.CodeInvalidID || e.Code == oadr.CodeNotRegisteredOrAuthorized
	case energy.ErrUnauthorized:
		return e.Code == oadr.CodeForbidden || e.Code == oadr.CodeNotAllowed ||
			e.Code == oadr.CodeNotRegisteredOrAuthorized
	case energy.ErrUnavailable:
		return e.Code == oadr.CodeServiceUnavailable
	}
	return false
}

// HTTPError is an HTTP answer other than 200 OK from the VTN. It wraps
// energy.ErrUnavailable, and also energy.ErrUnauthorized for 401 and 403 (a
// client certificate or credentials the VTN refuses) and energy.ErrRateLimited
// for 429.
type HTTPError struct {
	// Service is the endpoint called, e.g. "OadrPoll".
	Service oadr.ServiceName
	// StatusCode is the HTTP status.
	StatusCode int
	// Body is the start of the answer's body, for diagnosis.
	Body string
}

// Error implements error.
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("ven: %s: HTTP %d %s", e.Service, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		s += ": " + quote(e.Body)
	}
	return s
}

// Unwrap returns the energy sentinels the status maps to.
func (e *HTTPError) Unwrap() []error {
	errs := []error{energy.ErrUnavailable}
	switch e.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		errs = append(errs, energy.ErrUnauthorized)
	case http.StatusTooManyRequests:
		errs = append(errs, energy.ErrRateLimited)
	}
	return errs
}

// UnexpectedMessageError is a VTN answer of a type that makes no sense for the
// message sent, such as oadrCreatedReport in answer to oadrPoll.
type UnexpectedMessageError struct {
	// Sent is the VEN's message, Got the VTN's answer (element names).
	Sent, Got string
}

// Error implements error.
func (e *UnexpectedMessageError) Error() string {
	return fmt.Sprintf("ven: VTN answered %s with %s", e.Sent, e.Got)
}

// ProtocolError is an answer of the expected type that the VEN cannot act
// on, such as a registration without a venID.
type ProtocolError struct {
	// Message is the VTN's message, e.g. "oadrCreatedPartyRegistration".
	Message string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements error.
func (e *ProtocolError) Error() string { return "ven: " + e.Message + ": " + e.Reason }

// responseErr returns a *ResponseError for a non-2xx eiResponse, or nil.
func responseErr(sent string, r *oadr.EiResponse) error {
	if r == nil || r.Code.Success() {
		return nil
	}
	return &ResponseError{Message: sent, Code: r.Code, Description: r.Description}
}

// quote shortens and quotes text that came from the network so it cannot
// forge log lines or flood an error message.
func quote(s string) string {
	const limit = 200
	s = strings.TrimSpace(s)
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return fmt.Sprintf("%q", s)
}
