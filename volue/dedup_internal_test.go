package volue

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDedupMemoryIsBounded(t *testing.T) {
	d := newDedup(time.Hour, 100)
	t0 := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	for i := range 10_000 {
		k := strconv.Itoa(i)
		assert.Equal(t, dedupNew, d.begin(k, t0))
		d.end(k, t0, true)
	}
	assert.Equal(t, 100, d.len())
	assert.LessOrEqual(t, len(d.order)-d.head, 100)
	assert.Less(t, cap(d.order), 1000, "the queue is compacted")
	assert.Equal(t, dedupSeen, d.begin("9999", t0))
	assert.Equal(t, dedupNew, d.begin("0", t0), "the oldest were forgotten first")
}

func TestDedupWindowExpires(t *testing.T) {
	d := newDedup(time.Minute, 10)
	t0 := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	d.begin("a", t0)
	d.end("a", t0, true)
	assert.Equal(t, dedupSeen, d.begin("a", t0.Add(59*time.Second)))
	assert.Equal(t, dedupNew, d.begin("a", t0.Add(time.Minute)))
	assert.Zero(t, d.len())
}
