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
// slots and wrap around the table's end, and after every step checks the
// index against a map: every VEN found, none found that was removed, and
// the count. TestMemIndexSummariesSurviveMoves follows the summaries.
func TestMemIndexAgainstAMap(t *testing.T) {
	for _, hashes := range []int{1, 3, 40, 1 << 20} {
		t.Run(fmt.Sprintf("hashes=%d", hashes), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(hashes), 7))
			var x memIndex
			type ven struct{ e *memEntry }
			live := map[string]ven{}
			var gone []*memEntry
			hash := func(id string) uint64 {
				// Hashes near the table's end (high tags wrap) and
				// above 32 bits (not in the tag).
				var n int
				_, _ = fmt.Sscanf(id, "ven-%d", &n)
				return uint64(n%hashes)*0x9e3779b97f4a7c15 | 15
			}
			for step := range 3000 {
				if len(live) > 0 && rng.IntN(5) < 2 {
					for id, v := range live { // one at random
						x.remove(hash(id), v.e)
						delete(live, id)
						gone = append(gone, v.e)
						break
					}
				} else {
					id := fmt.Sprintf("ven-%d", step)
					e := newMemEntry(&VENState{Registration: Registration{VenID: id}}, hash(id))
					x.insert(e.h, e, e.h&^1, int64(step))
					live[id] = ven{e}
				}
				require.Equal(t, len(live), x.n)
				require.LessOrEqual(t, x.n*4, len(x.slots)*3)
				if step%50 != 0 && step > 200 {
					continue // check all every 50 steps
				}
				for id, v := range live {
					require.Same(t, v.e, x.find(hash(id), id), id)
					require.NotNil(t, x.slot(hash(id), v.e), id)
				}
				for _, e := range gone {
					require.Nil(t, x.find(e.h, e.key))
					require.Nil(t, x.slot(e.h, e))
				}
				assert.Len(t, x.entries(nil), len(live))
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

// TestMemIndexSummariesSurviveMoves gives each VEN a key and until of its
// own, rewrites some in place, and after every step, through grows and
// backward shifts that wrap around the table's end, finds each VEN's
// summary as last written. (From a review, as the two tests below.)
func TestMemIndexSummariesSurviveMoves(t *testing.T) {
	for _, hashes := range []int{1, 3, 40} {
		rng := rand.New(rand.NewPCG(uint64(hashes), 9))
		var x memIndex
		type ven struct {
			e     *memEntry
			key   uint64
			until int64
		}
		live := map[string]ven{}
		hash := func(n int) uint64 { return uint64(n%hashes)*0x9e3779b97f4a7c15 | 15 }
		for step := range 3000 {
			if len(live) > 0 && rng.IntN(5) < 2 {
				for id, v := range live {
					x.remove(v.e.h, v.e)
					delete(live, id)
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
					v.until = int64(-step)
					x.slot(v.e.h, v.e).store(v.key|1, v.until)
					v.key |= 1
					live[id] = v
					break
				}
			}
			if step > 300 && step%13 != 0 {
				continue // all of them checked every 13 steps
			}
			for id, v := range live {
				key, until, ok := x.summary(v.e.h, v.key&^1)
				require.True(t, ok, id)
				require.Equal(t, v.key, key, id)
				require.Equal(t, v.until, until, "step %d %s", step, id)
			}
		}
	}
}
