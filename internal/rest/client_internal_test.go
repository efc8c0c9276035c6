package rest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDefaultTimeout: without an HTTPClient of the caller's, requests are
// bounded by DefaultTimeout, so a server that never answers cannot hang a
// caller whose context has no deadline. A caller's client is used with its
// own settings, through a copy that only adds the redirect check, so the
// caller's value is not changed.
func TestDefaultTimeout(t *testing.T) {
	assert.Equal(t, DefaultTimeout, New(Config{Vendor: "test"}).r.GetClient().Timeout)
	tr := &http.Transport{}
	hc := &http.Client{Timeout: 7, Transport: tr}
	got := New(Config{Vendor: "test", HTTPClient: hc}).r.GetClient()
	assert.NotSame(t, hc, got)
	assert.Equal(t, hc.Timeout, got.Timeout)
	assert.Same(t, tr, got.Transport)
	assert.NotNil(t, got.CheckRedirect)
	assert.Nil(t, hc.CheckRedirect)
}
