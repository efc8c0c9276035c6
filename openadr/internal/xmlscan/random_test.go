package xmlscan_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/xmlscan"
)

// genDoc makes a random document of names drawn from nNames (more than
// the name cache holds, for 300), with prefixes rebound and the default
// namespace declared and undeclared, attributes, self-closing elements,
// and blanks, text and comments between the tags.
func genDoc(rng *rand.Rand, nNames int) string {
	var b strings.Builder
	prefixes := []string{"", "a:", "b:", "c:"}
	name := func() string {
		p := prefixes[rng.IntN(len(prefixes))]
		n := rng.IntN(nNames)
		l := []string{"x", "yy", "intervalx", "payloadFloatValue", "oadrReportPayloadLongerThan24"}[n%5]
		return fmt.Sprintf("%s%s%d", p, l, n)
	}
	var el func(depth int)
	el = func(depth int) {
		n := name()
		b.WriteString("<" + n)
		switch rng.IntN(8) {
		case 0:
			b.WriteString(fmt.Sprintf(` xmlns:a="urn:%d"`, rng.IntN(3)))
		case 1:
			b.WriteString(fmt.Sprintf(` xmlns="urn:%d"`, rng.IntN(3)))
		case 2:
			b.WriteString(` k="v"`)
		case 3:
			b.WriteString(` xmlns=""`)
		}
		if rng.IntN(5) == 0 {
			b.WriteString("/>")
			return
		}
		b.WriteString(">")
		if depth < 4 {
			for range rng.IntN(4) {
				if rng.IntN(3) == 0 {
					b.WriteString([]string{" ", "\n\t", "t", "<!--c-->"}[rng.IntN(4)])
				}
				el(depth + 1)
			}
		}
		b.WriteString("</" + n + ">")
	}
	b.WriteString(`<r xmlns:a="urn:a" xmlns:b="urn:b">`)
	for range 1 + rng.IntN(6) {
		el(1)
	}
	b.WriteString(`</r>`)
	return b.String()
}

// TestRandomDocuments reads thousands of random documents, some cut short,
// with Readers that keep what they learnt of the ones before (names.go),
// and requires the tokens encoding/xml reads, and the same walk with Child
// as with Next and Name, and with skipped elements, as new Readers.
func TestRandomDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var warm, warmChild, warmSkip xmlscan.Reader
	for it := range 4000 {
		nNames := []int{2, 6, 20, 300}[it%4]
		d := genDoc(rng, nNames)
		if it%7 == 0 {
			d = d[:rng.IntN(len(d)+1)]
		}
		in := []byte(d)
		var ref xmlscan.Reader
		ref.ResetEncodingXML(in)
		want, wantErr := read(t, &ref)
		warm.Reset(in)
		got, err := read(t, &warm)
		if wantErr == nil {
			require.NoError(t, err, "%q", d)
			require.Equal(t, want, got, "%q", d)
		} else if err == nil {
			t.Fatalf("%q: fast read succeeded where encoding/xml fails: %v", d, wantErr)
		}
		cold, _, _ := sameAsNew(t, &warmChild, in, walkNext, walkChild)
		require.Equal(t, cold.GaveUp(), warmChild.GaveUp())
		sameAsNew(t, &warmSkip, in, readSkipping, readSkipping)
	}
}

// declaringTags are start tags (without "<" and the end) that declare
// namespaces: the default one declared and undeclared, duplicates, URIs
// with entities and line ends, prefixes of eight and nine bytes, 40
// bindings (80, over maxBindings, when nested in itself).
var declaringTags = func() []string {
	many := "m:r"
	for k := range 40 {
		many += fmt.Sprintf(` xmlns:n%d="urn:%d"`, k, k%3)
	}
	return []string{
		`p:r xmlns:p="urn:1" xmlns="urn:d" k="v&amp;w" p:a='x'`,
		`r xmlns=""`, `r xmlns="urn:d"`, `r xmlns="urn:d" xmlns=""`,
		`abcdefghi:r xmlns:abcdefghi="urn:1" xmlns:abcdefghj="urn:2" abcdefghj:k="1"`,
		`abcdefgh:r xmlns:abcdefgh="urn:4" abcdefghi:k="1"`,
		`p:r xmlns:p="urn:1" xmlns:p="urn:2"`, `p:r xmlns:p="urn:&#49;" q:k="&lt;"`,
		"p:r xmlns:p=\"urn:\r\n1\" k='a\rb'", `p:r p:k="1" xmlns:p="urn:2" xmlns:q="urn:1"`,
		`q:r xmlns:q="urn:1"`, `q:r xmlns:q="urn:2"`, "p:r\n\txmlns:p = 'urn:1' ", many,
	}
}()

// genDeclaringDoc makes a document of the declaringTags, anywhere and
// again inside one another, and of elements and attributes whose prefixes
// they bind, or not.
func genDeclaringDoc(rng *rand.Rand) string {
	names := []string{"p:y", "q:y", "y", "abcdefghi:y", "abcdefgh:y", "n1:y", "m:y", "xml:y"}
	var b strings.Builder
	var el func(depth int)
	el = func(depth int) {
		name := names[rng.IntN(len(names))]
		tag := name
		switch rng.IntN(4) {
		case 0:
			tag = declaringTags[rng.IntN(len(declaringTags))]
			name = strings.Fields(tag)[0]
		case 1:
			tag += ` p:k="v" abcdefgh:k="w"`
		}
		b.WriteString("<" + tag)
		if rng.IntN(5) == 0 {
			b.WriteString("/>")
			return
		}
		b.WriteString(">")
		for range rng.IntN(4 - min(depth, 3)) {
			if rng.IntN(3) == 0 {
				b.WriteString([]string{" ", "t", "<!--c-->"}[rng.IntN(3)])
			}
			el(depth + 1)
		}
		b.WriteString("</" + name + ">")
	}
	b.WriteString([]string{"", `<?xml version="1.0"?>`, "<!-- x -->\n"}[rng.IntN(3)])
	el(0)
	return b.String()
}

// TestRandomRememberedTags: Readers that remember start tags (names.go)
// across documents, some cut short, with their interner changed and their
// memory released now and then, read the tokens a new Reader reads, and
// encoding/xml's.
func TestRandomRememberedTags(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var warm, warmLeaves xmlscan.Reader
	for it := range 5000 {
		d := genDeclaringDoc(rng)
		if it%5 == 0 {
			d = d[:rng.IntN(len(d)+1)]
		}
		switch it % 100 {
		case 31:
			warm.SetInterner(func(b []byte) string { return string(b) }, nil)
		case 67:
			warm.Release()
		}
		in := []byte(d)
		cold, want, wantErr := sameAsNew(t, &warm, in, tokens, tokens)
		require.Equal(t, cold.GaveUp(), warm.GaveUp(), "%q", d)
		sameAsNew(t, &warmLeaves, in, tokens, leafTokens)
		if wantErr == nil {
			var ref xmlscan.Reader
			ref.ResetEncodingXML(in)
			x, err := read(t, &ref)
			require.NoError(t, err, "%q", d)
			require.Equal(t, x, want, "%q", d)
		}
	}
}
