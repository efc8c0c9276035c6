package volue

import (
	"sync"
	"time"
)

// dedup remembers the events handled within a window, in bounded memory:
// at most capacity keys, the oldest forgotten first. It also tracks the
// events being handled right now, so that a redelivery racing the first
// delivery is not handled twice.
type dedup struct {
	mu       sync.Mutex
	window   time.Duration
	capacity int
	seen     map[string]time.Time
	order    []seenKey // in the order seen; order[head:] is live
	head     int
	inflight map[string]struct{}
}

type seenKey struct {
	key string
	at  time.Time
}

func newDedup(window time.Duration, capacity int) *dedup {
	return &dedup{window: window, capacity: capacity, seen: map[string]time.Time{}, inflight: map[string]struct{}{}}
}

// state of a key when a delivery arrives.
type dedupState int

const (
	dedupNew dedupState = iota
	dedupSeen
	dedupInFlight
)

// begin classifies key at now and, when it is new, marks it in flight.
func (d *dedup) begin(key string, now time.Time) dedupState {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expire(now)
	if at, ok := d.seen[key]; ok && now.Sub(at) < d.window {
		return dedupSeen
	}
	if _, ok := d.inflight[key]; ok {
		return dedupInFlight
	}
	d.inflight[key] = struct{}{}
	return dedupNew
}

// end finishes a key begun: handled keys are remembered, failed ones
// forgotten so that Volue's retry is handled afresh.
func (d *dedup) end(key string, now time.Time, handled bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.inflight, key)
	if !handled || d.window <= 0 || d.capacity <= 0 {
		return
	}
	d.expire(now)
	for len(d.seen) >= d.capacity && d.head < len(d.order) {
		d.pop()
	}
	d.seen[key] = now
	d.order = append(d.order, seenKey{key, now})
}

// expire forgets keys older than the window.
func (d *dedup) expire(now time.Time) {
	for d.head < len(d.order) && now.Sub(d.order[d.head].at) >= d.window {
		d.pop()
	}
}

// pop forgets the oldest key.
func (d *dedup) pop() {
	if d.head >= len(d.order) {
		return
	}
	e := d.order[d.head]
	d.order[d.head] = seenKey{}
	d.head++
	if at, ok := d.seen[e.key]; ok && at.Equal(e.at) {
		delete(d.seen, e.key)
	}
	// Compact once the dead prefix is half the slice, so the backing array
	// does not grow without bound.
	if d.head > 64 && d.head*2 >= len(d.order) {
		d.order = append(d.order[:0:0], d.order[d.head:]...)
		d.head = 0
	}
}

// len returns how many keys are remembered.
func (d *dedup) len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.seen)
}
