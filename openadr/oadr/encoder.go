package oadr

import (
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// encoder appends XML to a byte slice. Every element is written with one of the
// prefixes declared on the root (see rootOpen), in the order the schema's
// sequences demand; the encode methods are the single place that order lives.
type encoder struct {
	b    []byte
	used uint16       // bit i set when namespace nsID(i) was written
	err  *EncodeError // first value that cannot be encoded validly
}

// name appends prefix:local and records the namespace as used.
func (e *encoder) name(p nsID, local string) {
	e.used |= 1 << p
	e.b = append(e.b, nsPrefix[p]...)
	e.b = append(e.b, ':')
	e.b = append(e.b, local...)
}

func (e *encoder) open(p nsID, local string) {
	e.b = append(e.b, '<')
	e.name(p, local)
	e.b = append(e.b, '>')
}

// openWithAttr writes a start tag with one attribute in the element's own
// namespace (gml:id), omitted when value is empty.
func (e *encoder) openWithAttr(p nsID, local, attr, value string) {
	e.b = append(e.b, '<')
	e.name(p, local)
	if value != "" {
		e.b = append(e.b, ' ')
		e.name(p, attr)
		e.b = append(e.b, '=', '"')
		e.escape(value)
		e.b = append(e.b, '"')
	}
	e.b = append(e.b, '>')
}

func (e *encoder) close(p nsID, local string) {
	e.b = append(e.b, '<', '/')
	e.name(p, local)
	e.b = append(e.b, '>')
}

// empty writes <prefix:local/>.
func (e *encoder) empty(p nsID, local string) {
	e.b = append(e.b, '<')
	e.name(p, local)
	e.b = append(e.b, '/', '>')
}

// responseCode writes ei:responseCode with three digits.
func (e *encoder) responseCode(c ResponseCode, field string) {
	e.open(pEI, "responseCode")
	if c < 0 || c > 999 {
		e.fail(field, fmt.Sprintf("%d is not a three-digit code", int(c)))
		c = 0
	}
	e.b = append(e.b, byte('0'+c/100), byte('0'+c/10%10), byte('0'+c%10))
	e.close(pEI, "responseCode")
}

// text writes an element with escaped character data, even when s is empty.
func (e *encoder) text(prefix nsID, local, s string) {
	e.open(prefix, local)
	e.escape(s)
	e.close(prefix, local)
}

// optText writes the element only when s is not empty.
func (e *encoder) optText(prefix nsID, local, s string) {
	if s != "" {
		e.text(prefix, local, s)
	}
}

func (e *encoder) texts(prefix nsID, local string, ss []string) {
	for _, s := range ss {
		e.text(prefix, local, s)
	}
}

func (e *encoder) float(prefix nsID, local string, v float64) {
	e.open(prefix, local)
	e.b = appendFloat(e.b, v)
	e.close(prefix, local)
}

// decimal writes an xs:decimal, which has no exponent, NaN or infinity.
func (e *encoder) decimal(prefix nsID, local string, v float64) {
	e.open(prefix, local)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		e.fail(local, "not a finite decimal")
		v = 0
	}
	e.b = strconv.AppendFloat(e.b, v, 'f', -1, 64)
	e.close(prefix, local)
}

func (e *encoder) uint32(prefix nsID, local string, v uint32) {
	e.open(prefix, local)
	e.b = strconv.AppendUint(e.b, uint64(v), 10)
	e.close(prefix, local)
}

func (e *encoder) boolean(prefix nsID, local string, v bool) {
	e.open(prefix, local)
	e.b = strconv.AppendBool(e.b, v)
	e.close(prefix, local)
}

// dateTime writes a date-time; the schema's pattern has four-digit years.
func (e *encoder) dateTime(prefix nsID, local string, t time.Time) {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		e.fail(local, fmt.Sprintf("year %d is outside 0000-9999", y))
	}
	e.open(prefix, local)
	e.b = AppendDateTime(e.b, t)
	e.close(prefix, local)
}

// requiredDateTime is dateTime for an element whose zero value is a missing
// value, not a date.
func (e *encoder) requiredDateTime(prefix nsID, local string, t time.Time, field string) {
	if t.IsZero() {
		e.fail(field, "required")
	}
	e.dateTime(prefix, local, t)
}

// enum writes an element of an enumerated or token type, which the schema
// does not allow to be empty.
func (e *encoder) enum(prefix nsID, local, s, field string) {
	if s == "" {
		e.fail(field, "required")
	}
	e.text(prefix, local, s)
}

func (e *encoder) duration(prefix nsID, local string, d time.Duration) {
	e.open(prefix, local)
	e.b = AppendDuration(e.b, d)
	e.close(prefix, local)
}

// xcalDateTime writes <prefix:local><xcal:date-time>…</xcal:date-time></prefix:local>.
func (e *encoder) xcalDateTime(prefix nsID, local string, t time.Time) {
	e.open(prefix, local)
	e.dateTime(pXCal, "date-time", t)
	e.close(prefix, local)
}

// durationProp writes an xcal:DurationPropType element.
func (e *encoder) durationProp(prefix nsID, local string, d time.Duration) {
	e.open(prefix, local)
	e.duration(pXCal, "duration", d)
	e.close(prefix, local)
}

// payloadFloat writes <ei:payloadFloat><ei:value>v</ei:value></ei:payloadFloat>.
func (e *encoder) payloadFloat(v float64) {
	e.open(pEI, "payloadFloat")
	e.float(pEI, "value", v)
	e.close(pEI, "payloadFloat")
}

func (e *encoder) fail(field, reason string) {
	if e.err == nil {
		e.err = &EncodeError{Field: field, Reason: reason}
	}
}

// appendFloat writes an xs:float lexical form: plain decimal notation in the
// usual range, exponent notation outside it, INF/-INF/NaN spelled as XSD wants.
func appendFloat(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, "NaN"...)
	case math.IsInf(v, 1):
		return append(b, "INF"...)
	case math.IsInf(v, -1):
		return append(b, "-INF"...)
	}
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.AppendFloat(b, v, 'E', -1, 64)
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// escape appends s as character data. Characters XML 1.0 cannot carry are
// replaced by U+FFFD, as encoding/xml does, so output is always well-formed.
func (e *encoder) escape(s string) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' {
			i++
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch r {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			if isXMLChar(r) && !(r == utf8.RuneError && width == 1) {
				i += width
				continue
			}
			esc = "\uFFFD"
		}
		e.b = append(e.b, s[last:i]...)
		e.b = append(e.b, esc...)
		i += width
		last = i
	}
	e.b = append(e.b, s[last:]...)
}

// isXMLChar reports whether r is in the XML 1.0 Char production.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
