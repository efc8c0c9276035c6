package balanz_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/ocppj"
	"github.com/gridwire/gridwire/internal/syncbuf"
)

// With the server gone for good, the client keeps redialling with waits
// that double up to the cap, each jittered by ±50 %, and logs without the
// token.
func TestReconnectBackoff(t *testing.T) {
	clk := clock.NewFake(t0)
	srv := balanztest.NewServer(balanztest.WithClock(clk))
	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := srv.Client(ctx(t), balanz.WithReconnect(100*time.Millisecond, 400*time.Millisecond), balanz.WithLogger(logger))
	require.NoError(t, err)
	srv.Close()
	require.Eventually(t, func() bool { return len(clk.Sleeps()) >= 10 }, 10*time.Second, time.Millisecond)
	require.NoError(t, c.Close())
	sleeps := clk.Sleeps()
	for i, d := range sleeps {
		assert.GreaterOrEqual(t, d, 50*time.Millisecond, i)
		assert.LessOrEqual(t, d, 600*time.Millisecond, i)
	}
	for _, d := range sleeps[3:] {
		assert.GreaterOrEqual(t, d, 200*time.Millisecond) // at the cap of 400 ms, less half
	}
	assert.Contains(t, logs.String(), "reconnect")
	assert.NotContains(t, logs.String(), balanztest.TokenAdmin)
}

// A server that answers the re-login with InvalidLogin (the user was
// removed) still gets the connection back; calls then say NotAuthorized.
func TestReconnectLoginRefused(t *testing.T) {
	srv, c, _ := fake(t, balanz.WithReconnect(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, c.DeleteUser(ctx(t), "delete-admin"))
	srv.DropConnections()
	require.Eventually(t, func() bool {
		_, err := c.ServerStatus(ctx(t))
		return errors.Is(err, &balanz.Error{Status: balanz.StatusNotAuthorized})
	}, 5*time.Second, 5*time.Millisecond)
}

// The client answers the server's pings while it waits for answers.
func TestPingsAnswered(t *testing.T) {
	pinged := make(chan error, 1)
	url := scripted(t, func(ctx context.Context, ws *websocket.Conn, f ocppj.Frame) {
		go func() {
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			pinged <- ws.Ping(pctx)
			write(ctx, ws, withID(`[3,"ID",[]]`, f.ID))
		}()
	})
	c := dialScripted(t, url)
	_, err := c.Tags(ctx(t))
	require.NoError(t, err)
	require.NoError(t, <-pinged)
}

func TestServerDiesMidCall(t *testing.T) {
	srv, c, _ := fake(t)
	srv.FailNext(1, balanztest.Fault{Endpoint: "GetSessions", Drop: true})
	_, err := c.Sessions(ctx(t), balanz.SessionFilter{})
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	var ce *balanz.ConnError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "GetSessions", ce.Command)
	// without reconnection the client stays down
	_, err = c.Tags(ctx(t))
	assert.ErrorIs(t, err, energy.ErrUnavailable)
}

func TestInFlightCallsFailOnDrop(t *testing.T) {
	srv, c, _ := fake(t)
	srv.FailNext(1, balanztest.Fault{Endpoint: "GetTags", Delay: 5 * time.Second})
	errs := make(chan error, 10)
	for range 10 {
		go func() { _, err := c.Tags(ctx(t)); errs <- err }()
	}
	waitRequests(t, srv, 2)
	srv.DropConnections()
	for range 10 {
		assert.ErrorIs(t, <-errs, energy.ErrUnavailable)
	}
}

func TestReconnect(t *testing.T) {
	srv, c, _ := fake(t, balanz.WithReconnect(5*time.Millisecond, 20*time.Millisecond))
	srv.FailNext(1, balanztest.Fault{Endpoint: "GetTags", Delay: 5 * time.Second})
	errs := make(chan error, 1)
	go func() { _, err := c.Tags(ctx(t)); errs <- err }()
	waitRequests(t, srv, 2)
	srv.DropConnections()
	assert.ErrorIs(t, <-errs, energy.ErrUnavailable)
	// the next call waits for the new connection, logged in again as admin
	st, err := c.ServerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, "1.2.3", st.Version)
}

func TestCloseEndsCalls(t *testing.T) {
	srv, c, _ := fake(t, balanz.WithReconnect(time.Millisecond, time.Millisecond))
	srv.FailNext(1, balanztest.Fault{Endpoint: "GetTags", Delay: 5 * time.Second})
	errs := make(chan error, 1)
	go func() { _, err := c.Tags(ctx(t)); errs <- err }()
	waitRequests(t, srv, 2)
	require.NoError(t, c.Close())
	err := <-errs
	assert.ErrorIs(t, err, balanz.ErrClosed)
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	_, err = c.Tags(ctx(t))
	assert.ErrorIs(t, err, balanz.ErrClosed)
}
