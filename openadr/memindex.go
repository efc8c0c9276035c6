package openadr

import "sync/atomic"

// memIndex is MemStore's index of VENs: a hash table by open addressing
// (linear probing) whose slot for a VEN holds, beside its entry, the VEN's
// summary (see quiet.go). An empty poll reads the slot and nothing else of
// the store: 32 bytes, in one cache line. Among a million VENs, where
// nothing of the store is in the CPU's cache, a Go map's lookup and a
// summary apart from it cost two to four cache misses a poll; a Go map
// offers no value that readers can read in place, with atomics, while a
// writer changes it, hence a table of our own.
//
// The table is changed (slots taken, freed, moved) only under the store's
// write lock; a slot's summary is written under the read lock and its
// entry's lock, one writer at a time, and read under the read lock.
type memIndex struct {
	slots []memSlot // a power of two of them, at most 3/4 taken
	n     int       // slots taken
}

// memSlot is a slot of memIndex, free when e is nil.
type memSlot struct {
	e *memEntry
	// tagSeq holds in its low 32 bits the low 32 bits of the hash of e's
	// venID (the tag), which place the slot in the table and tell most
	// other VENs' slots from it without reading their entries, and above
	// them the count of summary writes (the seq), odd while one is under
	// way: key and until, read between two equal even counts, are of one
	// write.
	tagSeq atomic.Uint64
	key    atomic.Uint64
	until  atomic.Int64
}

const seqOne = 1 << 32 // one in the seq of tagSeq

// minSlots is the size of an empty memIndex's table.
const minSlots = 16

// tagOf is the tag of a venID whose hash is h.
func tagOf(h uint64) uint32 { return uint32(h) }

// home is the first slot searched for a VEN with tag t.
func (x *memIndex) home(t uint32) int { return int(t) & (len(x.slots) - 1) }

func (x *memIndex) next(i int) int { return (i + 1) & (len(x.slots) - 1) }

func (s *memSlot) tag() uint32 { return uint32(s.tagSeq.Load()) }

// store stores a summary in s.
func (s *memSlot) store(key uint64, until int64) {
	s.tagSeq.Add(seqOne)
	s.key.Store(key)
	s.until.Store(until)
	s.tagSeq.Add(seqOne)
}

// load returns the last summary stored in s; ok is false when a write was
// under way.
func (s *memSlot) load() (key uint64, until int64, ok bool) {
	ts := s.tagSeq.Load()
	key, until = s.key.Load(), s.until.Load()
	return key, until, (ts>>32)&1 == 0 && s.tagSeq.Load() == ts
}

// find returns the entry of venID, whose hash is h, or nil.
func (x *memIndex) find(h uint64, venID string) *memEntry {
	if x.n == 0 {
		return nil
	}
	t := tagOf(h)
	for i := x.home(t); x.slots[i].e != nil; i = x.next(i) {
		if s := &x.slots[i]; s.tag() == t && s.e.is(venID) {
			return s.e
		}
	}
	return nil
}

// slot returns the slot of e, whose venID's hash is h, or nil when e is not
// in the index.
func (x *memIndex) slot(h uint64, e *memEntry) *memSlot {
	if i := x.at(h, e); i >= 0 {
		return &x.slots[i]
	}
	return nil
}

// at returns the index of the slot of e, whose venID's hash is h, or -1.
func (x *memIndex) at(h uint64, e *memEntry) int {
	if x.n == 0 {
		return -1
	}
	for i := x.home(tagOf(h)); x.slots[i].e != nil; i = x.next(i) {
		if x.slots[i].e == e {
			return i
		}
	}
	return -1
}

// summary returns the summary of the VEN whose venID's hash is h and whose
// summary key is want, its lowest bit aside. ok is false when there is
// none, or when a write was under way in a slot of h's tag.
func (x *memIndex) summary(h, want uint64) (key uint64, until int64, ok bool) {
	if x.n == 0 {
		return 0, noSummary, false
	}
	t := tagOf(h)
	for i := x.home(t); x.slots[i].e != nil; i = x.next(i) {
		s := &x.slots[i]
		if s.tag() != t {
			continue
		}
		key, until, ok := s.load()
		if !ok || key&^1 == want {
			return key, until, ok
		}
	}
	return 0, noSummary, false
}

// insert puts e, whose venID's hash is h and which is not in the index yet,
// in a free slot with the summary (key, until).
func (x *memIndex) insert(h uint64, e *memEntry, key uint64, until int64) {
	if (x.n+1)*4 > len(x.slots)*3 {
		x.grow()
	}
	t := tagOf(h)
	s := x.free(t)
	s.e = e
	s.tagSeq.Store(uint64(t))
	s.key.Store(key)
	s.until.Store(until)
	x.n++
}

// free returns the first free slot from the home of tag t.
func (x *memIndex) free(t uint32) *memSlot {
	i := x.home(t)
	for x.slots[i].e != nil {
		i = x.next(i)
	}
	return &x.slots[i]
}

// grow doubles the table (or makes the first).
func (x *memIndex) grow() {
	old := x.slots
	x.slots = make([]memSlot, max(minSlots, 2*len(old)))
	for i := range old {
		if s := &old[i]; s.e != nil {
			x.free(s.tag()).copyFrom(s)
		}
	}
}

// remove frees the slot of e, whose venID's hash is h; it does nothing when
// e is not in the index. The slots after it that were placed past it
// move back, so that every search still finds its VEN before a free
// slot.
func (x *memIndex) remove(h uint64, e *memEntry) {
	free := x.at(h, e)
	if free < 0 {
		return
	}
	for i := x.next(free); x.slots[i].e != nil; i = x.next(i) {
		// The slot at i can move to free when its home is not in the
		// cyclic range (free, i]: a search for it starts at or before
		// free and passes free on its way to i.
		home := x.home(x.slots[i].tag())
		if x.dist(home, i) < x.dist(free, i) {
			continue
		}
		x.slots[free].copyFrom(&x.slots[i])
		free = i
	}
	x.slots[free].e = nil
	x.n--
}

// dist is how many slots a search steps from i to j.
func (x *memIndex) dist(i, j int) int { return (j - i) & (len(x.slots) - 1) }

// copyFrom makes d what s is: its entry, tag, seq and summary. The caller
// holds the store's write lock.
func (d *memSlot) copyFrom(s *memSlot) {
	d.e = s.e
	d.tagSeq.Store(s.tagSeq.Load())
	d.key.Store(s.key.Load())
	d.until.Store(s.until.Load())
}

// each calls fn with every entry of the index.
func (x *memIndex) each(fn func(*memEntry)) {
	for i := range x.slots {
		if e := x.slots[i].e; e != nil {
			fn(e)
		}
	}
}
