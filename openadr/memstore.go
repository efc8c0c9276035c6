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
	// vens finds a VEN by a hash of its venID and holds its summary (see
	// memIndex): among many thousands of VENs, a lookup and a summary cost
	// one cache miss.
	vens    memIndex
	seed    maphash.Seed
	collide bool              // tests: every venID has one hash
	byReg   map[string]string // registrationID → venID

	// summarize is the VTN's summary of a VEN's state (see
	// MemStore.summarizeFor and quiet.go), kept in the index for every
	// VEN and recomputed after every change to its state.
	summarize atomic.Pointer[summarizer]
}

// summarizer is a function of a VEN's state to a key and a time (see
// VTN.summarize).
type summarizer struct {
	fn func(*VENState) (key uint64, until int64)
}

// noSummary is the summary of a VEN with none: its until is never ahead.
const noSummary = math.MinInt64

type memEntry struct {
	mu      sync.Mutex
	deleted bool // set by Delete; an Update that waited for the lock must fail
	// The venID and its hash, never changed after Create, so read without
	// mu: idLen bytes of id, beside the lock that a request takes next,
	// or, when it is longer than id (idLen is longID), key alone. key is
	// always set.
	idLen uint8
	id    [inlineID]byte
	key   string
	h     uint64
	st    VENState
}

// inlineID is the longest venID a memEntry holds beside its lock (the
// VTN's own are 26 bytes; UUIDs 36); longID marks a longer one.
const (
	inlineID = 44
	longID   = 255
)

func newMemEntry(st *VENState, h uint64) *memEntry {
	e := &memEntry{key: st.Registration.VenID, h: h, idLen: longID, st: *st}
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
	return &MemStore{seed: maphash.MakeSeed(), byReg: make(map[string]string)}
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
	return s.vens.find(h, venID), h
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
	e := newMemEntry(st, h)
	key, until := e.summary(s.summarize.Load())
	s.vens.insert(h, e, key, until)
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
	s.storeSummary(e) // fn may have changed st before failing
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
	if e != nil {
		s.vens.remove(h, e)
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
	ids := make([]string, 0, s.vens.n)
	s.vens.each(func(e *memEntry) { ids = append(ids, e.key) })
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
	return s.vens.n, nil
}

// summary is the summary of e's state by sum; the caller holds e.mu or has
// not yet published e. A state whose venID is no longer the one it is
// stored under (an Update changed it) has none: its key would name a VEN
// the index does not know, which a poll of that venID could find by the
// slot's 32-bit tag alone.
func (e *memEntry) summary(sum *summarizer) (key uint64, until int64) {
	if sum == nil || e.st.Registration.VenID != e.key {
		return 0, noSummary
	}
	return sum.fn(&e.st)
}

// storeSummary stores the summary of e's state in e's slot; the caller holds
// e.mu. A deleted e has no slot.
func (s *MemStore) storeSummary(e *memEntry) {
	key, until := e.summary(s.summarize.Load())
	s.mu.RLock()
	if slot := s.vens.slot(e.h, e); slot != nil {
		slot.store(key, until)
	}
	s.mu.RUnlock()
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
	entries := make([]*memEntry, 0, s.vens.n)
	s.vens.each(func(e *memEntry) { entries = append(entries, e) })
	s.mu.RUnlock()
	for _, e := range entries {
		e.mu.Lock()
		if !e.deleted {
			s.storeSummary(e)
		}
		e.mu.Unlock()
	}
}

// summary returns the summary last stored for venID whose key, its lowest
// bit aside, is want, without locking the VEN; ok is false when there is
// none to read.
func (s *MemStore) summary(venID string, want uint64) (key uint64, until int64, ok bool) {
	h := s.hash(venID)
	s.mu.RLock()
	key, until, ok = s.vens.summary(h, want)
	s.mu.RUnlock()
	return key, until, ok
}
