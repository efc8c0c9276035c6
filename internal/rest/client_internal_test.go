package rest

import (
	"net/http"
	"testing"
)

// TestDefaultTimeout: without an HTTPClient of the caller's, requests are
// bounded by DefaultTimeout, so a server that never answers cannot hang a
// caller whose context has no deadline; a caller's client is used as is.
func TestDefaultTimeout(t *testing.T) {
	if got := New(Config{Vendor: "test"}).r.GetClient().Timeout; got != DefaultTimeout {
		t.Errorf("default client timeout = %v, want %v", got, DefaultTimeout)
	}
	hc := &http.Client{}
	if got := New(Config{Vendor: "test", HTTPClient: hc}).r.GetClient(); got != hc {
		t.Error("the caller's HTTPClient is not the one used")
	}
}
