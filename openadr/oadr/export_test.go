package oadr

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
)

// Hooks for the tests that hold the scanner to encoding/xml.

// DecodePayloadEncodingXML decodes r with encoding/xml's tokenizer alone: the
// behaviour the scanner must reproduce.
func DecodePayloadEncodingXML(r io.Reader) (*Payload, error) {
	d := getDecoder()
	defer putDecoder(d)
	d.useEncodingXML(r)
	return d.payload()
}

// UnmarshalPayloadScanned decodes data with the scanner alone; scanned is
// false when it gave up (and p and err mean nothing).
func UnmarshalPayloadScanned(data []byte) (p *Payload, err error, scanned bool) {
	d := getDecoder()
	defer putDecoder(d)
	d.s.reset(data, nil)
	p, err = d.payload()
	return p, err, !d.s.failed
}

// Token is a token as the decoder sees it.
type Token struct {
	Kind string // "start", "end" or "text"
	Name xml.Name
	Attr []xml.Attr
	Text string
}

// ScannerTokens returns the tokens of the document in r up to the end of its
// root element, as the scanner reads them, and whether it got there. It
// rescans without limit, however little each read returns.
func ScannerTokens(r io.Reader) (toks []Token, complete bool) {
	var s scanner
	s.reset(nil, r)
	s.rescanned = math.MinInt / 2
	if b, ok := r.(*bytes.Reader); ok {
		data := make([]byte, b.Len())
		_, _ = b.Read(data)
		s.reset(data, nil)
	}
	for {
		k, err := s.next(true)
		if err != nil {
			return toks, false
		}
		switch k {
		case tokStart:
			toks = append(toks, Token{Kind: "start", Name: s.elementName(), Attr: s.appendAttrs(nil)})
		case tokEnd:
			toks = append(toks, Token{Kind: "end"})
			if len(s.stack) == 0 {
				return toks, true
			}
		case tokText:
			toks = append(toks, Token{Kind: "text", Text: string(s.appendText(nil))})
		}
	}
}

// EncodingXMLTokens is ScannerTokens for encoding/xml's Token (with the
// decoder's charset handling), with the error that stopped it, if any.
func EncodingXMLTokens(r io.Reader) ([]Token, error) {
	var d decoder
	d.useEncodingXML(r)
	var toks []Token
	depth := 0
	for {
		tok, err := d.x.Token()
		if err != nil {
			return toks, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			attr := t.Attr
			if len(attr) == 0 {
				attr = nil
			}
			toks = append(toks, Token{Kind: "start", Name: t.Name, Attr: attr})
			depth++
		case xml.EndElement:
			toks = append(toks, Token{Kind: "end"})
			if depth--; depth == 0 {
				return toks, nil
			}
		case xml.CharData:
			toks = append(toks, Token{Kind: "text", Text: string(t)})
		}
	}
}
