package ven_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/openadr/internal/conformance"
	"github.com/stretchr/testify/assert"
)

// TestMain checks that no test leaves a goroutine behind, and says in one
// line on stderr how many conformance tests skipped for want of xmllint (a
// skip is otherwise easy to miss: go test says ok).
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	skips.Print()
	os.Exit(code)
}

// skips counts the tests that left out their conformance part.
var skips conformance.Skips

// readSample returns a file of the OpenADR sample corpus.
func readSample(tb testing.TB, rel string) []byte {
	tb.Helper()
	return conformance.ReadSample(tb, rel)
}

// validateXSD checks documents against the official 2.0b schema with
// xmllint, in one run. Without xmllint the check is left out (and counted
// for the skip line) except in CI, where it fails.
func validateXSD(tb testing.TB, docs map[string][]byte) {
	tb.Helper()
	if len(docs) == 0 {
		return
	}
	failures, err := conformance.Validate(docs)
	if err != nil {
		if conformance.CI() {
			assert.Fail(tb, "XSD validation impossible", "%v", err)
			return
		}
		skips.Note(tb.Name(), err.Error())
		tb.Logf("XSD validation skipped: %v", err)
		return
	}
	for name, why := range failures {
		assert.Fail(tb, name+", which the VEN sent, fails the XSD", why)
	}
}

// docName names a captured message file: its order and element name.
func docName(i int, name string) string { return fmt.Sprintf("%03d_%s.xml", i, name) }
