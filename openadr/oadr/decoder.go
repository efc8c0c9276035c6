package oadr

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// decoder walks the token stream of encoding/xml. Every decode method is handed
// the start element it owns and consumes everything up to and including the
// matching end element, so the recursion depth follows the schema, not the input.
type decoder struct {
	x *xml.Decoder
}

func newDecoder(r io.Reader) *decoder {
	r, transcoded := prepare(r)
	x := xml.NewDecoder(r)
	x.CharsetReader = charsetPlain
	if transcoded {
		x.CharsetReader = charsetTranscoded
	}
	return &decoder{x: x}
}

// token returns the next token inside the document element.
func (d *decoder) token() (xml.Token, error) {
	tok, err := d.x.Token()
	if err != nil {
		return nil, readError(err)
	}
	return tok, nil
}

// readError classifies an error of encoding/xml met inside the document
// element: an end of input or a syntax error is malformed input; anything else
// is the reader's own error (say an *http.MaxBytesError) and is passed on
// unchanged, so that callers can tell a bad document from a failed read.
func readError(err error) error {
	if err == io.EOF {
		return &malformedError{cause: io.ErrUnexpectedEOF}
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &malformedError{cause: err}
	}
	return err
}

// children calls fn for every child element of the current element and returns
// at its end tag. fn must consume the child entirely (decode it or d.skip()).
// Errors from fn are attributed to the child's local name.
func (d *decoder) children(fn func(se xml.StartElement) error) error {
	for {
		tok, err := d.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return at(t.Name.Local, err)
			}
		case xml.EndElement:
			return nil
		}
	}
}

// skip consumes the current element; encoding/xml's Skip is iterative.
func (d *decoder) skip() error {
	if err := d.x.Skip(); err != nil {
		return readError(err)
	}
	return nil
}

// text returns the character data of a simple-typed element, exactly as written.
// A child element inside is an error: the schema gives these elements no children.
func (d *decoder) text() (string, error) {
	var s string
	var buf []byte // only when the text arrives in several pieces (comments, CDATA)
	for {
		tok, err := d.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			switch {
			case buf != nil:
				buf = append(buf, t...)
			case s == "":
				s = string(t)
			default:
				buf = append([]byte(s), t...)
			}
		case xml.StartElement:
			return "", fmt.Errorf("%w: unexpected element <%s> in text content", ErrInvalidValue, t.Name.Local)
		case xml.EndElement:
			if buf != nil {
				return string(buf), nil
			}
			return s, nil
		}
	}
}

// trimmed returns the text with the blanks the schema's token types collapse.
func (d *decoder) trimmed() (string, error) {
	s, err := d.text()
	return strings.TrimSpace(s), err
}

func (d *decoder) str(p *string) error {
	s, err := d.text()
	if err != nil {
		return err
	}
	*p = s
	return nil
}

// appendStr decodes a string and appends it to *p (repeated elements).
func (d *decoder) appendStr(p *[]string) error {
	s, err := d.text()
	if err != nil {
		return err
	}
	*p = append(*p, s)
	return nil
}

// enum decodes a token-typed value (enumerations, IDs with blanks trimmed).
func enum[T ~string](d *decoder, p *T) error {
	s, err := d.trimmed()
	if err != nil {
		return err
	}
	*p = T(s)
	return nil
}

func (d *decoder) float(p *float64) error {
	s, err := d.trimmed()
	if err != nil {
		return err
	}
	v, err := parseFloat(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

func (d *decoder) floatPtr(p **float64) error {
	var v float64
	if err := d.float(&v); err != nil {
		return err
	}
	*p = &v
	return nil
}

// parseFloat reads xs:float / xs:double / xs:decimal lexical forms ("3", "-3.0",
// "3.14159E0", "INF", "NaN").
func parseFloat(s string) (float64, error) {
	switch s {
	case "INF", "+INF":
		s = "Inf"
	case "-INF":
		s = "-Inf"
	case "NaN":
	default:
		// strconv also accepts "inf", "infinity", hex floats and underscores;
		// the schema does not.
		for i := 0; i < len(s); i++ {
			c := s[i]
			if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
				return 0, fmt.Errorf("%w: %q is not a number", ErrInvalidValue, s)
			}
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is not a number", ErrInvalidValue, s)
	}
	return v, nil
}

func (d *decoder) uint32(p *uint32) error {
	s, err := d.trimmed()
	if err != nil {
		return err
	}
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 10, 32)
	if err != nil {
		return fmt.Errorf("%w: %q is not an unsigned 32-bit integer", ErrInvalidValue, s)
	}
	*p = uint32(v)
	return nil
}

func (d *decoder) boolean(p *bool) error {
	s, err := d.trimmed()
	if err != nil {
		return err
	}
	switch s {
	case "true", "1":
		*p = true
	case "false", "0":
		*p = false
	default:
		return fmt.Errorf("%w: %q is not a boolean", ErrInvalidValue, s)
	}
	return nil
}

func (d *decoder) boolPtr(p **bool) error {
	var v bool
	if err := d.boolean(&v); err != nil {
		return err
	}
	*p = &v
	return nil
}

// dateTime decodes an element whose text is a date-time.
func (d *decoder) dateTime(p *time.Time) error {
	s, err := d.trimmed()
	if err != nil {
		return err
	}
	t, err := ParseDateTime(s)
	if err != nil {
		return err
	}
	*p = t
	return nil
}

// duration decodes an element whose text is a duration (xcal:DurationValueType).
func (d *decoder) duration(p *time.Duration) error {
	s, err := d.trimmed()
	if err != nil {
		return err
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// xcalDateTime decodes an element such as xcal:dtstart that wraps xcal:date-time.
func (d *decoder) xcalDateTime(p *time.Time) error {
	found := false
	err := d.children(func(se xml.StartElement) error {
		if se.Name == xcalN("date-time") {
			found = true
			return d.dateTime(p)
		}
		return d.skip()
	})
	if err != nil {
		return err
	}
	if !found {
		return missing("date-time")
	}
	return nil
}

// durationProp decodes an element of xcal:DurationPropType, which wraps
// xcal:duration (x-eiNotification, granularity, reportBackDuration, …).
func (d *decoder) durationProp(p *time.Duration) error {
	found := false
	err := d.children(func(se xml.StartElement) error {
		if se.Name == xcalN("duration") {
			found = true
			return d.duration(p)
		}
		return d.skip()
	})
	if err != nil {
		return err
	}
	if !found {
		return missing("duration")
	}
	return nil
}

// textChild decodes a wrapper element whose one required child carries text
// (xcal:uid > xcal:text, power:endDeviceAsset > power:mrid, …).
func (d *decoder) textChild(name xml.Name, p *string) error {
	found := false
	err := d.children(func(se xml.StartElement) error {
		if se.Name == name {
			found = true
			return d.str(p)
		}
		return d.skip()
	})
	if err != nil {
		return err
	}
	if !found {
		return missing(name.Local)
	}
	return nil
}

// payloadFloat decodes ei:payloadFloat > ei:value.
func (d *decoder) payloadFloat(p *float64) error {
	found := false
	err := d.children(func(se xml.StartElement) error {
		if se.Name == eiN("value") {
			found = true
			return d.float(p)
		}
		return d.skip()
	})
	if err != nil {
		return err
	}
	if !found {
		return missing("value")
	}
	return nil
}
