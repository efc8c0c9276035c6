package oadr_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// The scanner (scan.go) must give every document the decoding encoding/xml
// gives it: these tests compare the two token by token and decoding by
// decoding, on the samples, on documents built to reach every rule, on every
// truncation of a document and, in FuzzScannerMatchesEncodingXML, on
// whatever the fuzzer makes of them.

const nsDecl = `xmlns:oadr="` + oadr.NamespaceOADR + `" xmlns:ei="` + oadr.NamespaceEI + `" xmlns:pyld="` + oadr.NamespacePyld + `"`

// poll wraps a venID element's content in an oadrPoll envelope.
func poll(venID string) string {
	return `<oadr:oadrPayload ` + nsDecl + `><oadr:oadrSignedObject oadr:Id="x"><oadr:oadrPoll ei:schemaVersion="2.0b">` +
		`<ei:venID>` + venID + `</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject></oadr:oadrPayload>`
}

// edgeCases reach each rule of the scanner, and each construct it leaves to
// encoding/xml.
var edgeCases = []string{
	// Text.
	poll("VEN"), poll(""), poll(" \t\n V \n"), poll("a&lt;b&gt;c&amp;d&apos;e&quot;f"),
	poll("a\r\nb\rc\n\rd\r\r\ne&amp;\r"), poll("]]>"), poll("a]]b]>c]"), poll("]"), poll("]]"),
	poll("x&#65;y"), poll("x&#x41;y"), poll("&#0;"), poll("&#xD800;"), poll("&#;"), poll("&#x110000;"),
	poll("&unknown;"), poll("&lt"), poll("&amp"), poll("& lt;"), poll("&"),
	poll("é€😀"), poll("a\xffb"), poll("a\xc3"), poll("\xef\xbf\xbe"), poll("\xef\xbf\xbf"), poll("\xef\xbf\xbd"),
	poll("a\x00b"), poll("a\x1fb"), poll("a\x7fb"), poll("\xed\xa0\x80"), poll("\xf4\x90\x80\x80"),
	poll("a<![CDATA[<b>&amp;]]>c"), poll("<![CDATA[]]>"), poll("<![CDATA[x\r\ny\rz]]]]>"), poll("<![CDATA[\xff]]>"),
	poll("<![CDATA[a\x01]]>"), poll("<![CDATA[a"), poll("<![CDAT[a]]>"), poll("<![cdata[a]]>"),
	poll("a<!-- c -->b"), poll("<!---->"), poll("<!--->-->"), poll("<!-- a -- b -->"), poll("<!-- a --->"),
	poll("<!- a -->"), poll("<!-- \xff -->"), poll("a<?pi x?>b"), poll("<?xml version='2.0'?>"), poll("<?pi?>"),
	poll("<?pi\xff?>"), poll("<? pi?>"), poll("<!DOCTYPE x>"), poll("<b/>"), poll("V<b>x</b>"),
	// Names and tags.
	poll("V</ei:venID><ei:venID>W"), poll("V</ei:venID ><ei:venID\n>W"), poll("V</ei:venID x>"),
	poll("V</ei:vtnID>"), poll("V</venID>"), poll("V</pyld:venID>"), poll("V</ei:venID"),
	`<oadr:oadrPoll ` + nsDecl + `><ei:venID>V</ei:venID></oadr:oadrPoll>`,
	`<oadrPoll xmlns="` + oadr.NamespaceOADR + `"><venID xmlns="` + oadr.NamespaceEI + `">V</venID></oadrPoll>`,
	`<oadrPoll xmlns="` + oadr.NamespaceOADR + `"><venID>V</venID></oadrPoll>`,
	`<oadrPoll xmlns="` + oadr.NamespaceOADR + `"><x xmlns=""><venID>V</venID></x><venID xmlns="` + oadr.NamespaceEI + `">W</venID></oadrPoll>`,
	`<a:oadrPoll xmlns:a="` + oadr.NamespaceOADR + `"><a:venID xmlns:a="` + oadr.NamespaceEI + `">V</a:venID><a:x/></a:oadrPoll>`,
	`<a:oadrPoll xmlns:a="` + oadr.NamespaceOADR + `" xmlns:a="` + oadr.NamespaceEI + `"/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `"><ei:venID>V</ei:venID></oadr:oadrPoll>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `"><xmlns>V</xmlns><xmlns:venID>V</xmlns:venID><xml:venID>V</xml:venID></oadr:oadrPoll>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" xmlns:xmlns="urn:x" xmlns:xml="urn:y" xmlns="urn:z"><venID/></oadr:oadrPoll>`,
	`<oadr:oadrPoll xmlns:oadr='` + oadr.NamespaceOADR + `'><ei:venID xmlns:ei="` + oadr.NamespaceEI + `"` + "\n\t" + `>V</ei:venID></oadr:oadrPoll>`,
	`<oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0b/2012/&#48;7"/>`,
	`<oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07&amp;"/>`,
	`<oadr:oadrPoll xmlns:oadr="` + "\r\n" + oadr.NamespaceOADR + `"/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `"a="1"b='2'/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" a = "1" a="2"/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" a="<"/>`, `<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" a="]]>"/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" a=1/>`, `<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" a/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" a="x\ty` + "\r\n" + `z"/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" a="` + "\x01" + `"/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" a="` + "\xff" + `"/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" / >`, `<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `"/ >`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" b:c="1" xml:lang="en" xmlns:b="urn:b"/>`,
	`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" a:b:c="1"/>`, `<a:b:c/>`, `<:a/>`, `<a:/>`, `<1a/>`, `<-a/>`, `<é/>`, `<aé/>`,
	`<_a.b-c:d_1/>`, `<a.b/>`, `< a/>`, `<a`, `<`, `</a>`, `<a></a></a>`, `<a>`, `<a/><b/>`, `<a/>trailing <junk`, `<a/>`,
	`<oadrPoll/>`, `<oadr:oadrPoll/>`, manyBindings(64), manyBindings(65),
	// Prolog.
	``, ` `, "\n\t ", `text`, `<?xml version="1.0" encoding="UTF-8"?><a/>`, `<?xml version="1.0" encoding="utf-8"?><a/>`,
	`<?xml version="1.0" encoding="Utf-8" standalone="yes"?><a/>`, `<?xml version='1.0' encoding='UTF-8'?><a/>`,
	`<?xml version="1.1"?><a/>`, `<?xml version=""?><a/>`, `<?xml encoding="ISO-8859-1"?><a>é</a>`,
	`<?xml version="1.0" encoding="latin1"?><a>` + "\xe9" + `</a>`, `<?xml encoding="EBCDIC"?><a/>`, `<?xml encoding="UTF-16"?><a/>`,
	`<?xml version="1.0"encoding="UTF-8"?><a/>`, `<?xml version="1.0" encoding="UTF-8"><a/>`, `<?xml?><a/>`, `<?xml-stylesheet x?><a/>`,
	`<?XML encoding="EBCDIC"?><a/>`, `<!-- c --><a/>`, `<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`, "\xef\xbb\xbf<a/>",
	"\xfe\xff\x00<\x00a\x00/\x00>", "\xff\xfe<\x00a\x00/\x00>\x00", "<\x00a\x00/\x00>\x00", `x<a/>`, ` <a/>`, `&amp;<a/>`,
	`&bad;<a/>`, `]]><a/>`, `<![CDATA[x]]><a/>`, `<![CDATA[ ]]><a/>`,
}

// manyBindings declares n prefixes, one of them for the message.
func manyBindings(n int) string {
	var b strings.Builder
	b.WriteString(`<p0:oadrPoll`)
	for i := range n {
		fmt.Fprintf(&b, ` xmlns:p%d="%s"`, i, oadr.NamespaceOADR)
	}
	b.WriteString(`><ei:venID xmlns:ei="` + oadr.NamespaceEI + `">V</ei:venID></p0:oadrPoll>`)
	return b.String()
}

func sampleDocs(tb testing.TB) [][]byte {
	files, err := filepath.Glob(filepath.Join(samplesDir(tb), "*", "*.xml"))
	require.NoError(tb, err)
	invalid, err := filepath.Glob(filepath.Join(samplesDir(tb), "invalid", "*", "*.xml"))
	require.NoError(tb, err)
	var docs [][]byte
	for _, name := range append(files, invalid...) {
		b, err := os.ReadFile(name)
		require.NoError(tb, err)
		docs = append(docs, b)
	}
	for _, fx := range fixtures() {
		b, err := oadr.Marshal(fx.msg)
		require.NoError(tb, err)
		docs = append(docs, b)
	}
	return docs
}

// checkScanner compares the scanner with encoding/xml on doc: its tokens must
// be the first tokens encoding/xml reads, and if it reads the whole document
// encoding/xml must too; the decoding must be the same, through Unmarshal
// and through Decode of readers that return the input piecemeal.
func checkScanner(t *testing.T, doc []byte) {
	t.Helper()
	toks, complete, again := oadr.ScannerTokens(doc)
	require.Equal(t, toks, again, "the scanner read the document differently the second time")
	ref, refErr := oadr.EncodingXMLTokens(doc)
	require.LessOrEqual(t, len(toks), len(ref), "the scanner read more than encoding/xml (which stopped with %v)", refErr)
	if len(toks) > 0 {
		require.Equal(t, ref[:len(toks)], toks, "tokens")
	}
	if complete {
		require.NoError(t, refErr, "the scanner accepted what encoding/xml refuses")
		require.Len(t, toks, len(ref))
	}

	want, wantErr := oadr.UnmarshalPayloadEncodingXML(doc)
	check := func(how string, p *oadr.Payload, err error) {
		t.Helper()
		sameError(t, wantErr, err, how)
		require.True(t, sameValue(reflect.ValueOf(want), reflect.ValueOf(p)),
			"%s: decoded\n%#v\nencoding/xml decoded\n%#v", how, p, want)
	}
	p, err := oadr.UnmarshalPayload(doc)
	check("UnmarshalPayload", p, err)
	p, err = oadr.DecodePayload(iotest.HalfReader(bytes.NewReader(doc)))
	check("DecodePayload(HalfReader)", p, err)
	p, err = oadr.DecodePayload(iotest.DataErrReader(bytes.NewReader(doc)))
	check("DecodePayload(DataErrReader)", p, err)
	p, err = oadr.DecodePayload(&chunkReader{data: doc})
	check("DecodePayload(chunkReader)", p, err)
}

// chunkReader returns 1, 2, … 13, 1, 2, … bytes per read.
type chunkReader struct {
	data []byte
	n    int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	r.n = r.n%13 + 1
	n := copy(p[:min(len(p), r.n)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// sameError requires errors that read, match and unwrap alike.
func sameError(t *testing.T, want, got error, how string) {
	t.Helper()
	if want == nil || got == nil {
		require.Equal(t, want, got, how)
		return
	}
	require.Equal(t, want.Error(), got.Error(), how)
	for _, sentinel := range []error{oadr.ErrMalformed, oadr.ErrUnknownMessage, oadr.ErrMissingElement, oadr.ErrInvalidValue, io.ErrUnexpectedEOF} {
		require.Equal(t, errors.Is(want, sentinel), errors.Is(got, sentinel), "%s: errors.Is %v", how, sentinel)
	}
	var wde, gde *oadr.DecodeError
	require.Equal(t, errors.As(want, &wde), errors.As(got, &gde), how)
	if wde != nil {
		require.Equal(t, wde.Element, gde.Element, how)
		require.Equal(t, wde.Path, gde.Path, how)
	}
	var wse, gse *xml.SyntaxError
	require.Equal(t, errors.As(want, &wse), errors.As(got, &gse), how)
	if wse != nil {
		require.Equal(t, *wse, *gse, how)
	}
}

// sameValue is reflect.DeepEqual for decoded messages, except that NaN
// equals NaN (a document may say NaN) and times compare as instants in the
// same location.
func sameValue(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	if a.Type() == reflect.TypeFor[time.Time]() {
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		return ta.Equal(tb) && ta.Location().String() == tb.Location().String()
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return a.Uint() == b.Uint()
	}
	panic("sameValue: unexpected kind " + a.Kind().String())
}

// TestScannerMatchesEncodingXML checks the edge cases; the seeds of
// FuzzScannerMatchesEncodingXML bring the samples.
func TestScannerMatchesEncodingXML(t *testing.T) {
	for _, doc := range edgeCases {
		t.Run("", func(t *testing.T) { checkScanner(t, []byte(doc)) })
	}
}

// TestScannerTruncated cuts documents at every byte: the scanner must give up
// on each (or encoding/xml must accept the document too).
func TestScannerTruncated(t *testing.T) {
	docs := []string{
		poll("a&amp;b<![CDATA[c]]><!--d-->\r\n"),
		`<?xml version="1.0" encoding="UTF-8"?><!--c--><oadrPoll xmlns="` + oadr.NamespaceOADR + `" a='x&lt;'><venID xmlns="` + oadr.NamespaceEI + `">é</venID></oadrPoll>`,
	}
	for _, doc := range docs {
		for n := range len(doc) + 1 {
			checkScanner(t, []byte(doc[:n]))
		}
	}
}

// TestTrickledInput: a source that returns a byte at a time is read into
// memory first, so a long token costs no rescanning.
func TestTrickledInput(t *testing.T) {
	venID := strings.Repeat("v", 256<<10)
	m, err := oadr.Decode(iotest.OneByteReader(strings.NewReader(poll(venID))))
	require.NoError(t, err)
	assert.Equal(t, &oadr.Poll{VenID: venID}, m)
}

// stuckReader returns its data, then nothing and no error, forever.
type stuckReader struct{ data []byte }

func (r *stuckReader) Read(p []byte) (int, error) {
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestReaderWithoutProgress: like bufio.Reader, the decoder gives up on a
// reader that keeps returning nothing.
func TestReaderWithoutProgress(t *testing.T) {
	for _, n := range []int{0, 10, 100} {
		p, err := oadr.DecodePayload(&stuckReader{[]byte(poll("V"))[:n]})
		require.ErrorIs(t, err, io.ErrNoProgress)
		assert.NotErrorIs(t, err, oadr.ErrMalformed)
		assert.Nil(t, p)
	}
}

// TestInputIsNotModified: the decoder reuses its buffers, never the caller's
// document.
func TestInputIsNotModified(t *testing.T) {
	doc := []byte(poll(strings.Repeat("V", 1000)))
	orig := bytes.Clone(doc)
	for range 3 {
		_, err := oadr.Unmarshal(doc[: len(doc) : len(doc)+0])
		require.NoError(t, err)
		_, err = oadr.Unmarshal(doc[:0:len(doc)])
		require.Error(t, err)
		_, err = oadr.Decode(strings.NewReader(poll("other" + strings.Repeat("x", 100))))
		require.NoError(t, err)
	}
	require.Equal(t, orig, doc)
}

// TestScannerHandlesTheSamples: the valid samples need encoding/xml only for
// what the scanner leaves to it on purpose.
func TestScannerHandlesTheSamples(t *testing.T) {
	leftToEncodingXML := map[string]string{
		"avob/xmlsignature_oadrPayload.xml": "UTF-16",
	}
	for _, rel := range validSampleFiles(t) {
		doc := readSample(t, rel)
		_, _, scanned := oadr.UnmarshalPayloadScanned(doc)
		if why, ok := leftToEncodingXML[rel]; ok {
			assert.False(t, scanned, "%s: %s", rel, why)
			continue
		}
		assert.True(t, scanned, "%s needs encoding/xml", rel)
	}
}

// TestDecodeIsFastForEveryFixture: what Marshal writes never needs
// encoding/xml.
func TestDecodeIsFastForEveryFixture(t *testing.T) {
	for _, fx := range fixtures() {
		b, err := oadr.Marshal(fx.msg)
		require.NoError(t, err)
		p, err, scanned := oadr.UnmarshalPayloadScanned(b)
		require.True(t, scanned, fx.name)
		require.NoError(t, err)
		assert.Equal(t, fx.msg, p.Message)
	}
}

func FuzzScannerMatchesEncodingXML(f *testing.F) {
	for _, doc := range sampleDocs(f) {
		f.Add(doc)
	}
	for _, doc := range edgeCases {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 1<<16 {
			return
		}
		checkScanner(t, doc)
	})
}
