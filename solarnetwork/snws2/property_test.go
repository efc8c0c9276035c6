package snws2_test

import (
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

// alphabet mixes unreserved, reserved and non-ASCII characters.
var alphabet = []rune("aZ09-_.~ !*'();:@&=+$,/?#[]%é漢€\"<>")

func randString(r *rand.Rand, n int) string {
	var b strings.Builder
	for range 1 + r.IntN(n) {
		b.WriteRune(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

// TestSignVerifyProperty signs random requests, checks that they verify
// after a trip over the wire, and that any single change to what is signed
// makes verification fail.
func TestSignVerifyProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fc := clock.NewFake(vectorTime)
	s, _ := snws2.NewSigner("id", "secret", snws2.WithClock(fc))
	v, _ := snws2.NewVerifier(lookup, snws2.WithClock(fc))
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH"}
	mutations := []struct {
		name string
		f    func(*http.Request, *rand.Rand)
	}{
		{"method", func(q *http.Request, _ *rand.Rand) { q.Method += "X" }},
		{"path", func(q *http.Request, _ *rand.Rand) { q.RequestURI = "/z" + q.RequestURI }},
		{"query", func(q *http.Request, r *rand.Rand) {
			vs := q.URL.Query()
			vs.Add("k"+randString(r, 3), randString(r, 3))
			q.URL.RawQuery = vs.Encode()
		}},
		{"host", func(q *http.Request, _ *rand.Rand) { q.Host = "other" + q.Host }},
		{"header", func(q *http.Request, _ *rand.Rand) { q.Header.Set("X-SN-Custom", q.Header.Get("X-SN-Custom")+"x") }},
		{"date", func(q *http.Request, _ *rand.Rand) {
			q.Header.Set("X-SN-Date", vectorTime.Add(1e9).Format(http.TimeFormat))
		}},
		{"body", func(q *http.Request, _ *rand.Rand) {
			b, _ := io.ReadAll(q.Body)
			q.Body = ioNop(string(b) + "x")
		}},
	}
	for i := range 300 {
		method := methods[r.IntN(len(methods))]
		u := &url.URL{Scheme: "http", Host: "localhost:" + string(rune('1'+r.IntN(9))) + "000", Path: "/" + randString(r, 12)}
		q := url.Values{}
		for range r.IntN(4) {
			q.Add(randString(r, 5), randString(r, 8))
		}
		u.RawQuery = q.Encode()
		var body string
		if method != "GET" && method != "DELETE" {
			body = randString(r, 40)
		}
		req, err := http.NewRequest(method, u.String(), strings.NewReader(body))
		require.NoError(t, err)
		if body == "" {
			req.Body, req.GetBody = http.NoBody, nil
		} else {
			req.Header.Set("Content-Type", "text/plain; charset=utf-8")
		}
		req.Header.Set("X-SN-Custom", " "+strings.TrimSpace(randString(r, 10))+" ")
		require.NoError(t, s.Sign(req))
		_, err = v.Verify(serverSide(t, req))
		require.NoError(t, err, "case %d: %s %s", i, method, u)

		m := mutations[r.IntN(len(mutations))]
		if m.name == "body" && body == "" {
			m = mutations[0]
		}
		sr := serverSide(t, req)
		m.f(sr, r)
		_, err = v.Verify(sr)
		require.Error(t, err, "case %d: change of %s not detected: %s %s", i, m.name, method, u)
	}
}
