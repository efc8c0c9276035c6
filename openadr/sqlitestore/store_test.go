package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/sqlitestore"
	"github.com/gridwire/gridwire/openadr/storetest"
)

func openAt(t *testing.T, path string, opts ...sqlitestore.Option) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), path, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	for name, opts := range map[string][]sqlitestore.Option{
		"cached":   nil,
		"uncached": {sqlitestore.WithCacheSize(0)},
		"cache2":   {sqlitestore.WithCacheSize(2)}, // evicting all the time
	} {
		t.Run(name, func(t *testing.T) {
			storetest.TestStore(t, storetest.Harness{
				Open: func(t *testing.T) openadr.Store { return openAt(t, filepath.Join(t.TempDir(), "vtn.db"), opts...) },
				Reopen: func(t *testing.T, s openadr.Store) openadr.Store {
					var path string
					require.NoError(t, s.(*sqlitestore.Store).DB().QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path))
					require.NoError(t, s.(*sqlitestore.Store).Close())
					return openAt(t, path, opts...)
				},
			})
		})
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vtn.db")
	s := openAt(t, path)
	_, err := s.DB().Exec(`UPDATE gridwire_schema SET version = version + 1`)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = sqlitestore.Open(context.Background(), path)
	var se *sqlitestore.SchemaError
	require.ErrorAs(t, err, &se)
	require.Equal(t, sqlitestore.SchemaVersion+1, se.Found)
	require.Contains(t, err.Error(), "upgrade gridwire")
}

func TestReopenKeepsSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vtn.db")
	require.NoError(t, openAt(t, path).Close())
	s := openAt(t, path) // migrating an up-to-date file is a no-op
	var v int
	require.NoError(t, s.DB().QueryRow(`SELECT version FROM gridwire_schema`).Scan(&v))
	require.Equal(t, sqlitestore.SchemaVersion, v)
}

func TestMemoryPathRefused(t *testing.T) {
	_, err := sqlitestore.Open(context.Background(), ":memory:")
	require.ErrorContains(t, err, "NewMemStore")
}

// TestBadOptionRefusedBeforeOpening: a negative cache size is a
// *energy.FieldError naming the option, and no file is made.
func TestBadOptionRefusedBeforeOpening(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vtn.db")
	_, err := sqlitestore.Open(context.Background(), path, sqlitestore.WithCacheSize(-1))
	var fe *energy.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "WithCacheSize", fe.Field)
	assert.NoFileExists(t, path)
}
