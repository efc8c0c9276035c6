package balanz_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/internal/ocppj"
)

// benchServer is a fake with three live sessions and an hour of history
// each, so GetChargers answers about 5 KB (reported as answer-bytes).
func benchServer(b *testing.B) *balanztest.Server {
	clk := clock.NewFake(t0)
	srv := balanztest.NewServer(balanztest.WithClock(clk))
	b.Cleanup(srv.Close)
	c, err := srv.Client(context.Background())
	require.NoError(b, err)
	defer c.Close()
	for _, p := range []struct {
		id   string
		conn int
	}{{balanztest.SeedHomeCharger1, 1}, {balanztest.SeedHomeCharger2, 1}, {balanztest.SeedSiteCharger, 1}} {
		require.NoError(b, srv.PlugIn(p.id, p.conn, balanztest.Vehicle{}))
		require.NoError(b, c.RemoteStartTransaction(context.Background(), balanz.ByID(p.id), p.conn, p.id))
	}
	for range 12 {
		clk.Advance(5 * time.Minute)
		_, err := c.Chargers(context.Background(), balanz.ChargerFilter{})
		require.NoError(b, err)
	}
	return srv
}

// BenchmarkGetChargers compares a GetChargers call through the client with
// the least any client must do on the same fake in the same run: write the
// frame, read the answer, decode it into the same types.
func BenchmarkGetChargers(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	b.Run("client", func(b *testing.B) {
		c, err := srv.Client(ctx)
		require.NoError(b, err)
		defer c.Close()
		b.ReportAllocs()
		for b.Loop() {
			chs, err := c.Chargers(ctx, balanz.ChargerFilter{})
			require.NoError(b, err)
			require.Len(b, chs, 4)
		}
	})
	b.Run("raw", func(b *testing.B) {
		ws, _, err := websocket.Dial(ctx, srv.URL, &websocket.DialOptions{Subprotocols: []string{balanz.Subprotocol}})
		require.NoError(b, err)
		defer ws.CloseNow()
		ws.SetReadLimit(balanz.DefaultReadLimit)
		require.NoError(b, ws.Write(ctx, websocket.MessageText, []byte(`[2,"0","Login",{"token":"`+balanztest.TokenAdmin+`"}]`)))
		_, _, err = ws.Read(ctx)
		require.NoError(b, err)
		var n int
		var size int
		b.ReportAllocs()
		for b.Loop() {
			n++
			frame, _ := ocppj.AppendCall(nil, strconv.Itoa(n), "GetChargers", json.RawMessage(`{}`))
			require.NoError(b, ws.Write(ctx, websocket.MessageText, frame))
			_, data, err := ws.Read(ctx)
			require.NoError(b, err)
			size = len(data)
			var typ int
			var id string
			var chs []balanz.Charger
			require.NoError(b, json.Unmarshal(data, &[]any{&typ, &id, &chs}))
			require.Len(b, chs, 4)
		}
		b.ReportMetric(float64(size), "answer-bytes")
	})
}
