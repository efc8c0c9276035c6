package oadr_test

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir locates the project's shared data (schema and samples). The
// repository's parent holds shared/ beside main/ in development and in CI; the
// GRIDWIRE_SHARED variable overrides that. Without it the test is skipped,
// except in CI (CI=true), where a missing folder is a failure.
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
