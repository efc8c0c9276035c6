package sqlitestore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"net/url"
	"sync"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/gridwire/gridwire/openadr"
)

// Store is an openadr.Store in a SQLite file. It is safe for concurrent use.
type Store struct {
	db    *sql.DB
	seed  maphash.Seed
	locks [256]sync.Mutex // per-VEN update locks, striped by venID
}

var _ openadr.Store = (*Store)(nil)

// Open opens (creating it if needed) the SQLite database at path and
// migrates its schema. path is a file name; ":memory:" is refused, as an
// in-memory SQLite database lives per connection (use openadr.NewMemStore).
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("sqlitestore: path %q: a file name is needed (openadr.NewMemStore keeps state in memory)", path)
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Opaque: path, RawQuery: q.Encode()}).String())
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: opening %s: %w", path, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitestore: %s: %w", path, err)
	}
	return &Store{db: db, seed: maphash.MakeSeed()}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB returns the underlying database, for backups and inspection.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) lock(venID string) *sync.Mutex {
	return &s.locks[maphash.String(s.seed, venID)%uint64(len(s.locks))]
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Create implements openadr.Store.
func (s *Store) Create(ctx context.Context, st *openadr.VENState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := openadr.MarshalVENState(st)
	if err != nil {
		return err
	}
	id := st.Registration.VenID
	res, err := s.db.ExecContext(ctx,
		`INSERT INTO vens (ven_id, registration_id, state) VALUES (?, ?, ?) ON CONFLICT (ven_id) DO NOTHING`,
		id, nullable(st.Registration.RegistrationID), b)
	if err != nil {
		return fmt.Errorf("sqlitestore: creating VEN %q: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlitestore: creating VEN %q: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("%w: %q", openadr.ErrDuplicateVEN, id)
	}
	return nil
}

// load reads and decodes the state of venID, returning the stored bytes too.
func (s *Store) load(ctx context.Context, venID string, st *openadr.VENState) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT state FROM vens WHERE ven_id = ?`, venID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %q", openadr.ErrUnknownVEN, venID)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: reading VEN %q: %w", venID, err)
	}
	return b, openadr.UnmarshalVENState(b, st)
}

// View implements openadr.Store.
func (s *Store) View(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	var st openadr.VENState
	if _, err := s.load(ctx, venID, &st); err != nil {
		return err
	}
	return fn(&st)
}

// Update implements openadr.Store. What fn leaves is written only when it
// differs from what was stored, so that a request that changes nothing (an
// empty poll) writes nothing.
func (s *Store) Update(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	mu := s.lock(venID)
	mu.Lock()
	defer mu.Unlock()
	var st openadr.VENState
	old, err := s.load(ctx, venID, &st)
	if err != nil {
		return err
	}
	if err := fn(&st); err != nil {
		return err
	}
	b, err := openadr.MarshalVENState(&st)
	if err != nil {
		return err
	}
	if bytes.Equal(b, old) {
		return nil
	}
	res, err := s.db.ExecContext(ctx, `UPDATE vens SET registration_id = ?, state = ? WHERE ven_id = ?`,
		nullable(st.Registration.RegistrationID), b, venID)
	if err != nil {
		return fmt.Errorf("sqlitestore: saving VEN %q: %w", venID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%w: %q", openadr.ErrUnknownVEN, venID) // deleted meanwhile
	}
	return nil
}

// Delete implements openadr.Store.
func (s *Store) Delete(ctx context.Context, venID string) error {
	mu := s.lock(venID)
	mu.Lock()
	defer mu.Unlock()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM vens WHERE ven_id = ?`, venID); err != nil {
		return fmt.Errorf("sqlitestore: deleting VEN %q: %w", venID, err)
	}
	return nil
}

// VENByRegistrationID implements openadr.Store.
func (s *Store) VENByRegistrationID(ctx context.Context, registrationID string) (string, error) {
	if registrationID == "" {
		return "", fmt.Errorf("%w: empty registrationID", openadr.ErrUnknownVEN)
	}
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT ven_id FROM vens WHERE registration_id = ?`, registrationID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: registrationID %q", openadr.ErrUnknownVEN, registrationID)
	}
	if err != nil {
		return "", fmt.Errorf("sqlitestore: looking up registrationID %q: %w", registrationID, err)
	}
	return id, nil
}

// VENs implements openadr.Store.
func (s *Store) VENs(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ven_id FROM vens ORDER BY ven_id`)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: listing VENs: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlitestore: listing VENs: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: listing VENs: %w", err)
	}
	return ids, nil
}
