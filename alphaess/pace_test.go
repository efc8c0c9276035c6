package alphaess_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// By default calls start at least 10 s apart, across every handle of one
// client, as AlphaESS asks.
func TestClientPacesByDefault(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList.json"))
	ctx := context.Background()
	_, err := c.LastPowerData(ctx)
	require.NoError(t, err)
	_, err = c.System("OTHER").ListSystems(ctx)
	require.NoError(t, err)
	_, err = c.In(time.UTC).LastPowerData(ctx)
	require.NoError(t, err)
	reqs := m.requests()
	for i, want := range []time.Time{t0, t0.Add(10 * time.Second), t0.Add(20 * time.Second)} {
		checkSigned(t, reqs[i].req, want)
	}
	assert.Equal(t, alphaess.DefaultMinInterval, c.MinInterval())
}

func TestWithMinInterval(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(2*time.Second))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	for range 3 {
		_, err := c.LastPowerData(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, 4*time.Second, m.clock.Now().Sub(t0), "three calls 2 s apart")
}

// A 6053 slows the client down for good and retries a repeatable call once,
// after the new interval.
func TestTooFastSlowsDownAndRetriesOnce(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6053.json"), fixture(t, "getLastPowerData.json"))
	_, err := c.LastPowerData(context.Background())
	require.NoError(t, err, "the retry must succeed")
	require.Len(t, m.requests(), 2)
	assert.Equal(t, alphaess.DefaultMinInterval, c.MinInterval(), "MinInterval after 6053")
	assert.Equal(t, []time.Duration{alphaess.DefaultMinInterval}, m.clock.Sleeps(), "one wait of the new interval")
}

func TestTooFastTwiceFails(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6053.json"))
	_, err := c.LastPowerData(context.Background())
	var ae *alphaess.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, alphaess.CodeTooFast, ae.Code)
	assert.ErrorIs(t, err, energy.ErrRateLimited)
	assert.True(t, ae.Retryable())
	assert.Len(t, m.requests(), 2, "one retry")
	assert.Equal(t, 20*time.Second, c.MinInterval(), "after two 6053s")
}

// getVerificationCode emails the owner: it is not repeated after a 6053.
func TestTooFastNotRetriedForVerificationCode(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getVerificationCode", fixture(t, "error_6053.json"), fixture(t, "ok_null.json"))
	err := c.RequestVerificationCode(context.Background(), "QWE123")
	require.ErrorIs(t, err, energy.ErrRateLimited)
	assert.Len(t, m.requests(), 1)
	assert.Equal(t, alphaess.DefaultMinInterval, c.MinInterval(), "slow-down after 6053")
}

// WithRetries(0) means never: one request. (It was read as "default" and
// sent three.) Without the option a request is tried three times.
func TestRetries(t *testing.T) {
	for _, tt := range []struct {
		n, want int
	}{{0, 1}, {4, 5}, {-1, 3}} {
		opts := []alphaess.Option{alphaess.WithMinInterval(0)}
		if tt.n >= 0 {
			opts = append(opts, alphaess.WithRetries(tt.n))
		}
		c, m := newMock(t, opts...)
		m.on(http.MethodGet, "getLastPowerData", body(503, ""))
		_, err := c.LastPowerData(context.Background())
		require.ErrorIs(t, err, energy.ErrUnavailable)
		assert.Len(t, m.requests(), tt.want, "WithRetries(%d) attempts", tt.n)
	}
}
