package pgstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"hash/maphash"
	"log/slog"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/internal/randcache"
)

// Store is an openadr.Store in PostgreSQL. It is safe for concurrent use, by
// goroutines and by processes sharing the database.
//
// It keeps the decoded states of recently used VENs in memory with their
// row version, so that a request whose VEN has not changed since reads one
// small row and decodes nothing; the database stays the truth (every read
// checks the version, every change is committed before Update returns).
type Store struct {
	pool    *pgxpool.Pool
	connCfg *pgx.ConnConfig // for Listen's own connection
	log     *slog.Logger
	seed    maphash.Seed
	locks   [256]sync.Mutex // per-VEN locks in this process, striped by venID

	cacheMax int                       // WithCacheSize
	cache    *randcache.Cache[*cached] // decoded states by venID

	waiters waiters
}

// cached is a VEN's state at a row version, as stored (b) and decoded (st).
type cached struct {
	version int64
	b       []byte
	st      openadr.VENState
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

// WithLogger sets the logger Listen reports lost connections to. Without it
// the store is silent; nil is an error.
func WithLogger(l *slog.Logger) Option { return func(s *Store) { s.log = l } }

var (
	_ openadr.Store      = (*Store)(nil)
	_ openadr.Notifier   = (*Store)(nil)
	_ openadr.VENCounter = (*Store)(nil)
)

// DefaultMaxConns is the size of the connection pool Open makes when the
// connection string sets no pool_max_conns. Every VEN request is a query or
// two, and a request waiting for a pooled connection waits for another's
// round trip, so the pool is larger than pgx's default (the number of CPUs,
// at least 4).
const DefaultMaxConns = 16

// Open connects to the database at url (a PostgreSQL connection string) and
// migrates its schema. It checks the connection, so it does I/O.
//
// The string may carry pgxpool's settings (pool_max_conns, default
// DefaultMaxConns) and server settings: search_path puts the tables in a
// schema of their own; synchronous_commit=off lets a commit return before
// its WAL reaches the disk, which multiplies the rate of writes (telemetry
// reports) on a disk with slow flushes, and loses nothing when a VTN
// process crashes, but loses the last fraction of a second of changes
// should the database server's machine crash.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, errors.New("pgstore: the connection string does not parse")
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	return OpenConfig(ctx, cfg, opts...)
}

// OpenConfig is Open with a parsed pool configuration, for settings a
// connection string cannot carry.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config, opts ...Option) (*Store, error) {
	s := &Store{seed: maphash.MakeSeed(), cacheMax: DefaultCacheSize, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	switch {
	case s.cacheMax < 0:
		return nil, energy.Invalid("WithCacheSize", "%d is negative (0 turns the cache off)", s.cacheMax)
	case s.log == nil:
		return nil, energy.Invalid("WithLogger", "nil logger (omit the option for silence)")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	s.pool, s.connCfg = pool, cfg.ConnConfig.Copy()
	s.cache = randcache.New[*cached](s.cacheMax)
	return s, nil
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

func (s *Store) lock(venID string) *sync.Mutex {
	return &s.locks[maphash.String(s.seed, venID)%uint64(len(s.locks))]
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

// readRow reads venID's row version, and its state only when the version
// is not the one cached: an unchanged VEN costs one small row.
const readRow = `SELECT version, CASE WHEN version = $2 THEN NULL ELSE state END FROM vens WHERE ven_id = $1`

// fresh returns the state of venID at the version row scanned: have, the
// cached entry readRow was asked about, when it is at that version. The
// caller holds venID's lock.
func (s *Store) fresh(venID string, row pgx.Row, have *cached) (*cached, error) {
	var (
		version int64
		b       []byte
	)
	err := row.Scan(&version, &b)
	if errors.Is(err, pgx.ErrNoRows) {
		s.cache.Delete(venID)
		return nil, fmt.Errorf("%w: %q", openadr.ErrUnknownVEN, venID)
	}
	if err != nil {
		return nil, fmt.Errorf("pgstore: reading VEN %q: %w", venID, err)
	}
	if b == nil && have != nil && have.version == version {
		return have, nil
	}
	if b == nil {
		return nil, fmt.Errorf("pgstore: reading VEN %q: no state at version %d", venID, version)
	}
	c := &cached{version: version, b: b}
	if err := openadr.UnmarshalVENState(b, &c.st); err != nil {
		return nil, err
	}
	s.cache.Put(venID, c)
	return c, nil
}

// versionOf is the version to ask readRow about: c's, or one no row has.
func versionOf(c *cached) int64 {
	if c == nil {
		return -1
	}
	return c.version
}

func (s *Store) cached(venID string) *cached {
	c, _ := s.cache.Get(venID)
	return c
}

// View implements openadr.Store: one query, and no decoding when the VEN's
// state is cached at its stored version.
func (s *Store) View(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	mu := s.lock(venID)
	mu.Lock()
	defer mu.Unlock()
	have := s.cached(venID)
	c, err := s.fresh(venID, s.pool.QueryRow(ctx, readRow, venID, versionOf(have)), have)
	if err != nil {
		return err
	}
	return fn(&c.st)
}

// Update implements openadr.Store. It takes a transaction-scoped advisory
// lock on the VEN, so that updates from every process run one after
// another. The transaction, the lock and the read go to the server in one
// round trip, and the write and the commit in another; what fn leaves is
// written only when it differs from what was stored, so a request that
// changes nothing (an empty poll) writes nothing.
func (s *Store) Update(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	mu := s.lock(venID)
	mu.Lock()
	defer mu.Unlock()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("pgstore: updating VEN %q: %w", venID, err)
	}
	// A connection left inside a transaction is closed, not pooled, by
	// Release; rolling back first keeps it.
	inTx := false
	defer func() {
		if inTx {
			conn.Exec(context.WithoutCancel(ctx), `ROLLBACK`)
		}
		conn.Release()
	}()
	batch := &pgx.Batch{}
	batch.Queue(`BEGIN`)
	batch.Queue(`SELECT pg_advisory_xact_lock($1)`, lockKey(venID))
	have := s.cached(venID)
	var c *cached
	batch.Queue(readRow, venID, versionOf(have)).QueryRow(func(r pgx.Row) error {
		c, err = s.fresh(venID, r, have)
		return err
	})
	inTx = true
	if berr := conn.SendBatch(ctx, batch).Close(); berr != nil {
		if err != nil {
			return err
		}
		return fmt.Errorf("pgstore: locking VEN %q: %w", venID, berr)
	}
	// fn changes the cached state in place; whatever goes wrong from here
	// on, the cache must not keep a state the database does not have.
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
		inTx = false
		if _, err := conn.Exec(ctx, `COMMIT`); err != nil {
			return fmt.Errorf("pgstore: updating VEN %q: %w", venID, err)
		}
		ok = true
		return nil
	}
	batch = &pgx.Batch{}
	batch.Queue(`UPDATE vens SET registration_id = $1, state = $2, version = version + 1 WHERE ven_id = $3 RETURNING version`,
		nullable(c.st.Registration.RegistrationID), b, venID).QueryRow(func(r pgx.Row) error { return r.Scan(&c.version) })
	batch.Queue(`COMMIT`)
	if err := conn.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("pgstore: saving VEN %q: %w", venID, err)
	}
	inTx = false
	c.b, ok = b, true
	return nil
}

// Delete implements openadr.Store.
func (s *Store) Delete(ctx context.Context, venID string) error {
	mu := s.lock(venID)
	mu.Lock()
	defer mu.Unlock()
	s.cache.Delete(venID)
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

// CountVENs implements openadr.VENCounter.
func (s *Store) CountVENs(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM vens`).Scan(&n); err != nil {
		return 0, fmt.Errorf("pgstore: counting VENs: %w", err)
	}
	return n, nil
}
