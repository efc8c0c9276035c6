package openadr

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// MemStore is the in-memory Store the VTN uses by default. Each VEN has its
// own lock, so requests from different VENs do not wait for one another. Its
// state is lost when the process ends.
type MemStore struct {
	mu    sync.RWMutex
	vens  map[string]*memEntry
	byReg map[string]string // registrationID → venID
}

type memEntry struct {
	mu      sync.Mutex
	deleted bool // set by Delete; an Update that waited for the lock must fail
	st      VENState
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{vens: make(map[string]*memEntry), byReg: make(map[string]string)}
}

var (
	_ Store      = (*MemStore)(nil)
	_ VENCounter = (*MemStore)(nil)
)

// Create implements Store.
func (s *MemStore) Create(ctx context.Context, st *VENState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id := st.Registration.VenID
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.vens[id]; ok {
		return fmt.Errorf("%w: %q", ErrDuplicateVEN, id)
	}
	s.vens[id] = &memEntry{st: *st}
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
	e := s.vens[venID]
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
		if after != "" && s.vens[venID] == e { // not deleted meanwhile
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
	e := s.vens[venID]
	delete(s.vens, venID)
	for r, v := range s.byReg {
		if v == venID {
			delete(s.byReg, r)
		}
	}
	s.mu.Unlock()
	if e != nil {
		e.mu.Lock()
		e.deleted = true
		e.st = VENState{}
		e.mu.Unlock()
	}
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
	ids := make([]string, 0, len(s.vens))
	for id := range s.vens {
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
	return len(s.vens), nil
}
