package pgstore_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/pgstore"
	"github.com/gridwire/gridwire/openadr/storetest"
)

// The tests need a PostgreSQL database: GRIDWIRE_TEST_POSTGRES is its
// connection string (.ci/run starts one and sets it). Without it they skip,
// saying so, except under CI=true, where a missing database is a failure.
const envURL = "GRIDWIRE_TEST_POSTGRES"

var schemas atomic.Int64

// testURL returns the connection string of a new, empty schema of the test
// database, dropped when t ends.
func testURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv(envURL)
	if base == "" {
		msg := "PostgreSQL tests not run: set " + envURL + " to a database URL (bash .ci/run starts one)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
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
	u.RawQuery = q.Encode()
	return u.String()
}

func openAt(t *testing.T, u string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), u)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func TestConformance(t *testing.T) {
	urls := map[openadr.Store]string{}
	storetest.TestStore(t, storetest.Harness{
		Open: func(t *testing.T) openadr.Store {
			u := testURL(t)
			s := openAt(t, u)
			urls[s] = u
			return s
		},
		Reopen: func(t *testing.T, s openadr.Store) openadr.Store {
			s.(*pgstore.Store).Close()
			return openAt(t, urls[s])
		},
	})
}

func TestNewerSchemaRefused(t *testing.T) {
	u := testURL(t)
	s := openAt(t, u)
	_, err := s.Pool().Exec(context.Background(), `UPDATE gridwire_schema SET version = version + 1`)
	require.NoError(t, err)
	_, err = pgstore.Open(context.Background(), u)
	var se *pgstore.SchemaError
	require.ErrorAs(t, err, &se)
	require.Equal(t, pgstore.SchemaVersion+1, se.Found)
}

func TestBadURLKeepsPasswordOut(t *testing.T) {
	_, err := pgstore.Open(context.Background(), "postgres://u:hunter2@host:notaport/db")
	require.Error(t, err)
	require.False(t, strings.Contains(err.Error(), "hunter2"), "password in %q", err)
}

// TestEmptyUpdateWritesNothing: an update that changes nothing (an empty
// poll) must not write a row version.
func TestEmptyUpdateWritesNothing(t *testing.T) {
	s := openAt(t, testURL(t))
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, storetest.State("ven-1", "reg-1")))
	xmin := func() string {
		var x string
		require.NoError(t, s.Pool().QueryRow(ctx, `SELECT xmin::text FROM vens WHERE ven_id = 'ven-1'`).Scan(&x))
		return x
	}
	before := xmin()
	for range 10 {
		require.NoError(t, s.Update(ctx, "ven-1", func(*openadr.VENState) error { return nil }))
	}
	require.Equal(t, before, xmin(), "an unchanged state was written")
	require.NoError(t, s.Update(ctx, "ven-1", func(st *openadr.VENState) error { st.Queue = nil; return nil }))
	require.NotEqual(t, before, xmin())
}
