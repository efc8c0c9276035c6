// Package xmlscan reads the tokens of an XML document held in memory: the
// start elements, end elements and character data a decoder acts on, with
// namespaces resolved as encoding/xml resolves them.
//
// A Reader has two sources of tokens. The fast one is a scanner made for
// the XML that OpenADR peers send (see scan.go); when it meets anything it
// does not handle exactly as encoding/xml would, Next returns ErrFallback
// and the caller starts again from the first byte with ResetEncodingXML,
// which reads through encoding/xml's Token, the reference the scanner is
// measured against:
//
//	r.Reset(doc)
//	v, err := decode(&r)
//	if r.GaveUp() {
//		r.ResetEncodingXML(doc)
//		v, err = decode(&r)
//	}
package xmlscan

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
)

// ErrFallback reports that the fast path met something only encoding/xml
// should judge: read the document again with ResetEncodingXML.
var ErrFallback = errors.New("xmlscan: input needs encoding/xml")

// Kind is a kind of token. Comments, processing instructions and
// directives are checked and passed over.
type Kind uint8

// The kinds of token Next returns.
const (
	StartElement Kind = iota + 1
	EndElement
	CharData
)

// Reader reads the tokens of one document at a time. The zero value is
// ready for Reset; it may be reused for many documents.
type Reader struct {
	s scanner
	x *xml.Decoder // non-nil: tokens come from encoding/xml

	// encoding/xml's current token.
	start xml.StartElement
	chars xml.CharData
}

// SetInterner sets how names and namespace URIs become strings on the fast
// path: a caller that knows its vocabulary returns shared strings instead of
// allocating one per element. Either may be nil (a plain conversion). They
// must return strings equal to their argument: element names are looked
// up in them once per distinct name and namespace bindings, then
// remembered (see names.go).
func (r *Reader) SetInterner(local, uri func([]byte) string) {
	if local == nil {
		local = plainString
	}
	if uri == nil {
		uri = plainString
	}
	r.s.internLocal, r.s.internURI = local, uri
	// The cached names and the remembered start tag came from the old
	// functions: forget them (an entry of generation 0 matches no name,
	// and no prediction), and the open elements' entries. Keep the
	// generations, which the bindings in scope and the open elements
	// carry: a new table would hand them out again for other bindings.
	if c := r.s.cache; c != nil {
		for k := range c.entries {
			c.entries[k].gen = 0
		}
		c.root.bytes = nil
	}
	for k := range r.s.stack {
		r.s.stack[k].entry = 0
	}
}

func plainString(b []byte) string { return string(b) }

// Reset starts reading data with the fast path. data is not modified and
// must not be modified until the Reader is reset or released.
func (r *Reader) Reset(data []byte) {
	if r.s.internLocal == nil {
		r.SetInterner(nil, nil)
	}
	r.release()
	r.s.reset(data)
}

// ResetEncodingXML starts reading data with encoding/xml. UTF-16 input
// (with a byte-order mark, or a first "<" that says so) is transcoded;
// ISO-8859-1 and US-ASCII declarations are honoured.
func (r *Reader) ResetEncodingXML(data []byte) {
	r.release()
	src, transcoded := prepare(data)
	r.x = xml.NewDecoder(src)
	r.x.CharsetReader = charsetPlain
	if transcoded {
		r.x.CharsetReader = charsetTranscoded
	}
}

// Release drops every reference to the last document, keeping the memory
// the Reader can reuse.
func (r *Reader) Release() { r.release() }

func (r *Reader) release() {
	r.s.release()
	*r = Reader{s: r.s}
}

// GaveUp reports that the fast path returned ErrFallback for the current
// document.
func (r *Reader) GaveUp() bool { return r.x == nil && r.s.failed }

// Next returns the next start element, end element or, if text is set,
// character data. At the end of the input it returns io.EOF; other errors
// are ErrFallback (fast path) or encoding/xml's, such as an
// *xml.SyntaxError.
func (r *Reader) Next(text bool) (Kind, error) {
	if r.x == nil {
		return r.s.next(text)
	}
	for {
		tok, err := r.x.Token()
		if err != nil {
			return 0, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			r.start = t
			return StartElement, nil
		case xml.EndElement:
			return EndElement, nil
		case xml.CharData:
			if text {
				r.chars = t
				return CharData, nil
			}
		}
	}
}

// Child reads up to the next start element or end element, passing over
// character data: it returns the start element's name (see Name) and true,
// or false for an end element. It is Next(false) and Name in one call, for
// a decoder walking the children of an element.
func (r *Reader) Child() (xml.Name, bool, error) {
	if r.x == nil {
		if name, start, ok := r.s.child(); ok {
			if start {
				return *name, true, nil
			}
			return xml.Name{}, false, nil
		}
	}
	for {
		k, err := r.Next(false)
		if err != nil {
			return xml.Name{}, false, err
		}
		switch k {
		case StartElement:
			return r.Name(), true, nil
		case EndElement:
			return xml.Name{}, false, nil
		}
	}
}

// Name returns the name of the current start element, its namespace
// resolved.
func (r *Reader) Name() xml.Name {
	if r.x == nil {
		return r.s.elementName()
	}
	return r.start.Name
}

// AppendAttrs appends the attributes of the current start element to dst.
func (r *Reader) AppendAttrs(dst []xml.Attr) []xml.Attr {
	if r.x == nil {
		return r.s.appendAttrs(dst)
	}
	return append(dst, r.start.Attr...)
}

// RawText returns the current character data when it is in the input as it
// is (no entity, no line end to translate): a slice of the input, valid as
// long as the input. Otherwise, and always with encoding/xml, whose buffer
// the next token overwrites, it returns false: use AppendText.
func (r *Reader) RawText() ([]byte, bool) {
	if r.x == nil {
		return r.s.rawText()
	}
	return nil, false
}

// LeafText reads the rest of the current start element when it holds
// nothing but text that is in the input as it is (see RawText): it returns
// that text (nil if there is none), a slice of the input, and consumes the
// end tag, as reading the tokens with Next would. Otherwise, and always
// with encoding/xml, it reads nothing and returns false: read the tokens
// with Next. Call it right after Next returned the start element.
func (r *Reader) LeafText() ([]byte, bool) {
	if r.x == nil {
		return r.s.leafText()
	}
	return nil, false
}

// Offset returns how many bytes of the input the fast path has read: after
// a start element, the offset of the byte that follows its tag; after
// LeafText, of the byte that follows the end tag. With encoding/xml, whose
// offsets may count transcoded bytes, it returns -1.
func (r *Reader) Offset() int {
	if r.x == nil {
		return r.s.pos
	}
	return -1
}

// AppendText appends the current character data, decoded, to dst.
func (r *Reader) AppendText(dst []byte) []byte {
	if r.x == nil {
		return r.s.appendText(dst)
	}
	return append(dst, r.chars...)
}

// Skip consumes the rest of the current element, iteratively.
func (r *Reader) Skip() error {
	if r.x != nil {
		return r.x.Skip()
	}
	depth := 0
	for {
		k, err := r.s.next(false)
		if err != nil {
			return err
		}
		switch k {
		case StartElement:
			depth++
		case EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// Trailing reads what follows the root element and reports whether it
// holds anything but white space, comments and processing instructions.
func (r *Reader) Trailing() (bool, error) {
	if r.x == nil {
		for {
			k, err := r.s.next(true)
			if err == io.EOF {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			if k == StartElement {
				return true, nil
			}
			if k == CharData {
				text, plain := r.s.rawText()
				if !plain {
					text = r.s.appendText(nil)
				}
				if !isSpace(text) {
					return true, nil
				}
			}
		}
	}
	for {
		tok, err := r.x.Token()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if !isSpace(t) {
				return true, nil
			}
		default:
			return true, nil
		}
	}
}

// isSpace reports text made of XML white space only.
func isSpace(b []byte) bool {
	return len(bytes.Trim(b, " \t\r\n")) == 0
}
