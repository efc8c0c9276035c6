package oadr_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// update rewrites the golden files: go test ./openadr/oadr -run Golden -update.
// Only after a deliberate change of the output.
var update = flag.Bool("update", false, "rewrite testdata/golden from the current encoder")

// TestGoldenFixtures holds the encoder to the bytes it wrote before: a
// refactoring of the codec must not change a single byte of any message.
func TestGoldenFixtures(t *testing.T) {
	for _, fx := range fixtures() {
		b, err := oadr.Marshal(fx.msg)
		require.NoError(t, err, fx.name)
		checkGolden(t, filepath.Join("fixtures", strings.ReplaceAll(fx.name, "/", "_")+".xml"), b)
	}
}

// TestGoldenSamples does the same for every valid sample of the corpus,
// decoded and encoded again (GreenButton content, which Marshal refuses,
// excepted).
func TestGoldenSamples(t *testing.T) {
	for _, rel := range validSampleFiles(t) {
		msg, err := oadr.Unmarshal(readSample(t, rel))
		require.NoError(t, err, rel)
		b, err := oadr.Marshal(msg)
		if _, ok := errors.AsType[*oadr.EncodeError](err); ok && hasGreenButton(msg) {
			continue
		}
		require.NoError(t, err, rel)
		checkGolden(t, filepath.Join("samples", rel), b)
	}
}

func checkGolden(t *testing.T, rel string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", filepath.FromSlash(rel))
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file; run with -update once the output is right")
	assert.Equal(t, string(want), string(got), rel)
}
