package oadrsig_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestMain says in one line which conformance tests did not run for want
// of the shared corpus or xmllint: a skip is never a silent pass.
func TestMain(m *testing.M) {
	code := m.Run()
	skips.Lock()
	if skips.n > 0 {
		fmt.Fprintf(os.Stderr, "gridwire: skipped %d OpenADR conformance tests: %s; "+
			"to run them, put the OpenADR schema and samples in ../shared/openadr beside the module (or set GRIDWIRE_SHARED) "+
			"and install xmllint (apt-get install libxml2-utils); CI=true makes their absence a failure\n",
			skips.n, strings.Join(skips.reasons, " and "))
	}
	skips.Unlock()
	os.Exit(code)
}

var skips struct {
	sync.Mutex
	n       int
	reasons []string
}

// skipConformance skips a test that needs what is missing, or fails it
// under CI=true.
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

// openadrDir locates the shared OpenADR schema and samples:
// $GRIDWIRE_SHARED/openadr, else shared/openadr beside the module.
func openadrDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("GRIDWIRE_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	dir = filepath.Join(dir, "openadr")
	if _, err := os.Stat(filepath.Join(dir, "schema", "oadr_20b.xsd")); err != nil {
		abs, _ := filepath.Abs(dir)
		skipConformance(tb, "no OpenADR schema and samples at "+abs)
	}
	return dir
}

// xmllint validates docs against oadr_20b.xsd and returns xmllint's output
// for each document that fails ("" when it validates).
func xmllint(tb testing.TB, docs ...[]byte) []string {
	tb.Helper()
	schema := filepath.Join(openadrDir(tb), "schema", "oadr_20b.xsd")
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		skipConformance(tb, "xmllint not found")
	}
	out := make([]string, len(docs))
	for i, doc := range docs {
		p := filepath.Join(tb.TempDir(), fmt.Sprintf("%d.xml", i))
		if err := os.WriteFile(p, doc, 0o600); err != nil {
			tb.Fatal(err)
		}
		res, err := exec.Command(bin, "--noout", "--schema", schema, p).CombinedOutput()
		if err != nil || !strings.Contains(string(res), p+" validates") {
			out[i] = string(res)
		}
	}
	return out
}
