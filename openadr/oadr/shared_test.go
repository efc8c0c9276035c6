package oadr_test

import (
	"os"
	"testing"

	"github.com/gridwire/gridwire/openadr/internal/conformance"
)

// skips counts the conformance tests that could not run (no xmllint).
var skips conformance.Skips

// TestMain runs the tests, then says in one line which conformance tests
// did not run: a skip is never a silent pass.
func TestMain(m *testing.M) {
	code := m.Run()
	skips.Print()
	os.Exit(code)
}

// skipConformance skips a test that needs what is missing, or fails it
// under CI=true, where nothing may be missing.
func skipConformance(tb testing.TB, reason string) {
	tb.Helper()
	skips.Skip(tb, reason)
}

// xmllint returns the path of xmllint and the schema.
func xmllint(tb testing.TB) (bin, schema string) {
	tb.Helper()
	bin, err := conformance.Xmllint()
	if err != nil {
		skipConformance(tb, err.Error())
	}
	return bin, conformance.Schema()
}

func samplesDir(testing.TB) string { return conformance.Samples() }

func readSample(tb testing.TB, rel string) []byte {
	tb.Helper()
	return conformance.ReadSample(tb, rel)
}
