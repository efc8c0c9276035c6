package main

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func noEnv(string) string { return "" }

func TestSim(t *testing.T) {
	var out, errb strings.Builder
	code := run(t.Context(), []string{"-sim", "-tz", "UTC"}, &out, &errb, noEnv)
	require.Equal(t, 0, code, "stderr: %s", errb.String())
	s := out.String()
	for _, want := range []string{"user      usr-", "vehicle   demo-car-", "meter     mtr-", "webhook   whk-",
		"verified  WebhookTest event", "This is a test event", "verified  PriceCurveCreated event",
		"Prices for location home, next 12 hours (UTC):", "NOK/kWh  ◀ now"} {
		assert.Contains(t, s, want)
	}
	assert.Equal(t, 13, strings.Count(s, "NOK/kWh"), "the hour under way and twelve more")
}

func TestHelp(t *testing.T) {
	var out, errb strings.Builder
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, &out, &errb, noEnv))
	assert.Contains(t, out.String(), description)
	assert.Contains(t, out.String(), "VOLUE_CLIENT_ID")
	assert.Empty(t, errb.String())
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"-nope"}, {"-sim", "-tz", "Nowhere/Else"}, {"-sim", "extra"}} {
		var out, errb strings.Builder
		assert.Equal(t, 2, run(context.Background(), args, &out, &errb, noEnv), "%v", args)
	}
	var out, errb strings.Builder
	run(context.Background(), nil, &out, &errb, noEnv)
	assert.Contains(t, errb.String(), "-sim")

	env := func(k string) string {
		return map[string]string{"VOLUE_CLIENT_ID": "id", "VOLUE_CLIENT_SECRET": "pw"}[k]
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-base-url", "api.example"}, `volue: -base-url: "api.example": scheme must be http or https`},
		{[]string{"-token-url", "ftp://auth.example/token"}, `volue: -token-url: "ftp://auth.example/token": scheme must be http or https`},
	} {
		errb.Reset()
		assert.Equal(t, 2, run(context.Background(), tc.args, &out, &errb, env), "%v", tc.args)
		assert.Equal(t, tc.want+"\n", errb.String())
	}
}

// A wrong -webhook-url, -listen or -location is a usage error found before
// the first call: against the real service, a user, vehicle and meter
// would otherwise be left on the account.
func TestFlagsCheckedBeforeRegistering(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-sim", "-webhook-url", "ftp://x/hook"}, `volue: -webhook-url: not an absolute http(s) URL, such as https://my-tunnel.example/volue`},
		{[]string{"-sim", "-listen", "bad:addr:x"}, "volue: -listen bad:addr:x: not host:port, such as 127.0.0.1:8090 ([::1]:8090 for IPv6)"},
		{[]string{"-sim", "-listen", "127.0.0.1:99999"}, `volue: -listen 127.0.0.1:99999: port "99999" is not a number from 0 to 65535`},
		{[]string{"-sim", "-location", ""}, "volue: -location: must not be empty"},
	} {
		var out, errb strings.Builder
		assert.Equal(t, 2, run(t.Context(), tc.args, &out, &errb, noEnv), "%v", tc.args)
		assert.Equal(t, tc.want+"\n", errb.String())
		assert.Empty(t, out.String(), "%v: nothing registered", tc.args)
	}
}

// An address in use is a failure (exit 1), found before anything is
// registered.
func TestListenInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var out, errb strings.Builder
	assert.Equal(t, 1, run(t.Context(), []string{"-sim", "-listen", ln.Addr().String()}, &out, &errb, noEnv))
	assert.Contains(t, errb.String(), "is another program on it?")
	assert.Empty(t, out.String(), "nothing registered")
}

func TestFailureSaysWhatToDo(t *testing.T) {
	var out, errb strings.Builder
	env := func(k string) string {
		return map[string]string{"VOLUE_CLIENT_ID": "id", "VOLUE_CLIENT_SECRET": "secret"}[k]
	}
	// A token URL nobody listens on: the failure is reported, no network
	// beyond loopback is touched.
	code := run(t.Context(), []string{"-base-url", "http://127.0.0.1:1/v1", "-token-url", "http://127.0.0.1:1/connect/token"}, &out, &errb, env)
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "could not be reached")
	assert.NotContains(t, errb.String(), "secret")
}
