// Package schema migrates the durable stores' databases (sqlitestore,
// pgstore) from the SQL files each embeds, so that both follow one set of
// rules: a table gridwire_schema records the version, the files
// migrations/NNNN_*.sql are applied in order in one transaction, and a
// database at a newer version than the binary knows is refused with an
// *openadr.SchemaError.
package schema

import (
	"context"
	"fmt"
	"io/fs"
	"slices"

	"github.com/gridwire/gridwire/openadr"
)

// Tx is one transaction of the store's database, as the store's driver
// offers it.
type Tx interface {
	// Exec runs a statement without arguments.
	Exec(ctx context.Context, sql string) error
	// Version returns the version recorded in gridwire_schema, or ok false
	// when the table holds no row yet.
	Version(ctx context.Context) (v int, ok bool, err error)
}

// Files returns the migration files of fsys (migrations/*.sql) in the order
// they are applied; their count is the schema version they lead to.
func Files(fsys fs.FS) []string {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		panic(err) // the pattern is constant
	}
	slices.Sort(names)
	return names
}

// Migrate brings the database up to the version of fsys's files within tx,
// which the caller commits, or refuses a newer one.
func Migrate(ctx context.Context, tx Tx, fsys fs.FS) error {
	if err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS gridwire_schema (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	v, ok, err := tx.Version(ctx)
	if err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	if !ok {
		if err := tx.Exec(ctx, `INSERT INTO gridwire_schema (version) VALUES (0)`); err != nil {
			return fmt.Errorf("migrating: %w", err)
		}
	}
	files := Files(fsys)
	if v > len(files) {
		return &openadr.SchemaError{Found: v, Supported: len(files)}
	}
	for _, f := range files[v:] {
		q, err := fs.ReadFile(fsys, f)
		if err != nil {
			return err
		}
		if err := tx.Exec(ctx, string(q)); err != nil {
			return fmt.Errorf("migration %s: %w", f, err)
		}
	}
	// The version is an int the binary counted, so it goes into the
	// statement as text: drivers differ in their placeholders.
	if err := tx.Exec(ctx, fmt.Sprintf(`UPDATE gridwire_schema SET version = %d`, len(files))); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	return nil
}
