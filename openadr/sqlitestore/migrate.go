package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"

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

// migrate brings the schema up to SchemaVersion in one transaction, or
// refuses a newer one.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	defer tx.Rollback()
	if err := schema.Migrate(ctx, sqlTx{tx}, migrations); err != nil {
		return err
	}
	return tx.Commit()
}

// sqlTx is a database/sql transaction as schema.Migrate uses it.
type sqlTx struct{ tx *sql.Tx }

func (t sqlTx) Exec(ctx context.Context, q string) error {
	_, err := t.tx.ExecContext(ctx, q)
	return err
}

func (t sqlTx) Version(ctx context.Context) (int, bool, error) {
	var v int
	err := t.tx.QueryRowContext(ctx, `SELECT version FROM gridwire_schema`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, err
}
