package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadgenComparesBothHandlers(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"-c", "2", "-d", "100ms"}, &out, &errs)
	require.Equal(t, 0, code, errs.String())
	for _, want := range []string{"report vtn ", "report bare", "report vtn/bare", "poll   vtn ", "poll   bare", "poll   vtn/bare"} {
		assert.Contains(t, out.String(), want)
	}
}

func TestLoadgenUsage(t *testing.T) {
	var out, errs bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, &out, &errs))
	assert.Contains(t, errs.String(), "loadgen: drive the OpenADR VTN")
	assert.Equal(t, 2, run(context.Background(), []string{"-msg", "nonsense"}, &out, &errs))
	assert.Equal(t, 2, run(context.Background(), []string{"-c", "0"}, &out, &errs))
}

// -cpuprofile writes a profile (gzipped protobuf, as pprof reads it); a
// file it cannot create is an error before any load.
func TestLoadgenCPUProfile(t *testing.T) {
	var out, errs bytes.Buffer
	prof := filepath.Join(t.TempDir(), "cpu.prof")
	require.Equal(t, 0, run(context.Background(), []string{"-msg", "poll", "-c", "1", "-d", "50ms", "-cpuprofile", prof}, &out, &errs), errs.String())
	b, err := os.ReadFile(prof)
	require.NoError(t, err)
	require.Greater(t, len(b), 2)
	assert.Equal(t, []byte{0x1f, 0x8b}, b[:2], "a gzipped profile")

	errs.Reset()
	assert.Equal(t, 1, run(context.Background(), []string{"-cpuprofile", filepath.Join(t.TempDir(), "missing", "cpu.prof")}, &out, &errs))
	assert.Contains(t, errs.String(), "loadgen: ")
}
