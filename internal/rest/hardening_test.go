package rest_test

import (
	"bytes"
	"context"
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

// catcher is a server that must never receive a request: it counts what
// reaches it and the Authorization headers it saw.
type catcher struct {
	*httptest.Server
	n    atomic.Int32
	auth atomic.Value
}

func newCatcher(t *testing.T) *catcher {
	c := &catcher{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.n.Add(1)
		c.auth.Store(r.Header.Get("Authorization") + r.Header.Get("X-Sign"))
		io.WriteString(w, `{"evil":true}`)
	}))
	t.Cleanup(c.Close)
	return c
}

// redirector answers every request with a 302 to target+path.
func redirector(t *testing.T, target func() string) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, target()+"/stolen", http.StatusFound)
	}))
	t.Cleanup(s.Close)
	return s, &n
}

// signed returns a Config for base that sends a static and a signed
// credential.
func signed(base string, hc *http.Client) rest.Config {
	return rest.Config{
		Vendor: "test", BaseURL: base, Clock: clock.NewFake(t0), Retries: rest.DefaultRetries, HTTPClient: hc,
		Header: http.Header{"Authorization": {"Bearer static-token-123"}},
		Sign: func(r *http.Request) error {
			r.Header.Set("X-Sign", "sig-"+r.URL.Path)
			return nil
		},
	}
}

// TestRedirectToAnotherOriginRefused: a redirect to another port of the same
// host (another origin), or to another host, sends nothing there; the error
// names both origins, is not retried and wraps nothing retryable.
func TestRedirectToAnotherOriginRefused(t *testing.T) {
	evil := newCatcher(t)
	for _, hc := range []*http.Client{nil, {}, {Timeout: time.Minute}} {
		src, hits := redirector(t, func() string { return evil.URL })
		c := rest.New(signed(src.URL, hc))
		var out map[string]any
		_, err := c.Do(context.Background(), &rest.Request{Path: "/x", Result: &out})
		var re *rest.RedirectError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, src.URL, re.From)
		assert.Equal(t, evil.URL, re.To)
		assert.Contains(t, err.Error(), src.URL)
		assert.Contains(t, err.Error(), evil.URL)
		assert.Equal(t, "/x", re.Endpoint)
		for _, s := range []error{energy.ErrUnavailable, energy.ErrRateLimited, energy.ErrUnauthorized} {
			assert.NotErrorIs(t, err, s)
		}
		assert.Nil(t, out, "the other origin's answer was used")
		assert.EqualValues(t, 1, hits.Load(), "a refused redirect was retried")
		if hc != nil {
			assert.Nil(t, hc.CheckRedirect, "the caller's client was changed")
			assert.Nil(t, hc.Transport, "the caller's client was changed")
		}
	}
	assert.Zero(t, evil.n.Load(), "a request reached the other origin")
}

// TestRedirectDowngradeRefused: https → http on the same host and port is
// another origin.
func TestRedirectDowngradeRefused(t *testing.T) {
	evil := newCatcher(t)
	var target string
	src := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	}))
	defer src.Close()
	// http:// on the TLS server's own host and port.
	target = "http://" + src.Listener.Addr().String() + "/x"
	c := rest.New(signed(src.URL, src.Client()))
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
	var re *rest.RedirectError
	require.ErrorAs(t, err, &re)
	assert.True(t, strings.HasPrefix(re.From, "https://"), re.From)
	assert.True(t, strings.HasPrefix(re.To, "http://"), re.To)
	assert.Zero(t, evil.n.Load())
}

// TestRedirectKeepsCallersCheck: the caller's own CheckRedirect still runs
// for a same-origin redirect.
func TestRedirectKeepsCallersCheck(t *testing.T) {
	s := newServer(t, `{}`, 200)
	var mux http.ServeMux
	mux.HandleFunc("/api/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/api/new", http.StatusFound) })
	mux.HandleFunc("/api/new", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) })
	s.Config.Handler = &mux
	var called bool
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { called = true; return nil }}
	c := rest.New(signed(s.URL+"/api", hc))
	_, err := c.Do(context.Background(), &rest.Request{Path: "/old"})
	require.NoError(t, err)
	assert.True(t, called)
}

// TestSameOriginRedirectResigned: a redirect within the origin is followed,
// and the redirected request carries a signature made for it.
func TestSameOriginRedirectResigned(t *testing.T) {
	var signs []string
	var mux http.ServeMux
	mux.HandleFunc("/api/old", func(w http.ResponseWriter, r *http.Request) {
		signs = append(signs, r.Header.Get("X-Sign"))
		http.Redirect(w, r, "/api/new", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/api/new", func(w http.ResponseWriter, r *http.Request) {
		signs = append(signs, r.Header.Get("X-Sign"))
		io.WriteString(w, `{"ok":true}`)
	})
	srv := httptest.NewServer(&mux)
	defer srv.Close()
	c := rest.New(signed(srv.URL+"/api", nil))
	var out struct{ OK bool }
	_, err := c.Do(context.Background(), &rest.Request{Path: "/old", Result: &out})
	require.NoError(t, err)
	assert.True(t, out.OK)
	assert.Equal(t, []string{"sig-/api/old", "sig-/api/new"}, signs)
}

// echo answers with the statuses in seq and a body that echoes the
// request's headers, as a misconfigured proxy or a debug endpoint does.
func echo(t *testing.T, seq ...int) *httptest.Server {
	var n atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		var b bytes.Buffer
		fmt.Fprintf(&b, `{"message":"bad request","headers":{`)
		for _, k := range []string{"Authorization", "X-Sign", "X-Ts"} {
			fmt.Fprintf(&b, "%q:%q,", k, r.Header.Get(k))
		}
		fmt.Fprintf(&b, `"token":%q}}`, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		w.WriteHeader(seq[min(i, len(seq)-1)])
		w.Write(b.Bytes())
	}))
	t.Cleanup(s.Close)
	return s
}

// TestEchoedSecretsRedacted: the static credentials, the configured secrets
// and what Sign set for the attempt never reach an error or a log record,
// although the server echoes them in a 500 (retried, so logged) and a 401.
func TestEchoedSecretsRedacted(t *testing.T) {
	const token, appSecret = "tok-0123456789abcdef", "app-secret-9876543210"
	var n atomic.Int32
	newC := func(s *httptest.Server, log *slog.Logger) *rest.Client {
		return rest.New(rest.Config{
			Vendor: "test", BaseURL: s.URL, Clock: clock.NewFake(t0), Retries: 1, Logger: log,
			Secrets: []rest.Secret{rest.NewSecret(appSecret)},
			Sign: func(r *http.Request) error {
				i := n.Add(1)
				r.Header.Set("Authorization", "Bearer "+token)
				r.Header.Set("X-Sign", fmt.Sprintf("signature-%d-%s", i, appSecret[:8]))
				return nil
			},
		})
	}
	leaks := func(t *testing.T, s string) {
		t.Helper()
		for _, secret := range []string{token, "signature-", appSecret} {
			assert.NotContains(t, s, secret)
		}
	}
	for _, status := range []int{500, 401} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var logs bytes.Buffer
			s := echo(t, status)
			_, err := newC(s, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))).
				Do(context.Background(), &rest.Request{Path: "/x"})
			var he *rest.HTTPError
			require.ErrorAs(t, err, &he)
			assert.Contains(t, he.Body, "bad request", "the excerpt is gone altogether")
			assert.Contains(t, he.Body, "[redacted]")
			leaks(t, he.Body)
			leaks(t, err.Error())
			leaks(t, fmt.Sprintf("%+v %#v", err, he))
			leaks(t, logs.String())
			if status == 500 {
				assert.Contains(t, logs.String(), `"msg":"retrying"`)
			}
		})
	}
	t.Run("decode error", func(t *testing.T) {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"x": %s`, r.Header.Get("Authorization"))
		}))
		defer s.Close()
		var out struct{ X int }
		_, err := newC(s, nil).Do(context.Background(), &rest.Request{Path: "/x", Result: &out})
		var de *rest.DecodeError
		require.ErrorAs(t, err, &de)
		assert.Contains(t, de.Body, "[redacted]")
		leaks(t, de.Body)
		leaks(t, err.Error())
	})
	t.Run("static header", func(t *testing.T) {
		s := echo(t, 404)
		_, err := newClient(&server{Server: s}, clock.NewFake(t0), func(c *rest.Config) {
			c.BaseURL = s.URL
			c.Header = http.Header{"Authorization": {"Bearer " + token}}
		}).Do(context.Background(), &rest.Request{Path: "/x"})
		require.Error(t, err)
		leaks(t, err.Error())
	})
}

// TestRedactedExcerptAtTheCut: a secret straddling the excerpt's 512-byte
// cut leaves no half behind.
func TestRedactedExcerptAtTheCut(t *testing.T) {
	const secret = "abcdefghijklmnopqrstuvwxyz0123456789"
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, strings.Repeat("x", 500)+secret+strings.Repeat("y", 100))
	}))
	defer s.Close()
	c := rest.New(rest.Config{Vendor: "test", BaseURL: s.URL, Secrets: []rest.Secret{rest.NewSecret(secret)}})
	_, err := c.Do(context.Background(), &rest.Request{Path: "/x"})
	var he *rest.HTTPError
	require.ErrorAs(t, err, &he)
	assert.NotContains(t, he.Body, "abcdefghijkl")
	assert.Contains(t, he.Body, "[redacted]")
	assert.True(t, strings.HasSuffix(he.Body, "…"))
}

// TestRetryAfterBounded: a Retry-After too large for a time.Duration is
// capped, not wrapped into a negative wait and an immediate retry; beyond
// MaxWait the call fails at once.
func TestRetryAfterBounded(t *testing.T) {
	for _, v := range []string{"9223372037", "99999999999999999999999", "86401"} {
		d, ok := rest.ParseRetryAfter(&http.Response{Header: http.Header{"Retry-After": {v}}}, t0)
		assert.True(t, ok, v)
		assert.Equal(t, rest.MaxServerWait, d, v)
	}
	d, ok := rest.ParseRetryAfter(&http.Response{Header: http.Header{"Retry-After": {"Fri, 31 Dec 9999 23:59:59 GMT"}}}, t0)
	assert.True(t, ok)
	assert.Equal(t, rest.MaxServerWait, d)
	for _, v := range []string{"-1", "+5", "1.5", " "} {
		_, ok := rest.ParseSeconds(v)
		assert.False(t, ok, v)
	}

	s := newServer(t, `{}`, 429, 200)
	s.hdr = func(i int, h http.Header) { h.Set("Retry-After", "9223372037") }
	f := clock.NewFake(t0)
	_, err := newClient(s, f, nil).Do(context.Background(), &rest.Request{Path: "/x"})
	var he *rest.HTTPError
	require.ErrorAs(t, err, &he)
	assert.ErrorIs(t, err, energy.ErrRateLimited)
	assert.Equal(t, rest.MaxServerWait, he.RetryAfter)
	assert.EqualValues(t, 1, s.n.Load(), "retried at once")
	assert.Empty(t, f.Sleeps())
}

// TestOversizedBodyNotRetried: a body over MaxBodyBytes will not shrink, so
// it is not asked for again.
func TestOversizedBodyNotRetried(t *testing.T) {
	for _, status := range []int{200, 500} {
		big := newServer(t, strings.Repeat("x", 2000), status)
		f := clock.NewFake(t0)
		_, err := newClient(big, f, func(c *rest.Config) { c.MaxBodyBytes = 1000 }).Do(context.Background(), &rest.Request{Path: "/x"})
		require.ErrorIs(t, err, rest.ErrBodyTooLarge)
		var te *rest.TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 1, te.Attempts)
		assert.EqualValues(t, 1, big.n.Load())
		assert.Empty(t, f.Sleeps())
	}
}
