package oadr_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestMain runs the tests, then says in one line which conformance tests
// did not run for want of the shared corpus or xmllint: a skip is never a
// silent pass.
func TestMain(m *testing.M) {
	code := m.Run()
	if n, reason := conformanceSkips(); n > 0 {
		fmt.Fprintln(os.Stderr, skippedLine(n, reason))
	}
	os.Exit(code)
}

// skippedLine is the one line a package run prints when conformance checks
// did not run, in the form every gridwire package uses.
func skippedLine(n int, reason string) string {
	return fmt.Sprintf("gridwire: skipped %d OpenADR conformance tests: %s; "+
		"to run them, put the OpenADR schema and samples in ../shared/openadr beside the module (or set GRIDWIRE_SHARED) "+
		"and install xmllint (apt-get install libxml2-utils); CI=true makes their absence a failure", n, reason)
}

// skips counts the conformance tests skipped, with their distinct reasons.
var skips struct {
	sync.Mutex
	n       int
	reasons []string
}

// skipConformance skips a test that needs what is missing, or fails it
// under CI=true, where nothing may be missing.
func skipConformance(tb testing.TB, reason string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s (CI=true: the OpenADR conformance tests must run)", reason)
	}
	skips.Lock()
	skips.n++
	found := false
	for _, r := range skips.reasons {
		found = found || r == reason
	}
	if !found {
		skips.reasons = append(skips.reasons, reason)
	}
	skips.Unlock()
	tb.Skip(reason)
}

func conformanceSkips() (int, string) {
	skips.Lock()
	defer skips.Unlock()
	return skips.n, strings.Join(skips.reasons, " and ")
}

// sharedDir locates the project's shared data (schema and samples): the
// repository's parent holds shared/ beside the module; GRIDWIRE_SHARED
// overrides that.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("GRIDWIRE_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "openadr", "schema", "oadr_20b.xsd")); err != nil {
		abs, _ := filepath.Abs(filepath.Join(dir, "openadr"))
		skipConformance(tb, "no OpenADR schema and samples at "+abs)
	}
	return dir
}

// xmllint returns the path of xmllint and the schema.
func xmllint(tb testing.TB) (bin, schema string) {
	tb.Helper()
	schema = filepath.Join(sharedDir(tb), "openadr", "schema", "oadr_20b.xsd")
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		skipConformance(tb, "xmllint not found")
	}
	return bin, schema
}

func samplesDir(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(sharedDir(tb), "openadr", "samples")
}

func readSample(tb testing.TB, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(samplesDir(tb), rel))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
