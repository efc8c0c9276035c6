package oadrsig_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/gridwire/gridwire/openadr/internal/conformance"
	"github.com/stretchr/testify/require"
)

// skips counts the conformance tests that could not run (no xmllint).
var skips conformance.Skips

// TestMain says in one line which conformance tests did not run: a skip is
// never a silent pass.
func TestMain(m *testing.M) {
	code := m.Run()
	skips.Print()
	os.Exit(code)
}

// xmllint validates docs against oadr_20b.xsd and returns xmllint's output
// for each document that fails ("" when it validates).
func xmllint(tb testing.TB, docs ...[]byte) []string {
	tb.Helper()
	if _, err := conformance.Xmllint(); err != nil {
		skips.Skip(tb, err.Error())
	}
	named := make(map[string][]byte, len(docs))
	for i, doc := range docs {
		named[fmt.Sprint(i)] = doc
	}
	failures, err := conformance.Validate(named)
	require.NoError(tb, err)
	out := make([]string, len(docs))
	for i := range docs {
		out[i] = failures[fmt.Sprint(i)]
	}
	return out
}
