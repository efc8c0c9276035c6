package xmlscan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShapesArePredicted: once a Reader has read a document, the start
// tags without attributes of the next one like it are predicted, all but
// the root's (the root has no parent or sibling to predict it from).
func TestShapesArePredicted(t *testing.T) {
	interval := `<ei:interval><xcal:dtstart><xcal:date-time>2025-06-01T12:05:00Z</xcal:date-time></xcal:dtstart>` +
		`<xcal:duration><xcal:duration>PT1M</xcal:duration></xcal:duration>` +
		`<oadr:oadrReportPayload><ei:rID>r</ei:rID><ei:payloadFloat><ei:value>1</ei:value></ei:payloadFloat></oadr:oadrReportPayload></ei:interval>`
	body := `<strm:intervals>` + strings.Repeat(interval, 3) + `</strm:intervals>`
	root := `<oadr:r xmlns:oadr="urn:o" xmlns:ei="urn:e" xmlns:xcal="urn:x">`
	t.Run("plain", func(t *testing.T) {
		// All but the root, which is replayed.
		assert.Equal(t, 1, unpredicted(t, root+body+`</oadr:r>`))
	})
	t.Run("signed", func(t *testing.T) {
		// A tag inside that declares namespaces too (a signature) is read
		// anew, but leaves the root's memory, and so its generation and
		// the predictions under it, as they were.
		assert.Equal(t, 2, unpredicted(t, root+body+`<ds:Signature xmlns:ds="urn:ds"><ds:SignedInfo>x</ds:SignedInfo></ds:Signature></oadr:r>`))
	})
}

// unpredicted reads doc twice with one Reader and returns how many start
// tags of the second reading were not predicted.
func unpredicted(t *testing.T, doc string) int {
	var r Reader
	n := 0
	for range 2 {
		r.Reset([]byte(doc))
		n = 0
		for {
			k, err := r.Next(false)
			if err != nil {
				require.ErrorContains(t, err, "EOF")
				break
			}
			if k == StartElement {
				if r.s.current() == 0 {
					n++
				}
				_ = r.Name()
			}
		}
	}
	return n
}

// TestSameName: sameName is string equality, at every length and wherever
// two names differ.
func TestSameName(t *testing.T) {
	for n := range 40 {
		a := []byte(strings.Repeat("x", n))
		require.True(t, sameName(a, []byte(string(a))), "length %d", n)
		for i := range n {
			b := []byte(string(a))
			b[i] = 'y'
			require.False(t, sameName(a, b), "length %d, byte %d", n, i)
		}
	}
}
