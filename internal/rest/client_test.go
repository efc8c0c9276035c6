package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// server answers with the statuses in seq, one per request (the last one
// repeats), and records what it saw.
type server struct {
	*httptest.Server
	n    atomic.Int32
	seq  []int
	hdr  func(i int, h http.Header)
	body string
	seen []*http.Request
	got  [][]byte
}

func newServer(t *testing.T, body string, seq ...int) *server {
	t.Helper()
	s := &server{seq: seq, body: body}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(s.n.Add(1)) - 1
		b, _ := io.ReadAll(r.Body)
		s.seen = append(s.seen, r.Clone(context.Background()))
		s.got = append(s.got, b)
		status := s.seq[min(i, len(s.seq)-1)]
		if s.hdr != nil {
			s.hdr(i, w.Header())
		}
		w.WriteHeader(status)
		io.WriteString(w, s.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func newClient(s *server, f *clock.Fake, mut func(*rest.Config)) *rest.Client {
	cfg := rest.Config{Vendor: "test", BaseURL: s.URL + "/api", Clock: f, Retries: rest.DefaultRetries}
	if mut != nil {
		mut(&cfg)
	}
	return rest.New(cfg)
}

func TestDoSendsAndDecodes(t *testing.T) {
	s := newServer(t, `{"name":"site","n":3}`, 200)
	c := newClient(s, clock.NewFake(t0), func(c *rest.Config) {
		c.Header = http.Header{"Authorization": {"Bearer tok"}}
	})
	var out struct {
		Name string
		N    int
	}
	resp, err := c.Do(context.Background(), &rest.Request{Method: "POST", Path: "/sites/x", Query: map[string][]string{"a": {"1 2"}},
		Body: map[string]int{"v": 1}, Header: http.Header{"X-Extra": {"yes"}}, Result: &out})
	require.NoError(t, err)
	assert.Equal(t, "site", out.Name)
	assert.Equal(t, 3, out.N)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)
	r := s.seen[0]
	for k, want := range map[string]string{
		"User-Agent": rest.UserAgent, "Authorization": "Bearer tok", "X-Extra": "yes",
		"Content-Type": "application/json", "Accept": "application/json",
	} {
		assert.Equal(t, want, r.Header.Get(k), "header %s", k)
	}
	assert.Equal(t, "/api/sites/x", r.URL.Path)
	assert.Equal(t, "1 2", r.URL.Query().Get("a"))
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, `{"v":1}`, string(s.got[0]))
	assert.True(t, strings.HasPrefix(rest.UserAgent, "gridwire/"), rest.UserAgent)
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		idempotent bool
		seq        []int
		wantN      int
		wantErr    error
	}{
		{"GET 5xx then ok", "GET", false, []int{502, 503, 200}, 3, nil},
		{"GET gives up", "GET", false, []int{500}, 3, energy.ErrUnavailable},
		{"POST 5xx not retried", "POST", false, []int{502, 200}, 1, energy.ErrUnavailable},
		{"idempotent POST retried", "POST", true, []int{502, 200}, 2, nil},
		{"4xx not retried", "GET", false, []int{404, 200}, 1, nil},
		{"401 unauthorized", "GET", false, []int{401}, 1, energy.ErrUnauthorized},
		{"403 unauthorized", "GET", false, []int{403}, 1, energy.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, `{}`, tt.seq...)
			f := clock.NewFake(t0)
			c := newClient(s, f, nil)
			_, err := c.Do(context.Background(), &rest.Request{Method: tt.method, Path: "/x", Idempotent: tt.idempotent})
			assert.EqualValues(t, tt.wantN, s.n.Load(), "requests")
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
			if tt.wantErr == nil && tt.seq[len(tt.seq)-1] == 200 && tt.seq[0] != 404 {
				assert.NoError(t, err)
			}
			if err != nil {
				var he *rest.HTTPError
				assert.ErrorAs(t, err, &he)
			}
			// back-off waited between retries, growing, within bounds
			sl := f.Sleeps()
			assert.Len(t, sl, tt.wantN-1, "sleeps %v", sl)
			for i, d := range sl {
				lo := rest.DefaultBackoffBase << i / 2
				assert.True(t, d >= lo && d <= rest.DefaultBackoffBase<<i, "sleep[%d] = %v, want in [%v, %v]", i, d, lo, rest.DefaultBackoffBase<<i)
			}
		})
	}
}

func TestBackoffCapped(t *testing.T) {
	s := newServer(t, `{}`, 503)
	f := clock.NewFake(t0)
	c := newClient(s, f, func(c *rest.Config) { c.Retries = 10; c.BackoffMax = time.Second })
	_, _ = c.Do(context.Background(), &rest.Request{Path: "/x"})
	for _, d := range f.Sleeps() {
		assert.True(t, d >= 0 && d <= time.Second, "sleep %v exceeds cap", d)
	}
	assert.EqualValues(t, 11, s.n.Load(), "requests")
}

// TestBackoffJitter: retries spread out. Ten waits at the cap (each half
// fixed, half random) are not all the same unless the jitter is gone; the
// chance that they are by luck is nil for practical purposes.
func TestBackoffJitter(t *testing.T) {
	s := newServer(t, `{}`, 503)
	f := clock.NewFake(t0)
	c := newClient(s, f, func(c *rest.Config) { c.Retries = 10; c.BackoffBase = time.Second; c.BackoffMax = time.Second })
	_, _ = c.Do(context.Background(), &rest.Request{Path: "/x"})
	sl := f.Sleeps()
	require.Len(t, sl, 10)
	distinct := map[time.Duration]bool{}
	for _, d := range sl {
		assert.True(t, d >= 500*time.Millisecond && d <= time.Second, "sleep %v outside [500ms, 1s]", d)
		distinct[d] = true
	}
	assert.GreaterOrEqual(t, len(distinct), 2, "sleeps %v: no jitter", sl)
}

func TestNoRetryRequest(t *testing.T) {
	s := newServer(t, `{}`, 503, 429, 200)
	c := newClient(s, clock.NewFake(t0), nil)
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x", NoRetry: true})
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.EqualValues(t, 1, s.n.Load(), "requests")
	// a 429 is still waited out
	_, err = c.Do(context.Background(), &rest.Request{Path: "/x", NoRetry: true})
	assert.NoError(t, err, "after 429")
}

func TestNoRetries(t *testing.T) {
	s := newServer(t, `{}`, 503, 200)
	c := newClient(s, clock.NewFake(t0), func(c *rest.Config) { c.Retries = -1 })
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.EqualValues(t, 1, s.n.Load(), "requests")
}

func TestTransportErrorRetried(t *testing.T) {
	s := newServer(t, `{}`, 200)
	url := s.URL
	s.Close() // connection refused from now on
	f := clock.NewFake(t0)
	c := rest.New(rest.Config{Vendor: "test", BaseURL: url, Clock: f, Retries: rest.DefaultRetries})
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
	var te *rest.TransportError
	require.ErrorAs(t, err, &te)
	require.Equal(t, 3, te.Attempts)
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Len(t, f.Sleeps(), 2)
	// a POST that is not idempotent is tried once
	_, err = c.Do(context.Background(), &rest.Request{Method: "POST", Path: "/x"})
	require.ErrorAs(t, err, &te)
	require.Equal(t, 1, te.Attempts, "POST")
}

func TestRateLimit(t *testing.T) {
	t.Run("waits Retry-After then retries once", func(t *testing.T) {
		s := newServer(t, `{}`, 429, 200)
		s.hdr = func(i int, h http.Header) { h.Set("Retry-After", "7") }
		f := clock.NewFake(t0)
		c := newClient(s, f, nil)
		_, err := c.Do(context.Background(), &rest.Request{Method: "POST", Path: "/x"})
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{7 * time.Second}, f.Sleeps())
	})
	t.Run("second 429 is returned", func(t *testing.T) {
		s := newServer(t, `{"error":"slow down"}`, 429)
		s.hdr = func(i int, h http.Header) { h.Set("Retry-After", "2") }
		c := newClient(s, clock.NewFake(t0), nil)
		_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
		var he *rest.HTTPError
		require.ErrorAs(t, err, &he)
		require.Equal(t, 429, he.StatusCode)
		require.Equal(t, 2*time.Second, he.RetryAfter)
		require.ErrorIs(t, err, energy.ErrRateLimited)
		assert.EqualValues(t, 2, s.n.Load(), "requests")
		assert.Contains(t, err.Error(), "slow down")
	})
	t.Run("no wait", func(t *testing.T) {
		s := newServer(t, `{}`, 429, 200)
		f := clock.NewFake(t0)
		c := newClient(s, f, func(c *rest.Config) { c.NoWaitOnRateLimit = true })
		_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
		require.ErrorIs(t, err, energy.ErrRateLimited)
		assert.EqualValues(t, 1, s.n.Load(), "requests")
		assert.Empty(t, f.Sleeps())
	})
	t.Run("vendor reset hook and HTTP date", func(t *testing.T) {
		s := newServer(t, `{}`, 429, 200)
		f := clock.NewFake(t0)
		c := newClient(s, f, func(c *rest.Config) {
			c.RetryAfter = func(resp *http.Response, now time.Time) (time.Duration, bool) {
				assert.True(t, now.Equal(t0), "hook now = %v", now)
				return 42 * time.Second, true
			}
		})
		_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{42 * time.Second}, f.Sleeps())
		d, ok := rest.ParseRetryAfter(&http.Response{Header: http.Header{"Retry-After": {t0.Add(90 * time.Second).Format(http.TimeFormat)}}}, t0)
		assert.True(t, ok, "HTTP date Retry-After")
		assert.Equal(t, 90*time.Second, d, "HTTP date Retry-After")
		_, ok = rest.ParseRetryAfter(&http.Response{Header: http.Header{"Retry-After": {"soon"}}}, t0)
		assert.False(t, ok, "garbage Retry-After accepted")
	})
	t.Run("wait beyond MaxWait or deadline is not taken", func(t *testing.T) {
		s := newServer(t, `{}`, 429, 200)
		s.hdr = func(i int, h http.Header) { h.Set("Retry-After", "600") }
		f := clock.NewFake(t0)
		c := newClient(s, f, nil)
		_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
		require.ErrorIs(t, err, energy.ErrRateLimited, "MaxWait")
		s2 := newServer(t, `{}`, 429, 200)
		s2.hdr = func(i int, h http.Header) { h.Set("Retry-After", "60") }
		c = newClient(s2, clock.NewFake(t0), nil) // a fake clock far from real time: the deadline is still real
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err = c.Do(ctx, &rest.Request{Path: "/x"})
		require.ErrorIs(t, err, energy.ErrRateLimited, "deadline")
		assert.Empty(t, f.Sleeps(), "waited anyway")
		assert.EqualValues(t, 1, s2.n.Load(), "waited anyway")
	})
}

func TestSignEveryAttempt(t *testing.T) {
	s := newServer(t, `{}`, 502, 200)
	f := clock.NewFake(t0)
	c := newClient(s, f, func(c *rest.Config) {
		c.Sign = func(r *http.Request) error {
			r.Header.Set("X-Stamp", fmt.Sprint(f.Now().UnixNano()))
			return nil
		}
	})
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
	require.NoError(t, err)
	a, b := s.seen[0].Header.Get("X-Stamp"), s.seen[1].Header.Get("X-Stamp")
	assert.NotEmpty(t, a)
	assert.NotEqual(t, a, b, "want fresh stamps per attempt")
	// a signer's failure stops the request before it is sent
	c = newClient(s, f, func(c *rest.Config) { c.Sign = func(*http.Request) error { return errors.New("no key") } })
	before := s.n.Load()
	_, err = c.Do(context.Background(), &rest.Request{Method: "POST", Path: "/x"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no key")
	assert.Equal(t, before, s.n.Load(), "request sent despite signer error")
}

type countWaiter struct{ n int }

func (w *countWaiter) Wait(ctx context.Context) error { w.n++; return ctx.Err() }

func TestHooksAndLimiter(t *testing.T) {
	s := newServer(t, `{}`, 503, 200)
	s.hdr = func(i int, h http.Header) { h.Set("RateLimit-Remaining", fmt.Sprint(10-i)) }
	var seen []string
	w := &countWaiter{}
	c := newClient(s, clock.NewFake(t0), func(c *rest.Config) {
		c.OnResponse = func(r *http.Response) { seen = append(seen, r.Header.Get("RateLimit-Remaining")) }
		c.Limiter = w
	})
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
	require.NoError(t, err)
	assert.Equal(t, []string{"10", "9"}, seen, "OnResponse saw")
	assert.Equal(t, 2, w.n, "limiter waits")
}

func TestCancelledContextNoIO(t *testing.T) {
	s := newServer(t, `{}`, 200)
	c := newClient(s, clock.NewFake(t0), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Do(ctx, &rest.Request{Path: "/x"})
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, energy.ErrUnavailable)
	assert.Zero(t, s.n.Load(), "request sent")
}

// TestContextReachesTheRequest: cancelling the context aborts a request in
// flight, and the server sees its request's context end.
func TestContextReachesTheRequest(t *testing.T) {
	got, gone := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(got)
		select {
		case <-r.Context().Done():
			close(gone)
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c := rest.New(rest.Config{Vendor: "test", BaseURL: srv.URL, Clock: clock.NewFake(t0)})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-got
		cancel()
	}()
	_, err := c.Do(ctx, &rest.Request{Path: "/x"})
	assert.ErrorIs(t, err, context.Canceled)
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		assert.Fail(t, "the server's request context did not end")
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	s := newServer(t, `{}`, 503)
	ctx, cancel := context.WithCancel(context.Background())
	c := newClient(s, nil, func(c *rest.Config) {
		c.Clock = cancelClock{cancel}
	})
	_, err := c.Do(ctx, &rest.Request{Path: "/x"})
	assert.ErrorIs(t, err, context.Canceled)
	assert.EqualValues(t, 1, s.n.Load(), "requests")
}

// cancelClock cancels the context when asked to sleep.
type cancelClock struct{ cancel func() }

func (cancelClock) Now() time.Time { return t0 }
func (c cancelClock) Sleep(ctx context.Context, _ time.Duration) error {
	c.cancel()
	return ctx.Err()
}

func TestDecodeAndBodyErrors(t *testing.T) {
	s := newServer(t, `{"name": tru`, 200)
	c := newClient(s, clock.NewFake(t0), nil)
	var out struct{ Name string }
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x", Result: &out})
	var de *rest.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, `{"name": tru`, de.Body)
	s2 := newServer(t, ``, 200)
	_, err = newClient(s2, clock.NewFake(t0), nil).Do(context.Background(), &rest.Request{Path: "/x", Result: &out})
	assert.ErrorAs(t, err, &de, "empty body")
	big := newServer(t, strings.Repeat("x", 2000), 200)
	_, err = newClient(big, clock.NewFake(t0), func(c *rest.Config) { c.MaxBodyBytes = 1000; c.Retries = -1 }).Do(context.Background(), &rest.Request{Path: "/x"})
	assert.ErrorIs(t, err, rest.ErrBodyTooLarge, "big body")
	huge := newServer(t, strings.Repeat("é", 2000), 500)
	_, err = newClient(huge, clock.NewFake(t0), func(c *rest.Config) { c.Retries = -1 }).Do(context.Background(), &rest.Request{Path: "/x"})
	var he *rest.HTTPError
	require.ErrorAs(t, err, &he)
	assert.LessOrEqual(t, len(he.Body), 520, "excerpt not bounded")
}

func TestLoggingRedactsSecrets(t *testing.T) {
	s := newServer(t, `{}`, 503, 200)
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	secret := rest.NewSecret("s3cr3t-token")
	c := newClient(s, clock.NewFake(t0), func(c *rest.Config) {
		c.Header = http.Header{"Authorization": {"Bearer " + secret.Reveal()}}
		c.Logger = logger
	})
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x", Query: map[string][]string{"token": {secret.Reveal()}}})
	require.NoError(t, err)
	out := buf.String()
	assert.NotContains(t, out, "s3cr3t", "secret in logs")
	var n int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		n++
	}
	assert.Equal(t, 3, n, "log records (attempt 1, retry warning, attempt 2): %s", out)
	for _, v := range []string{fmt.Sprint(secret), fmt.Sprintf("%v %+v %#v %s %q %x", secret, secret, secret, secret, secret, secret),
		secret.String(), secret.GoString(), "token=" + secret.String()} {
		assert.NotContains(t, v, "s3cr3t", "secret formatted")
	}
	holder := struct {
		name  string
		token rest.Secret
	}{"c", secret}
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", holder, &holder, holder), "s3cr3t", "secret in a struct formatted")
	assert.Equal(t, "s3cr3t-token", secret.Reveal())
	assert.Empty(t, (rest.Secret{}).Reveal())
	assert.True(t, (rest.Secret{}).IsZero())
	buf.Reset()
	logger.Info("x", "token", secret)
	assert.NotContains(t, buf.String(), "s3cr3t", "secret in slog")
}

func TestStatusSentinel(t *testing.T) {
	for status, want := range map[int]error{400: energy.ErrInvalid, 401: energy.ErrUnauthorized, 403: energy.ErrUnauthorized, 404: nil,
		408: energy.ErrUnavailable, 409: nil, 422: energy.ErrInvalid, 429: energy.ErrRateLimited, 500: energy.ErrUnavailable, 503: energy.ErrUnavailable} {
		assert.Equal(t, want, rest.StatusSentinel(status), "StatusSentinel(%d)", status)
	}
}

// A signer that covers the body (as SolarNetwork's SNWS2 digest does) must be
// able to read it on every attempt without consuming what is sent.
func TestSignerReadsBody(t *testing.T) {
	s := newServer(t, `{}`, 502, 200)
	var digests []string
	c := newClient(s, clock.NewFake(t0), func(c *rest.Config) {
		c.Sign = func(r *http.Request) error {
			if r.GetBody == nil {
				return errors.New("GetBody is nil")
			}
			rc, err := r.GetBody()
			if err != nil {
				return err
			}
			b, _ := io.ReadAll(rc)
			digests = append(digests, string(b))
			return nil
		}
	})
	_, err := c.Do(context.Background(), &rest.Request{Method: "PUT", Path: "/x", Body: map[string]int{"a": 1}})
	require.NoError(t, err)
	assert.Equal(t, []string{`{"a":1}`, `{"a":1}`}, digests, "signer saw")
	assert.Equal(t, `{"a":1}`, string(s.got[1]), "server got")
}
