package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

// SchemaError reports a database whose schema this binary cannot use.
type SchemaError struct {
	// Found is the schema version in the database; Supported the newest
	// this binary knows.
	Found, Supported int
}

// Error implements error.
func (e *SchemaError) Error() string {
	return fmt.Sprintf("schema version %d is newer than this binary supports (%d): upgrade gridwire before opening this database", e.Found, e.Supported)
}

// SchemaVersion is the newest schema version this binary writes.
var SchemaVersion = len(migrationFiles())

func migrationFiles() []string {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		panic(err) // the pattern is constant
	}
	slices.Sort(names)
	return names
}

// migrateLock serialises the migrations of replicas starting together.
const migrateLock = 0x67726964776972 // "gridwir"

func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS gridwire_schema (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	var v int
	switch err := tx.QueryRow(ctx, `SELECT version FROM gridwire_schema`).Scan(&v); {
	case err == nil:
	case errors.Is(err, pgx.ErrNoRows):
		if _, err := tx.Exec(ctx, `INSERT INTO gridwire_schema (version) VALUES (0)`); err != nil {
			return fmt.Errorf("migrating: %w", err)
		}
	default:
		return fmt.Errorf("reading the schema version: %w", err)
	}
	files := migrationFiles()
	if v > len(files) {
		return &SchemaError{Found: v, Supported: len(files)}
	}
	for i := v; i < len(files); i++ {
		q, err := migrations.ReadFile(files[i])
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(q)); err != nil {
			return fmt.Errorf("migration %s: %w", files[i], err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE gridwire_schema SET version = $1`, len(files)); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	return tx.Commit(ctx)
}
