package alphaess_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
)

// TestRedirectToAnotherOriginRefused: a redirect to another origin is
// refused before the signed request (appId, timeStamp, sign) is sent there,
// as a *alphaess.RedirectError naming both origins.
func TestRedirectToAnotherOriginRefused(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer api.Close()
	c, err := alphaess.New("alpha123", "secret", alphaess.WithBaseURL(api.URL), alphaess.WithMinInterval(0))
	require.NoError(t, err)
	_, err = c.ListSystems(context.Background())
	var re *alphaess.RedirectError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, api.URL, re.From)
	assert.Equal(t, other.URL, re.To)
	assert.Zero(t, elsewhere.Load(), "the signed request reached the other origin")
}
