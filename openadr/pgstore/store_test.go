package pgstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/internal/pgtest"
	"github.com/gridwire/gridwire/openadr/pgstore"
	"github.com/gridwire/gridwire/openadr/storetest"
)

// envURL names the test database's connection string (see pgtest).
const envURL = pgtest.Env

// testURL returns the connection string of a new, empty schema of the test
// database, dropped when t ends.
func testURL(t *testing.T) string { return pgtest.SchemaURL(t, nil) }

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
