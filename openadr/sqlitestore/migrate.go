package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"slices"
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

// migrate brings the schema up to SchemaVersion in one transaction, or
// refuses a newer one.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS gridwire_schema (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	var v int
	switch err := tx.QueryRowContext(ctx, `SELECT version FROM gridwire_schema`).Scan(&v); err {
	case nil:
	case sql.ErrNoRows:
		if _, err := tx.ExecContext(ctx, `INSERT INTO gridwire_schema (version) VALUES (0)`); err != nil {
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
		if _, err := tx.ExecContext(ctx, string(q)); err != nil {
			return fmt.Errorf("migration %s: %w", files[i], err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE gridwire_schema SET version = ?`, len(files)); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	return tx.Commit()
}
