package oadr

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// decoder walks the token stream of a document. Every decode method is handed
// the start element it owns and consumes everything up to and including the
// matching end element, so the recursion depth follows the schema, not the
// input.
//
// Tokens come from the scanner (scan.go) or, when the scanner gives up, from
// encoding/xml's Token, the reference the scanner is measured against.
type decoder struct {
	s scanner
	x *xml.Decoder // non-nil: tokens come from encoding/xml

	// The slow path's current token.
	start xml.StartElement
	data  xml.CharData

	scratch []byte     // text gathered from several pieces
	attrs   []xml.Attr // the fast path's attributes, when asked for
	read    []byte     // the scanner's buffer for input read from an io.Reader
}

// start is a start element as the decode methods see it: its name, with the
// namespace resolved. The attributes, which two elements of the schema
// carry, are read with decoder.attributes before the next token.
type start struct {
	Name xml.Name
}

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

func getDecoder() *decoder { return decoderPool.Get().(*decoder) }

// putDecoder returns d to the pool without references to the input or the
// output. The scanner's buffer is kept when it is the decoder's own (input
// read from an io.Reader), never when it is the caller's document.
func putDecoder(d *decoder) {
	own := d.s.src != nil
	buf := d.s.release()
	read := d.read
	if own && cap(buf) <= maxPooled && cap(buf) > cap(read) {
		read = buf
	}
	scratch := d.scratch
	if cap(scratch) > maxPooled {
		scratch = nil
	}
	clear(d.attrs[:cap(d.attrs)])
	*d = decoder{s: d.s, scratch: scratch[:0], attrs: d.attrs[:0], read: read[:0]}
	decoderPool.Put(d)
}

// useEncodingXML points the decoder at encoding/xml reading r.
func (d *decoder) useEncodingXML(r io.Reader) {
	r, transcoded := prepare(r)
	d.x = xml.NewDecoder(r)
	d.x.CharsetReader = charsetPlain
	if transcoded {
		d.x.CharsetReader = charsetTranscoded
	}
}

// token returns the next start element, end element or, if text is set,
// character data. Errors from encoding/xml are returned as they are.
func (d *decoder) token(text bool) (tokKind, error) {
	if d.x == nil {
		return d.s.next(text)
	}
	for {
		tok, err := d.x.Token()
		if err != nil {
			return 0, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			d.start = t
			return tokStart, nil
		case xml.EndElement:
			return tokEnd, nil
		case xml.CharData:
			if text {
				d.data = t
				return tokText, nil
			}
		}
	}
}

// next is token inside the document element.
func (d *decoder) next(text bool) (tokKind, error) {
	if d.x == nil {
		return d.s.next(text) // errFallback needs no classifying
	}
	k, err := d.token(text)
	if err != nil {
		return 0, readError(err)
	}
	return k, nil
}

// name returns the name of the current start element.
func (d *decoder) name() xml.Name {
	if d.x == nil {
		return d.s.elementName()
	}
	return d.start.Name
}

// attributes returns the attributes of the current start element, valid
// until the next token is read.
func (d *decoder) attributes() []xml.Attr {
	if d.x == nil {
		d.attrs = d.s.appendAttrs(d.attrs[:0])
		return d.attrs
	}
	return d.start.Attr
}

// appendText appends the current character data to dst.
func (d *decoder) appendText(dst []byte) []byte {
	if d.x == nil {
		return d.s.appendText(dst)
	}
	return append(dst, d.data...)
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
func (d *decoder) children(fn func(se start) error) error {
	for {
		k, err := d.next(false)
		if err != nil {
			return err
		}
		switch k {
		case tokStart:
			se := start{Name: d.name()}
			if err := fn(se); err != nil {
				return at(se.Name.Local, err)
			}
		case tokEnd:
			return nil
		}
	}
}

// only decodes the children of the current element, handing each child named
// name to fn and skipping the rest, and fails with ErrMissingElement when
// there is none: many schema types are a wrapper around one required child
// (xcal:dtstart > xcal:date-time, pyld:eiRequestEvent, …).
func (d *decoder) only(name xml.Name, fn func() error) error {
	found := false
	err := d.each(name, func() error {
		found = true
		return fn()
	})
	if err == nil && !found {
		err = missing(name.Local)
	}
	return err
}

// each decodes the children of the current element, handing each child named
// name to fn and skipping the rest; unlike only, none at all is fine.
func (d *decoder) each(name xml.Name, fn func() error) error {
	return d.children(func(se start) error {
		if se.Name != name {
			return d.skip()
		}
		return fn()
	})
}

// skip consumes the current element, iteratively.
func (d *decoder) skip() error {
	if d.x != nil {
		if err := d.x.Skip(); err != nil {
			return readError(err)
		}
		return nil
	}
	depth := 0
	for {
		k, err := d.s.next(false)
		if err != nil {
			return err
		}
		switch k {
		case tokStart:
			depth++
		case tokEnd:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// textBytes returns the character data of a simple-typed element, exactly as
// written, valid until the next token is read. A child element inside is an
// error: the schema gives these elements no children.
func (d *decoder) textBytes() ([]byte, error) {
	var out []byte
	pieces := 0 // more than one when comments or CDATA sections split the text
	for {
		k, err := d.next(true)
		if err != nil {
			return nil, err
		}
		switch k {
		case tokText:
			if pieces == 0 && d.x == nil {
				// Usually the one piece is in the input as it is.
				if raw, plain := d.s.rawText(); plain {
					out, pieces = raw, 1
					continue
				}
			}
			if pieces <= 1 {
				d.scratch = append(d.scratch[:0], out...)
			}
			d.scratch = d.appendText(d.scratch)
			out = d.scratch
			pieces = 2
		case tokStart:
			return nil, fmt.Errorf("%w: unexpected element <%s> in text content", ErrInvalidValue, d.name().Local)
		case tokEnd:
			return out, nil
		}
	}
}

// text returns the character data of a simple-typed element as a string.
func (d *decoder) text() (string, error) {
	b, err := d.textBytes()
	return string(b), err
}

// trimmed returns the text with the blanks the schema's token types collapse.
func (d *decoder) trimmed() ([]byte, error) {
	b, err := d.textBytes()
	return bytes.TrimSpace(b), err
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
	b, err := d.trimmed()
	if err != nil {
		return err
	}
	*p = T(value(b))
	return nil
}

func (d *decoder) float(p *float64) error {
	b, err := d.trimmed()
	if err != nil {
		return err
	}
	v, err := parseFloat(string(b))
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
				return 0, notANumber(s)
			}
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, notANumber(s)
	}
	return v, nil
}

// notANumber is the error of parseFloat. Its own function, and a copy of s,
// so that s does not escape: callers convert []byte to string for free.
func notANumber(s string) error {
	return fmt.Errorf("%w: %q is not a number", ErrInvalidValue, strings.Clone(s))
}

func (d *decoder) uint32(p *uint32) error {
	b, err := d.trimmed()
	if err != nil {
		return err
	}
	v, err := strconv.ParseUint(string(bytes.TrimPrefix(b, []byte("+"))), 10, 32)
	if err != nil {
		return fmt.Errorf("%w: %q is not an unsigned 32-bit integer", ErrInvalidValue, string(b))
	}
	*p = uint32(v)
	return nil
}

func (d *decoder) boolean(p *bool) error {
	b, err := d.trimmed()
	if err != nil {
		return err
	}
	switch string(b) {
	case "true", "1":
		*p = true
	case "false", "0":
		*p = false
	default:
		return fmt.Errorf("%w: %q is not a boolean", ErrInvalidValue, string(b))
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
	b, err := d.trimmed()
	if err != nil {
		return err
	}
	t, err := ParseDateTime(string(b))
	if err != nil {
		return err
	}
	*p = t
	return nil
}

// duration decodes an element whose text is a duration (xcal:DurationValueType).
func (d *decoder) duration(p *time.Duration) error {
	b, err := d.trimmed()
	if err != nil {
		return err
	}
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// xcalDateTime decodes an element such as xcal:dtstart that wraps xcal:date-time.
func (d *decoder) xcalDateTime(p *time.Time) error {
	return d.only(xcalN("date-time"), func() error { return d.dateTime(p) })
}

// durationProp decodes an element of xcal:DurationPropType, which wraps
// xcal:duration (x-eiNotification, granularity, reportBackDuration, …).
func (d *decoder) durationProp(p *time.Duration) error {
	return d.only(xcalN("duration"), func() error { return d.duration(p) })
}

// textChild decodes a wrapper element whose one required child carries text
// (xcal:uid > xcal:text, power:endDeviceAsset > power:mrid, …).
func (d *decoder) textChild(name xml.Name, p *string) error {
	return d.only(name, func() error { return d.str(p) })
}

// payloadFloat decodes ei:payloadFloat > ei:value.
func (d *decoder) payloadFloat(p *float64) error {
	return d.only(eiN("value"), func() error { return d.float(p) })
}
