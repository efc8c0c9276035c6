package xmlscan_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/xmlscan"
)

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
		var cold xmlscan.Reader
		cold.Reset(in)
		want, wantErr := read(t, &cold)
		warm.Reset(in)
		got, err := read(t, &warm)
		require.Equal(t, wantErr, err, "%q", d)
		require.Equal(t, want, got, "%q", d)
		require.Equal(t, cold.GaveUp(), warm.GaveUp(), "%q", d)
		warmLeaves.Reset(in)
		got, err = readLeaves(t, &warmLeaves)
		require.Equal(t, wantErr, err, "%q", d)
		require.Equal(t, want, got, "%q", d)
		if wantErr == nil {
			var ref xmlscan.Reader
			ref.ResetEncodingXML(in)
			x, err := read(t, &ref)
			require.NoError(t, err, "%q", d)
			require.Equal(t, x, want, "%q", d)
		}
	}
}
