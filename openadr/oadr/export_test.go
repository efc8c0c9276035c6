package oadr

import (
	"encoding/xml"
	"io"
	"math"

	"github.com/gridwire/gridwire/openadr/internal/xmlscan"
)

// Hooks for the tests that hold the scanner to encoding/xml.

// UnmarshalPayloadEncodingXML decodes data with encoding/xml's tokenizer
// alone: the behaviour the scanner must reproduce.
func UnmarshalPayloadEncodingXML(data []byte) (*Payload, error) {
	d := getDecoder()
	defer putDecoder(d)
	d.r.ResetEncodingXML(data)
	p := new(Payload)
	if err := d.document(p); err != nil {
		return nil, err
	}
	return p, nil
}

// UnmarshalPayloadScanned decodes data with the scanner alone; scanned is
// false when it gave up (and p and err mean nothing).
func UnmarshalPayloadScanned(data []byte) (p *Payload, err error, scanned bool) {
	d := getDecoder()
	defer putDecoder(d)
	d.r.Reset(data)
	p = new(Payload)
	if err = d.document(p); err != nil {
		p = nil
	}
	return p, err, !d.r.GaveUp()
}

// Token is a token as the decoder sees it.
type Token struct {
	Kind string // "start", "end" or "text"
	Name xml.Name
	Attr []xml.Attr
	Text string
}

// ScannerTokens returns the tokens of data to its end as the scanner reads
// them, and whether it got there; again are the tokens of a second reading
// with the same Reader, which remembers the names it resolved the first
// time (they must be the same).
func ScannerTokens(data []byte) (toks []Token, complete bool, again []Token) {
	var r xmlscan.Reader
	r.SetInterner(localName, namespaceURI)
	r.Reset(data)
	toks, err := tokens(&r)
	r.Reset(data)
	again, _ = tokens(&r)
	return toks, err == io.EOF, again
}

// EncodingXMLTokens is ScannerTokens for encoding/xml's Token (with the
// decoder's charset handling), with the error that stopped it, if any.
func EncodingXMLTokens(data []byte) ([]Token, error) {
	var r xmlscan.Reader
	r.ResetEncodingXML(data)
	toks, err := tokens(&r)
	if err == io.EOF {
		err = nil
	}
	return toks, err
}

// tokens reads r to its end, returning the error that stopped it.
func tokens(r *xmlscan.Reader) (toks []Token, err error) {
	for {
		k, err := r.Next(true)
		if err != nil {
			return toks, err
		}
		switch k {
		case xmlscan.StartElement:
			attr := r.AppendAttrs(nil)
			toks = append(toks, Token{Kind: "start", Name: r.Name(), Attr: attr})
		case xmlscan.EndElement:
			toks = append(toks, Token{Kind: "end"})
		case xmlscan.CharData:
			toks = append(toks, Token{Kind: "text", Text: string(r.AppendText(nil))})
		}
	}
}

// ParseDateTimeGeneral is ParseDateTime without the shortcut for its
// commonest form.
var ParseDateTimeGeneral = parseDateTime

// ParseDurationGeneral is ParseDuration without the shortcut for its
// commonest form.
var ParseDurationGeneral = parseDuration

// ParseFloat is the decoder's number parser, with its shortcut.
var ParseFloat = parseFloat

// ShortcutsAgree reports whether the shortcuts of ParseDateTime,
// ParseDuration and parseFloat read in as bytes (as the decoder passes it)
// as they read it as a string.
func ShortcutsAgree(in string) bool {
	t1, ok1 := parseDateTimeZ(in)
	t2, ok2 := parseDateTimeZ([]byte(in))
	d1, ok3 := parseDurationTime(in)
	d2, ok4 := parseDurationTime([]byte(in))
	f1, ok5 := parseDecimal(in)
	f2, ok6 := parseDecimal([]byte(in))
	return t1 == t2 && ok1 == ok2 && d1 == d2 && ok3 == ok4 && math.Float64bits(f1) == math.Float64bits(f2) && ok5 == ok6
}

// Hooks for the tests of Shapes.

// Replay reads data with a learned shape, without decoding.
func (s *Shapes) Replay(data []byte) (Message, bool) { return s.replay(data) }

// Learned returns how many shapes s keeps.
func (s *Shapes) Learned() int { return len(s.polls.learned()) + len(s.reports.learned()) }

// Cuts returns the markup and the slots' texts of the first shape s keeps
// (reports first).
func (s *Shapes) Cuts() (markup, texts [][]byte) {
	if l := s.reports.learned(); len(l) > 0 {
		return l[0].cuts()
	}
	return s.polls.learned()[0].cuts()
}

func (s *shapes[M, P]) learned() []*shape[M] {
	if list := s.list.Load(); list != nil {
		return *list
	}
	return nil
}

func (sh *shape[M]) cuts() (markup, texts [][]byte) {
	for _, sl := range sh.slots {
		texts = append(texts, sl.text)
	}
	return sh.markup, texts
}
