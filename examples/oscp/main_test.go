package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/internal/syncbuf"
	"github.com/gridwire/gridwire/oscp/oscptest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestSimTables(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(t.Context(), []string{"-sim", "-tz", "UTC"}, &out, &errs, env(nil))
	require.Equal(t, 0, code, errs.String())
	s := out.String()
	for _, want := range []string{"Capacity Providers (1)", "Lines Co.", "Registered", "Capacity Optimizers (1)", "OAuth client-123",
		"Capacity Groups (1)", "my-group", "FifteenMinute", "Assets of my-group (2)", "XYZ.ABC.123", "Maximum W of watts",
		"Total Import Difference Wh of wattHours", "UTC"} {
		assert.Contains(t, s, want)
	}
}

func TestSimCO(t *testing.T) {
	out := &syncbuf.Buffer{}
	var errs bytes.Buffer
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-sim", "-co", "127.0.0.1:0", "-tz", "UTC"}, out, &errs, env(nil)) }()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "may draw now on phase ALL") }, 10*time.Second, 10*time.Millisecond)
	cancel()
	require.Equal(t, 0, <-done, errs.String())
	s := out.String()
	assert.Contains(t, s, "Capacity Optimizer endpoint at http://127.0.0.1:")
	assert.Contains(t, s, "FP registered")
	assert.Contains(t, s, "Update forecast for my-group (CONSUMPTION), 4 block(s)")
}

func TestBaseURL(t *testing.T) {
	srv := oscptest.NewServer()
	defer srv.Close()
	var out, errs bytes.Buffer
	code := run(t.Context(), []string{"-base-url", srv.URL}, &out, &errs,
		env(map[string]string{"SN_TOKEN": srv.TokenID, "SN_TOKEN_SECRET": srv.TokenSecret}))
	require.Equal(t, 0, code, errs.String())
	assert.Contains(t, out.String(), "Capacity Groups (1)")

	out.Reset()
	errs.Reset()
	code = run(t.Context(), []string{"-base-url", srv.URL}, &out, &errs,
		env(map[string]string{"SN_TOKEN": srv.TokenID, "SN_TOKEN_SECRET": "wrong"}))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs.String(), "check SN_TOKEN")
	assert.NotContains(t, errs.String(), "wrong")

	srv.Close()
	errs.Reset()
	code = run(t.Context(), []string{"-base-url", srv.URL}, &out, &errs,
		env(map[string]string{"SN_TOKEN": srv.TokenID, "SN_TOKEN_SECRET": srv.TokenSecret}))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs.String(), "check the network and -base-url", "a failure says what to do")
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		code int
		want string
	}{
		{[]string{"-h"}, nil, 0, "oscp lists"},
		{nil, nil, 2, "SN_TOKEN"},
		{[]string{"-bogus"}, nil, 2, "flag provided but not defined"},
		{[]string{"-sim", "-tz", "Mars/Olympus"}, nil, 2, "-tz"},
		{[]string{"-co", "127.0.0.1:0"}, map[string]string{"SN_TOKEN": "a", "SN_TOKEN_SECRET": "b"}, 2, "OSCP_CO_TOKEN"},
		{[]string{"-sim", "extra"}, nil, 2, "unexpected argument"},
		{[]string{"-base-url", "ftp://x"}, map[string]string{"SN_TOKEN": "a", "SN_TOKEN_SECRET": "b"}, 2, "-base-url"},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, tc.code, run(t.Context(), tc.args, &out, &errs, env(tc.env)), tc.args)
		got := errs.String()
		if tc.code == 0 { // help asked for goes to stdout, with the environment
			got = out.String()
			assert.Empty(t, errs.String())
			for _, name := range []string{"SN_TOKEN", "SN_TOKEN_SECRET", "OSCP_CO_TOKEN"} {
				assert.Contains(t, got, name)
			}
		}
		assert.Contains(t, got, tc.want, tc.args)
	}
}

// A malformed -co is a usage error found before anything is listed; an
// address in use is a failure (exit 1), also before the listing. Neither
// shows an option name the user never typed.
func TestCOAddrCheckedFirst(t *testing.T) {
	for _, tc := range []struct {
		addr, want string
	}{
		{"127.0.0.1:99999", `oscp: -co 127.0.0.1:99999: port "99999" is not a number from 0 to 65535` + "\n"},
		{"bad:addr:x", "oscp: -co bad:addr:x: not host:port, such as 127.0.0.1:9090 ([::1]:9090 for IPv6)\n"},
		{"127.0.0.1", "oscp: -co 127.0.0.1: not host:port, such as 127.0.0.1:9090 ([::1]:9090 for IPv6)\n"},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(t.Context(), []string{"-sim", "-co", tc.addr}, &out, &errs, env(nil)), tc.addr)
		assert.Equal(t, tc.want, errs.String())
		assert.Empty(t, out.String(), "%s: nothing listed", tc.addr)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var out, errs bytes.Buffer
	assert.Equal(t, 1, run(t.Context(), []string{"-sim", "-co", ln.Addr().String()}, &out, &errs, env(nil)))
	assert.Contains(t, errs.String(), "is another program on it?")
	assert.Empty(t, out.String(), "nothing listed")
}

func TestBaseURLNamed(t *testing.T) {
	var out, errs bytes.Buffer
	creds := env(map[string]string{"SN_TOKEN": "a", "SN_TOKEN_SECRET": "b"})
	assert.Equal(t, 2, run(t.Context(), []string{"-base-url", "ftp://x"}, &out, &errs, creds))
	assert.Equal(t, "oscp: -base-url: \"ftp://x\": scheme must be http or https\n", errs.String())

	// -sim serves SolarNetwork from the fake, whatever -base-url says; -h
	// says so.
	out.Reset()
	errs.Reset()
	assert.Equal(t, 0, run(t.Context(), []string{"-sim", "-base-url", "ftp://x"}, &out, &errs, env(nil)), errs.String())
	out.Reset()
	assert.Equal(t, 0, run(t.Context(), []string{"-h"}, &out, &errs, env(nil)))
	assert.Contains(t, out.String(), "(with -sim, the fake's)")
}
