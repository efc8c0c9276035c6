package ven_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a goroutine behind, and says in one
// line on stderr how many conformance tests skipped for want of the shared
// OpenADR data or xmllint (a skip is otherwise easy to miss: go test says
// ok).
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	if n := countSkips(); n > 0 {
		why, _ := skipReason.Load().(string)
		fmt.Fprintf(os.Stderr, "gridwire: skipped %d OpenADR conformance tests: %s; "+
			"to run them, put the OpenADR schema and samples in ../shared/openadr beside the module (or set GRIDWIRE_SHARED) "+
			"and install xmllint (apt-get install libxml2-utils); CI=true makes their absence a failure\n", n, why)
	}
	os.Exit(code)
}

// skipped holds the names of the tests that skipped their conformance part;
// skipReason is the first reason.
var (
	skipped    sync.Map
	skipReason atomic.Value
)

func noteSkip(tb testing.TB, reason string) {
	skipped.Store(tb.Name(), true)
	skipReason.CompareAndSwap(nil, reason)
}

func countSkips() int {
	n := 0
	skipped.Range(func(any, any) bool { n++; return true })
	return n
}

// sharedDir locates the project's shared data (schema and samples): shared/
// beside the module root, or $GRIDWIRE_SHARED. Without it the test is
// skipped, except in CI (CI=true), where a missing folder is a failure.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("GRIDWIRE_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "openadr", "schema", "oadr_20b.xsd")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared data not found at %s (set GRIDWIRE_SHARED): %v", dir, err)
		}
		abs, _ := filepath.Abs(filepath.Join(dir, "openadr"))
		noteSkip(tb, "no OpenADR schema and samples at "+abs)
		tb.Skipf("shared data not found at %s (set GRIDWIRE_SHARED): %v", dir, err)
	}
	return dir
}

// readSample returns a file of shared/openadr/samples.
func readSample(tb testing.TB, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir(tb), "openadr", "samples", rel))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// validateXSD checks documents against the official 2.0b schema with
// xmllint, in one run. Without xmllint or the schema the check is skipped
// (with a log line) except in CI, where it fails.
func validateXSD(tb testing.TB, docs map[string][]byte) {
	tb.Helper()
	if len(docs) == 0 {
		return
	}
	missing := func(what string, err error) {
		if os.Getenv("CI") == "true" {
			tb.Errorf("XSD validation impossible: %s: %v", what, err)
			return
		}
		noteSkip(tb, "no "+what+" for the XSD check")
		tb.Logf("XSD validation skipped: %s: %v", what, err)
	}
	dir := os.Getenv("GRIDWIRE_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	xsd := filepath.Join(dir, "openadr", "schema", "oadr_20b.xsd")
	if _, err := os.Stat(xsd); err != nil {
		abs, _ := filepath.Abs(xsd)
		missing("OpenADR schema at "+abs, err)
		return
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		missing("xmllint", err)
		return
	}
	tmp := tb.TempDir()
	args := []string{"--noout", "--schema", xsd}
	for name, b := range docs {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			tb.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command(xmllint, args...).CombinedOutput()
	if err != nil {
		var bad []string
		for _, line := range strings.Split(string(out), "\n") {
			if line != "" && !strings.HasSuffix(line, " validates") {
				bad = append(bad, line)
			}
		}
		tb.Errorf("messages the VEN sent fail the XSD (%v):\n%s", err, strings.Join(bad, "\n"))
	}
}

// docName names a captured message file: its order and element name.
func docName(i int, name string) string { return fmt.Sprintf("%03d_%s.xml", i, name) }
