package snws2_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/solarnetwork/snws2"
	"github.com/stretchr/testify/require"
)

// FuzzCanonicalise signs requests with arbitrary paths, queries and bodies:
// signing never panics, encoding yields only unreserved characters and
// %XX, and what is signed verifies.
func FuzzCanonicalise(f *testing.F) {
	f.Add("/api/query", "foo=bar&bim=bam", "")
	f.Add("/a%2Fb", "a=%E2%82%AC&a=+&b", "k=v&x=%20")
	f.Add("/", "%zz", "\x00\xff")
	fc := clock.NewFake(vectorTime)
	s, _ := snws2.NewSigner("id", "secret", snws2.WithClock(fc))
	v, _ := snws2.NewVerifier(lookup, snws2.WithClock(fc))
	f.Fuzz(func(t *testing.T, path, query, body string) {
		enc := snws2.Encode(query)
		for i := 0; i < len(enc); i++ {
			c := enc[i]
			if c == '%' {
				continue
			}
			require.True(t, strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~", rune(c)),
				"Encode(%q) = %q: %q not unreserved", query, enc, c)
		}
		u, err := url.Parse("http://localhost" + "/" + strings.TrimPrefix(path, "/") + "?" + query)
		if err != nil || u.Host != "localhost" || !utf8.ValidString(path) {
			return
		}
		req, err := http.NewRequest("POST", u.String(), strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := s.Sign(req); err != nil {
			return // an unparsable query or form is refused, not signed
		}
		if strings.ContainsAny(u.RawQuery+u.EscapedPath(), " \t\r\n") {
			return // not a request net/http can put on the wire
		}
		sr := serverSide(t, req)
		_, err = v.Verify(sr)
		require.NoError(t, err, "signed request does not verify (%s)", u)
	})
}

// FuzzVerify hands the Verifier arbitrary Authorization, date and Digest
// headers and bodies: it refuses them with an *Error, never panics.
func FuzzVerify(f *testing.F) {
	f.Add("SNWS2 Credential=id,SignedHeaders=host;x-sn-date,Signature=4739139d3d370f147b6585795c309b1c6d7d7f59943081f7dd943f689cfa59a3",
		vectorDate, "sha-256=Im5J4T0W5eiqDWLljNYzYb8JfT4rJESqMEQzRiii6N4=", "{}")
	f.Add("SNWS2 ,,=,Credential", "", "sha=zz", "")
	f.Add("SNWS2 Credential=id,SignedHeaders=;;;,Signature=", "Mon, 02 Jan 2006 15:04:05 GMT", "md5=1", "x")
	v, _ := snws2.NewVerifier(lookup, snws2.WithClock(clock.NewFake(vectorTime)))
	f.Fuzz(func(t *testing.T, auth, date, digest, body string) {
		req, err := http.NewRequest("POST", "http://localhost/api", strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", auth)
		req.Header.Set("X-SN-Date", date)
		req.Header.Set("Digest", digest)
		_, err = v.Verify(req)
		require.Error(t, err, "forged request accepted: %q", auth)
	})
}
