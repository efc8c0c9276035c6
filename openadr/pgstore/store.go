package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gridwire/gridwire/openadr"
)

// Store is an openadr.Store in PostgreSQL. It is safe for concurrent use, by
// goroutines and by processes sharing the database.
type Store struct {
	pool *pgxpool.Pool
}

var _ openadr.Store = (*Store)(nil)

// Open connects to the database at url (a PostgreSQL connection string) and
// migrates its schema. It checks the connection, so it does I/O.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, errors.New("pgstore: the connection string does not parse")
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open with a parsed pool configuration, for settings a
// connection string cannot carry.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close closes the connection pool.
func (s *Store) Close() { s.pool.Close() }

// Pool returns the connection pool, for inspection and for other uses of the
// same database.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// lockKey is the advisory lock key of venID; two VENs that share a key only
// wait for each other.
func lockKey(venID string) int64 {
	h := fnv.New64a()
	h.Write([]byte(venID))
	return int64(h.Sum64())
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
	tag, err := s.pool.Exec(ctx,
		`INSERT INTO vens (ven_id, registration_id, state) VALUES ($1, $2, $3) ON CONFLICT (ven_id) DO NOTHING`,
		id, nullable(st.Registration.RegistrationID), b)
	if err != nil {
		return fmt.Errorf("pgstore: creating VEN %q: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: %q", openadr.ErrDuplicateVEN, id)
	}
	return nil
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func load(ctx context.Context, q querier, venID string, st *openadr.VENState) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var b []byte
	err := q.QueryRow(ctx, `SELECT state FROM vens WHERE ven_id = $1`, venID).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: %q", openadr.ErrUnknownVEN, venID)
	}
	if err != nil {
		return nil, fmt.Errorf("pgstore: reading VEN %q: %w", venID, err)
	}
	return b, openadr.UnmarshalVENState(b, st)
}

// View implements openadr.Store.
func (s *Store) View(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	var st openadr.VENState
	if _, err := load(ctx, s.pool, venID, &st); err != nil {
		return err
	}
	return fn(&st)
}

// Update implements openadr.Store.
func (s *Store) Update(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgstore: updating VEN %q: %w", venID, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey(venID)); err != nil {
		return fmt.Errorf("pgstore: locking VEN %q: %w", venID, err)
	}
	var st openadr.VENState
	old, err := load(ctx, tx, venID, &st)
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
	if !bytes.Equal(b, old) {
		if _, err := tx.Exec(ctx, `UPDATE vens SET registration_id = $1, state = $2 WHERE ven_id = $3`,
			nullable(st.Registration.RegistrationID), b, venID); err != nil {
			return fmt.Errorf("pgstore: saving VEN %q: %w", venID, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgstore: saving VEN %q: %w", venID, err)
	}
	return nil
}

// Delete implements openadr.Store.
func (s *Store) Delete(ctx context.Context, venID string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM vens WHERE ven_id = $1`, venID); err != nil {
		return fmt.Errorf("pgstore: deleting VEN %q: %w", venID, err)
	}
	return nil
}

// VENByRegistrationID implements openadr.Store.
func (s *Store) VENByRegistrationID(ctx context.Context, registrationID string) (string, error) {
	if registrationID == "" {
		return "", fmt.Errorf("%w: empty registrationID", openadr.ErrUnknownVEN)
	}
	var id string
	err := s.pool.QueryRow(ctx, `SELECT ven_id FROM vens WHERE registration_id = $1`, registrationID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("%w: registrationID %q", openadr.ErrUnknownVEN, registrationID)
	}
	if err != nil {
		return "", fmt.Errorf("pgstore: looking up registrationID %q: %w", registrationID, err)
	}
	return id, nil
}

// VENs implements openadr.Store.
func (s *Store) VENs(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT ven_id FROM vens ORDER BY ven_id COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("pgstore: listing VENs: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("pgstore: listing VENs: %w", err)
	}
	return ids, nil
}
