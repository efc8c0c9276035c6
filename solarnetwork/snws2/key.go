package snws2

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
	"time"
)

// SigningKey derives the 32-byte signing key for secret on t's UTC day:
// HMAC-SHA256(HMAC-SHA256("SNWS2"+secret, yyyyMMdd), "snws2_request").
// SolarNetwork accepts a key for 7 days from the day it was derived for.
func SigningKey(secret string, t time.Time) []byte {
	day := t.UTC().Format("20060102")
	k := hmacSHA256([]byte("SNWS2"+secret), []byte(day))
	return hmacSHA256(k, []byte("snws2_request"))
}

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// keyCache holds the signing key of one UTC day, so that signing costs two
// HMACs less per request; a new day derives a new key.
type keyCache struct {
	mu  sync.Mutex
	day int // yyyymmdd of key, 0 when empty
	key []byte
}

func (c *keyCache) get(secret string, t time.Time) []byte {
	u := t.UTC()
	y, m, d := u.Date()
	day := y*10000 + int(m)*100 + d
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.day != day {
		c.key, c.day = SigningKey(secret, u), day
	}
	return c.key
}
