package oadrsig

import (
	"container/heap"
	"sync"
	"time"
)

// nonceCache remembers the nonces of verified payloads for as long as their
// timestamps stay inside the window, and at most max of them. When full it
// forgets the oldest and raises floor to its timestamp: payloads dated no
// later than floor are refused from then on, so a forgotten nonce can never
// be replayed.
type nonceCache struct {
	mu    sync.Mutex
	max   int
	seen  map[string]struct{}
	byAge nonceHeap
	floor time.Time
}

type nonceEntry struct {
	key string
	at  time.Time
}

// nonceHeap orders entries by timestamp, oldest first.
type nonceHeap []nonceEntry

func (h nonceHeap) Len() int           { return len(h) }
func (h nonceHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h nonceHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nonceHeap) Push(x any)        { *h = append(*h, x.(nonceEntry)) }
func (h *nonceHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

func newNonceCache(max int) *nonceCache {
	return &nonceCache{max: max, seen: map[string]struct{}{}}
}

// add records key, dated at, unless it was seen before (ErrReplay) or is
// dated no later than a forgotten nonce (ErrStale). Entries dated before
// oldest are outside the window and are dropped first.
func (c *nonceCache) add(key string, at, oldest time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.byAge) > 0 && c.byAge[0].at.Before(oldest) {
		delete(c.seen, heap.Pop(&c.byAge).(nonceEntry).key)
	}
	if _, ok := c.seen[key]; ok {
		return ErrReplay
	}
	if !c.floor.IsZero() && !at.After(c.floor) {
		return ErrStale
	}
	if len(c.byAge) >= c.max && !at.After(c.byAge[0].at) {
		return ErrStale // older than everything remembered: forgetting any would not help
	}
	for len(c.byAge) >= c.max {
		e := heap.Pop(&c.byAge).(nonceEntry)
		delete(c.seen, e.key)
		if e.at.After(c.floor) {
			c.floor = e.at
		}
	}
	c.seen[key] = struct{}{}
	heap.Push(&c.byAge, nonceEntry{key, at})
	return nil
}

// len returns the number of nonces remembered.
func (c *nonceCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byAge)
}
