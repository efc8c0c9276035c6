package snws2

import (
	"net/url"
	"sort"
	"strings"
)

// Encode percent-encodes s as SNWS2 requires (RFC 3986): every UTF-8 byte
// except A–Z a–z 0–9 - _ . ~ becomes %XX with upper-case hex. Unlike
// url.QueryEscape it never writes "+" for a space.
func Encode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	appendEncoded(&b, s)
	return b.String()
}

func appendEncoded(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// CanonicalQuery returns the canonical query string of params: keys sorted
// (plain byte order), each key's values in their given order, every pair
// enc(key)=enc(value), joined by "&".
func CanonicalQuery(params url.Values) string {
	if len(params) == 0 {
		return ""
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range params[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			appendEncoded(&b, k)
			b.WriteByte('=')
			appendEncoded(&b, v)
		}
	}
	return b.String()
}
