package balanz_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/energy"
)

func TestDialValidates(t *testing.T) {
	for _, tc := range []struct {
		url   string
		opt   balanz.Option
		field string
	}{
		{"http://127.0.0.1:1/api", nil, "url"},
		{"::", nil, "url"},
		{"ws://127.0.0.1:1/api", balanz.WithLogger(nil), "WithLogger"},
		{"ws://127.0.0.1:1/api", balanz.WithClock(nil), "WithClock"},
		{"ws://127.0.0.1:1/api", balanz.WithReadLimit(10), "WithReadLimit"},
		{"ws://127.0.0.1:1/api", balanz.WithReconnect(time.Second, time.Millisecond), "WithReconnect"},
		{"ws://127.0.0.1:1/api", balanz.WithTimeout(-1), "WithTimeout"},
		{"ws://127.0.0.1:1/api", balanz.WithLocation(nil), "WithLocation"},
		{"ws://127.0.0.1:1/api", balanz.WithUserAgent("a\r\nX-Evil: 1"), "WithUserAgent"},
	} {
		var opts []balanz.Option
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		_, err := balanz.Dial(ctx(t), tc.url, opts...)
		var fe *energy.FieldError
		require.ErrorAs(t, err, &fe, tc.field)
		assert.Equal(t, tc.field, fe.Field)
	}
}

// Neither the token nor a password in the URL shows when a client is
// printed, with any verb, while its reader runs (-race checks that printing
// does not walk its fields).
func TestClientFormatsWithoutSecrets(t *testing.T) {
	srv := balanztest.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.Client(ctx(t))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	d, err := balanz.Dial(ctx(t), strings.Replace(srv.URL, "://", "://ops:hunter2@", 1))
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d", "%q"} {
		for _, x := range []any{c, d} {
			s := fmt.Sprintf(verb, x)
			assert.NotContains(t, s, balanztest.TokenAdmin, verb)
			assert.NotContains(t, s, "hunter2", verb)
			assert.NotContains(t, s, fmt.Sprintf("%x", "hunter2"), verb)
			assert.NotContains(t, s, fmt.Sprintf("%x", balanztest.TokenAdmin), verb)
			assert.Contains(t, s, "balanz.Client(ws://", verb)
		}
	}
}

func TestDialUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	srv.Close()
	_, err := balanz.Dial(ctx(t), url)
	assert.ErrorIs(t, err, energy.ErrUnavailable)

	// a password in the URL never shows in an error
	withPassword := strings.Replace(url, "://", "://ops:hunter2@", 1)
	_, err = balanz.Dial(ctx(t), withPassword)
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.NotContains(t, err.Error(), "hunter2")
	_, err = balanz.Dial(ctx(t), strings.Replace(withPassword, "ws:", "http:", 1))
	require.ErrorIs(t, err, energy.ErrInvalid)
	assert.NotContains(t, err.Error(), "hunter2")
}

// WithHTTPClient(nil) means the default client, as in every package.
func TestDialNilHTTPClientIsTheDefault(t *testing.T) {
	srv := balanztest.NewServer()
	defer srv.Close()
	c, err := balanz.Dial(ctx(t), srv.URL, balanz.WithHTTPClient(nil))
	require.NoError(t, err)
	require.NoError(t, c.Close())
}

// The fake, like balanz, refuses a handshake without ocpp1.6 with HTTP 400.
func TestFakeRefusesWithoutSubprotocol(t *testing.T) {
	srv := balanztest.NewServer()
	defer srv.Close()
	_, resp, err := websocket.Dial(ctx(t), srv.URL, nil)
	require.Error(t, err)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	ws, _, err := websocket.Dial(ctx(t), srv.URL, &websocket.DialOptions{Subprotocols: []string{"ocpp1.6"}})
	require.NoError(t, err)
	assert.Equal(t, "ocpp1.6", ws.Subprotocol())
	ws.CloseNow()
}

// A server that accepts the WebSocket without agreeing to ocpp1.6 is not a
// balanz API: Dial says so.
func TestDialSubprotocolNotAccepted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err == nil {
			ws.Read(r.Context())
			ws.CloseNow()
		}
	}))
	defer srv.Close()
	_, err := balanz.Dial(ctx(t), "ws"+strings.TrimPrefix(srv.URL, "http"))
	assert.ErrorIs(t, err, balanz.ErrSubprotocol)
	assert.ErrorContains(t, err, "ocpp1.6")

	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "missing subprotocol", http.StatusBadRequest)
	}))
	defer refuse.Close()
	_, err = balanz.Dial(ctx(t), "ws"+strings.TrimPrefix(refuse.URL, "http"))
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.ErrorContains(t, err, "HTTP 400")
}

// WithUserAgent means what it means in the REST vendors: the caller's
// product before gridwire's own.
func TestDialUserAgent(t *testing.T) {
	fake := balanztest.NewServer()
	defer fake.Close()
	var (
		mu  sync.Mutex
		got []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("User-Agent"))
		mu.Unlock()
		fake.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/api"
	for _, opts := range [][]balanz.Option{nil, {balanz.WithUserAgent("myapp/1.0")}} {
		c, err := balanz.Dial(ctx(t), url, opts...)
		require.NoError(t, err)
		require.NoError(t, c.Close())
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 2)
	assert.True(t, strings.HasPrefix(got[0], "gridwire/"), got[0])
	assert.True(t, strings.HasPrefix(got[1], "myapp/1.0 gridwire/"), got[1])
}
