package ven_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
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
		tb.Logf("XSD validation skipped: %s: %v", what, err)
	}
	dir := os.Getenv("GRIDWIRE_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	xsd := filepath.Join(dir, "openadr", "schema", "oadr_20b.xsd")
	if _, err := os.Stat(xsd); err != nil {
		missing("schema", err)
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
