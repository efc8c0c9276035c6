package xmlscan

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"unicode/utf8"
)

// The scanner is the fast path: a tokenizer for the XML that OpenADR peers
// actually send, about ten times faster than encoding/xml's Token, which
// spends its time reading byte by byte through an interface, checking names
// against Unicode tables and copying every name and attribute. The scanner
// reads the input in place, interns names and hands text over as slices of
// the input.
//
// It is exact by construction rather than by imitation. It produces a token
// only where encoding/xml's Token would produce the same token (the same
// name in the same namespace, the same attributes, the same character data)
// without an error; at anything else, from a DOCTYPE, another entity, a
// non-ASCII name or a declared encoding other than UTF-8 to every kind of
// malformed input, it gives up (ErrFallback), and the caller reads the
// document again from the start with encoding/xml (Reader.ResetEncodingXML).
// A caller whose decoding is a deterministic function of the token sequence
// gets the result encoding/xml gives, error messages included. Giving up
// costs a second decode, on input that is rare in practice (and mostly
// invalid). The oadr package's FuzzScannerMatchesEncodingXML and the tests
// beside it check the rule token by token.
//
// Checks kept from encoding/xml (Strict mode): names; end tags matching start
// tags by their prefixed name; quoted attribute values; the five predefined
// entities and character references; "]]>" outside CDATA; "--" inside
// comments; UTF-8 and the XML character range in text and attribute values;
// the version and encoding of an XML declaration. Its translations too:
// "\r\n" and "\r" become "\n" in text and attribute values, and namespace
// prefixes are resolved the way Token resolves them (an unbound prefix is its
// own namespace, an element without prefix or default namespace has none,
// attributes without prefix have none).

// scan results: a construct was read, or the input ended inside it, or it
// needs encoding/xml. The input is complete, so both of the latter give up.
type status uint8

const (
	scanOK status = iota
	scanShort
	scanBad
)

type scanner struct {
	buf []byte // the whole document; never modified
	pos int    // where the next token starts

	failed  bool // ErrFallback was returned; it is returned from now on
	closing bool // the last start element was self-closing; its end is next

	internLocal, internURI func([]byte) string // interning of local names and namespace URIs
	cache                  *nameCache          // resolved element names, see names.go
	gen                    uint64              // generation of the bindings in scope (ns)

	// The name prediction (see names.go): the entry of the last start
	// element, or of the last ended one (ended), and for the current start
	// element, whose entry is found when its name is asked for, the entry
	// to record it in, as a child or as a sibling.
	prev, from         ref
	ended, fromSibling bool

	stack []frame   // open elements
	ns    []binding // namespace declarations in scope, innermost last
	attrs []rawAttr // attributes of the last start element

	// The last start element's qualified name, and its text for CharData.
	name0, colon, name1 int // colon < 0: no prefix
	text0, text1        int
	textPlain           bool // text is exactly buf[text0:text1]
	textCDATA           bool // text is a CDATA section: no entities in it
}

// frame is an open element.
type frame struct {
	name0, name1 int    // prefixed name in buf, to match the end tag
	nsLen        int    // len(ns) outside the element
	gen          uint64 // generation of those bindings
	entry        ref    // its name's entry, if resolved
}

// binding is a namespace declaration: prefix (buf[p0:p1], empty for xmlns=)
// to URI. key is prefixKey of the prefix.
type binding struct {
	p0, p1 int
	key    uint64
	uri    string
}

type rawAttr struct {
	name0, colon, name1 int // colon < 0: no prefix
	val0, val1          int // between the quotes
	plain               bool
}

// reset prepares the scanner for the document data.
func (s *scanner) reset(data []byte) {
	*s = scanner{buf: data, internLocal: s.internLocal, internURI: s.internURI, cache: s.cache, gen: emptyGen, stack: s.stack[:0], ns: s.ns[:0], attrs: s.attrs[:0], colon: -1}
}

// release drops references to the input, keeping other reusable memory.
func (s *scanner) release() {
	clear(s.ns[:cap(s.ns)])
	*s = scanner{internLocal: s.internLocal, internURI: s.internURI, cache: s.cache, stack: s.stack[:0], ns: s.ns[:0], attrs: s.attrs[:0], colon: -1}
}

// next returns the next start element, end element or, if text is set,
// character data (which is otherwise checked and passed over); io.EOF at the
// end of the input after the root element.
func (s *scanner) next(text bool) (Kind, error) {
	if s.failed {
		return 0, ErrFallback
	}
	if s.closing {
		s.closing = false
		s.pop()
		return EndElement, nil
	}
	for s.pos < len(s.buf) {
		k, st := s.scan(text)
		if st != scanOK {
			break
		}
		if k != 0 {
			return k, nil
		}
	}
	if s.pos == len(s.buf) && len(s.stack) == 0 {
		return 0, io.EOF
	}
	s.failed = true
	return 0, ErrFallback
}

// maxBindings bounds the namespace declarations in scope, which the scanner
// searches linearly: real documents declare a dozen; encoding/xml, with a
// map, takes documents that declare thousands.
const maxBindings = 64

// scan reads one construct at s.pos and advances past it when it is
// complete. When the input ends inside it (scanShort) it changes nothing a
// second scan's result depends on (it may forget a prediction, names.go).
func (s *scanner) scan(text bool) (Kind, status) {
	buf, i := s.buf, s.pos
	if buf[i] != '<' {
		return s.scanText(i, text)
	}
	if i+1 >= len(buf) {
		return 0, scanShort
	}
	switch buf[i+1] {
	case '/':
		return s.scanEnd(i + 2)
	case '?':
		return 0, s.scanPI(i + 2)
	case '!':
		return s.scanBang(i+2, text)
	}
	return s.scanStart(i + 1)
}

// scanStart reads a start tag from i (after "<").
func (s *scanner) scanStart(i int) (Kind, status) {
	if s.predicted(i) {
		return StartElement, scanOK
	}
	s.from, s.fromSibling, s.prev = s.prev, s.ended, 0
	if s.replayed(i) {
		return StartElement, scanOK
	}
	buf := s.buf
	name0 := i
	name1, colon, st := scanName(buf, i)
	if st != scanOK {
		return 0, st
	}
	i = name1
	s.attrs = s.attrs[:0]
	selfClosing := false
	for {
		i = skipSpace(buf, i)
		if i >= len(buf) {
			return 0, scanShort
		}
		c := buf[i]
		if c == '>' {
			i++
			break
		}
		if c == '/' {
			if i+1 >= len(buf) {
				return 0, scanShort
			}
			if buf[i+1] != '>' {
				return 0, scanBad
			}
			i += 2
			selfClosing = true
			break
		}
		a := rawAttr{name0: i}
		a.name1, a.colon, st = scanName(buf, i)
		if st != scanOK {
			return 0, st
		}
		i = skipSpace(buf, a.name1)
		if i >= len(buf) {
			return 0, scanShort
		}
		if buf[i] != '=' {
			return 0, scanBad
		}
		i = skipSpace(buf, i+1)
		if i >= len(buf) {
			return 0, scanShort
		}
		q := buf[i]
		if q != '"' && q != '\'' {
			return 0, scanBad
		}
		a.val0 = i + 1
		a.val1, a.plain, st = scanValue(buf, a.val0, q)
		if st != scanOK {
			return 0, st
		}
		s.attrs = append(s.attrs, a)
		i = a.val1 + 1
	}

	// Complete: declare the element's namespaces, as Token does before it
	// resolves the element's own name.
	nsLen := len(s.ns)
	for k := range s.attrs {
		a := &s.attrs[k]
		switch {
		case a.colon >= 0 && string(buf[a.name0:a.colon]) == "xmlns":
			s.ns = append(s.ns, binding{p0: a.colon + 1, p1: a.name1, key: prefixKey(buf[a.colon+1 : a.name1]), uri: s.declaredURI(a)})
		case a.colon < 0 && string(buf[a.name0:a.name1]) == "xmlns":
			s.ns = append(s.ns, binding{uri: s.declaredURI(a)})
		}
	}
	if len(s.ns) > maxBindings {
		return 0, scanBad
	}
	s.push(name0, name1, nsLen, 0)
	if len(s.ns) > nsLen {
		outer := s.gen
		s.gen = s.declared()
		if len(s.stack) == 1 { // the root: see tagMemo
			s.remember(name0, colon, name1, i, nsLen, outer, selfClosing)
		}
	}
	s.name0, s.colon, s.name1 = name0, colon, name1
	s.closing = selfClosing
	s.pos = i
	return StartElement, scanOK
}

// scanEnd reads an end tag from i (after "</"), which must close the
// innermost open element with the same prefixed name. That name was checked
// in the start tag: the bytes must be the same and the name must end there,
// as encoding/xml reads names (up to a byte that is neither an ASCII name
// byte nor part of a multi-byte sequence).
func (s *scanner) scanEnd(i int) (Kind, status) {
	if len(s.stack) == 0 {
		return 0, scanBad
	}
	buf := s.buf
	f := &s.stack[len(s.stack)-1]
	end := i + f.name1 - f.name0
	if end >= len(buf) {
		return 0, scanShort
	}
	if !sameName(buf[i:end], buf[f.name0:f.name1]) || nameClass[buf[end]] != 0 || buf[end] >= utf8.RuneSelf {
		return 0, scanBad
	}
	i = skipSpace(buf, end)
	if i >= len(buf) {
		return 0, scanShort
	}
	if buf[i] != '>' {
		return 0, scanBad
	}
	s.pop()
	s.pos = i + 1
	return EndElement, scanOK
}

// push opens an element, whose name's entry is entry (0: not known yet),
// outside of which nsLen bindings are in scope. It writes the frame in
// place: a frame literal is built on the stack and copied over in pieces
// of another size than it was written in, which the CPU cannot forward
// from the stores to the loads.
func (s *scanner) push(name0, name1, nsLen int, entry ref) {
	if len(s.stack) == cap(s.stack) {
		s.stack = append(s.stack, frame{})
	} else {
		s.stack = s.stack[:len(s.stack)+1]
	}
	f := &s.stack[len(s.stack)-1]
	f.name0, f.name1, f.nsLen, f.gen, f.entry = name0, name1, nsLen, s.gen, entry
}

// pop closes the innermost element.
func (s *scanner) pop() {
	f := &s.stack[len(s.stack)-1]
	s.ns = s.ns[:f.nsLen]
	s.gen = f.gen
	s.prev, s.ended, s.from = f.entry, true, 0
	s.stack = s.stack[:len(s.stack)-1]
}

// scanText reads character data from i up to the next "<".
func (s *scanner) scanText(i int, text bool) (Kind, status) {
	buf := s.buf
	plain := true
	j := i
	for j < len(buf) { // the end of the input ends text too
		c := buf[j]
		switch charClass[c] {
		case cPlain:
			j++
			continue
		case cLT:
		case cAmp:
			n, _, st := entity(buf[j:])
			if st != scanOK {
				return 0, st
			}
			plain = false
			j += n
			continue
		case cCR:
			plain = false
			j++
			continue
		case cBracket:
			// "]]>" may only end a CDATA section.
			if j+2 >= len(buf) {
				return 0, scanShort
			}
			if buf[j+1] == ']' && buf[j+2] == '>' {
				return 0, scanBad
			}
			j++
			continue
		case cHigh:
			n, st := runeLen(buf[j:])
			if st != scanOK {
				return 0, st
			}
			j += n
			continue
		default: // a control character
			return 0, scanBad
		}
		break
	}
	s.pos = j
	if !text {
		return 0, scanOK
	}
	s.text0, s.text1, s.textPlain, s.textCDATA = i, j, plain, false
	return CharData, scanOK
}

// leafText is the shortcut of Reader.LeafText for the commonest content of
// all, a value: the current element's text, made of plain bytes only, then
// its end tag. It reads what next(true) would read (the same text, then
// the end element) or, at anything else, nothing: the general path then
// reads the same bytes again, and meets whatever made leafText give up.
func (s *scanner) leafText() ([]byte, bool) {
	if s.failed {
		return nil, false
	}
	if s.closing { // <x/>: no text, and the end element is next
		s.closing = false
		s.pop()
		return nil, true
	}
	buf, i := s.buf, s.pos
	j := i
	for j < len(buf) && charClass[buf[j]] == cPlain {
		j++
	}
	if j+1 >= len(buf) || buf[j] != '<' || buf[j+1] != '/' {
		return nil, false
	}
	if _, st := s.scanEnd(j + 2); st != scanOK {
		return nil, false
	}
	if j == i {
		return nil, true
	}
	return buf[i:j], true
}

// scanValue reads an attribute value from i (after the opening quote q) and
// returns the position of the closing quote.
func scanValue(buf []byte, i int, q byte) (int, bool, status) {
	plain := true
	for {
		if i >= len(buf) {
			return 0, false, scanShort
		}
		c := buf[i]
		if c == q {
			return i, plain, scanOK
		}
		switch charClass[c] {
		case cPlain, cBracket:
			i++
		case cAmp:
			n, _, st := entity(buf[i:])
			if st != scanOK {
				return 0, false, st
			}
			plain = false
			i += n
		case cCR:
			plain = false
			i++
		case cHigh:
			n, st := runeLen(buf[i:])
			if st != scanOK {
				return 0, false, st
			}
			i += n
		default: // "<" or a control character
			return 0, false, scanBad
		}
	}
}

// scanBang reads a comment or a CDATA section from i (after "<!"). Anything
// else (a DOCTYPE or another declaration) is left to encoding/xml.
func (s *scanner) scanBang(i int, text bool) (Kind, status) {
	buf := s.buf
	const cdata = "[CDATA["
	switch {
	case len(buf)-i < 2:
		return 0, scanShort
	case buf[i] == '-' && buf[i+1] == '-':
		// The first "--" must end the comment.
		i += 2
		k := bytes.Index(buf[i:], []byte("--"))
		if k < 0 || i+k+2 >= len(buf) {
			return 0, scanShort
		}
		if buf[i+k+2] != '>' {
			return 0, scanBad
		}
		s.pos = i + k + 3
		return 0, scanOK
	case buf[i] == '[':
		if len(buf)-i < len(cdata) {
			if !bytes.HasPrefix([]byte(cdata), buf[i:]) {
				return 0, scanBad
			}
			return 0, scanShort
		}
		if string(buf[i:i+len(cdata)]) != cdata {
			return 0, scanBad
		}
		i += len(cdata)
		k := bytes.Index(buf[i:], []byte("]]>"))
		if k < 0 {
			return 0, scanShort
		}
		plain := true
		for j := i; j < i+k; {
			switch charClass[buf[j]] {
			case cHigh:
				n, st := runeLen(buf[j : i+k])
				if st != scanOK {
					return 0, scanBad // a truncated sequence before "]]>"
				}
				j += n
				continue
			case cCR:
				plain = false
			case cCtl:
				return 0, scanBad
			}
			j++
		}
		s.pos = i + k + 3
		if !text {
			return 0, scanOK
		}
		s.text0, s.text1, s.textPlain, s.textCDATA = i, i+k, plain, true
		return CharData, scanOK
	}
	return 0, scanBad
}

// scanPI reads a processing instruction from i (after "<?"). An XML
// declaration must declare version 1.0 (or none) and UTF-8 (or nothing):
// other encodings are converted by encoding/xml's CharsetReader.
func (s *scanner) scanPI(i int) status {
	buf := s.buf
	target0 := i
	target1, _, st := scanName(buf, i)
	if st != scanOK {
		return st
	}
	i = skipSpace(buf, target1)
	k := bytes.Index(buf[i:], []byte("?>"))
	if k < 0 {
		return scanShort
	}
	if string(buf[target0:target1]) == "xml" {
		content := buf[i : i+k]
		if v := procInst("version=", content); v != nil && string(v) != "1.0" {
			return scanBad
		}
		if e := procInst("encoding=", content); e != nil && !strings.EqualFold(string(e), "utf-8") {
			return scanBad
		}
	}
	s.pos = i + k + 2
	return scanOK
}

// procInst is encoding/xml's procInst on bytes: the value of a pseudo-attribute
// (param is its name and "=") of an XML declaration, nil if absent or empty.
func procInst(param string, s []byte) []byte {
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := bytes.Index(sub, []byte(param))
		if k < 0 || lenp+k >= len(sub) {
			return nil
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return nil
	}
	j := bytes.IndexByte(s[i:], sep)
	if j <= 0 {
		return nil
	}
	return s[i : i+j]
}

// The names and namespaces of the current start element.

// resolveName returns the current start element's name with its namespace
// resolved as Token resolves it (elementName remembers the result).
func (s *scanner) resolveName() xml.Name {
	buf := s.buf
	if s.colon < 0 {
		local := buf[s.name0:s.name1]
		if string(local) == "xmlns" {
			return xml.Name{Local: "xmlns"}
		}
		space, _ := s.lookup(s.name0, s.name0)
		return xml.Name{Space: space, Local: s.internLocal(local)}
	}
	return xml.Name{Space: s.prefixSpace(s.name0, s.colon), Local: s.internLocal(buf[s.colon+1 : s.name1])}
}

// prefixSpace resolves the prefix buf[p0:p1] of a prefixed name.
func (s *scanner) prefixSpace(p0, p1 int) string {
	switch p := s.buf[p0:p1]; string(p) {
	case "xmlns":
		return "xmlns"
	case "xml":
		return xmlURL
	default:
		if uri, ok := s.lookup(p0, p1); ok {
			return uri
		}
		return string(p)
	}
}

// lookup returns the URI bound to the prefix buf[p0:p1] ("" for the default
// namespace).
func (s *scanner) lookup(p0, p1 int) (string, bool) {
	p := s.buf[p0:p1]
	key := prefixKey(p)
	for k := len(s.ns) - 1; k >= 0; k-- {
		b := &s.ns[k]
		if b.key == key && b.p1-b.p0 == len(p) && (len(p) <= 8 || string(s.buf[b.p0:b.p1]) == string(p)) {
			return b.uri, true
		}
	}
	return "", false
}

// prefixKey packs the first eight bytes of a prefix into an integer, which
// identifies prefixes of up to eight bytes among prefixes of the same
// length (name bytes are never zero; an eight-byte prefix has the key of
// every longer one that starts with it, so lookup compares lengths too).
func prefixKey(p []byte) uint64 {
	var k uint64
	for i := range min(len(p), 8) {
		k |= uint64(p[i]) << (8 * i)
	}
	return k
}

// uri returns the value of a namespace declaration.
func (s *scanner) declaredURI(a *rawAttr) string {
	if a.plain {
		return s.internURI(s.buf[a.val0:a.val1])
	}
	return s.internURI(appendDecoded(nil, s.buf[a.val0:a.val1]))
}

// appendAttrs appends the current start element's attributes to dst, named
// and valued as Token gives them.
func (s *scanner) appendAttrs(dst []xml.Attr) []xml.Attr {
	buf := s.buf
	for _, a := range s.attrs {
		var n xml.Name
		if a.colon < 0 {
			n.Local = s.internLocal(buf[a.name0:a.name1])
		} else {
			n.Space = s.prefixSpace(a.name0, a.colon)
			n.Local = s.internLocal(buf[a.colon+1 : a.name1])
		}
		var value string
		if raw := buf[a.val0:a.val1]; a.plain {
			value = string(raw)
		} else {
			value = string(appendDecoded(nil, raw))
		}
		dst = append(dst, xml.Attr{Name: n, Value: value})
	}
	return dst
}

// appendText appends the current character data, decoded, to dst.
func (s *scanner) appendText(dst []byte) []byte {
	raw := s.buf[s.text0:s.text1]
	switch {
	case s.textPlain:
		return append(dst, raw...)
	case s.textCDATA:
		return appendNewlines(dst, raw)
	}
	return appendDecoded(dst, raw)
}

// rawText returns the current character data when it needs no decoding.
func (s *scanner) rawText() ([]byte, bool) {
	return s.buf[s.text0:s.text1], s.textPlain
}

// appendDecoded appends checked text or attribute value raw to dst with its
// entities replaced and its line ends normalised.
func appendDecoded(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		switch c := raw[i]; c {
		case '&':
			n, r, _ := entity(raw[i:])
			dst = utf8.AppendRune(dst, r)
			i += n
		case '\r':
			dst = append(dst, '\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		default:
			dst = append(dst, c)
			i++
		}
	}
	return dst
}

// appendNewlines appends raw to dst with "\r\n" and "\r" turned into "\n".
func appendNewlines(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// Byte-level helpers.

const (
	cPlain   = iota // allowed as is in text and attribute values
	cCtl            // a control character the XML character range excludes
	cLT             // <
	cAmp            // &
	cCR             // \r
	cBracket        // ]
	cHigh           // start of a multi-byte sequence
)

var charClass = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = cCtl
	}
	t['\t'], t['\n'] = cPlain, cPlain
	t['\r'] = cCR
	t['<'] = cLT
	t['&'] = cAmp
	t[']'] = cBracket
	for c := 0x80; c < 0x100; c++ {
		t[c] = cHigh
	}
	return t
}()

// Name bytes. The scanner accepts ASCII names only; encoding/xml judges the
// others against the Unicode tables of the XML specification.
const (
	namePart  = 1 << iota // letters, digits, '_', '-', '.'
	nameStart             // letters and '_'
	nameColon             // ':'
)

var nameClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', c == '_':
			t[c] = namePart | nameStart
		case '0' <= c && c <= '9', c == '-', c == '.':
			t[c] = namePart
		case c == ':':
			t[c] = nameColon
		}
	}
	return t
}()

// scanName reads a name at i: an ASCII letter or '_', then letters, digits,
// '_', '-', '.' and at most one ':', not at the end. It returns the end of
// the name and the position of the colon (-1 if none).
func scanName(buf []byte, i int) (end, colon int, st status) {
	if i >= len(buf) {
		return 0, 0, scanShort
	}
	if nameClass[buf[i]]&nameStart == 0 {
		return 0, 0, scanBad
	}
	colon = -1
	j := i + 1
	for j < len(buf) && nameClass[buf[j]]&namePart != 0 {
		j++
	}
	if j < len(buf) && buf[j] == ':' {
		colon = j
		j++
		for j < len(buf) && nameClass[buf[j]]&namePart != 0 {
			j++
		}
		if j == colon+1 && j < len(buf) {
			return 0, 0, scanBad
		}
	}
	switch {
	case j >= len(buf):
		return 0, 0, scanShort
	case buf[j] == ':', buf[j] >= utf8.RuneSelf:
		return 0, 0, scanBad
	}
	return j, colon, scanOK
}

func skipSpace(buf []byte, i int) int {
	for i < len(buf) {
		switch buf[i] {
		case ' ', '\n', '\t', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// entities are the predefined entity references.
var entities = [...]struct {
	ref string
	c   rune
}{{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&apos;", '\''}, {"&quot;", '"'}}

// entity reads the entity or character reference at the start of b (which
// starts with '&') and returns its length and the character it stands for.
// Like encoding/xml it knows the predefined entities and character
// references, "&#65;" and "&#x41;" (lower-case x), which must stand for a
// character in the XML range; a surrogate stands for U+FFFD, because that is
// what encoding/xml's string(rune(n)) makes of it.
func entity(b []byte) (int, rune, status) {
	if len(b) < 2 {
		return 0, 0, scanShort
	}
	if b[1] != '#' {
		for _, e := range entities {
			if len(b) >= len(e.ref) && string(b[:len(e.ref)]) == e.ref {
				return len(e.ref), e.c, scanOK
			}
		}
		if len(b) < len("&apos;") {
			return 0, 0, scanShort
		}
		return 0, 0, scanBad
	}
	i, base := 2, rune(10)
	if i < len(b) && b[i] == 'x' {
		i, base = i+1, 16
	}
	digits := i
	var r rune
	for ; i < len(b); i++ {
		var d rune
		switch c := rune(b[i]); {
		case '0' <= c && c <= '9':
			d = c - '0'
		case base == 16 && 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			d = -1
		}
		if d < 0 {
			break
		}
		if r = r*base + d; r > utf8.MaxRune {
			return 0, 0, scanBad
		}
	}
	switch {
	case i >= len(b):
		return 0, 0, scanShort
	case b[i] != ';' || i == digits:
		return 0, 0, scanBad
	case 0xD800 <= r && r <= 0xDFFF:
		r = utf8.RuneError
	case !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000):
		return 0, 0, scanBad
	}
	return i + 1, r, scanOK
}

// runeLen returns the length of the multi-byte UTF-8 sequence at the start of
// b, which must be in the XML character range.
func runeLen(b []byte) (int, status) {
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n == 1 {
		if !utf8.FullRune(b) {
			return 0, scanShort
		}
		return 0, scanBad
	}
	if r == 0xFFFE || r == 0xFFFF {
		return 0, scanBad
	}
	return n, scanOK
}

const xmlURL = "http://www.w3.org/XML/1998/namespace"
