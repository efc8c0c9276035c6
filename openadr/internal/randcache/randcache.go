// Package randcache is the bounded cache the VTN and its stores share: a map
// from string keys that, when full, makes room for a new key by dropping an
// entry at random (the first of map iteration). Random eviction needs no
// bookkeeping per entry, and for the VTN's caches, keyed by VEN, entries
// that are still used are back within one poll period.
package randcache

import "sync"

// Cache is a bounded map, safe for concurrent use. The zero Cache is not
// usable; call New.
type Cache[V any] struct {
	mu    sync.RWMutex
	m     map[string]V
	limit int
}

// New returns a cache of at most limit entries; limit ≤ 0 keeps nothing.
func New[V any](limit int) *Cache[V] {
	return &Cache[V]{m: make(map[string]V), limit: max(limit, 0)}
}

// Get returns the value under key.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[key]
	c.mu.RUnlock()
	return v, ok
}

// GetBytes is Get for a key held as bytes, without allocating.
func (c *Cache[V]) GetBytes(key []byte) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[string(key)] // the compiler does not copy key for a lookup
	c.mu.RUnlock()
	return v, ok
}

// Put stores v under key, dropping another entry at random when the cache
// is full and key is new.
func (c *Cache[V]) Put(key string, v V) {
	if c.limit == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok && len(c.m) >= c.limit {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[key] = v
}

// Delete drops key.
func (c *Cache[V]) Delete(key string) {
	c.mu.Lock()
	delete(c.m, key)
	c.mu.Unlock()
}

// Len returns how many entries the cache holds.
func (c *Cache[V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
