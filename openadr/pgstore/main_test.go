package pgstore_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain says loudly, once, when the PostgreSQL tests do not run: a quiet
// "ok" would hide that nothing was tested.
func TestMain(m *testing.M) {
	if os.Getenv(envURL) == "" && os.Getenv("CI") != "true" {
		fmt.Fprintln(os.Stderr, "gridwire: skipped PostgreSQL store tests: "+envURL+
			" is not set; set it to a database URL, or run bash .ci/run, which starts PostgreSQL")
	}
	// Listen runs in goroutines of the tests' own; none may outlive them.
	goleak.VerifyTestMain(m)
}
