package alphaess

import (
	"crypto/sha512"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// The three headers every Open API request carries. Only these values are
// signed: the query string and the body are not.
const (
	HeaderAppID     = "appId"
	HeaderTimeStamp = "timeStamp"
	HeaderSign      = "sign"
)

// MaxClockSkew is how far a request's timeStamp may lie from the server's
// clock before AlphaESS answers 6006 (or 6009).
const MaxClockSkew = 300 * time.Second

// Sign returns the signature AlphaESS expects for a request: the lower-case
// hex SHA-512 of appID + appSecret + timeStamp, concatenated without
// separators. timeStamp is Unix time in seconds as a decimal string, the
// same string that is sent in the timeStamp header.
func Sign(appID, appSecret, timeStamp string) string {
	sum := sha512.Sum512([]byte(appID + appSecret + timeStamp))
	return hex.EncodeToString(sum[:])
}

// sign sets the signing headers on req. internal/rest calls it on every
// attempt, retries included, so each attempt carries a fresh timeStamp from
// the client's clock and a signature made from that same string.
func (c *core) sign(req *http.Request) error {
	ts := strconv.FormatInt(c.clock.Now().Unix(), 10)
	// Header.Set canonicalises to Appid/Timestamp/Sign; the server matches
	// header names case-insensitively (Go clients that send them so work in
	// production).
	req.Header.Set(HeaderAppID, c.appID)
	req.Header.Set(HeaderTimeStamp, ts)
	req.Header.Set(HeaderSign, Sign(c.appID, c.secret.Reveal(), ts))
	return nil
}
