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
		var cold xmlscan.Reader
		cold.Reset(in)
		wantC, errC := walk(&cold, nextChild)
		warmChild.Reset(in)
		gotC, err := walk(&warmChild, (*xmlscan.Reader).Child)
		require.Equal(t, errC, err, "%q", d)
		require.Equal(t, wantC, gotC, "%q", d)
		require.Equal(t, cold.GaveUp(), warmChild.GaveUp())
		var cold2 xmlscan.Reader
		cold2.Reset(in)
		wantS, errS := readSkipping(&cold2)
		warmSkip.Reset(in)
		gotS, err := readSkipping(&warmSkip)
		require.Equal(t, errS, err, "%q", d)
		require.Equal(t, wantS, gotS, "%q", d)
	}
}
