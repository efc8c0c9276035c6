// Package pgtest gives tests a PostgreSQL schema of their own in the
// database GRIDWIRE_TEST_POSTGRES names (.ci/run starts one and sets it).
// Without the variable a test skips, saying how to run it; under CI=true it
// fails instead, so that CI cannot pass without the database.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// Env is the variable holding the test database's connection string.
const Env = "GRIDWIRE_TEST_POSTGRES"

// Missing is what a test says when Env is not set.
const Missing = "PostgreSQL tests not run: set " + Env + " to a database URL (bash .ci/run starts one)"

var schemas atomic.Int64

// SchemaURL returns the connection string of a new, empty schema of the
// test database, with params added to it, dropped when t ends.
func SchemaURL(t testing.TB, params map[string]string) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(Missing)
		}
		t.Skip(Missing)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	require.NoError(t, err)
	defer conn.Close(ctx)
	schema := fmt.Sprintf("gridwire_test_%d_%d", time.Now().UnixNano(), schemas.Add(1))
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	for k, v := range params {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u.String()
}
