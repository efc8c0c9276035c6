package alphaesstest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// Client is ready to use: the fake's credentials, system and zone, and no
// 10 s pacing, so a first program answers at once on the real clock.
func TestClientIsReady(t *testing.T) {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	c := srv.Client()
	assert.Equal(t, srv.SerialNumber, c.SerialNumber())
	assert.Equal(t, time.UTC, c.Location())
	assert.Zero(t, c.MinInterval())

	start := time.Now()
	for range 3 {
		_, err := c.LastPowerData(t.Context())
		require.NoError(t, err)
	}
	assert.Less(t, time.Since(start), 5*time.Second, "three calls must not wait for pacing")
	assert.Equal(t, 3, srv.Requests())
}

// The caller's options come last; invalid ones panic, as a test helper's do.
func TestClientOptions(t *testing.T) {
	srv := alphaesstest.NewServer(alphaesstest.WithMinInterval(time.Second))
	defer srv.Close()
	assert.Equal(t, time.Second, srv.Client().MinInterval(), "the fake's own limit is kept")
	assert.Equal(t, "AL1", srv.Client(alphaess.WithSerialNumber("AL1")).SerialNumber())
	assert.Panics(t, func() { srv.Client(alphaess.WithRetries(-1)) })
}

// Handler mounts the fake on another server.
func TestHandler(t *testing.T) {
	fc := clock.NewFake(t0)
	srv := alphaesstest.NewServer(alphaesstest.WithClock(fc))
	defer srv.Close()
	other := httptest.NewServer(srv.Handler())
	defer other.Close()
	c := srv.Client(alphaess.WithBaseURL(other.URL+"/api"), alphaess.WithHTTPClient(other.Client()))
	systems, err := c.ListSystems(t.Context())
	require.NoError(t, err)
	require.Len(t, systems, 1)
	assert.Equal(t, srv.SerialNumber, systems[0].SerialNumber)
}

func TestFailNext(t *testing.T) {
	t.Run("n requests, then normal answers", func(t *testing.T) {
		f := newFake(t)
		f.FailNext(2, alphaesstest.Fault{Endpoint: "getLastPowerData", Code: 6042})
		wantCode(t, "other endpoint", f.get("getEssList", nil), 200)
		wantCode(t, "first", f.get("getLastPowerData", f.sn()), 6042)
		wantCode(t, "second", f.get("getLastPowerData", f.sn()), 6042)
		wantCode(t, "third", f.get("getLastPowerData", f.sn()), 200)
	})
	t.Run("n <= 0 queues nothing", func(t *testing.T) {
		f := newFake(t)
		f.FailNext(0, alphaesstest.Fault{Code: 6053})
		f.FailNext(-1, alphaesstest.Fault{Code: 6053})
		wantCode(t, "not failed", f.get("getEssList", nil), 200)
	})
	t.Run("status without code is a gateway page", func(t *testing.T) {
		f := newFake(t)
		f.FailNext(1, alphaesstest.Fault{Status: http.StatusBadGateway})
		a := f.get("getEssList", nil)
		assert.Equal(t, http.StatusBadGateway, a.status)
		assert.Contains(t, string(a.raw), "502 Bad Gateway")
	})
	t.Run("status with code is an envelope", func(t *testing.T) {
		f := newFake(t)
		f.FailNext(1, alphaesstest.Fault{Status: http.StatusInternalServerError, Code: 6026})
		a := f.get("getEssList", nil)
		assert.Equal(t, http.StatusInternalServerError, a.status)
		var env struct{ Code int }
		require.NoError(t, json.Unmarshal(a.raw, &env))
		assert.Equal(t, 6026, env.Code)
	})
	t.Run("neither drops the connection", func(t *testing.T) {
		srv := alphaesstest.NewServer()
		defer srv.Close()
		srv.FailNext(1, alphaesstest.Fault{Endpoint: "getEssList"})
		_, err := srv.Client(alphaess.WithRetries(0)).ListSystems(t.Context())
		require.ErrorIs(t, err, energy.ErrUnavailable)
		_, err = srv.Client().ListSystems(t.Context())
		require.NoError(t, err)
	})
}

func TestSetFields(t *testing.T) {
	f := newFake(t)
	f.SetFields("getLastPowerData", map[string]any{"soc": 250, "pbat": 1e308, "ppv": "NaN"})
	f.SetFields("getEssList", map[string]any{"cobat": -1e308})
	var p map[string]any
	require.NoError(t, json.Unmarshal(f.get("getLastPowerData", f.sn()).Data, &p))
	assert.Equal(t, 250.0, p["soc"])
	assert.Equal(t, 1e308, p["pbat"])
	assert.Equal(t, "NaN", p["ppv"])
	assert.Contains(t, p, "pload", "the other fields stay")
	var list []map[string]any
	require.NoError(t, json.Unmarshal(f.get("getEssList", nil).Data, &list))
	require.Len(t, list, 1)
	assert.Equal(t, -1e308, list[0]["cobat"])
	assert.Equal(t, f.SerialNumber, list[0]["sysSn"])

	f.SetFields("getLastPowerData", nil)
	require.NoError(t, json.Unmarshal(f.get("getLastPowerData", f.sn()).Data, &p))
	assert.InDelta(t, 56.0, p["soc"], 5)
	f.ResetData()
	require.NoError(t, json.Unmarshal(f.get("getEssList", nil).Data, &list))
	assert.Equal(t, 13.34, list[0]["cobat"])
}

func TestSetData(t *testing.T) {
	f := newFake(t)
	f.SetData("getEssList", json.RawMessage(`[null]`))
	assert.JSONEq(t, `[null]`, string(f.get("getEssList", nil).Data))
	f.SetData("getEssList", nil)
	assert.NotEqual(t, `[null]`, string(f.get("getEssList", nil).Data))
	assert.Panics(t, func() { f.SetData("getEssList", json.RawMessage(`{`)) })
}
