package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/internal/schema"
)

//go:embed migrations/*.sql
var migrations embed.FS

// SchemaError reports a database whose schema this binary cannot use (a
// newer gridwire migrated it).
type SchemaError = openadr.SchemaError

// SchemaVersion is the newest schema version this binary writes.
var SchemaVersion = len(schema.Files(migrations))

// migrateLock serialises the migrations of replicas starting together.
const migrateLock = 0x67726964776972 // "gridwir"

// migrate brings the schema up to SchemaVersion in one transaction, one
// replica at a time, or refuses a newer one.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	if err := schema.Migrate(ctx, pgTx{tx}, migrations); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// pgTx is a pgx transaction as schema.Migrate uses it.
type pgTx struct{ tx pgx.Tx }

func (t pgTx) Exec(ctx context.Context, q string) error {
	_, err := t.tx.Exec(ctx, q)
	return err
}

func (t pgTx) Version(ctx context.Context) (int, bool, error) {
	var v int
	err := t.tx.QueryRow(ctx, `SELECT version FROM gridwire_schema`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, err
}
