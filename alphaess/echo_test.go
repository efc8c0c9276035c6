package alphaess_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
)

// TestEchoedSignRedacted: a server that echoes the signed request's headers
// (appId, timeStamp, sign) in its error body gets none of them into the
// error or the "retrying" log line.
func TestEchoedSignRedacted(t *testing.T) {
	var sent []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent = append(sent, r.Header.Get("sign"), r.Header.Get("timeStamp"))
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "bad request: appId=%s timeStamp=%s sign=%s",
			r.Header.Get("appId"), r.Header.Get("timeStamp"), r.Header.Get("sign"))
	}))
	defer api.Close()
	var logs bytes.Buffer
	c, err := alphaess.New("alpha-app-id-123", "secret", alphaess.WithBaseURL(api.URL), alphaess.WithMinInterval(0),
		alphaess.WithRetries(1), alphaess.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	_, err = c.ListSystems(context.Background())
	require.Error(t, err)
	require.Len(t, sent, 4, "one retry")
	assert.Contains(t, logs.String(), "retrying")
	for _, out := range []string{err.Error(), logs.String()} {
		assert.NotContains(t, out, "alpha-app-id-123")
		for _, secret := range sent {
			require.NotEmpty(t, secret)
			assert.NotContains(t, out, secret)
		}
		assert.Contains(t, out, "[redacted]")
	}
}
