package snws2

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestKeyCachePerUTCDay(t *testing.T) {
	var c keyCache
	d := time.Date(2017, 4, 25, 23, 59, 59, 0, time.UTC)
	k1 := c.get("s", d)
	assert.Equal(t, SigningKey("s", d), k1)
	assert.Same(t, &k1[0], &c.get("s", d.Add(-time.Hour))[0], "same day: cached")
	// 01:00 in UTC+2 is still the 25th in UTC.
	assert.Same(t, &k1[0], &c.get("s", time.Date(2017, 4, 26, 1, 0, 0, 0, time.FixedZone("", 2*3600)))[0])
	k2 := c.get("s", d.Add(2*time.Second))
	assert.Equal(t, SigningKey("s", d.Add(2*time.Second)), k2, "next UTC day: new key")
	assert.NotEqual(t, k1, k2)
}
