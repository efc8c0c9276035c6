package oadr

import (
	"fmt"
	"strconv"
)

// ResponseCode is the three-digit ei:responseCode of an eiResponse or
// eventResponse. The 2.0b specification uses HTTP-like codes plus its own 45x/46x.
type ResponseCode int

// Response codes of the OpenADR 2.0b specification.
const (
	CodeOK                        ResponseCode = 200
	CodeBadRequest                ResponseCode = 400
	CodeForbidden                 ResponseCode = 403
	CodeNotFound                  ResponseCode = 404
	CodeMethodNotAllowed          ResponseCode = 405
	CodeRequestTimeout            ResponseCode = 408
	CodeEntityTooLarge            ResponseCode = 413
	CodeURITooLong                ResponseCode = 414
	CodeUnsupportedMediaType      ResponseCode = 415
	CodeOutOfSequence             ResponseCode = 450
	CodeNotAllowed                ResponseCode = 451
	CodeInvalidID                 ResponseCode = 452
	CodeNotRecognized             ResponseCode = 453
	CodeInvalidData               ResponseCode = 454
	CodeComplianceError           ResponseCode = 459
	CodeSignalNotSupported        ResponseCode = 460
	CodeReportNotSupported        ResponseCode = 461
	CodeTargetMismatch            ResponseCode = 462
	CodeNotRegisteredOrAuthorized ResponseCode = 463
	CodeDeploymentError           ResponseCode = 469
	CodeInternalServerError       ResponseCode = 500
	CodeNotImplemented            ResponseCode = 501
	CodeServiceUnavailable        ResponseCode = 503
	CodeHTTPVersionNotSupported   ResponseCode = 505
)

var codeText = map[ResponseCode]string{
	CodeOK:                        "OK",
	CodeBadRequest:                "Bad Request",
	CodeForbidden:                 "Forbidden",
	CodeNotFound:                  "Not Found",
	CodeMethodNotAllowed:          "Method Not Allowed",
	CodeRequestTimeout:            "Request Timeout",
	CodeEntityTooLarge:            "Request Entity Too Large",
	CodeURITooLong:                "Request-URI Too Long",
	CodeUnsupportedMediaType:      "Unsupported Media Type",
	CodeOutOfSequence:             "Out of Sequence",
	CodeNotAllowed:                "Not Allowed",
	CodeInvalidID:                 "Invalid ID",
	CodeNotRecognized:             "Not Recognized",
	CodeInvalidData:               "Invalid Data",
	CodeComplianceError:           "Compliance Error",
	CodeSignalNotSupported:        "Signal Not Supported",
	CodeReportNotSupported:        "Report Not Supported",
	CodeTargetMismatch:            "Target Mismatch",
	CodeNotRegisteredOrAuthorized: "Not Registered or Authorized",
	CodeDeploymentError:           "Deployment Error or Other Error",
	CodeInternalServerError:       "Internal Server Error",
	CodeNotImplemented:            "Not Implemented",
	CodeServiceUnavailable:        "Service Unavailable",
	CodeHTTPVersionNotSupported:   "HTTP Version Not Supported",
}

// Text returns the specification's short description ("Invalid ID"), or "" for
// a code it does not list.
func (c ResponseCode) Text() string { return codeText[c] }

// String returns the code and its description, e.g. "452 Invalid ID".
func (c ResponseCode) String() string {
	if t := codeText[c]; t != "" {
		return strconv.Itoa(int(c)) + " " + t
	}
	return strconv.Itoa(int(c))
}

// Success reports a 2xx code.
func (c ResponseCode) Success() bool { return c >= 200 && c < 300 }

// EiResponse is ei:eiResponse: the outcome of the request whose requestID it
// echoes. RequestID may be empty (answers to oadrPoll, which has no requestID).
type EiResponse struct {
	Code        ResponseCode
	Description string // optional
	RequestID   string
}

// OK returns a 200 response to requestID.
func OK(requestID string) EiResponse {
	return EiResponse{Code: CodeOK, Description: "OK", RequestID: requestID}
}

// Err returns an error response with the code's standard description, e.g.
// Err(CodeInvalidID, requestID).
func Err(code ResponseCode, requestID string) EiResponse {
	return EiResponse{Code: code, Description: code.Text(), RequestID: requestID}
}

func (r *EiResponse) encode(e *encoder) {
	e.open(pEI, "eiResponse")
	e.responseCode(r.Code, "eiResponse/responseCode")
	e.optText(pEI, "responseDescription", r.Description)
	e.text(pPyld, "requestID", r.RequestID)
	e.close(pEI, "eiResponse")
}

func (r *EiResponse) decode(d *decoder) error { return decodeFields(d, r, eiResponseFields) }

var eiResponseFields = fields[EiResponse]{
	{eiN("responseCode"), required, func(d *decoder, r *EiResponse) error { return d.responseCode(&r.Code) }},
	{eiN("responseDescription"), optional, func(d *decoder, r *EiResponse) error { return d.str(&r.Description) }},
	{pyldN("requestID"), required, func(d *decoder, r *EiResponse) error { return d.str(&r.RequestID) }},
}

func (d *decoder) responseCode(p *ResponseCode) error {
	s, err := d.trimmed()
	if err != nil {
		return err
	}
	if len(s) != 3 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' {
		return fmt.Errorf("%w: response code %q is not three digits", ErrInvalidValue, string(s))
	}
	*p = ResponseCode(int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0'))
	return nil
}

// Response is oadrResponse: the generic answer, e.g. to oadrPoll when nothing is
// queued, to oadrCreatedEvent, or to acknowledge oadrRequestReregistration.
type Response struct {
	Response EiResponse
	VenID    string // optional
}

// NewResponse returns an oadrResponse with the given outcome.
func NewResponse(code ResponseCode, description, requestID string) *Response {
	return &Response{Response: EiResponse{Code: code, Description: description, RequestID: requestID}}
}

// MessageName returns "oadrResponse".
func (*Response) MessageName() string { return "oadrResponse" }

// encode writes Response as CanceledPartyRegistration, whose shape it has
// without the optional registrationID.
func (m *Response) encode(e *encoder) {
	(&CanceledPartyRegistration{Response: m.Response, VenID: m.VenID}).encode(e)
}

func (m *Response) decode(d *decoder) error { return decodeFields(d, m, responseFields) }

var responseFields = fields[Response]{
	{eiN("eiResponse"), required, func(d *decoder, m *Response) error { return m.Response.decode(d) }},
	{eiN("venID"), optional, func(d *decoder, m *Response) error { return d.str(&m.VenID) }},
}

// Poll is oadrPoll: a pull-mode VEN asking for its next queued message.
type Poll struct {
	VenID string
}

// MessageName returns "oadrPoll".
func (*Poll) MessageName() string { return "oadrPoll" }

func (m *Poll) encode(e *encoder) { e.text(pEI, "venID", m.VenID) }

func (m *Poll) decode(d *decoder) error { return decodeFields(d, m, pollFields) }

var pollFields = fields[Poll]{
	{eiN("venID"), required, func(d *decoder, m *Poll) error { return d.str(&m.VenID) }},
}
