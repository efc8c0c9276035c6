package alphaess_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// A bad option is refused by New, naming the option, before any I/O.
func TestNewRejectsBadOptions(t *testing.T) {
	for _, tt := range []struct {
		name  string
		opt   alphaess.Option
		field string
	}{
		{"nil logger", alphaess.WithLogger(nil), "WithLogger"},
		{"nil clock", alphaess.WithClock(nil), "WithClock"},
		{"negative retries", alphaess.WithRetries(-1), "WithRetries"},
		{"negative timeout", alphaess.WithTimeout(-1), "WithTimeout"},
		{"relative base URL", alphaess.WithBaseURL("/api"), "WithBaseURL"},
		{"ftp base URL", alphaess.WithBaseURL("ftp://openapi.alphaess.com/api"), "WithBaseURL"},
		{"line break in user agent", alphaess.WithUserAgent("me\r\nX-Evil: 1"), "WithUserAgent"},
		{"nil location", alphaess.WithLocation(nil), "WithLocation"},
		{"negative min interval", alphaess.WithMinInterval(-1), "WithMinInterval"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := alphaess.New(testAppID, testSecret, tt.opt)
			var fe *energy.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.ErrorIs(t, err, energy.ErrInvalid)
			assert.Nil(t, c)
		})
	}
}

func TestNewAcceptsSharedOptions(t *testing.T) {
	c, err := alphaess.New(testAppID, testSecret,
		alphaess.WithBaseURL(base), alphaess.WithUserAgent("myapp/1.0"), alphaess.WithLogger(slog.New(slog.DiscardHandler)),
		alphaess.WithRetries(0), alphaess.WithTimeout(0), alphaess.WithHTTPClient(nil))
	require.NoError(t, err)
	assert.NotNil(t, c)
}
