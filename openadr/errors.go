package openadr

import (
	"errors"
	"fmt"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Errors returned by the VTN's methods and by Store implementations; test
// with errors.Is. Invalid arguments are reported as *energy.FieldError
// (errors.Is(err, energy.ErrInvalid)).
var (
	// ErrUnknownVEN: no VEN is registered under that venID (or
	// registrationID).
	ErrUnknownVEN = errors.New("openadr: unknown VEN")
	// ErrDuplicateVEN: Store.Create was given a venID that is already stored.
	ErrDuplicateVEN = errors.New("openadr: VEN already stored")
	// ErrUnknownEvent: the VEN has no event with that eventID.
	ErrUnknownEvent = errors.New("openadr: unknown event")
	// ErrEventEnded: the event is completed or cancelled and cannot change.
	ErrEventEnded = errors.New("openadr: event completed or cancelled")
	// ErrUnknownReportRequest: the VEN has no report request with that ID.
	ErrUnknownReportRequest = errors.New("openadr: unknown report request")
	// ErrCancelPending: the VTN has asked the VEN to cancel its registration
	// and waits for its answer; nothing new is sent to it.
	ErrCancelPending = errors.New("openadr: registration cancellation pending")
	// ErrOptedOut: the VEN opted out of an event (see OptOutError).
	ErrOptedOut = errors.New("openadr: VEN opted out")
	// ErrEventChanged: an event whose answer was awaited was modified or
	// cancelled first (by a newer schedule, say), so that answer will not
	// come.
	ErrEventChanged = errors.New("openadr: event changed before the VEN answered")
	// ErrLimit: a VEN's poll queue (MaxQueued messages) or its report
	// requests (MaxReportRequests) are full; the VEN has not polled for a
	// long while, or the application asks more than a VEN can follow.
	ErrLimit = errors.New("openadr: per-VEN limit reached")
)

// ResponseError is an OpenADR protocol error: the response code and
// description the VTN puts in the eiResponse of its answer. Hooks may return
// one to choose the code a VEN receives; any other error from a hook is
// answered with 469 (other error) and logged, never shown to the VEN.
type ResponseError struct {
	Code        oadr.ResponseCode
	Description string
}

// Reject returns a *ResponseError; the description is formatted as by
// fmt.Sprintf and should say what is wrong in terms the VEN's operator can
// act on.
func Reject(code oadr.ResponseCode, format string, args ...any) *ResponseError {
	return &ResponseError{Code: code, Description: fmt.Sprintf(format, args...)}
}

// Error returns the code, its meaning and the description.
func (e *ResponseError) Error() string {
	if e.Description == "" {
		return "openadr: " + e.Code.String()
	}
	return "openadr: " + e.Code.String() + ": " + e.Description
}

// eiResponse returns the error as an eiResponse to requestID.
func (e *ResponseError) eiResponse(requestID string) oadr.EiResponse {
	d := e.Description
	if d == "" {
		d = e.Code.Text()
	}
	return oadr.EiResponse{Code: e.Code, Description: d, RequestID: requestID}
}

// protocolError turns any error from request handling into the code and
// description sent to the VEN: a *ResponseError as it is, ErrUnknownVEN as
// 452, anything else as 469 with a generic description (internal errors are
// logged, not disclosed).
func protocolError(err error) *ResponseError {
	var re *ResponseError
	switch {
	case errors.As(err, &re):
		return re
	case errors.Is(err, ErrUnknownVEN):
		return &ResponseError{Code: oadr.CodeInvalidID, Description: "unknown venID"}
	}
	return &ResponseError{Code: oadr.CodeDeploymentError, Description: "the VTN could not process the request"}
}

// SchemaError reports a durable store's database whose schema this binary
// cannot use: a newer gridwire migrated it. The SQLite and PostgreSQL
// stores return it from Open rather than misread the data.
type SchemaError struct {
	// Found is the schema version in the database; Supported the newest
	// this binary knows.
	Found, Supported int
}

// Error implements error.
func (e *SchemaError) Error() string {
	return fmt.Sprintf("schema version %d is newer than this binary supports (%d): upgrade gridwire before opening this database", e.Found, e.Supported)
}
