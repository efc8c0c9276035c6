package xmlscan_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/xmlscan"
)

type token struct {
	kind  xmlscan.Kind
	name  xml.Name
	attrs []xml.Attr
	text  string
}

// read returns the tokens of r to the end of the root element.
func read(t *testing.T, r *xmlscan.Reader) ([]token, error) {
	t.Helper()
	return readTokens(r, false)
}

// readLeaves is read, taking every element's content with LeafText when
// it can: it must return the tokens Next would have returned.
func readLeaves(t *testing.T, r *xmlscan.Reader) ([]token, error) {
	t.Helper()
	return readTokens(r, true)
}

// tokens and leafTokens are read and readLeaves for sameOnEveryTruncation.
func tokens(r *xmlscan.Reader) ([]token, error)     { return readTokens(r, false) }
func leafTokens(r *xmlscan.Reader) ([]token, error) { return readTokens(r, true) }

func readTokens(r *xmlscan.Reader, leaves bool) ([]token, error) {
	var toks []token
	depth := 0
	for {
		k, err := r.Next(true)
		if err != nil {
			return toks, err
		}
		tok := token{kind: k}
		switch k {
		case xmlscan.StartElement:
			tok.name = r.Name()
			tok.attrs = r.AppendAttrs(nil)
			if leaves {
				if text, ok := r.LeafText(); ok {
					toks = append(toks, tok)
					if text != nil {
						toks = append(toks, token{kind: xmlscan.CharData, text: string(text)})
					}
					toks = append(toks, token{kind: xmlscan.EndElement})
					if depth == 0 {
						return toks, nil
					}
					continue
				}
			}
			depth++
		case xmlscan.EndElement:
			depth--
		case xmlscan.CharData:
			tok.text = string(r.AppendText(nil))
		}
		toks = append(toks, tok)
		if depth == 0 && k == xmlscan.EndElement {
			return toks, nil
		}
	}
}

const doc = `<?xml version="1.0"?><!-- c --><a:x xmlns:a="urn:a" k="v&amp;w"><a:y>1 &lt; 2</a:y><z/></a:x>`

func TestBothPathsAgree(t *testing.T) {
	var fast, ref xmlscan.Reader
	fast.Reset([]byte(doc))
	ref.ResetEncodingXML([]byte(doc))
	want := []token{
		{kind: xmlscan.StartElement, name: xml.Name{Space: "urn:a", Local: "x"}, attrs: []xml.Attr{
			{Name: xml.Name{Space: "xmlns", Local: "a"}, Value: "urn:a"},
			{Name: xml.Name{Local: "k"}, Value: "v&w"},
		}},
		{kind: xmlscan.StartElement, name: xml.Name{Space: "urn:a", Local: "y"}},
		{kind: xmlscan.CharData, text: "1 < 2"},
		{kind: xmlscan.EndElement},
		{kind: xmlscan.StartElement, name: xml.Name{Local: "z"}},
		{kind: xmlscan.EndElement},
		{kind: xmlscan.EndElement},
	}
	for _, r := range []*xmlscan.Reader{&fast, &ref} {
		toks, err := read(t, r)
		require.NoError(t, err)
		assert.Equal(t, want, toks)
		more, err := r.Trailing()
		require.NoError(t, err)
		assert.False(t, more)
		_, err = r.Next(true)
		assert.Equal(t, io.EOF, err)
	}
	assert.False(t, fast.GaveUp())
}

func TestAttributes(t *testing.T) {
	var r xmlscan.Reader
	r.Reset([]byte(doc))
	_, err := r.Next(false)
	require.NoError(t, err)
	assert.Equal(t, []xml.Attr{
		{Name: xml.Name{Space: "xmlns", Local: "a"}, Value: "urn:a"},
		{Name: xml.Name{Local: "k"}, Value: "v&w"},
	}, r.AppendAttrs(nil))
}

// TestFallback: what the scanner does not judge itself it hands back.
func TestFallback(t *testing.T) {
	for _, in := range []string{`<!DOCTYPE x><x/>`, `<x>`, `<é/>`, `<?xml version="1.0" encoding="ISO-8859-1"?><x/>`} {
		var r xmlscan.Reader
		r.Reset([]byte(in))
		_, err := read(t, &r)
		require.ErrorIs(t, err, xmlscan.ErrFallback, in)
		assert.True(t, r.GaveUp(), in)
	}
}

func TestTrailing(t *testing.T) {
	for in, want := range map[string]bool{
		"<x/>":                   false,
		"<x/> \n\t\r":            false,
		"<x/><!--c--><?p i?>":    false,
		"<x/>y":                  true,
		"<x/><y/>":               true,
		"<x/>&#32;":              false,
		"<x/><![CDATA[ y ]]>":    true,
		"<x/><!DOCTYPE y>":       true,
		"<x/>\n<x/>\n":           true,
		"<x/>&amp;":              true,
		"<x/><!--c--> &#x41;":    true,
		"<x/><?xml-stylesheet?>": false,
	} {
		for _, fast := range []bool{true, false} {
			var r xmlscan.Reader
			if fast {
				r.Reset([]byte(in))
			} else {
				r.ResetEncodingXML([]byte(in))
			}
			_, err := read(t, &r)
			require.NoError(t, err, in)
			more, err := r.Trailing()
			if err == xmlscan.ErrFallback {
				continue // encoding/xml decides
			}
			require.NoError(t, err, in)
			assert.Equal(t, want, more, "%q (fast path: %v)", in, fast)
		}
	}
}

func TestInterner(t *testing.T) {
	var r xmlscan.Reader
	calls := 0
	r.SetInterner(func(b []byte) string { calls++; return string(b) }, nil)
	r.Reset([]byte(`<x><y/></x>`))
	_, err := read(t, &r)
	require.NoError(t, err)
	assert.Equal(t, 2, calls)
}

// TestNamesAcrossScopesAndDocuments: the scanner remembers resolved names
// (names.go); one Reader reading documents that bind the same prefixes to
// other namespaces, redeclare them inside, undeclare the default namespace
// and come back to earlier bindings must resolve every name as encoding/xml
// does.
func TestNamesAcrossScopesAndDocuments(t *testing.T) {
	docs := []string{
		`<a:x xmlns:a="urn:1" xmlns="urn:d"><a:y/><y/><a:y xmlns:a="urn:2"><a:y/><y xmlns=""><y/></y></a:y><a:y/><y/></a:x>`,
		`<a:x xmlns:a="urn:1" xmlns="urn:d"><a:y/><y/></a:x>`, // the remembered bindings
		`<a:x xmlns:a="urn:2" xmlns="urn:d"><a:y/><y/></a:x>`, // same prefixes, another URI
		`<a:x xmlns:b="urn:1" xmlns="urn:d"><a:y/><b:y/></a:x>`,
		`<a:x xmlns="urn:d" xmlns:a="urn:1"><a:y/><y/></a:x>`, // same bindings, another order
		`<a:x><a:y/><y/><xmlns/><xml:y/><xmlns:y/></a:x>`,     // none
		`<a:x xmlns:a="urn:1"><a:y xmlns:a="urn:1"/><a:y/><a:y xmlns:b="urn:3"><b:y/></a:y><b:y/></a:x>`,
		`<a:x xmlns:a="urn:1" xmlns="urn:d"><a:y/><y/></a:x>`,
		`<aaaaaaaaaaaaaaaaa:x xmlns:aaaaaaaaaaaaaaaaa="urn:1" xmlns:aaaaaaaaaaaaaaaab="urn:2"><aaaaaaaaaaaaaaaab:x/><aaaaaaaaaaaaaaaaa:x/></aaaaaaaaaaaaaaaaa:x>`,
	}
	sameTokensTwice(t, docs)
}

// sameTokensTwice reads docs twice over with one fast Reader, as a pooled
// decoder reads a peer's successive documents, and each time requires the
// tokens encoding/xml reads.
func sameTokensTwice(t *testing.T, docs []string) {
	t.Helper()
	sameAsEncodingXMLTwice(t, docs, tokens, tokens)
}

// sameAsEncodingXMLTwice reads docs twice over, with encoding/xml and want,
// and with one fast Reader kept across them all and got: each document
// must be read without error, and the same each time.
func sameAsEncodingXMLTwice[T any](t *testing.T, docs []string, want, got func(*xmlscan.Reader) (T, error)) {
	t.Helper()
	var fast xmlscan.Reader
	for round := range 2 {
		for i, d := range docs {
			var ref xmlscan.Reader
			ref.ResetEncodingXML([]byte(d))
			w, err := want(&ref)
			require.NoError(t, err)
			fast.Reset([]byte(d))
			g, err := got(&fast)
			require.NoError(t, err)
			require.Equal(t, w, g, "round %d, document %d", round, i)
		}
	}
}

// TestLeafText: LeafText reads exactly what Next reads, or nothing, on
// every kind of content and at every truncation.
func TestLeafText(t *testing.T) {
	contents := []string{
		"", "v", " v \t\n", "a&amp;b", "a\r\nb", "a]b", "]]>", "é", "a\x01", "<!--c-->v", "v<!--c-->",
		"<![CDATA[v]]>", "<?p?>v", "<y/>", "<y>v</y>", "v<y/>", "v</z>", "v</x >", "v</x\n>", "v</xx>", "v</x", "v</",
		"v<", "v</x:y>",
	}
	var docs []string
	for _, c := range contents {
		docs = append(docs, `<r><x>`+c+`</x><x/><a:x xmlns:a="urn:a">`+c+`</a:x></r>`, `<x>`+c+`</x>`)
	}
	sameOnEveryTruncation(t, docs, tokens, leafTokens)
}

// TestLongNamesAndNamespaces: names and bindings too long for the cache to
// keep are resolved all the same.
func TestLongNamesAndNamespaces(t *testing.T) {
	long := strings.Repeat("n", 300)
	uri := "urn:" + strings.Repeat("u", 5000)
	docs := []string{
		`<a:x xmlns:a="` + uri + `"><a:` + long + `/><a:y/><a:y xmlns:a="urn:1"><a:y/></a:y><a:y/></a:x>`,
		`<a:x xmlns:a="urn:1"><a:` + long + `/><a:y/></a:x>`,
		`<a:x xmlns:a="` + uri + `"><a:y/><a:` + long + `/></a:x>`,
	}
	sameTokensTwice(t, docs)
}

// shapes are documents whose start tags the scanner predicts (names.go),
// and whose tags then differ from the prediction in each way that matters:
// a longer name, attributes, blanks or "/>" after the name, another prefix,
// the same prefix bound to another namespace (in the document or in the
// next one), the default namespace undeclared.
var shapes = []string{
	`<a:x xmlns:a="urn:1"><a:y><a:z>1</a:z></a:y><a:y><a:z>2</a:z></a:y><a:y><a:zz>3</a:zz></a:y><a:y><a:z k="v">4</a:z></a:y>` +
		`<a:y><a:z/></a:y><a:y><a:z >5</a:z></a:y><a:y><a:z` + "\n" + `>6</a:z></a:y><a:y><b:z>7</b:z></a:y><a:y><a:z>8</a:z></a:y></a:x>`,
	`<a:x xmlns:a="urn:1"><a:y><a:z/></a:y><a:y xmlns:a="urn:2"><a:z>t</a:z><a:z>t</a:z></a:y><a:y><a:z>t</a:z></a:y></a:x>`,
	`<a:x xmlns:a="urn:2"><a:y><a:z/></a:y><a:y><a:z/></a:y></a:x>`,
	`<x xmlns="urn:d"><y><z/></y><y xmlns=""><z>t</z></y><y><z>t</z></y><y><z>t</z></y></x>`,
	`<x><y><z/></y><y><z/></y></x>`,
	`<a:x xmlns:a="urn:1"><a:y><a:z>1</a:z></a:y><a:y><a:z>2</a:z></a:y></a:x>`,
	`<a:x xmlns:a="urn:1"><a:y><a:y/><a:z/></a:y><a:y><a:y/><a:z>t</a:z></a:y><a:y><a:y/></a:y></a:x>`,
	`<a:x xmlns:a="urn:1"><a:y><a:z>1</a:z></a:y><a:y/><a:z>2</a:z><a:y/><a:y><a:z>3</a:z></a:y></a:x>`,
}

// TestRememberedTags: a start tag that declares namespaces, read again
// from the scanner's memory (names.go), gives the tokens encoding/xml
// gives: the same root at other offsets in the next documents, the same
// tag under other bindings, self-closing, or with other bytes.
func TestRememberedTags(t *testing.T) {
	root := `<p:r xmlns:p="urn:1" xmlns="urn:d" k="v&amp;w" p:a='x'>`
	docs := []string{
		root + `<p:y/><y/></p:r>`,
		`<?xml version="1.0"?>` + root + `<p:y/><y/></p:r>`,
		`<!-- a longer comment first -->` + "\n" + root + `<y><p:y/></y></p:r>`,
		`<p:r xmlns:p="urn:1" xmlns="urn:d" k="v&amp;w" p:a='y'><p:y/></p:r>`,
		`<p:r xmlns:p="urn:1" xmlns="urn:d" k="v&amp;w" p:a='x'/>`,
		`<a xmlns:p="urn:1"><p:b xmlns:q="urn:2"><q:c/><p:c/></p:b></a>`,
		`<a xmlns:p="urn:3"><p:b xmlns:q="urn:2"><q:c/><p:c/></p:b></a>`,
		`<a><p:b xmlns:q="urn:2"><q:c/><p:c/></p:b><p:b xmlns:q="urn:2"><q:c/></p:b></a>`,
		`<longprefix1:r xmlns:longprefix1="urn:1" xmlns:longprefix2="urn:2"><longprefix2:y/><longprefix1:y/></longprefix1:r>`,
		`<!-- shifted -->` + `<longprefix1:r xmlns:longprefix1="urn:1" xmlns:longprefix2="urn:2"><longprefix2:y longprefix1:a="1"/><longprefix2:z/></longprefix1:r>`,
		`<p:r xmlns:p="urn:1" xmlns="urn:d" k="v&amp;w" p:a='x'>`,
	}
	sameTokensTwice(t, docs[:len(docs)-1])
	sameOnEveryTruncation(t, docs, tokens, tokens)
}

// TestPredictedNames: names taken from a prediction are the names
// encoding/xml reads, document after document.
func TestPredictedNames(t *testing.T) {
	sameTokensTwice(t, shapes)
}

// TestPredictionsAfterSkipping: elements passed over without their names
// being asked for (as a decoder skips what it does not know) leave no
// wrong prediction behind.
func TestPredictionsAfterSkipping(t *testing.T) {
	sameAsEncodingXMLTwice(t, shapes, readSkipping, readSkipping)
}

// readSkipping reads the names of the root's children and of their
// children, skipping every other child of the root unnamed.
func readSkipping(r *xmlscan.Reader) ([]xml.Name, error) {
	if _, err := r.Next(false); err != nil {
		return nil, err
	}
	var names []xml.Name
	for n := 0; ; n++ {
		k, err := r.Next(false)
		if err != nil || k == xmlscan.EndElement {
			return names, err
		}
		if n%2 == 0 {
			if err := r.Skip(); err != nil {
				return names, err
			}
			continue
		}
		names = append(names, r.Name())
		for {
			name, ok, err := r.Child()
			if err != nil {
				return names, err
			}
			if !ok {
				break
			}
			names = append(names, name)
			if err := r.Skip(); err != nil {
				return names, err
			}
		}
	}
}

// TestPredictionsOnTruncatedInput: a Reader that has learnt a document's
// shape reads every truncation of it as a new Reader does.
func TestPredictionsOnTruncatedInput(t *testing.T) {
	sameOnEveryTruncation(t, shapes, tokens, tokens)
}

// sameOnEveryTruncation reads every truncation of each document twice:
// with a new Reader and want, and with got and one Reader kept across them
// all, which has read the whole document first (what the scanner learns of
// a document must not change how it reads another). Both must give the
// same result, error and GaveUp, and after an error the kept Reader must
// not read on.
func sameOnEveryTruncation[T any](t *testing.T, docs []string, want, got func(*xmlscan.Reader) (T, error)) {
	t.Helper()
	var warm xmlscan.Reader
	for _, d := range docs {
		warm.Reset([]byte(d))
		_, _ = got(&warm)
		for n := range len(d) + 1 {
			in := []byte(d[:n])
			cold, _, err := sameAsNew(t, &warm, in, want, got)
			require.Equal(t, cold.GaveUp(), warm.GaveUp(), "%q", in)
			if err != nil {
				_, _, err := warm.Child()
				require.Error(t, err, "%q: read on after an error", in)
			}
		}
	}
}

// sameAsNew reads in with a new Reader and want, and with warm, a Reader
// that has read other documents before, and got: both must give the same
// result and error. It returns the new Reader and what it read.
func sameAsNew[T any](t *testing.T, warm *xmlscan.Reader, in []byte, want, got func(*xmlscan.Reader) (T, error)) (*xmlscan.Reader, T, error) {
	t.Helper()
	var cold xmlscan.Reader
	cold.Reset(in)
	w, wErr := want(&cold)
	warm.Reset(in)
	g, err := got(warm)
	require.Equal(t, wErr, err, "%q", in)
	require.Equal(t, w, g, "%q", in)
	return &cold, w, wErr
}

// walkNext and walkChild walk a document with nextChild and with Child.
func walkNext(r *xmlscan.Reader) ([]string, error)  { return walk(r, nextChild) }
func walkChild(r *xmlscan.Reader) ([]string, error) { return walk(r, (*xmlscan.Reader).Child) }

// TestChildShortcut: Child, which takes the predicted start tags and the
// end tags itself (names.go), walks the shapes, as they are and with
// blanks, line ends, comments and text between their tags, as
// encoding/xml does, document after document; and every truncation of
// them as Next and Name walk it.
func TestChildShortcut(t *testing.T) {
	var docs []string
	for _, d := range shapes {
		docs = append(docs, d,
			strings.ReplaceAll(d, "><", ">\n\t <"),
			strings.ReplaceAll(d, "><", ">\r\n<"),
			strings.ReplaceAll(d, "><", "><!-- c --><"),
			strings.ReplaceAll(d, "><", ">text<"))
	}
	sameAsEncodingXMLTwice(t, docs, walkNext, walkChild)
	sameOnEveryTruncation(t, docs, walkNext, walkChild)
}

// nextChild is Child written with Next and Name, which the shortcut must
// agree with.
func nextChild(r *xmlscan.Reader) (xml.Name, bool, error) {
	for {
		k, err := r.Next(false)
		if err != nil || k == xmlscan.EndElement {
			return xml.Name{}, false, err
		}
		if k == xmlscan.StartElement {
			return r.Name(), true, nil
		}
	}
}

// walk reads the root element with child, recording each element's depth
// and name and each end.
func walk(r *xmlscan.Reader, child func(*xmlscan.Reader) (xml.Name, bool, error)) ([]string, error) {
	if _, err := r.Next(false); err != nil {
		return nil, err
	}
	var out []string
	var children func(depth int) error
	children = func(depth int) error {
		for {
			name, ok, err := child(r)
			if err != nil {
				return err
			}
			if !ok {
				out = append(out, "end")
				return nil
			}
			out = append(out, fmt.Sprint(depth, name))
			if err := children(depth + 1); err != nil {
				return err
			}
		}
	}
	return out, children(1)
}

// TestEightBytePrefixes: a prefix of eight bytes is not a longer prefix
// that starts with the same eight bytes (prefixKey packs only eight), for
// an element's name and for an attribute's, declared in the same tag or
// outside it, and the other way round.
func TestEightBytePrefixes(t *testing.T) {
	docs := []string{
		`<abcdefgh:x xmlns:abcdefghi="urn:1"/>`,
		`<x xmlns:abcdefghi="urn:1" abcdefgh:k="v"/>`,
		`<r xmlns:abcdefghi="urn:1"><abcdefgh:x abcdefgh:k="v"/></r>`,
		`<abcdefghi:x xmlns:abcdefgh="urn:1" abcdefghi:k="v"/>`,
		`<abcdefgh:x xmlns:abcdefgh="urn:2" xmlns:abcdefghi="urn:1"><abcdefgh:y/><abcdefghi:y/></abcdefgh:x>`,
	}
	sameTokensTwice(t, docs)
}

// TestOffset: after a start element, with Next or Child, on a first and a
// later reading (with predicted names and the remembered root tag),
// Offset is just past its tag; after LeafText, just past the end tag.
func TestOffset(t *testing.T) {
	doc := []byte(`<?xml version="1.0"?>` + "\n" + `<a:r xmlns:a="urn:a" x="1>"><a:b>text</a:b> <a:c/><a:d k='/'>t2</a:d><a:e><a:f>1</a:f></a:e></a:r>`)
	type at struct {
		name string
		tag  string // the input that ends at Offset
	}
	want := []at{{"r", `x="1>">`}, {"b", "<a:b>"}, {"b", "text</a:b>"}, {"c", "<a:c/>"}, {"d", "k='/'>"}, {"d", "t2</a:d>"}, {"e", "<a:e>"}, {"f", "<a:f>"}, {"f", "1</a:f>"}}
	var r xmlscan.Reader
	for reading := range 4 {
		r.Reset(doc)
		var got []at
		for {
			var (
				name string
				err  error
			)
			if reading%2 == 0 {
				var k xmlscan.Kind
				if k, err = r.Next(false); err == nil && k == xmlscan.StartElement {
					name = r.Name().Local
				}
			} else {
				var n xml.Name
				n, _, err = r.Child()
				name = n.Local
			}
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			if name == "" {
				continue
			}
			off := r.Offset()
			got = append(got, at{name, string(doc[:off])})
			if name == "b" || name == "d" || name == "f" || name == "c" {
				_, ok := r.LeafText()
				require.True(t, ok)
				if name != "c" {
					got = append(got, at{name, string(doc[:r.Offset()])})
				}
			}
		}
		require.Len(t, got, len(want), "reading %d", reading)
		if reading == 3 {
			r.ResetEncodingXML(doc)
			_, err := r.Next(false)
			require.NoError(t, err)
			assert.Equal(t, -1, r.Offset(), "with encoding/xml")
		}
		for i := range want {
			assert.True(t, strings.HasSuffix(got[i].tag, want[i].tag), "reading %d: offset after <%s> ends %q, not %q", reading, want[i].name, got[i].tag[max(0, len(got[i].tag)-12):], want[i].tag)
		}
	}
}
