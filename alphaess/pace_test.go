package alphaess_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// By default calls start at least 10 s apart, across every handle of one
// client (reference §1.6).
func TestClientPacesByDefault(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList.json"))
	ctx := context.Background()
	if _, err := c.LastPowerData(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.System("OTHER").ListSystems(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.In(time.UTC).LastPowerData(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := m.requests()
	for i, want := range []time.Time{t0, t0.Add(10 * time.Second), t0.Add(20 * time.Second)} {
		checkSigned(t, reqs[i].req, want)
	}
	if c.MinInterval() != alphaess.DefaultMinInterval {
		t.Errorf("MinInterval = %v", c.MinInterval())
	}
}

func TestWithMinInterval(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(2*time.Second))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	for range 3 {
		if _, err := c.LastPowerData(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := m.clock.Now().Sub(t0); got != 4*time.Second {
		t.Fatalf("three calls took %v of clock, want 4s", got)
	}
}

// A 6053 slows the client down for good and retries a repeatable call once,
// after the new interval.
func TestTooFastSlowsDownAndRetriesOnce(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6053.json"), fixture(t, "getLastPowerData.json"))
	if _, err := c.LastPowerData(context.Background()); err != nil {
		t.Fatalf("err = %v, want the retry to succeed", err)
	}
	if n := len(m.requests()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
	if got := c.MinInterval(); got != alphaess.DefaultMinInterval {
		t.Fatalf("MinInterval after 6053 = %v, want %v", got, alphaess.DefaultMinInterval)
	}
	if s := m.clock.Sleeps(); len(s) != 1 || s[0] != alphaess.DefaultMinInterval {
		t.Fatalf("sleeps = %v, want one wait of the new interval", s)
	}
}

func TestTooFastTwiceFails(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6053.json"))
	_, err := c.LastPowerData(context.Background())
	var ae *alphaess.APIError
	if !errors.As(err, &ae) || ae.Code != alphaess.CodeTooFast || !errors.Is(err, energy.ErrRateLimited) || !ae.Retryable() {
		t.Fatalf("err = %v", err)
	}
	if n := len(m.requests()); n != 2 {
		t.Fatalf("%d requests, want 2 (one retry)", n)
	}
	if got := c.MinInterval(); got != 20*time.Second {
		t.Fatalf("MinInterval = %v, want 20s after two 6053s", got)
	}
}

// getVerificationCode emails the owner: it is not repeated after a 6053.
func TestTooFastNotRetriedForVerificationCode(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getVerificationCode", fixture(t, "error_6053.json"), fixture(t, "ok_null.json"))
	err := c.RequestVerificationCode(context.Background(), "QWE123")
	if !errors.Is(err, energy.ErrRateLimited) {
		t.Fatalf("err = %v", err)
	}
	if n := len(m.requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	if c.MinInterval() != alphaess.DefaultMinInterval {
		t.Fatalf("no slow-down after 6053")
	}
}

// WithRetries(0) means never: one request. (It was read as "default" and
// sent three.) Without the option a request is tried three times.
func TestRetries(t *testing.T) {
	for _, tt := range []struct {
		n, want int
	}{{0, 1}, {4, 5}, {-1, 3}} {
		opts := []alphaess.Option{alphaess.WithMinInterval(0)}
		if tt.n >= 0 {
			opts = append(opts, alphaess.WithRetries(tt.n))
		}
		c, m := newMock(t, opts...)
		m.on(http.MethodGet, "getLastPowerData", body(503, ""))
		if _, err := c.LastPowerData(context.Background()); !errors.Is(err, energy.ErrUnavailable) {
			t.Fatalf("err = %v", err)
		}
		if got := len(m.requests()); got != tt.want {
			t.Errorf("WithRetries(%d): %d attempts, want %d", tt.n, got, tt.want)
		}
	}
}
