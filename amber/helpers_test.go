package amber

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// t0 lies inside the CurrentInterval of testdata/prices_current.json
// (2026-01-28 10:15–10:20 NEM).
var t0 = time.Date(2026, 1, 28, 0, 17, 0, 0, time.UTC)

const (
	testToken = "psk_5ecre7c0ffee5ecre7c0ffee5ecre7"
	siteID    = "01J23BAP2SFA218BMV8A73Y9Z9"
	base      = DefaultBaseURL
)

// newMock returns a client whose requests go to an httpmock transport, with
// a fake clock at t0.
func newMock(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport, *clock.Fake) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	fc := clock.NewFake(t0)
	all := append([]Option{WithHTTPClient(&http.Client{Transport: mt}), WithClock(fc)}, opts...)
	return mustNew(t, testToken, all...), mt, fc
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// rateHeaders are the headers Amber sends with every authenticated answer.
func rateHeaders(limit, remaining, reset int) http.Header {
	h := http.Header{}
	h.Set("RateLimit-Limit", itoa(limit))
	h.Set("RateLimit-Remaining", itoa(remaining))
	h.Set("RateLimit-Reset", itoa(reset))
	h.Set("RateLimit-Policy", itoa(limit)+";w=300")
	return h
}

func itoa(n int) string { return strconv.Itoa(n) }

// respond answers with status, the fixture file's bytes, JSON content type
// and the given headers.
func respond(t testing.TB, status int, file string, h http.Header) httpmock.Responder {
	t.Helper()
	body := fixture(t, file)
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(status, body)
		r.Header.Set("Content-Type", "application/json")
		for k, vs := range h {
			r.Header[k] = vs
		}
		return r, nil
	}
}

// wantRejected runs call against a fresh client and checks that it fails
// with a *energy.FieldError naming field before any request; what says which
// case failed.
func wantRejected(t *testing.T, what any, field string, call func(c *Client) error) {
	t.Helper()
	c, mt, _ := newMock(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, "[]"))
	wantField(t, call(c), field)
	assert.Zero(t, mt.GetTotalCallCount(), "%+v: requests made", what)
}

// wantField checks that err is a *energy.FieldError naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var fe *energy.FieldError
	require.ErrorAs(t, err, &fe, "want *energy.FieldError for %s", field)
	require.Equal(t, field, fe.Field, "FieldError.Field (%v)", err)
	require.ErrorIs(t, err, energy.ErrInvalid)
}

// mustNew is New for options known to be valid.
func mustNew(tb testing.TB, token string, opts ...Option) *Client {
	tb.Helper()
	c, err := New(token, opts...)
	require.NoError(tb, err)
	return c
}
