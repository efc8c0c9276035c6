package openadr

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMemIndexAgainstAMap inserts and removes VENs at random, with hashes
// drawn from few values so that searches run over long stretches of taken
// slots and wrap around the table's end, gives each VEN a summary of its own
// and rewrites some in place, and checks the index against a map: every VEN
// found with the summary last written to it, through grows and backward
// shifts, none found that was removed, and the count. (The summaries'
// part, and TestQuietPollAfterDeleteInFlight and TestQuietPollRenamedState,
// came from a review.)
func TestMemIndexAgainstAMap(t *testing.T) {
	for _, hashes := range []int{1, 3, 40, 1 << 20} {
		t.Run(fmt.Sprintf("hashes=%d", hashes), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(hashes), 9))
			var x memIndex
			type ven struct {
				e     *memEntry
				key   uint64
				until int64
			}
			live := map[string]ven{}
			var gone []*memEntry
			// Hashes with homes near the table's end (high tags wrap) and
			// bits above the 32 of the tag.
			hash := func(n int) uint64 { return uint64(n%hashes)*0x9e3779b97f4a7c15 | 15 }
			for step := range 3000 {
				if len(live) > 0 && rng.IntN(5) < 2 {
					for id, v := range live { // one at random
						x.remove(v.e.h, v.e)
						delete(live, id)
						gone = append(gone, v.e)
						break
					}
				} else {
					id := fmt.Sprintf("ven-%d", step)
					e := newMemEntry(&VENState{Registration: Registration{VenID: id}}, hash(step))
					key := uint64(step) << 1
					x.insert(e.h, e, key, int64(step))
					live[id] = ven{e, key, int64(step)}
				}
				if step%7 == 0 { // a summary written in place, then moved
					for id, v := range live {
						v.key, v.until = v.key|1, int64(-step)
						x.slot(v.e.h, v.e).store(v.key, v.until)
						live[id] = v
						break
					}
				}
				require.Equal(t, len(live), x.n)
				require.LessOrEqual(t, x.n*4, len(x.slots)*3)
				if step > 300 && step%26 != 0 {
					continue // all of them checked every 26 steps
				}
				for id, v := range live {
					require.Same(t, v.e, x.find(v.e.h, id), id)
					require.NotNil(t, x.slot(v.e.h, v.e), id)
					key, until, ok := x.summary(v.e.h, v.key&^1)
					require.True(t, ok, id)
					require.Equal(t, v.key, key, id)
					require.Equal(t, v.until, until, "step %d %s", step, id)
				}
				for _, e := range gone {
					if step%52 != 0 {
						break // every 52 steps
					}
					require.Nil(t, x.find(e.h, e.key))
					require.Nil(t, x.slot(e.h, e))
				}
				n := 0
				x.each(func(*memEntry) { n++ })
				assert.Equal(t, len(live), n)
			}
		})
	}
}

// TestMemIndexSummaryByKey: among VENs of one hash, each summary is found by
// its key, the lowest bit aside, and a key of none finds nothing.
func TestMemIndexSummaryByKey(t *testing.T) {
	var x memIndex
	const h = 42
	var es []*memEntry
	for i := range 20 {
		e := newMemEntry(&VENState{Registration: Registration{VenID: fmt.Sprint(i)}}, h)
		x.insert(h, e, uint64(i)<<1|uint64(i%2), int64(i))
		es = append(es, e)
	}
	for i := range 20 {
		key, until, ok := x.summary(h, uint64(i)<<1)
		require.True(t, ok)
		assert.Equal(t, uint64(i)<<1|uint64(i%2), key)
		assert.Equal(t, int64(i), until)
	}
	_, until, ok := x.summary(h, 99<<1)
	assert.False(t, ok)
	assert.Equal(t, int64(noSummary), until)
	_, _, ok = x.summary(h+1<<32, 3<<1) // another hash of the same tag
	assert.True(t, ok, "the tag finds the slot; the key tells whose it is")
	x.slot(h, es[3]).store(3<<1, 1000)
	_, until, _ = x.summary(h, 3<<1)
	assert.Equal(t, int64(1000), until)
	for _, e := range es {
		x.remove(h, e)
	}
	assert.Zero(t, x.n)
	_, _, ok = x.summary(h, 0)
	assert.False(t, ok)
}
