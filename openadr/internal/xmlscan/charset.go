package xmlscan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Character encodings. OpenADR peers send UTF-8; some JAXB-based tools write
// UTF-16 with a byte-order mark (one avob sample does), and XSD-derived files
// declare ISO-8859-1. encoding/xml reads UTF-8 only and asks CharsetReader for
// anything else a declaration names, so UTF-16 is sniffed from the first bytes
// and transcoded before the XML decoder sees it.

// utf16Order returns the byte order of UTF-16 input, detected by a byte-order
// mark or by the "<" of the XML declaration or root element, or "" for
// anything else (taken as UTF-8).
func utf16Order(head []byte) string {
	switch {
	case len(head) < 2:
		return ""
	case head[0] == 0xFE && head[1] == 0xFF, head[0] == 0 && head[1] == '<':
		return "be"
	case head[0] == 0xFF && head[1] == 0xFE, head[0] == '<' && head[1] == 0:
		return "le"
	}
	return ""
}

// utf16Reader transcodes UTF-16 to UTF-8, dropping a leading byte-order mark.
// Unpaired surrogates become U+FFFD.
type utf16Reader struct {
	r       *bufio.Reader
	big     bool
	started bool
	out     []byte // transcoded bytes not yet returned
	err     error
}

func (u *utf16Reader) unit() (uint16, error) {
	var b [2]byte
	if _, err := io.ReadFull(u.r, b[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return 0, errors.New("odd number of bytes in UTF-16 input")
		}
		return 0, err
	}
	if u.big {
		return uint16(b[0])<<8 | uint16(b[1]), nil
	}
	return uint16(b[1])<<8 | uint16(b[0]), nil
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) < len(p) && u.err == nil {
		c, err := u.unit()
		if err != nil {
			u.err = err
			break
		}
		if !u.started {
			u.started = true
			if c == 0xFEFF {
				continue
			}
		}
		r := rune(c)
		if utf16.IsSurrogate(r) {
			c2, err := u.unit()
			if err != nil {
				u.err = err
				r = utf8.RuneError
			} else {
				r = utf16.DecodeRune(r, rune(c2))
			}
		}
		u.out = utf8.AppendRune(u.out, r)
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	if n == 0 && u.err != nil {
		return 0, u.err
	}
	return n, nil
}

// prepare returns the reader encoding/xml should read for data and whether
// it is transcoded from UTF-16.
func prepare(data []byte) (io.Reader, bool) {
	order := utf16Order(data)
	if order == "" {
		return bytes.NewReader(data), false
	}
	return &utf16Reader{r: bufio.NewReader(bytes.NewReader(data)), big: order == "be"}, true
}

// The two CharsetReaders, built once so a decode does not allocate a closure.
var (
	charsetPlain      = charsetReader(false)
	charsetTranscoded = charsetReader(true)
)

// charsetReader returns the CharsetReader for a decoder: after UTF-16 was
// transcoded, a "UTF-16" declaration is satisfied as is; ISO-8859-1 and
// US-ASCII are converted.
func charsetReader(transcoded bool) func(string, io.Reader) (io.Reader, error) {
	return func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-16", "utf-16be", "utf-16le", "utf16":
			if transcoded {
				return in, nil
			}
		case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii":
			return &latin1Reader{r: bufio.NewReader(in)}, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
}

// latin1Reader converts ISO-8859-1 bytes to UTF-8.
type latin1Reader struct {
	r       *bufio.Reader
	cont    byte // second byte of a two-byte sequence not yet delivered
	hasCont bool
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if l.hasCont {
			p[n] = l.cont
			n++
			l.hasCont = false
			continue
		}
		c, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if c < 0x80 {
			p[n] = c
		} else {
			p[n] = 0xC0 | c>>6
			l.cont, l.hasCont = 0x80|c&0x3F, true
		}
		n++
	}
	return n, nil
}
