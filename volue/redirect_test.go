package volue_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/volue"
)

// TestRedirectToAnotherOriginRefused: a redirect from the API to another
// origin is refused before anything is sent there, as a *volue.RedirectError
// (not an internal type) naming both origins.
func TestRedirectToAnotherOriginRefused(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"tok","expires_in":3600,"token_type":"Bearer"}`))
			return
		}
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer api.Close()
	c, err := volue.New("id", "secret", volue.WithBaseURL(api.URL), volue.WithTokenURL(api.URL+"/token"))
	require.NoError(t, err)
	_, err = c.ListUsers(context.Background())
	var re *volue.RedirectError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, api.URL, re.From)
	assert.Equal(t, other.URL, re.To)
	assert.Zero(t, elsewhere.Load(), "a request reached the other origin")
}
