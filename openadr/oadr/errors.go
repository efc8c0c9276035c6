package oadr

import (
	"encoding/xml"
	"errors"
	"strings"
)

// Sentinel errors carried by *DecodeError; test with errors.Is.
var (
	// ErrUnknownMessage: the root element, or the child of oadrSignedObject, is not
	// an OpenADR 2.0b message (another namespace such as 2.0a, or an unknown name).
	ErrUnknownMessage = errors.New("oadr: unknown message")
	// ErrMissingElement: an element the schema requires is absent.
	ErrMissingElement = errors.New("oadr: missing required element")
	// ErrInvalidValue: an element's text does not parse as its schema type
	// (number, boolean, date-time, duration, response code).
	ErrInvalidValue = errors.New("oadr: invalid value")
	// ErrMalformed: the document is not well-formed XML or not shaped like an
	// OpenADR payload (for example two messages in one oadrSignedObject). The
	// underlying *xml.SyntaxError, when there is one, is wrapped too.
	ErrMalformed = errors.New("oadr: malformed document")
	// ErrTooLarge: Decode or DecodePayload met more than MaxDocumentSize
	// bytes.
	ErrTooLarge = errors.New("oadr: document too large")
)

// DecodeError reports why a document could not be decoded and where.
type DecodeError struct {
	// Element is the message element being decoded (for example
	// {http://openadr.org/oadr-2.0b/2012/07}oadrUpdateReport), or the document's
	// root or unknown element when no message was reached.
	Element xml.Name
	// Path is the slash-separated path of local names from Element to the
	// offending element, e.g. "oadrReport/intervals/interval/oadrReportPayload/rID";
	// empty when the problem is Element itself.
	Path string
	// Err is one of the sentinels above, possibly wrapping a more precise cause.
	Err error
}

// Error returns, e.g., "oadr: decoding oadrPoll: venID: missing required element".
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("oadr: decoding ")
	if e.Element.Local != "" {
		b.WriteString(e.Element.Local)
	} else {
		b.WriteString("document")
	}
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "oadr: "))
	return b.String()
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// EncodeError reports a value that cannot be written as valid OpenADR XML.
type EncodeError struct {
	Message string // the message's element name, e.g. "oadrUpdateReport"
	Field   string // the offending field's element path
	Reason  string
}

// Error returns, e.g., "oadr: encoding oadrCreateReport: oadrReportRequest: at least one report request is required".
func (e *EncodeError) Error() string {
	s := "oadr: encoding " + e.Message
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Reason
}

// fieldError is the internal form of a decode failure while the element path is
// being collected on the way up; decodeMessage turns it into a *DecodeError.
// The path is stored innermost first and reversed once at the end.
type fieldError struct {
	rev []string
	err error
}

func (e *fieldError) Error() string { return e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// at records that err happened inside the element named local.
func at(local string, err error) error {
	if err == nil {
		return nil
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		fe.rev = append(fe.rev, local)
		return fe
	}
	return &fieldError{rev: []string{local}, err: err}
}

// missing reports an absent required child.
func missing(local string) error {
	return &fieldError{rev: []string{local}, err: ErrMissingElement}
}

// toDecodeError wraps err for the message element el.
func toDecodeError(el xml.Name, err error) *DecodeError {
	var de *DecodeError
	if errors.As(err, &de) {
		return de
	}
	out := &DecodeError{Element: el, Err: err}
	var fe *fieldError
	if errors.As(err, &fe) {
		parts := make([]string, len(fe.rev))
		for i, p := range fe.rev {
			parts[len(parts)-1-i] = p
		}
		out.Path = strings.Join(parts, "/")
		out.Err = fe.err
	}
	var se *xml.SyntaxError
	if errors.As(out.Err, &se) && !errors.Is(out.Err, ErrMalformed) {
		out.Err = &malformedError{cause: out.Err}
	}
	return out
}

// malformedError wraps a syntax error so that it matches ErrMalformed and the
// *xml.SyntaxError alike.
type malformedError struct{ cause error }

func (e *malformedError) Error() string   { return "malformed document: " + e.cause.Error() }
func (e *malformedError) Unwrap() []error { return []error{ErrMalformed, e.cause} }
