// Package conformance gives gridwire's OpenADR tests the official 2.0b
// schema and the sample corpus (kept in this package's testdata, with their
// sources and licences), validation of documents with xmllint, and one way
// to say what did not run.
//
// The corpus ships with the repository, so only xmllint can be missing
// (Debian: apt-get install libxml2-utils). A test that needs it then skips,
// the package's TestMain prints one line saying how many tests skipped and
// how to run them, and under CI=true the skip is a failure instead.
package conformance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// dir is this package's folder, found from the source file so that tests in
// any package (and any working directory) reach the corpus.
var dir = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("conformance: cannot locate the corpus")
	}
	return filepath.Dir(file)
}()

// Schema returns the path of the 2.0b schema, oadr_20b.xsd.
func Schema() string { return filepath.Join(dir, "testdata", "schema", "oadr_20b.xsd") }

// Samples returns the folder of the sample messages (see its README.md).
func Samples() string { return filepath.Join(dir, "testdata", "samples") }

// ReadSample returns the sample at rel, a path under Samples.
func ReadSample(tb testing.TB, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(Samples(), filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// CI reports whether the tests run in CI (CI=true), where nothing may skip.
func CI() bool { return os.Getenv("CI") == "true" }

// Skips counts the conformance tests of one package run that skipped.
type Skips struct {
	mu      sync.Mutex
	tests   map[string]bool
	reasons []string
}

// Skip skips tb for reason, or fails it under CI=true.
func (s *Skips) Skip(tb testing.TB, reason string) {
	tb.Helper()
	if CI() {
		tb.Fatalf("%s (CI=true: the OpenADR conformance tests must run)", reason)
	}
	s.Note(tb.Name(), reason)
	tb.Skip(reason)
}

// Note records that test left out its conformance part for reason, without
// skipping the rest of it.
func (s *Skips) Note(test, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tests == nil {
		s.tests = map[string]bool{}
	}
	s.tests[test] = true
	for _, r := range s.reasons {
		if r == reason {
			return
		}
	}
	s.reasons = append(s.reasons, reason)
}

// Line returns the one line a package run prints when conformance checks
// did not run, or "" when all ran. Every gridwire package uses this form.
func (s *Skips) Line() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.tests) == 0 {
		return ""
	}
	// Each reason names the missing tool and how to install it.
	return fmt.Sprintf("gridwire: skipped %d OpenADR conformance tests: %s; CI=true makes that a failure",
		len(s.tests), strings.Join(s.reasons, " and "))
}

// Print writes Line to stderr when something skipped; TestMain calls it.
func (s *Skips) Print() {
	if l := s.Line(); l != "" {
		fmt.Fprintln(os.Stderr, l)
	}
}

// Xmllint returns the path of xmllint, or an error saying it is missing.
func Xmllint() (string, error) {
	p, err := exec.LookPath("xmllint")
	if err != nil {
		return "", fmt.Errorf("no xmllint on PATH (Debian: apt-get install libxml2-utils)")
	}
	return p, nil
}

// Validate checks documents (file name → bytes) against the 2.0b schema
// with xmllint, in batches, and returns the names of those that fail with
// xmllint's messages about them. It returns an error only when xmllint
// cannot be run.
func Validate(docs map[string][]byte) (failures map[string]string, err error) {
	bin, err := Xmllint()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "gridwire-xsd")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	byPath := map[string]string{}
	var paths []string
	for name, b := range docs {
		p := filepath.Join(tmp, fmt.Sprintf("%d.xml", len(paths)))
		if err := os.WriteFile(p, b, 0o600); err != nil {
			return nil, err
		}
		byPath[p] = name
		paths = append(paths, p)
	}
	sort.Strings(paths)
	failures = map[string]string{}
	for len(paths) > 0 {
		n := min(len(paths), 200)
		batch := paths[:n]
		paths = paths[n:]
		out, runErr := exec.Command(bin, append([]string{"--noout", "--schema", Schema()}, batch...)...).CombinedOutput()
		if runErr == nil {
			continue
		}
		if _, ok := runErr.(*exec.ExitError); !ok {
			return nil, fmt.Errorf("running xmllint: %w", runErr)
		}
		for _, line := range strings.Split(string(out), "\n") {
			for _, p := range batch {
				if strings.HasPrefix(line, p) && !strings.HasSuffix(line, " validates") {
					failures[byPath[p]] += strings.TrimPrefix(line, p) + "\n"
				}
			}
		}
		if len(failures) == 0 {
			return nil, fmt.Errorf("xmllint failed: %s", out)
		}
	}
	return failures, nil
}
