package rest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

func TestOptionsValidate(t *testing.T) {
	ok := rest.DefaultOptions("https://api.example.com/v1")
	require.NoError(t, ok.Validate(), "defaults")
	for _, tt := range []struct {
		name  string
		mut   func(*rest.Options)
		field string
	}{
		{"nil logger", func(o *rest.Options) { o.Logger = nil }, "WithLogger"},
		{"nil clock", func(o *rest.Options) { o.Clock = nil }, "WithClock"},
		{"negative retries", func(o *rest.Options) { o.Retries = -1 }, "WithRetries"},
		{"negative timeout", func(o *rest.Options) { o.Timeout = -time.Second }, "WithTimeout"},
		{"user agent newline", func(o *rest.Options) { o.UserAgent = "a\r\nX-Evil: 1" }, "WithUserAgent"},
		{"relative URL", func(o *rest.Options) { o.BaseURL = "/v1" }, "WithBaseURL"},
		{"ftp URL", func(o *rest.Options) { o.BaseURL = "ftp://host/v1" }, "WithBaseURL"},
		{"no host", func(o *rest.Options) { o.BaseURL = "https:///v1" }, "WithBaseURL"},
		{"query", func(o *rest.Options) { o.BaseURL = "https://h/v1?x=1" }, "WithBaseURL"},
		{"empty", func(o *rest.Options) { o.BaseURL = "" }, "WithBaseURL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.mut(&o)
			err := o.Validate()
			var fe *energy.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.ErrorIs(t, err, energy.ErrInvalid)
		})
	}
}

// TestBaseURLErrorShowsNoSecret: a URL refused by validation is shown
// without the password, query or fragment in which credentials may have
// been put.
func TestBaseURLErrorShowsNoSecret(t *testing.T) {
	for _, u := range []string{
		"http://u:pw-s3cret@127.0.0.1:9/v1?key=s3cret",
		"ftp://u:pw-s3cret@host/v1",
		"http://u:pw-s3cret@/v1",
		"https://h/v1#s3cret",
		"http://u:pw-s3cret@h\x7f/v1",
		"http://[::1/v1?key=s3cret",
		"http://user:pa/s3cret@host/v1",    // a / in the password ends the authority
		"http://user:s3cret?x@host/v1",     // so does a ?
		"http://user:s3cret#def@host/v1",   // and a #
		"user:s3cret@api.example.com/v1",   // no scheme: "user" looks like one
		"https://s3cret-token@host/v1?x=1", // a token as the user name
	} {
		if rest.ValidateBaseURL(u) == nil {
			continue // only refused URLs are shown
		}
		err := rest.ValidateBaseURL(u)
		require.Error(t, err, u)
		assert.NotContains(t, err.Error(), "s3cret", u)
		var fe *energy.FieldError
		require.ErrorAs(t, err, &fe, u)
		assert.Equal(t, "WithBaseURL", fe.Field)
	}
	err := rest.ValidateBaseURL("http://u:pw@127.0.0.1:9/v1?key=abc")
	assert.Contains(t, err.Error(), `"http://127.0.0.1:9/v1?…": no query allowed`)
	err = rest.ValidateBaseURL("https://h/v1#frag")
	assert.Contains(t, err.Error(), `"https://h/v1#…": no fragment allowed`)
}

func TestOptionsConfig(t *testing.T) {
	o := rest.DefaultOptions("https://api.example.com/v1/")
	o.UserAgent = "myapp/1.0"
	o.Retries = 0
	cfg := o.Config("test")
	assert.Equal(t, "https://api.example.com/v1", cfg.BaseURL)
	assert.True(t, strings.HasPrefix(cfg.UserAgent, "myapp/1.0 gridwire/"), cfg.UserAgent)
	assert.Zero(t, cfg.Retries)
	require.NotNil(t, cfg.HTTPClient)
	assert.Equal(t, rest.DefaultTimeout, cfg.HTTPClient.Timeout)
	hc := &http.Client{}
	o.HTTPClient = hc
	assert.Same(t, hc, o.Config("test").HTTPClient, "HTTPClient not kept")
}
