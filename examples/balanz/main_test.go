package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/balanz/balanztest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func runArgs(t *testing.T, getenv func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, getenv, &out, &errb)
	return code, out.String(), errb.String()
}

func TestSimCommands(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"status"}, []string{"1.2.3", "CHARGERS"}},
		{[]string{"groups"}, []string{"HOME", "SITE", "00:00-06:59"}},
		{[]string{"chargers"}, []string{"CP-HOME-1", "garage", "Charging", "Preparing", "offline", "ANNA0001"}},
		{[]string{"sessions"}, []string{"live", "Anna", "kWh"}},
		{[]string{"tags"}, []string{"ANNA0001", "Blocked"}},
		{[]string{"limit", "garage", "10"}, []string{"limit set to 10.0 A", "charging", "limit 10.0 A"}},
		{[]string{"stop", "CP-HOME-1"}, []string{"charging stopped", "connected"}},
		{[]string{"start", "driveway"}, []string{"charging started", "charging"}},
	} {
		code, out, errs := runArgs(t, env(nil), append([]string{"-sim", "-tz", "Europe/Oslo"}, tc.args...)...)
		require.Equal(t, 0, code, "%v: %s", tc.args, errs)
		for _, w := range tc.want {
			assert.Contains(t, out, w, tc.args)
		}
	}
}

func TestAgainstFakeURL(t *testing.T) {
	srv := balanztest.NewServer()
	defer srv.Close()
	code, out, errs := runArgs(t, env(map[string]string{"BALANZ_TOKEN": balanztest.TokenStatus}), "-base-url", srv.URL, "chargers")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "CP-SITE-2")

	// a Status user may not ask for the server status
	code, _, errs = runArgs(t, env(map[string]string{"BALANZ_TOKEN": balanztest.TokenStatus}), "-base-url", srv.URL, "status")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "NotAuthorized")

	code, _, errs = runArgs(t, env(nil), "-base-url", srv.URL, "-token", "wrong", "tags")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "check BALANZ_TOKEN")

	// a limit in an allocation group points to charge priority
	code, _, errs = runArgs(t, env(nil), "-base-url", srv.URL, "-token", balanztest.TokenAdmin, "limit", "visitor", "16")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "SetChargePriority")

	code, _, errs = runArgs(t, env(nil), "-base-url", srv.URL, "-token", balanztest.TokenAdmin, "limit", "nope", "16")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "chargers command")
}

func TestUsage(t *testing.T) {
	code, out, errs := runArgs(t, env(nil), "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "BALANZ_TOKEN")
	assert.Empty(t, errs)
	for _, args := range [][]string{
		{"-sim"}, {"-sim", "fly"}, {"-sim", "limit", "garage"}, {"-sim", "limit", "garage", "ten"}, {"-sim", "limit", "garage", "3"},
		{"-sim", "status", "extra"}, {"-nope"}, {"-tz", "Mars/Olympus", "-sim", "status"}, {"tags"},
	} {
		code, _, _ := runArgs(t, env(nil), args...)
		assert.Equal(t, 2, code, args)
	}
	code, _, errs = runArgs(t, env(map[string]string{"BALANZ_TOKEN": "x"}), "-base-url", "ws://127.0.0.1:1/api", "-timeout", "2s", "tags")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "check -base-url")
	// A base URL that is no WebSocket URL is a usage error.
	code, _, errs = runArgs(t, env(map[string]string{"BALANZ_TOKEN": "x"}), "-base-url", "http://127.0.0.1:1/api", "tags")
	assert.Equal(t, 2, code, errs)
	assert.Contains(t, errs, "-base-url")
}
