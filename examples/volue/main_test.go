package main

import (
	"context"
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
	for _, args := range [][]string{{"-base-url", "api.example"}, {"-token-url", "ftp://auth.example/token"}} {
		errb.Reset()
		assert.Equal(t, 2, run(context.Background(), args, &out, &errb, env), "%v", args)
		assert.Contains(t, errb.String(), "-base-url and -token-url")
	}
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
