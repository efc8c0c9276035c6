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
	doc := []byte(`<oadr:r xmlns:oadr="urn:o" xmlns:ei="urn:e" xmlns:xcal="urn:x"><strm:intervals>` + strings.Repeat(interval, 3) + `</strm:intervals></oadr:r>`)
	var r Reader
	for round := range 2 {
		r.Reset(doc)
		predicted, starts := 0, 0
		for {
			k, err := r.Next(false)
			if err != nil {
				require.ErrorContains(t, err, "EOF")
				break
			}
			if k == StartElement {
				starts++
				if r.s.hit != 0 {
					predicted++
				}
				_ = r.Name()
			}
		}
		if round == 1 {
			assert.Equal(t, starts-1, predicted)
		}
	}
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
