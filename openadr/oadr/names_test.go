package oadr

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInternedNames: every local name the decoding code matches is interned,
// so that decoding it does not allocate. The names are the string literals
// passed to oadrN, eiN, …, given as Local in an xml.Name, compared with or
// switched on a .Local, and the ItemKind constants.
func TestInternedNames(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	qualifiers := map[string]bool{"oadrN": true, "eiN": true, "pyldN": true, "emixN": true, "powerN": true, "scaleN": true, "xcalN": true, "strmN": true, "gmlN": true}
	isLocal := func(e ast.Expr) bool {
		sel, ok := e.(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Local"
	}
	want := map[string]bool{}
	add := func(e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			want[s] = true
		}
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && qualifiers[id.Name] && len(n.Args) == 1 {
					add(n.Args[0])
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Local" {
					add(n.Value)
				}
			case *ast.BinaryExpr:
				if n.Op == token.EQL || n.Op == token.NEQ {
					if isLocal(n.X) {
						add(n.Y)
					}
					if isLocal(n.Y) {
						add(n.X)
					}
				}
			case *ast.SwitchStmt:
				if n.Tag != nil && isLocal(n.Tag) {
					for _, c := range n.Body.List {
						for _, e := range c.(*ast.CaseClause).List {
							add(e)
						}
					}
				}
			case *ast.ValueSpec:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "ItemKind" {
					for _, v := range n.Values {
						add(v)
					}
				}
			}
			return true
		})
	}
	require.GreaterOrEqual(t, len(want), 150, "found only %d names; has the decoding code changed shape?", len(want))
	// The empty name and the scanner's own "xmlns" are not names to intern.
	for _, name := range []string{"", "xmlns"} {
		delete(want, name)
	}
	for name := range want {
		_, ok := localNames[name]
		assert.True(t, ok, "%q is not in knownLocalNames", name)
	}
	for _, name := range knownLocalNames {
		assert.True(t, want[name], "knownLocalNames lists %q, which the decoding code does not use", name)
	}
}

// TestInternedValues: every constant of the enumerated types is interned.
func TestInternedValues(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	enumTypes := map[string]bool{}
	for _, name := range strings.Fields("EventStatus ResponseRequired OptType OptReason SignalName SignalType ReportName ReportType ReadingType DataQuality SIScaleCode TemperatureUnit ProfileName TransportName") {
		enumTypes[name] = true
	}
	fset := token.NewFileSet()
	found := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				if id, ok := vs.Type.(*ast.Ident); ok && enumTypes[id.Name] {
					for _, v := range vs.Values {
						s, err := strconv.Unquote(v.(*ast.BasicLit).Value)
						require.NoError(t, err)
						found[s] = true
						_, ok := knownValues[s]
						assert.True(t, ok, "%s value %q is not in enumValues", id.Name, s)
					}
				}
			}
			return true
		})
	}
	assert.Equal(t, len(enumValues), len(found), "found %d values, enumValues lists %d", len(found), len(enumValues))
}

func TestLocalNameDoesNotAllocate(t *testing.T) {
	b := []byte("oadrReportPayload")
	n := testing.AllocsPerRun(100, func() { _ = localName(b) })
	assert.Zero(t, n, "localName allocates %v times", n)
	s := localName([]byte("unknown"))
	assert.Equal(t, "unknown", s, "localName(unknown) = %q", s)
}

func BenchmarkLocalName(b *testing.B) {
	names := [][]byte{[]byte("interval"), []byte("dtstart"), []byte("date-time"), []byte("oadrReportPayload"), []byte("rID"), []byte("payloadFloat"), []byte("value")}
	for b.Loop() {
		for _, n := range names {
			_ = localName(n)
		}
	}
}

// TestInternTables: the tables find every known string, and nothing else.
func TestInternTables(t *testing.T) {
	for _, set := range []struct {
		table *internTable
		all   map[string]string
	}{{nameTable, localNames}, {valueTable, knownValues}} {
		for s := range set.all {
			got, ok := set.table.get([]byte(s), set.all)
			assert.True(t, ok && got == s, "%q", s)
			for _, other := range []string{s + "x", s[:len(s)-1], "x" + s[1:]} {
				if other == "" {
					continue // found, as the empty string of a free place
				}
				got, ok := set.table.get([]byte(other), set.all)
				_, known := set.all[other]
				assert.Equal(t, known, ok, "%q", other)
				if ok {
					assert.Equal(t, other, got)
				}
			}
		}
	}
}
