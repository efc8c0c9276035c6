package pgstore_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/pgstore"
)

// TestBadOptionsRefusedBeforeConnecting needs no database: a bad option is
// a *energy.FieldError naming it, before any connection is tried (the
// address below accepts none).
func TestBadOptionsRefusedBeforeConnecting(t *testing.T) {
	cfg, err := pgxpool.ParseConfig("postgres://u:p@127.0.0.1:1/none?connect_timeout=1")
	require.NoError(t, err)
	for field, opt := range map[string]pgstore.Option{
		"WithLogger":    pgstore.WithLogger(nil),
		"WithCacheSize": pgstore.WithCacheSize(-1),
	} {
		_, err := pgstore.OpenConfig(context.Background(), cfg, opt)
		var fe *energy.FieldError
		require.ErrorAs(t, err, &fe, field)
		assert.Equal(t, field, fe.Field)
		assert.ErrorIs(t, err, energy.ErrInvalid)
	}
}
