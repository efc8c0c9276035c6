package balanz_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/internal/ocppj"
)

// scripted serves one WebSocket connection at a time with ocpp1.6 and hands
// every request frame to answer, which writes what it likes.
func scripted(t *testing.T, answer func(ctx context.Context, ws *websocket.Conn, f ocppj.Frame)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{balanz.Subprotocol}})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		for {
			_, data, err := ws.Read(r.Context())
			if err != nil {
				return
			}
			f, err := ocppj.Parse(data)
			// assert, not require: this is the server's goroutine, where
			// FailNow must not run
			if !assert.NoError(t, err, "the client sent a frame that does not parse") {
				return
			}
			answer(r.Context(), ws, f)
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/api"
}

func write(ctx context.Context, ws *websocket.Conn, frame string) {
	ws.Write(ctx, websocket.MessageText, []byte(frame))
}

// withID puts id where a fixture frame has "ID".
func withID(frame, id string) string { return strings.Replace(frame, `"ID"`, `"`+id+`"`, 1) }

func dialScripted(t *testing.T, url string, opts ...balanz.Option) *balanz.Client {
	t.Helper()
	c, err := balanz.Dial(t.Context(), url, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}
