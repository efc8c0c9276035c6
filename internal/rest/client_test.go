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
	if err != nil {
		t.Fatal(err)
	}
	if out.Name != "site" || out.N != 3 || resp.StatusCode != 200 || resp.Attempts != 1 {
		t.Errorf("out = %+v, resp = %+v", out, resp)
	}
	r := s.seen[0]
	for k, want := range map[string]string{
		"User-Agent": rest.UserAgent, "Authorization": "Bearer tok", "X-Extra": "yes",
		"Content-Type": "application/json", "Accept": "application/json",
	} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if r.URL.Path != "/api/sites/x" || r.URL.Query().Get("a") != "1 2" || r.Method != "POST" {
		t.Errorf("request %s %s", r.Method, r.URL)
	}
	if string(s.got[0]) != `{"v":1}` {
		t.Errorf("body %s", s.got[0])
	}
	if !strings.HasPrefix(rest.UserAgent, "gridwire/") {
		t.Errorf("UserAgent %q", rest.UserAgent)
	}
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
			if got := int(s.n.Load()); got != tt.wantN {
				t.Errorf("requests = %d, want %d", got, tt.wantN)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && tt.seq[len(tt.seq)-1] == 200 && tt.seq[0] != 404 && err != nil {
				t.Errorf("err = %v", err)
			}
			var he *rest.HTTPError
			if err != nil && !errors.As(err, &he) {
				t.Errorf("err %T is not *HTTPError", err)
			}
			// back-off waited between retries, growing, within bounds
			sl := f.Sleeps()
			if len(sl) != tt.wantN-1 {
				t.Errorf("sleeps = %v, want %d", sl, tt.wantN-1)
			}
			for i, d := range sl {
				lo := rest.DefaultBackoffBase << i / 2
				if d < lo || d > rest.DefaultBackoffBase<<i {
					t.Errorf("sleep[%d] = %v, want in [%v, %v]", i, d, lo, rest.DefaultBackoffBase<<i)
				}
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
		if d > time.Second || d < 0 {
			t.Errorf("sleep %v exceeds cap", d)
		}
	}
	if n := s.n.Load(); n != 11 {
		t.Errorf("requests = %d, want 11", n)
	}
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
	if len(sl) != 10 {
		t.Fatalf("sleeps = %v, want 10", sl)
	}
	distinct := map[time.Duration]bool{}
	for _, d := range sl {
		if d < 500*time.Millisecond || d > time.Second {
			t.Errorf("sleep %v outside [500ms, 1s]", d)
		}
		distinct[d] = true
	}
	if len(distinct) < 2 {
		t.Errorf("sleeps %v: no jitter", sl)
	}
}

func TestNoRetryRequest(t *testing.T) {
	s := newServer(t, `{}`, 503, 429, 200)
	c := newClient(s, clock.NewFake(t0), nil)
	if _, err := c.Do(context.Background(), &rest.Request{Path: "/x", NoRetry: true}); !errors.Is(err, energy.ErrUnavailable) {
		t.Errorf("err = %v", err)
	}
	if n := s.n.Load(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
	// a 429 is still waited out
	if _, err := c.Do(context.Background(), &rest.Request{Path: "/x", NoRetry: true}); err != nil {
		t.Errorf("after 429: %v", err)
	}
}

func TestNoRetries(t *testing.T) {
	s := newServer(t, `{}`, 503, 200)
	c := newClient(s, clock.NewFake(t0), func(c *rest.Config) { c.Retries = -1 })
	if _, err := c.Do(context.Background(), &rest.Request{Path: "/x"}); !errors.Is(err, energy.ErrUnavailable) {
		t.Errorf("err = %v", err)
	}
	if n := s.n.Load(); n != 1 {
		t.Errorf("requests = %d", n)
	}
}

func TestTransportErrorRetried(t *testing.T) {
	s := newServer(t, `{}`, 200)
	url := s.URL
	s.Close() // connection refused from now on
	f := clock.NewFake(t0)
	c := rest.New(rest.Config{Vendor: "test", BaseURL: url, Clock: f, Retries: rest.DefaultRetries})
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
	var te *rest.TransportError
	if !errors.As(err, &te) || te.Attempts != 3 || !errors.Is(err, energy.ErrUnavailable) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	if len(f.Sleeps()) != 2 {
		t.Errorf("sleeps = %v", f.Sleeps())
	}
	// a POST that is not idempotent is tried once
	_, err = c.Do(context.Background(), &rest.Request{Method: "POST", Path: "/x"})
	if !errors.As(err, &te) || te.Attempts != 1 {
		t.Fatalf("POST err = %v", err)
	}
}

func TestRateLimit(t *testing.T) {
	t.Run("waits Retry-After then retries once", func(t *testing.T) {
		s := newServer(t, `{}`, 429, 200)
		s.hdr = func(i int, h http.Header) { h.Set("Retry-After", "7") }
		f := clock.NewFake(t0)
		c := newClient(s, f, nil)
		if _, err := c.Do(context.Background(), &rest.Request{Method: "POST", Path: "/x"}); err != nil {
			t.Fatal(err)
		}
		if sl := f.Sleeps(); len(sl) != 1 || sl[0] != 7*time.Second {
			t.Errorf("sleeps = %v", sl)
		}
	})
	t.Run("second 429 is returned", func(t *testing.T) {
		s := newServer(t, `{"error":"slow down"}`, 429)
		s.hdr = func(i int, h http.Header) { h.Set("Retry-After", "2") }
		c := newClient(s, clock.NewFake(t0), nil)
		_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
		var he *rest.HTTPError
		if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != 2*time.Second || !errors.Is(err, energy.ErrRateLimited) {
			t.Fatalf("err = %v", err)
		}
		if s.n.Load() != 2 || !strings.Contains(err.Error(), "slow down") {
			t.Errorf("requests = %d, err = %v", s.n.Load(), err)
		}
	})
	t.Run("no wait", func(t *testing.T) {
		s := newServer(t, `{}`, 429, 200)
		f := clock.NewFake(t0)
		c := newClient(s, f, func(c *rest.Config) { c.NoWaitOnRateLimit = true })
		if _, err := c.Do(context.Background(), &rest.Request{Path: "/x"}); !errors.Is(err, energy.ErrRateLimited) {
			t.Fatalf("err = %v", err)
		}
		if s.n.Load() != 1 || len(f.Sleeps()) != 0 {
			t.Errorf("requests = %d, sleeps %v", s.n.Load(), f.Sleeps())
		}
	})
	t.Run("vendor reset hook and HTTP date", func(t *testing.T) {
		s := newServer(t, `{}`, 429, 200)
		f := clock.NewFake(t0)
		c := newClient(s, f, func(c *rest.Config) {
			c.RetryAfter = func(resp *http.Response, now time.Time) (time.Duration, bool) {
				if !now.Equal(t0) {
					t.Errorf("hook now = %v", now)
				}
				return 42 * time.Second, true
			}
		})
		if _, err := c.Do(context.Background(), &rest.Request{Path: "/x"}); err != nil {
			t.Fatal(err)
		}
		if sl := f.Sleeps(); len(sl) != 1 || sl[0] != 42*time.Second {
			t.Errorf("sleeps = %v", sl)
		}
		d, ok := rest.ParseRetryAfter(&http.Response{Header: http.Header{"Retry-After": {t0.Add(90 * time.Second).Format(http.TimeFormat)}}}, t0)
		if !ok || d != 90*time.Second {
			t.Errorf("HTTP date Retry-After = %v %v", d, ok)
		}
		if _, ok := rest.ParseRetryAfter(&http.Response{Header: http.Header{"Retry-After": {"soon"}}}, t0); ok {
			t.Error("garbage Retry-After accepted")
		}
	})
	t.Run("wait beyond MaxWait or deadline is not taken", func(t *testing.T) {
		s := newServer(t, `{}`, 429, 200)
		s.hdr = func(i int, h http.Header) { h.Set("Retry-After", "600") }
		f := clock.NewFake(t0)
		c := newClient(s, f, nil)
		if _, err := c.Do(context.Background(), &rest.Request{Path: "/x"}); !errors.Is(err, energy.ErrRateLimited) {
			t.Fatalf("MaxWait: err = %v", err)
		}
		s2 := newServer(t, `{}`, 429, 200)
		s2.hdr = func(i int, h http.Header) { h.Set("Retry-After", "60") }
		c = newClient(s2, clock.NewFake(t0), nil) // a fake clock far from real time: the deadline is still real
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := c.Do(ctx, &rest.Request{Path: "/x"}); !errors.Is(err, energy.ErrRateLimited) {
			t.Fatalf("deadline: err = %v", err)
		}
		if len(f.Sleeps()) != 0 || s2.n.Load() != 1 {
			t.Errorf("waited anyway")
		}
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
	if _, err := c.Do(context.Background(), &rest.Request{Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	a, b := s.seen[0].Header.Get("X-Stamp"), s.seen[1].Header.Get("X-Stamp")
	if a == "" || a == b {
		t.Errorf("stamps %q %q: want fresh per attempt", a, b)
	}
	// a signer's failure stops the request before it is sent
	c = newClient(s, f, func(c *rest.Config) { c.Sign = func(*http.Request) error { return errors.New("no key") } })
	before := s.n.Load()
	if _, err := c.Do(context.Background(), &rest.Request{Method: "POST", Path: "/x"}); err == nil || !strings.Contains(err.Error(), "no key") {
		t.Errorf("err = %v", err)
	}
	if s.n.Load() != before {
		t.Error("request sent despite signer error")
	}
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
	if _, err := c.Do(context.Background(), &rest.Request{Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, ",") != "10,9" || w.n != 2 {
		t.Errorf("OnResponse saw %v, limiter waited %d", seen, w.n)
	}
}

func TestCancelledContextNoIO(t *testing.T) {
	s := newServer(t, `{}`, 200)
	c := newClient(s, clock.NewFake(t0), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Do(ctx, &rest.Request{Path: "/x"})
	if !errors.Is(err, context.Canceled) || errors.Is(err, energy.ErrUnavailable) {
		t.Errorf("err = %v", err)
	}
	if s.n.Load() != 0 {
		t.Error("request sent")
	}
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
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", err)
	}
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Error("the server's request context did not end")
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	s := newServer(t, `{}`, 503)
	ctx, cancel := context.WithCancel(context.Background())
	c := newClient(s, nil, func(c *rest.Config) {
		c.Clock = cancelClock{cancel}
	})
	_, err := c.Do(ctx, &rest.Request{Path: "/x"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if s.n.Load() != 1 {
		t.Errorf("requests = %d", s.n.Load())
	}
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
	if !errors.As(err, &de) || de.Body != `{"name": tru` {
		t.Errorf("err = %v", err)
	}
	s2 := newServer(t, ``, 200)
	_, err = newClient(s2, clock.NewFake(t0), nil).Do(context.Background(), &rest.Request{Path: "/x", Result: &out})
	if !errors.As(err, &de) {
		t.Errorf("empty body: err = %v", err)
	}
	big := newServer(t, strings.Repeat("x", 2000), 200)
	_, err = newClient(big, clock.NewFake(t0), func(c *rest.Config) { c.MaxBodyBytes = 1000; c.Retries = -1 }).Do(context.Background(), &rest.Request{Path: "/x"})
	if !errors.Is(err, rest.ErrBodyTooLarge) {
		t.Errorf("big body: err = %v", err)
	}
	huge := newServer(t, strings.Repeat("é", 2000), 500)
	_, err = newClient(huge, clock.NewFake(t0), func(c *rest.Config) { c.Retries = -1 }).Do(context.Background(), &rest.Request{Path: "/x"})
	var he *rest.HTTPError
	if !errors.As(err, &he) || len(he.Body) > 520 {
		t.Errorf("excerpt not bounded: %d bytes", len(he.Body))
	}
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
	if _, err := c.Do(context.Background(), &rest.Request{Path: "/x", Query: map[string][]string{"token": {secret.Reveal()}}}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "s3cr3t") {
		t.Errorf("secret in logs: %s", out)
	}
	var n int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 { // attempt 1, retry warning, attempt 2
		t.Errorf("%d log records: %s", n, out)
	}
	for _, v := range []string{fmt.Sprint(secret), fmt.Sprintf("%v %+v %#v %s %q %x", secret, secret, secret, secret, secret, secret),
		secret.String(), secret.GoString(), "token=" + secret.String()} {
		if strings.Contains(v, "s3cr3t") {
			t.Errorf("secret formatted: %s", v)
		}
	}
	holder := struct {
		name  string
		token rest.Secret
	}{"c", secret}
	for _, v := range []string{fmt.Sprintf("%v %+v %#v", holder, &holder, holder)} {
		if strings.Contains(v, "s3cr3t") {
			t.Errorf("secret in a struct formatted: %s", v)
		}
	}
	if secret.Reveal() != "s3cr3t-token" || (rest.Secret{}).Reveal() != "" || !(rest.Secret{}).IsZero() {
		t.Error("Reveal")
	}
	buf.Reset()
	logger.Info("x", "token", secret)
	if strings.Contains(buf.String(), "s3cr3t") {
		t.Errorf("secret in slog: %s", buf.String())
	}
}

func TestStatusSentinel(t *testing.T) {
	for status, want := range map[int]error{400: nil, 401: energy.ErrUnauthorized, 403: energy.ErrUnauthorized, 404: nil,
		408: energy.ErrUnavailable, 422: nil, 429: energy.ErrRateLimited, 500: energy.ErrUnavailable, 503: energy.ErrUnavailable} {
		if got := rest.StatusSentinel(status); got != want {
			t.Errorf("StatusSentinel(%d) = %v, want %v", status, got, want)
		}
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
	if _, err := c.Do(context.Background(), &rest.Request{Method: "PUT", Path: "/x", Body: map[string]int{"a": 1}}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(digests, "|") != `{"a":1}|{"a":1}` || string(s.got[1]) != `{"a":1}` {
		t.Errorf("signer saw %q, server got %q", digests, s.got)
	}
}
