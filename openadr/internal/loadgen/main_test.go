package main

import (
	"bytes"
	"context"
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
