package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"net/url"
	"sync"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/internal/randcache"
)

// Store is an openadr.Store in a SQLite file. It is safe for concurrent use.
//
// It keeps the decoded states of recently used VENs in memory next to their
// stored bytes, so that a request reads no row and decodes nothing when its
// VEN is cached; the file stays the truth (every change is written before
// Update returns, and a failed fn drops the VEN from the cache).
type Store struct {
	db    *sql.DB
	seed  maphash.Seed
	locks [256]sync.Mutex // per-VEN locks, striped by venID

	cacheMax int                       // WithCacheSize
	cache    *randcache.Cache[*cached] // decoded states by venID
}

// cached is a VEN's state as stored (b) and decoded (st).
type cached struct {
	b  []byte
	st openadr.VENState
}

// DefaultCacheSize is how many VENs' states a Store keeps decoded in memory
// unless Open is given WithCacheSize.
const DefaultCacheSize = 10000

// Option configures a Store.
type Option func(*Store)

// WithCacheSize sets how many VENs' decoded states are kept in memory; 0
// turns the cache off (every request reads and decodes its VEN's row), and
// a negative size is an error.
func WithCacheSize(n int) Option { return func(s *Store) { s.cacheMax = n } }

var (
	_ openadr.Store      = (*Store)(nil)
	_ openadr.VENCounter = (*Store)(nil)
)

// Open opens (creating it if needed) the SQLite database at path and
// migrates its schema. path is a file name; ":memory:" is refused, as an
// in-memory SQLite database lives per connection (use openadr.NewMemStore).
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("sqlitestore: path %q: a file name is needed (openadr.NewMemStore keeps state in memory)", path)
	}
	s := &Store{seed: maphash.MakeSeed(), cacheMax: DefaultCacheSize}
	for _, o := range opts {
		o(s)
	}
	if s.cacheMax < 0 {
		return nil, energy.Invalid("WithCacheSize", "%d is negative (0 turns the cache off)", s.cacheMax)
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
	s.db = db
	s.cache = randcache.New[*cached](s.cacheMax)
	return s, nil
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

// entry returns the cached state of venID, reading and decoding its row
// when it is not cached. The caller holds venID's lock.
func (s *Store) entry(ctx context.Context, venID string) (*cached, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, _ := s.cache.Get(venID)
	if c != nil {
		return c, nil
	}
	c = new(cached)
	err := s.db.QueryRowContext(ctx, `SELECT state FROM vens WHERE ven_id = ?`, venID).Scan(&c.b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %q", openadr.ErrUnknownVEN, venID)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: reading VEN %q: %w", venID, err)
	}
	if err := openadr.UnmarshalVENState(c.b, &c.st); err != nil {
		return nil, err
	}
	s.cache.Put(venID, c)
	return c, nil
}

// View implements openadr.Store.
func (s *Store) View(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	mu := s.lock(venID)
	mu.Lock()
	defer mu.Unlock()
	c, err := s.entry(ctx, venID)
	if err != nil {
		return err
	}
	return fn(&c.st)
}

// Update implements openadr.Store. What fn leaves is written only when it
// differs from what was stored, so that a request that changes nothing (an
// empty poll) writes nothing.
func (s *Store) Update(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	mu := s.lock(venID)
	mu.Lock()
	defer mu.Unlock()
	c, err := s.entry(ctx, venID)
	if err != nil {
		return err
	}
	// fn changes the cached state in place; whatever goes wrong from here
	// on, the cache must not keep a state the file does not have.
	ok := false
	defer func() {
		if !ok {
			s.cache.Delete(venID)
		}
	}()
	b, changed, err := openadr.ChangeVENState(&c.st, c.b, fn)
	if err != nil {
		return err
	}
	if !changed {
		ok = true
		return nil
	}
	res, err := s.db.ExecContext(ctx, `UPDATE vens SET registration_id = ?, state = ? WHERE ven_id = ?`,
		nullable(c.st.Registration.RegistrationID), b, venID)
	if err != nil {
		return fmt.Errorf("sqlitestore: saving VEN %q: %w", venID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlitestore: saving VEN %q: %w", venID, err)
	} else if n == 0 {
		return fmt.Errorf("%w: %q", openadr.ErrUnknownVEN, venID) // deleted meanwhile
	}
	c.b, ok = b, true
	return nil
}

// Delete implements openadr.Store.
func (s *Store) Delete(ctx context.Context, venID string) error {
	mu := s.lock(venID)
	mu.Lock()
	defer mu.Unlock()
	s.cache.Delete(venID)
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

// CountVENs implements openadr.VENCounter.
func (s *Store) CountVENs(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM vens`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlitestore: counting VENs: %w", err)
	}
	return n, nil
}
