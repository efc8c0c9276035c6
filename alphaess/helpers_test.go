package alphaess_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the tests use real zones wherever they run

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/clock"
)

// The portal's published demo credentials (public).
const (
	testAppID  = "alphaef7900ee81dbbce9"
	testSecret = "c2d2ef6c047c49678e2c332fb2d74c3c"
	testSN     = "AL7011023030600"
	testEVSN   = "AE1000321040021"
	base       = "https://openapi.alphaess.test/api"
)

// sydney is the systems' zone in most tests: far from UTC, so a date taken
// from UTC by mistake shows.
var sydney = mustZone("Australia/Sydney")

// t0 is 20:10 on 4 August 2026 in Sydney (10:10 UTC).
var t0 = time.Date(2026, 8, 4, 20, 10, 0, 0, sydney)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// captured is one request the mock saw.
type captured struct {
	req  *http.Request
	body []byte
}

// json decodes the captured body into a map.
func (c captured) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(c.body, &m), "request body %q", c.body)
	return m
}

// mock is an httpmock transport that records every request.
type mock struct {
	*httpmock.MockTransport
	clock *clock.Fake

	mu   sync.Mutex
	seen []captured
}

// newMock returns a client for testSN in Sydney on a mock transport and a
// fake clock at t0. Pacing stays at its default (the fake clock makes the
// waits instant).
func newMock(t *testing.T, opts ...alphaess.Option) (*alphaess.Client, *mock) {
	t.Helper()
	m := &mock{MockTransport: httpmock.NewMockTransport(), clock: clock.NewFake(t0)}
	all := append([]alphaess.Option{
		alphaess.WithHTTPClient(&http.Client{Transport: m}),
		alphaess.WithBaseURL(base),
		alphaess.WithClock(m.clock),
		alphaess.WithLocation(sydney),
		alphaess.WithSerialNumber(testSN),
	}, opts...)
	return mustNew(t, testAppID, testSecret, all...), m
}

// mustNew is alphaess.New for options the test knows to be valid.
func mustNew(t testing.TB, appID, secret string, opts ...alphaess.Option) *alphaess.Client {
	t.Helper()
	c, err := alphaess.New(appID, secret, opts...)
	require.NoError(t, err, "alphaess.New")
	return c
}

// on answers method endpoint with the responders in turn (the last one
// repeats), recording each request.
func (m *mock) on(method, endpoint string, rs ...httpmock.Responder) {
	var n int
	m.RegisterResponder(method, base+"/"+endpoint, func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.Body != nil {
			body, _ = io.ReadAll(req.Body)
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		m.mu.Lock()
		m.seen = append(m.seen, captured{req, body})
		r := rs[min(n, len(rs)-1)]
		n++
		m.mu.Unlock()
		return r(req)
	})
}

// requests returns what the mock saw.
func (m *mock) requests() []captured {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]captured(nil), m.seen...)
}

func (m *mock) last(t *testing.T) captured {
	t.Helper()
	r := m.requests()
	require.NotEmpty(t, r, "no request was made")
	return r[len(r)-1]
}

// fixture answers 200 with testdata/name.
func fixture(t *testing.T, name string) httpmock.Responder {
	t.Helper()
	return httpmock.NewBytesResponder(http.StatusOK, readFixture(t, name))
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// body answers status with b.
func body(status int, b string) httpmock.Responder { return httpmock.NewStringResponder(status, b) }

// envelopeCode answers 200 with an envelope carrying code.
func envelopeCode(code int, msg string) httpmock.Responder {
	b, _ := json.Marshal(map[string]any{"code": code, "msg": msg, "expMsg": nil, "data": nil, "extra": nil})
	return httpmock.NewBytesResponder(http.StatusOK, b)
}
