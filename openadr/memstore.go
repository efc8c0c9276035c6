package openadr

import (
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
)

// MemStore is the in-memory Store the VTN uses by default. Each VEN has its
// own lock, so requests from different VENs do not wait for one another. Its
// state is lost when the process ends.
type MemStore struct {
	mu sync.RWMutex
	// vens finds a VEN by a hash of its venID. Among many thousands of
	// VENs a lookup's memory is not in the CPU's cache: a map keyed by the
	// venID would read the map's slot, the key's bytes and the entry, each
	// a cache miss; keyed by the hash it reads the slot and the entry,
	// whose own copy of the venID confirms it (see memEntry.is). A venID
	// whose hash another venID has already (as likely as two random 64-bit
	// numbers being equal) is kept in more.
	vens    map[uint64]*memEntry
	more    map[string]*memEntry
	seed    maphash.Seed
	collide bool              // tests: every venID has one hash
	byReg   map[string]string // registrationID → venID
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
}

// inlineID is the longest venID a memEntry holds beside its lock (the
// VTN's own are 26 bytes; UUIDs 36); longID marks a longer one.
const (
	inlineID = 44
	longID   = 255
)

func newMemEntry(st *VENState) *memEntry {
	e := &memEntry{key: st.Registration.VenID, idLen: longID, st: *st}
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
	return &MemStore{vens: make(map[uint64]*memEntry), seed: maphash.MakeSeed(), byReg: make(map[string]string)}
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
	if e := s.vens[h]; e != nil && e.is(venID) {
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
	if s.vens[h] == nil {
		s.vens[h] = e
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
	if err := fn(&e.st); err != nil {
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
	if e != nil && s.vens[h] == e {
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
	for _, e := range s.vens {
		ids = append(ids, e.key)
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
