package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/alphaess/alphaesstest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func creds(srv *alphaesstest.Server) func(string) string {
	return env(map[string]string{"ALPHAESS_APP_ID": srv.AppID, "ALPHAESS_APP_SECRET": srv.AppSecret})
}

func TestHelp(t *testing.T) {
	for _, flag := range []string{"-h", "-help", "--help"} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{flag}, env(nil), &out, &errb)
		require.Equal(t, 0, code, flag)
		first, _, _ := strings.Cut(out.String(), "\n")
		assert.Contains(t, first, "prints the live power flows", "a one-line description first")
		assert.Contains(t, out.String(), "ALPHAESS_APP_ID")
		assert.Contains(t, out.String(), "ALPHAESS_APP_SECRET")
		assert.Contains(t, out.String(), "-sim")
		assert.Empty(t, errb.String())
	}
}

func TestSim(t *testing.T) {
	var out, errb bytes.Buffer
	start := time.Now()
	code := run(context.Background(), []string{"-sim", "-tz", "Australia/Sydney"}, env(nil), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Less(t, time.Since(start), 5*time.Second, "-sim does not wait for pacing")
	for _, want := range []string{"simulated Open API", alphaesstest.DefaultSerialNumber, "SMILE5-INV", "13.34 kWh", " %", " AE", "Grid is positive when importing"} {
		assert.Contains(t, out.String(), want)
	}
	assert.NotContains(t, out.String(), "calls are", "no pacing note without pacing")
}

func TestMissingCredentials(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), nil, env(map[string]string{"ALPHAESS_APP_ID": "alpha123"}), &out, &errb)
	require.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "ALPHAESS_APP_SECRET")
	assert.Contains(t, errb.String(), "-sim")
	assert.Empty(t, out.String())
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-tz", "Mars/Olympus"}, {"-nope"}, {"extra"}, {"-base-url", "ftp://x"}} {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, env(map[string]string{"ALPHAESS_APP_ID": "a", "ALPHAESS_APP_SECRET": "s"}), &out, &errb)
		assert.Equal(t, 2, code, "%q: %s", args, errb.String())
		assert.NotEmpty(t, errb.String(), "%q says what is wrong", args)
	}
}

// Printed times are in -tz's zone.
func TestTimesInZone(t *testing.T) {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-base-url", srv.URL, "-min-interval", "0", "-tz", "Asia/Tokyo"}, creds(srv), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), " JST")
}

// -base-url reaches any server speaking the Open API: here the fake, with
// real credentials checks.
func TestBaseURL(t *testing.T) {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	args := []string{"-base-url", srv.URL, "-min-interval", "0", "-tz", "UTC"}

	var out, errb bytes.Buffer
	require.Equal(t, 0, run(context.Background(), args, creds(srv), &out, &errb), errb.String())
	assert.Contains(t, out.String(), srv.URL)
	assert.Contains(t, out.String(), srv.SerialNumber)

	srv.SetOffline(true)
	out.Reset()
	assert.Equal(t, 0, run(context.Background(), args, creds(srv), &out, &errb), "offline")
	assert.Contains(t, out.String(), "offline")
	srv.SetOffline(false)

	// The first try and two retries.
	srv.FailNext(3, alphaesstest.Fault{Endpoint: "getLastPowerData", Status: http.StatusBadGateway})
	out.Reset()
	assert.Equal(t, 0, run(context.Background(), args, creds(srv), &out, &errb), "502")
	assert.Contains(t, out.String(), "unavailable")
	assert.NotContains(t, out.String(), "offline")

	srv.SetNullPower(true)
	out.Reset()
	assert.Equal(t, 0, run(context.Background(), args, creds(srv), &out, &errb), "nulls")
	assert.Contains(t, out.String(), "no data")

	errb.Reset()
	wrong := env(map[string]string{"ALPHAESS_APP_ID": srv.AppID, "ALPHAESS_APP_SECRET": "wrong"})
	assert.Equal(t, 1, run(context.Background(), args, wrong, &out, &errb), "wrong secret")
	assert.Contains(t, errb.String(), "6007")
	assert.Contains(t, errb.String(), "check the AppID")
	assert.NotContains(t, errb.String(), srv.AppSecret)
}

// writes records, for each write, how many requests the fake had seen.
type writes struct {
	srv *alphaesstest.Server
	mu  sync.Mutex
	buf bytes.Buffer
	at  map[string]int // line prefix → requests when it was written
	hit func(line string)
}

func (w *writes) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for line := range strings.Lines(string(p)) {
		w.at[line] = w.srv.Requests()
		if w.hit != nil {
			w.hit(line)
		}
	}
	return w.buf.Write(p)
}

// bindSecond binds the fake's second system, so that the account has two.
func bindSecond(t *testing.T, srv *alphaesstest.Server) {
	t.Helper()
	c := srv.Client().System(alphaesstest.UnboundSerialNumber)
	require.NoError(t, c.RequestVerificationCode(t.Context(), alphaesstest.UnboundCheckCode))
	require.NoError(t, c.Bind(t.Context(), alphaesstest.VerificationCode))
}

// Each row is printed as soon as its system's data arrives, not after the
// whole table (rows used to sit in a tabwriter behind 10 s pacing).
func TestRowsPrintedAsTheyArrive(t *testing.T) {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	bindSecond(t, srv)
	before := srv.Requests()
	w := &writes{srv: srv, at: map[string]int{}}
	var errb bytes.Buffer
	code := run(context.Background(), []string{"-base-url", srv.URL, "-min-interval", "0"}, creds(srv), w, &errb)
	require.Equal(t, 0, code, errb.String())
	rows := map[string]int{}
	for line, n := range w.at {
		for _, sn := range []string{alphaesstest.DefaultSerialNumber, alphaesstest.UnboundSerialNumber} {
			if strings.HasPrefix(line, sn) {
				rows[sn] = n - before
			}
		}
	}
	// getEssList, then one getLastPowerData per system.
	assert.Equal(t, 2, rows[alphaesstest.UnboundSerialNumber], "the first row waits for no other system: %s", w.buf.String())
	assert.Equal(t, 3, rows[alphaesstest.DefaultSerialNumber], "the second row follows its own call: %s", w.buf.String())
}

// SIGINT and SIGTERM cancel run's context (main wires them with
// signal.NotifyContext): the command stops at once, even in the middle of
// the 10 s wait between calls.
func TestStopsWhenSignalled(t *testing.T) {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &writes{srv: srv, at: map[string]int{}}
	w.hit = func(line string) {
		if strings.HasPrefix(line, "SYSTEM") {
			cancel() // the signal arrives while the next call waits its turn
		}
	}
	var errb bytes.Buffer
	start := time.Now()
	code := run(ctx, []string{"-base-url", srv.URL}, creds(srv), w, &errb) // default 10 s pacing
	assert.Less(t, time.Since(start), 5*time.Second, "stopped at once")
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "stopped")
	assert.Contains(t, w.buf.String(), "calls are 10s apart")
	assert.Equal(t, 1, srv.Requests(), "only getEssList was sent")
}

// A wrong number is a usage error naming the flag and the value given,
// found before any work (the fake is not even started), and an option
// name the user never typed is not shown.
func TestBadValuesNamed(t *testing.T) {
	creds := env(map[string]string{"ALPHAESS_APP_ID": "a", "ALPHAESS_APP_SECRET": "s"})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-sim", "-min-interval", "-1s"}, "-min-interval: must not be negative (0 turns pacing off), got -1s"},
		{[]string{"-sim", "-timeout", "-1s"}, "-timeout: must be positive, got -1s"},
		{[]string{"-sim", "-timeout", "0"}, "-timeout: must be positive, got 0s"},
		{[]string{"-base-url", "ftp://x"}, `-base-url: "ftp://x": scheme must be http or https`},
	} {
		var out, errb bytes.Buffer
		assert.Equal(t, 2, run(context.Background(), tc.args, creds, &out, &errb), "%q", tc.args)
		assert.Equal(t, "alphaess-status: "+tc.want+"\n", errb.String(), "%q", tc.args)
		assert.Empty(t, out.String(), "%q: nothing done", tc.args)
	}
}

// -sim replaces -base-url with the fake's, and -h says so.
func TestHelpSaysSimIgnoresBaseURL(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"-h"}, env(nil), &out, &errb))
	assert.Contains(t, out.String(), "(with -sim, the fake's)")
	errb.Reset()
	out.Reset()
	require.Equal(t, 0, run(context.Background(), []string{"-sim", "-base-url", "ftp://x"}, env(nil), &out, &errb), errb.String())
}
