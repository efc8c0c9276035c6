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

	"github.com/gridwire/gridwire/openadr/internal/xmlscan"
)

// decoder walks the token stream of a document. Every decode method is handed
// the start element it owns and consumes everything up to and including the
// matching end element, so the recursion depth follows the schema, not the
// input.
type decoder struct {
	r       xmlscan.Reader
	scratch []byte     // text gathered from several pieces
	attrs   []xml.Attr // the current element's attributes, when asked for
	read    []byte     // input read from an io.Reader
	// Report data (see reportIntervals and sharedStr), reused from message
	// to message.
	intervals []ReportInterval
	payloads  []ReportPayload
	shared    map[string]string
	// messageOnly is set by Unmarshal, which returns the message alone:
	// the envelope's attributes (SignedObjectID) are not decoded.
	messageOnly bool
}

// start is a start element as the decode methods see it: its name, with the
// namespace resolved. The attributes, which two elements of the schema
// carry, are read with decoder.attributes before the next token.
type start struct {
	Name xml.Name
}

var decoderPool = sync.Pool{New: func() any {
	d := new(decoder)
	d.r.SetInterner(localName, namespaceURI)
	return d
}}

func getDecoder() *decoder { return decoderPool.Get().(*decoder) }

// putDecoder returns d to the pool without references to the input or the
// output.
func putDecoder(d *decoder) {
	d.r.Release()
	d.messageOnly = false
	if cap(d.scratch) > maxPooled {
		d.scratch = nil
	}
	if cap(d.read) > maxPooled {
		d.read = nil
	}
	clear(d.attrs[:cap(d.attrs)])
	d.scratch, d.attrs, d.read = d.scratch[:0], d.attrs[:0], d.read[:0]
	if cap(d.intervals) > maxPooledIntervals {
		d.intervals = nil
	}
	if cap(d.payloads) > maxPooledIntervals {
		d.payloads = nil
	}
	clear(d.intervals[:cap(d.intervals)])
	clear(d.payloads[:cap(d.payloads)])
	d.intervals, d.payloads = d.intervals[:0], d.payloads[:0]
	decoderPool.Put(d)
}

// next returns the next start element, end element or, if text is set,
// character data inside the document element.
func (d *decoder) next(text bool) (xmlscan.Kind, error) {
	k, err := d.r.Next(text)
	if err != nil {
		return 0, readError(err)
	}
	return k, nil
}

// name returns the name of the current start element.
func (d *decoder) name() xml.Name { return d.r.Name() }

// attributes returns the attributes of the current start element, valid
// until the next token is read.
func (d *decoder) attributes() []xml.Attr {
	d.attrs = d.r.AppendAttrs(d.attrs[:0])
	return d.attrs
}

// readError classifies an error of the tokenizer: the end of the input
// inside the document, a syntax error or an unreadable encoding is malformed
// input. xmlscan.ErrFallback passes unchanged: the document is read again.
func readError(err error) error {
	switch {
	case err == xmlscan.ErrFallback, errors.Is(err, ErrMalformed):
		return err
	case err == io.EOF:
		return &malformedError{cause: io.ErrUnexpectedEOF}
	}
	return &malformedError{cause: err}
}

// child reads up to the next child element of the current element and
// returns its name, or false when it has read the element's end tag.
// The caller must consume the child entirely (decode it or d.skip()) and
// attribute its errors to the child's local name (at), as children does.
func (d *decoder) child() (xml.Name, bool, error) {
	name, ok, err := d.r.Child()
	if err != nil {
		return xml.Name{}, false, readError(err)
	}
	return name, ok, nil
}

// children calls fn for every child element of the current element and returns
// at its end tag. fn must consume the child entirely (decode it or d.skip()).
// Errors from fn are attributed to the child's local name.
func (d *decoder) children(fn func(se start) error) error {
	for {
		name, ok, err := d.child()
		if !ok {
			return err
		}
		if err := fn(start{Name: name}); err != nil {
			return at(name.Local, err)
		}
	}
}

// only decodes the children of the current element, handing each child named
// name to fn and skipping the rest, and fails with ErrMissingElement when
// there is none: many schema types are a wrapper around one required child
// (xcal:dtstart > xcal:date-time, pyld:eiRequestEvent, …).
func (d *decoder) only(name xml.Name, fn func() error) error {
	found, err := d.eachFound(name, fn)
	if err == nil && !found {
		err = missing(name.Local)
	}
	return err
}

// each decodes the children of the current element, handing each child named
// name to fn and skipping the rest; unlike only, none at all is fine.
func (d *decoder) each(name xml.Name, fn func() error) error {
	_, err := d.eachFound(name, fn)
	return err
}

// eachFound is each, reporting whether there was a child named name. It is
// children written out, without a closure around fn: the wrappers it reads
// are half the elements of a report.
func (d *decoder) eachFound(name xml.Name, fn func() error) (found bool, err error) {
	for {
		n, ok, err := d.child()
		if !ok {
			return found, err
		}
		if !sameName(n, name) {
			err = d.skip()
		} else {
			found = true
			err = fn()
		}
		if err != nil {
			return found, at(n.Local, err)
		}
	}
}

// sameName is a == b, comparing the local names first: they tell a
// table's names apart by their lengths alone, where the namespaces, the
// same for most, cost a call to compare.
func sameName(a, b xml.Name) bool {
	return a.Local == b.Local && a.Space == b.Space
}

// skip consumes the current element.
func (d *decoder) skip() error {
	if err := d.r.Skip(); err != nil {
		return readError(err)
	}
	return nil
}

// textBytes returns the character data of a simple-typed element, exactly as
// written, valid until the next token is read. A child element inside is an
// error: the schema gives these elements no children.
func (d *decoder) textBytes() ([]byte, error) {
	if raw, ok := d.r.LeafText(); ok {
		return raw, nil // the usual case, read in one step
	}
	var out []byte
	pieces := 0 // more than one when comments or CDATA sections split the text
	for {
		k, err := d.next(true)
		if err != nil {
			return nil, err
		}
		switch k {
		case xmlscan.CharData:
			if pieces == 0 {
				// Usually the one piece is in the input as it is.
				if raw, plain := d.r.RawText(); plain {
					out, pieces = raw, 1
					continue
				}
			}
			if pieces <= 1 {
				d.scratch = append(d.scratch[:0], out...)
			}
			d.scratch = d.r.AppendText(d.scratch)
			out = d.scratch
			pieces = 2
		case xmlscan.StartElement:
			return nil, fmt.Errorf("%w: unexpected element <%s> in text content", ErrInvalidValue, d.name().Local)
		case xmlscan.EndElement:
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
	b, err := d.textBytes()
	if err != nil {
		return err
	}
	*p = enumText[T](b)
	return nil
}

func (d *decoder) float(p *float64) error { return textValue(d, p, floatText) }

func (d *decoder) floatPtr(p **float64) error {
	var v float64
	if err := d.float(&v); err != nil {
		return err
	}
	*p = &v
	return nil
}

// The values of simple-typed elements, read from their text as textBytes
// returns it: the decoder's methods and the replays of report shapes
// (shapes.go) read them with the same functions.

// textValue decodes an element whose text parse reads into *p, which is
// left as it was on an error.
func textValue[T any](d *decoder, p *T, parse func([]byte) (T, error)) error {
	b, err := d.textBytes()
	if err != nil {
		return err
	}
	v, err := parse(b)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// enumText is a token-typed value: blanks trimmed, shared when known.
func enumText[T ~string](b []byte) T { return T(value(bytes.TrimSpace(b))) }

// floatText is an xs:float, xs:double or xs:decimal.
func floatText(b []byte) (float64, error) {
	b = bytes.TrimSpace(b)
	if v, ok := parseDecimal(b); ok { // parseFloat's shortcut, without a copy of b
		return v, nil
	}
	return parseFloat(string(b))
}

// uint32Text is an xs:unsignedInt.
func uint32Text(b []byte) (uint32, error) {
	b = bytes.TrimSpace(b)
	v, err := strconv.ParseUint(string(bytes.TrimPrefix(b, []byte("+"))), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is not an unsigned 32-bit integer", ErrInvalidValue, string(b))
	}
	return uint32(v), nil
}

// dateTimeText is an xs:dateTime.
func dateTimeText(b []byte) (time.Time, error) {
	b = bytes.TrimSpace(b)
	if t, ok := parseDateTimeZ(b); ok { // parseDateTime's shortcut, without a copy of b
		return t, nil
	}
	return parseDateTime(string(b))
}

// durationText is an xcal duration.
func durationText(b []byte) (time.Duration, error) {
	b = bytes.TrimSpace(b)
	if v, ok := parseDurationTime(b); ok { // parseDuration's shortcut, without a copy of b
		return v, nil
	}
	return parseDuration(string(b))
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
		if v, ok := parseDecimal(s); ok {
			return v, nil
		}
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

// parseDecimal reads the numbers reports are made of ("51.2", "-48.8",
// "0"): an optional "-" and at most 15 digits with at most one ".", no
// exponent. The digits make an integer below 2^53, exact as a float64, and
// the point an exact power of ten up to 1e15, so that one division, rounded
// once, is the correctly rounded value strconv.ParseFloat returns (its own
// fast path does the same). It returns false for anything else.
func parseDecimal[S ~string | ~[]byte](s S) (float64, bool) {
	i, neg := 0, false
	if len(s) > 0 && s[0] == '-' {
		i, neg = 1, true
	}
	var mant uint64
	digits, point := 0, -1 // point: the number of digits before the "."
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			mant = mant*10 + uint64(c-'0')
			digits++
		case c == '.' && point < 0:
			point = digits
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	v := float64(mant)
	if point >= 0 {
		v /= exactPow10[digits-point]
	}
	if neg {
		v = -v
	}
	return v, true
}

// exactPow10 are the powers of ten parseDecimal divides by.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// notANumber is the error of parseFloat. Its own function, and a copy of s,
// so that s does not escape: callers convert []byte to string for free.
func notANumber(s string) error {
	return fmt.Errorf("%w: %q is not a number", ErrInvalidValue, strings.Clone(s))
}

func (d *decoder) uint32(p *uint32) error { return textValue(d, p, uint32Text) }

func (d *decoder) uint32Ptr(p **uint32) error {
	var v uint32
	if err := d.uint32(&v); err != nil {
		return err
	}
	*p = &v
	return nil
}

func (d *decoder) boolean(p *bool) error { return textValue(d, p, boolText) }

// boolText is an xs:boolean.
func boolText(b []byte) (bool, error) {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("%w: %q is not a boolean", ErrInvalidValue, string(b))
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
func (d *decoder) dateTime(p *time.Time) error { return textValue(d, p, dateTimeText) }

// duration decodes an element whose text is a duration (xcal:DurationValueType).
func (d *decoder) duration(p *time.Duration) error { return textValue(d, p, durationText) }

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
