package main

import (
	"bytes"
	"context"
	"strings"
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
		{[]string{"limit", "garage", "32"}, []string{"limit set to 32.0 A", "limit 32.0 A"}},
		{[]string{"limit", "garage", "0"}, []string{"limit set to 0.0 A", "suspended", "limit 0.0 A"}},
		{[]string{"stop", "CP-HOME-1"}, []string{"charging stopped", "connected"}},
		// the driveway's car charges on one phase: 32 A × 230 V, not × 3
		{[]string{"start", "driveway"}, []string{"charging started", "charging, 7360 W"}},
		{[]string{"-phases", "3", "start", "driveway"}, []string{"charging, 22.08 kW"}}, // -phases wins
		{[]string{"start", "garage"}, []string{"a session is live already; nothing to start", "charging, 11.04 kW"}},
		{[]string{"stop", "driveway"}, []string{"no session to stop; nothing done", "connected"}},
		{[]string{"stop", "fleet"}, []string{"no session to stop; nothing done", "offline"}},
	} {
		code, out, errs := runArgs(t, env(nil), append([]string{"-sim", "-tz", "Europe/Oslo"}, tc.args...)...)
		require.Equal(t, 0, code, "%v: %s", tc.args, errs)
		for _, w := range tc.want {
			assert.Contains(t, out, w, tc.args)
		}
		if tc.args[0] == "stop" && tc.args[1] != "CP-HOME-1" || tc.args[0] == "start" && tc.args[1] == "garage" {
			assert.NotContains(t, out, "charging stopped", "a stop that did nothing says so")
			assert.NotContains(t, out, "charging started", "a start that did nothing says so")
		}
	}
}

// nameOnce asserts that no line of stderr names the command twice, as in
// "balanz: start: balanz: …".
func nameOnce(t *testing.T, stderr string, msgAndArgs ...any) {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		assert.LessOrEqual(t, strings.Count(line, "balanz: "), 1, append([]any{line}, msgAndArgs...)...)
	}
}

func TestSimFailures(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		code    int
		want    []string
		notWant []string
	}{
		// the visitor charger has no vehicle plugged in, so it rejects a start
		{[]string{"start", "visitor"}, 1, []string{
			"balanz: start: RemoteStartTransaction: Rejected\n",
			"balanz: the charger refused to start: no vehicle is plugged into connector 1 (it is Available): plug one in, then start again\n",
		}, []string{"id tag"}},
		{[]string{"-id-tag", balanztest.SeedBlockedTag, "start", "driveway"}, 1, []string{"Rejected", `id tag "LOST0007" is Blocked`, "-id-tag"}, []string{"plugged"}},
		{[]string{"-id-tag", "NOBODY", "start", "driveway"}, 1, []string{"Rejected", `id tag "NOBODY" is not one balanz knows`}, nil},
		// beyond the charger's maximum: refused before anything is sent
		{[]string{"limit", "garage", "1000"}, 2, []string{"limit: 1000.0 A", "at most 32.0 A"}, nil},
		{[]string{"-connector", "3", "start", "visitor"}, 2, []string{"-connector 3: charger CP-SITE-1 has no connector 3; it has 1, 2"}, []string{"GetChargers", "NoSuchConnector"}},
		{[]string{"-connector", "2", "limit", "garage", "10"}, 2, []string{"-connector 2", "it has 1:"}, nil},
		{[]string{"start", "nope"}, 2, []string{`no charger has the id or alias "nope"`, "chargers command"}, nil},
	} {
		code, out, errs := runArgs(t, env(nil), append([]string{"-sim"}, tc.args...)...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errs)
		for _, w := range tc.want {
			assert.Contains(t, errs, w, tc.args)
		}
		for _, w := range tc.notWant {
			assert.NotContains(t, errs, w, tc.args)
		}
		assert.NotContains(t, out, "limit set", tc.args)
		assert.NotContains(t, out, "charging started", tc.args)
		nameOnce(t, errs, tc.args)
	}
}

func TestSimInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"-sim", "chargers"}, env(nil), &out, &errb)
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "balanz: starting the simulation: ")
	nameOnce(t, errb.String())
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
	assert.Equal(t, 2, code, "a charger the server does not have is a usage error")
	assert.Contains(t, errs, "chargers command")

	// Power is per-phase current × 230 V × -phases (default 3).
	require.NoError(t, srv.PlugIn(balanztest.SeedHomeCharger2, 1, balanztest.Vehicle{MaxCurrent: 16, Phases: 1}))
	code, out, errs = runArgs(t, env(nil), "-base-url", srv.URL, "-token", balanztest.TokenAdmin, "start", "driveway")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "charging, 11.04 kW", "three phases unless told")
	code, out, errs = runArgs(t, env(nil), "-base-url", srv.URL, "-token", balanztest.TokenAdmin, "-phases", "1", "start", "driveway")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "charging, 3680 W")
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
	// Flags no command can use are refused before any work: no simulation
	// starts, nothing is dialled.
	for _, tc := range []struct{ flag, value, want string }{
		{"-timeout", "-1s", "-timeout -1s: give a time to wait of more than 0"},
		{"-timeout", "0s", "-timeout 0s"},
		{"-phases", "0", "-phases 0: a vehicle charges on 1, 2 or 3 phases"},
		{"-phases", "4", "-phases 4"},
		{"-connector", "0", "-connector 0: connectors count from 1"},
	} {
		code, out, errs := runArgs(t, env(nil), "-sim", tc.flag, tc.value, "chargers")
		assert.Equal(t, 2, code, tc.flag, tc.value)
		assert.True(t, strings.HasPrefix(errs, "balanz: "+tc.want), "%s %s: %s", tc.flag, tc.value, errs)
		assert.Empty(t, out, "no work done", tc.flag)
	}
	code, out, _ = runArgs(t, env(nil), "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "-phases", "-h says what power assumes")
	assert.Contains(t, out, "current × 230.0 V × phases")
	code, _, errs = runArgs(t, env(map[string]string{"BALANZ_TOKEN": "x"}), "-base-url", "ws://127.0.0.1:1/api", "-timeout", "2s", "tags")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "check -base-url")
	// A base URL that is no WebSocket URL is a usage error.
	code, _, errs = runArgs(t, env(map[string]string{"BALANZ_TOKEN": "x"}), "-base-url", "http://127.0.0.1:1/api", "tags")
	assert.Equal(t, 2, code, errs)
	assert.Contains(t, errs, "-base-url")
}
