package openadr

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// MemStore is the in-memory Store the VTN uses by default. Each VEN has its
// own lock, so requests from different VENs do not wait for one another. Its
// state is lost when the process ends.
//
// Beside each VEN it keeps a summary, computed from the VEN's state by the
// VTN it was last given to, which answers most empty polls without the
// VEN's lock or state (see quiet.go). A VTN given the store before another
// was reads the VEN's state for every poll, as it would from any Store.
type MemStore struct {
	mu sync.RWMutex
	// vens finds a VEN by a hash of its venID. Among many thousands of
	// VENs a lookup's memory is not in the CPU's cache: a map keyed by the
	// venID would read the map's slot, the key's bytes and the entry, each
	// a cache miss; keyed by the hash it reads the slot and the entry,
	// whose own copy of the venID confirms it (see memEntry.is). A venID
	// whose hash another venID has already (as likely as two random 64-bit
	// numbers being equal) is kept in more.
	vens    map[uint64]memSlot
	more    map[string]*memEntry
	seed    maphash.Seed
	collide bool              // tests: every venID has one hash
	byReg   map[string]string // registrationID → venID

	// summarize is the VTN's summary of a VEN's state (see
	// MemStore.summarizeFor and quiet.go), reached from the index for
	// every VEN and recomputed after every change to its state.
	summarize atomic.Pointer[summarizer]
}

// memSlot is an entry of MemStore.vens: the VEN's entry and its summary,
// which a reader finds without touching the entry (see summary).
type memSlot struct {
	e *memEntry
	q *quietRec
}

// summarizer is a function of a VEN's state to a key and a time (see
// quietRec).
type summarizer struct {
	fn func(*VENState) (key uint64, until int64)
}

// quietRec is one VEN's summary: a 24-byte record reached from the index,
// apart from the VEN's state, so that reading it costs no cache miss on the
// state. It is written under the entry's lock
// (one writer at a time) and read without it; seq, odd while a write is
// under way, tells a reader whether it saw key and until of one write.
type quietRec struct {
	seq   atomic.Uint64
	key   atomic.Uint64
	until atomic.Int64
}

// noSummary is the summary of a VEN with none: its until is never ahead.
const noSummary = math.MinInt64

// store stores a summary; the caller holds the entry's lock or has not yet
// published the entry, so there is one writer at a time.
func (q *quietRec) store(key uint64, until int64) {
	q.seq.Add(1)
	q.key.Store(key)
	q.until.Store(until)
	q.seq.Add(1)
}

// load returns the last summary stored; ok is false when a write was under
// way.
func (q *quietRec) load() (key uint64, until int64, ok bool) {
	seq := q.seq.Load()
	key, until = q.key.Load(), q.until.Load()
	return key, until, seq&1 == 0 && q.seq.Load() == seq
}

type memEntry struct {
	mu      sync.Mutex
	deleted bool // set by Delete; an Update that waited for the lock must fail
	// The venID, never changed after Create, so read without mu: idLen
	// bytes of id, beside the lock that a request takes next, or, when it
	// is longer than id (idLen is longID), key alone. key is always set.
	idLen uint8
	id    [inlineID]byte
	key   string
	st    VENState
	q     *quietRec // the summary of st, also in the store's index
}

// inlineID is the longest venID a memEntry holds beside its lock (the
// VTN's own are 26 bytes; UUIDs 36); longID marks a longer one.
const (
	inlineID = 44
	longID   = 255
)

func newMemEntry(st *VENState) *memEntry {
	e := &memEntry{key: st.Registration.VenID, idLen: longID, st: *st, q: new(quietRec)}
	if len(e.key) <= inlineID {
		e.idLen = uint8(copy(e.id[:], e.key))
	}
	return e
}

// is reports whether e is venID's entry.
func (e *memEntry) is(venID string) bool {
	if e.idLen == longID {
		return e.key == venID
	}
	return string(e.id[:e.idLen]) == venID
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{vens: make(map[uint64]memSlot), seed: maphash.MakeSeed(), byReg: make(map[string]string)}
}

// hash is the key of venID in s.vens.
func (s *MemStore) hash(venID string) uint64 {
	if s.collide {
		return 42
	}
	return maphash.String(s.seed, venID)
}

var (
	_ Store      = (*MemStore)(nil)
	_ VENCounter = (*MemStore)(nil)
)

// find returns venID's entry, or nil, and venID's hash. The caller holds
// s.mu.
func (s *MemStore) find(venID string) (*memEntry, uint64) {
	h := s.hash(venID)
	if e := s.vens[h].e; e != nil && e.is(venID) {
		return e, h
	}
	return s.more[venID], h // nil, nearly always without a lookup
}

// Create implements Store.
func (s *MemStore) Create(ctx context.Context, st *VENState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id := st.Registration.VenID
	s.mu.Lock()
	defer s.mu.Unlock()
	found, h := s.find(id)
	if found != nil {
		return fmt.Errorf("%w: %q", ErrDuplicateVEN, id)
	}
	e := newMemEntry(st)
	e.summarize(s.summarize.Load())
	if s.vens[h].e == nil {
		s.vens[h] = memSlot{e: e, q: e.q}
	} else {
		if s.more == nil {
			s.more = make(map[string]*memEntry)
		}
		s.more[id] = e
	}
	if r := st.Registration.RegistrationID; r != "" {
		s.byReg[r] = id
	}
	return nil
}

// entry returns the locked entry of venID.
func (s *MemStore) entry(ctx context.Context, venID string) (*memEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	e, _ := s.find(venID)
	s.mu.RUnlock()
	if e == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownVEN, venID)
	}
	e.mu.Lock()
	if e.deleted {
		e.mu.Unlock()
		return nil, fmt.Errorf("%w: %q", ErrUnknownVEN, venID)
	}
	return e, nil
}

// View implements Store.
func (s *MemStore) View(ctx context.Context, venID string, fn func(*VENState) error) error {
	e, err := s.entry(ctx, venID)
	if err != nil {
		return err
	}
	defer e.mu.Unlock()
	return fn(&e.st)
}

// Update implements Store. The state is changed in place: the VTN's
// functions change nothing before they have validated everything.
func (s *MemStore) Update(ctx context.Context, venID string, fn func(*VENState) error) error {
	e, err := s.entry(ctx, venID)
	if err != nil {
		return err
	}
	defer e.mu.Unlock()
	before := e.st.Registration.RegistrationID
	err = fn(&e.st)
	e.summarize(s.summarize.Load()) // fn may have changed st before failing
	if err != nil {
		return err
	}
	if after := e.st.Registration.RegistrationID; after != before {
		// Lock order: entry, then store. Delete never waits for an entry
		// while it holds the store lock.
		s.mu.Lock()
		if s.byReg[before] == venID {
			delete(s.byReg, before)
		}
		if now, _ := s.find(venID); after != "" && now == e { // not deleted meanwhile
			s.byReg[after] = venID
		}
		s.mu.Unlock()
	}
	return nil
}

// Delete implements Store.
func (s *MemStore) Delete(ctx context.Context, venID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	e, h := s.find(venID)
	if e != nil && s.vens[h].e == e {
		delete(s.vens, h)
	} else {
		delete(s.more, venID)
	}
	s.mu.Unlock()
	if e == nil {
		return nil
	}
	// Lock order: entry, then store (as in Update). An Update that
	// changes the registrationID meanwhile finds the entry gone and
	// indexes no new one.
	e.mu.Lock()
	reg := e.st.Registration.RegistrationID
	e.deleted = true
	e.st = VENState{}
	e.mu.Unlock()
	s.mu.Lock()
	if again, _ := s.find(venID); s.byReg[reg] == venID && again == nil { // not created again meanwhile
		delete(s.byReg, reg)
	}
	s.mu.Unlock()
	return nil
}

// VENByRegistrationID implements Store.
func (s *MemStore) VENByRegistrationID(ctx context.Context, registrationID string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.byReg[registrationID]
	if !ok || registrationID == "" {
		return "", fmt.Errorf("%w: no VEN with registrationID %q", ErrUnknownVEN, registrationID)
	}
	return id, nil
}

// VENs implements Store.
func (s *MemStore) VENs(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	ids := make([]string, 0, len(s.vens)+len(s.more))
	for _, slot := range s.vens {
		ids = append(ids, slot.e.key)
	}
	for id := range s.more {
		ids = append(ids, id)
	}
	s.mu.RUnlock()
	slices.Sort(ids)
	return ids, nil
}

// CountVENs implements VENCounter.
func (s *MemStore) CountVENs(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.vens) + len(s.more), nil
}

// summarize stores the summary of e's state; the caller holds e.mu or has
// not yet published e.
func (e *memEntry) summarize(sum *summarizer) {
	if sum == nil {
		e.q.store(0, noSummary)
		return
	}
	key, until := sum.fn(&e.st)
	e.q.store(key, until)
}

// summarizeFor makes fn the function that summarizes each VEN's state from
// now on, in place of any set before (by another VTN given the same store),
// and summarizes the VENs stored already.
func (s *MemStore) summarizeFor(fn func(*VENState) (key uint64, until int64)) {
	sum := &summarizer{fn: fn}
	s.summarize.Store(sum)
	// Lock order: entry, then store (as in Update), so the entries are
	// listed first and locked after. A VEN created or changed meanwhile
	// is summarized by Create or Update with fn, or with a later VTN's
	// function, which then summarizes it again itself.
	s.mu.RLock()
	entries := make([]*memEntry, 0, len(s.vens)+len(s.more))
	for _, slot := range s.vens {
		entries = append(entries, slot.e)
	}
	for _, e := range s.more {
		entries = append(entries, e)
	}
	s.mu.RUnlock()
	for _, e := range entries {
		e.mu.Lock()
		if !e.deleted {
			e.summarize(s.summarize.Load())
		}
		e.mu.Unlock()
	}
}

// summary returns the summary last stored for the VEN whose venID hashes as
// venID does (the caller's key tells whether it is venID's), without
// locking the VEN; ok is false when there is none to read.
func (s *MemStore) summary(venID string) (key uint64, until int64, ok bool) {
	s.mu.RLock()
	q := s.vens[s.hash(venID)].q
	s.mu.RUnlock()
	if q == nil {
		return 0, noSummary, false
	}
	return q.load()
}
