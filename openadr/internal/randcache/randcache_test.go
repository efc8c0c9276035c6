package randcache_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/randcache"
)

func TestBounded(t *testing.T) {
	c := randcache.New[int](3)
	for i := range 10 {
		c.Put(fmt.Sprint(i), i)
		require.LessOrEqual(t, c.Len(), 3)
	}
	v, ok := c.Get("9")
	require.True(t, ok, "the newest entry is kept")
	assert.Equal(t, 9, v)
	v, ok = c.GetBytes([]byte("9"))
	assert.True(t, ok)
	assert.Equal(t, 9, v)
}

func TestReplacingKeepsOthers(t *testing.T) {
	c := randcache.New[int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	c.Put("b", 3) // not new: nothing is dropped
	a, ok := c.Get("a")
	require.True(t, ok)
	assert.Equal(t, 1, a)
	b, _ := c.Get("b")
	assert.Equal(t, 3, b)
	c.Delete("a")
	_, ok = c.Get("a")
	assert.False(t, ok)
}

func TestZeroLimitKeepsNothing(t *testing.T) {
	c := randcache.New[int](0)
	c.Put("a", 1)
	_, ok := c.Get("a")
	assert.False(t, ok)
}

func TestConcurrent(t *testing.T) {
	c := randcache.New[int](50)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				k := fmt.Sprint(g, i%100)
				c.Put(k, i)
				c.Get(k)
				if i%7 == 0 {
					c.Delete(k)
				}
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, c.Len(), 50)
}
