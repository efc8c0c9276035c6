package balanz_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/clock"
)

var t0 = time.Date(2026, 6, 1, 17, 30, 0, 0, time.UTC)

// fake starts a fake on a fake clock and returns it with an admin client.
func fake(t *testing.T, opts ...balanz.Option) (*balanztest.Server, *balanz.Client, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	srv := balanztest.NewServer(balanztest.WithClock(clk))
	t.Cleanup(srv.Close)
	c, err := srv.Client(t.Context(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return srv, c, clk
}

func ctx(t *testing.T) context.Context { return t.Context() }
