package xmlscan_test

// Calls outside the order a decoder makes them (Name after an end element
// or before any token, SetInterner inside a document) must neither panic
// nor change a token.

import (
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/xmlscan"
)

// TestSetInternerMidDocument: SetInterner between the tokens of a
// document, before or after a predicted start element's name is asked
// for, drops the names the Reader has cached (names.go) and changes no
// token; the names then come from the new interner.
func TestSetInternerMidDocument(t *testing.T) {
	var r xmlscan.Reader
	for round := range 2 { // the second round reads predicted start tags
		for i, d := range shapes {
			var ref xmlscan.Reader
			ref.ResetEncodingXML([]byte(d))
			want, err := read(t, &ref)
			require.NoError(t, err)
			r.Reset([]byte(d))
			var got []token
			for depth, starts := 0, 0; ; {
				k, err := r.Next(true)
				require.NoError(t, err, "round %d, document %d", round, i)
				tok := token{kind: k}
				switch k {
				case xmlscan.StartElement:
					depth++
					starts++
					calls := 0
					if round == 1 && starts == 3 { // a predicted start tag
						r.SetInterner(func(b []byte) string { calls++; return string(b) }, nil)
					}
					tok.name = r.Name()
					tok.attrs = r.AppendAttrs(nil)
					if round == 1 && starts == 3 {
						require.Equal(t, 1, calls, "document %d: the name is not the new interner's", i)
					}
					if round == 1 && starts == 5 { // then ends, and predicted start tags
						r.SetInterner(nil, nil)
					}
				case xmlscan.EndElement:
					depth--
				case xmlscan.CharData:
					tok.text = string(r.AppendText(nil))
				}
				got = append(got, tok)
				if depth == 0 {
					break
				}
			}
			require.Equal(t, want, got, "round %d, document %d", round, i)
		}
	}
}

// TestNameAfterEnd: after an end element Name still returns the last
// start element's name, as with encoding/xml (while the bindings it was
// resolved under are in scope), whether or not it was asked for at the
// start and whether or not the start was predicted; and it does not panic
// after the root's end or after ErrFallback.
func TestNameAfterEnd(t *testing.T) {
	docs := []string{`<x/>`, `<x></x>`, `<x></x><`, `<r><x/></r>`, `<r><x></x><y/></r>`,
		`<r xmlns:a="urn:a"><a:y></a:y><a:y></a:y></r>`, `<r xmlns:a="urn:a"><a:y></a:y><a:y></a:y></r><`}
	var fast xmlscan.Reader
	for round := range 2 {
		for _, d := range docs {
			for _, atStart := range []bool{false, true} {
				var names [2][]xml.Name
				var ref xmlscan.Reader
				fast.Reset([]byte(d))
				ref.ResetEncodingXML([]byte(d))
				for i, r := range []*xmlscan.Reader{&fast, &ref} {
					for depth := 0; ; {
						k, err := r.Next(false)
						if err != nil {
							break
						}
						if k == xmlscan.StartElement {
							depth++
						} else {
							depth--
						}
						if (k == xmlscan.EndElement || atStart) && depth > 0 {
							names[i] = append(names[i], r.Name())
						}
					}
				}
				require.Equal(t, names[1], names[0], "round %d, %q, asked at the start: %v", round, d, atStart)
				require.NotPanics(t, func() { fast.Name() }, "round %d, %q, asked at the start: %v", round, d, atStart)
			}
		}
	}
}

// TestNameBeforeNext: asking for a name before any token is read does not
// panic.
func TestNameBeforeNext(t *testing.T) {
	var r xmlscan.Reader
	r.Reset([]byte(`<a:x xmlns:a="urn:1"/>`))
	require.NotPanics(t, func() { r.Name() })
}

// TestSetInternerKeepsGenerations: SetInterner inside a document must not
// let the next cache hand out a generation the bindings in scope already
// carry.
func TestSetInternerKeepsGenerations(t *testing.T) {
	var r xmlscan.Reader
	r.Reset([]byte(`<a:x xmlns:a="urn:1"><a:y xmlns:a="urn:2"><a:z/></a:y><a:z/></a:x>`))
	var names []xml.Name
	for {
		k, err := r.Next(false)
		if err != nil {
			break
		}
		if k == xmlscan.StartElement {
			names = append(names, r.Name())
			if len(names) == 1 {
				r.SetInterner(nil, nil)
			}
		}
	}
	require.Equal(t, []xml.Name{{Space: "urn:1", Local: "x"}, {Space: "urn:2", Local: "y"}, {Space: "urn:2", Local: "z"}, {Space: "urn:1", Local: "z"}}, names)
}
