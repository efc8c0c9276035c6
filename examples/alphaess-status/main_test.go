package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/alphaess/alphaesstest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestSim(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-sim", "-tz", "Australia/Sydney"}, env(nil), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"simulated Open API", alphaesstest.DefaultSerialNumber, "SMILE5-INV", "13.34 kWh", " %", " AE", "Grid is positive when importing"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestMissingCredentials(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), nil, env(map[string]string{"ALPHAESS_APP_ID": "alpha123"}), &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "ALPHAESS_APP_SECRET") || !strings.Contains(errb.String(), "-sim") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout %q", out.String())
	}
}

func TestBadFlags(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-tz", "Mars/Olympus"}, env(nil), &out, &errb); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if code := run(context.Background(), []string{"-nope"}, env(nil), &out, &errb); code != 2 {
		t.Fatalf("exit %d", code)
	}
}

// -base-url reaches any server speaking the Open API: here the fake, with
// real credentials checks.
func TestBaseURL(t *testing.T) {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	creds := env(map[string]string{"ALPHAESS_APP_ID": srv.AppID, "ALPHAESS_APP_SECRET": srv.AppSecret})
	args := []string{"-base-url", srv.URL, "-min-interval", "0", "-tz", "UTC"}

	var out, errb bytes.Buffer
	if code := run(context.Background(), args, creds, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), srv.URL) || !strings.Contains(out.String(), srv.SerialNumber) {
		t.Errorf("output:\n%s", out.String())
	}

	srv.SetOffline(true)
	out.Reset()
	if code := run(context.Background(), args, creds, &out, &errb); code != 0 || !strings.Contains(out.String(), "offline") {
		t.Errorf("offline: exit %d\n%s", code, out.String())
	}
	srv.SetOffline(false)
	// The first try and two retries.
	srv.FailNext(3, alphaesstest.Fault{Endpoint: "getLastPowerData", Status: http.StatusBadGateway})
	out.Reset()
	if code := run(context.Background(), args, creds, &out, &errb); code != 0 || !strings.Contains(out.String(), "unavailable") ||
		strings.Contains(out.String(), "offline") {
		t.Errorf("502: exit %d\n%s", code, out.String())
	}
	srv.SetNullPower(true)
	out.Reset()
	if code := run(context.Background(), args, creds, &out, &errb); code != 0 || !strings.Contains(out.String(), "no data") {
		t.Errorf("nulls: exit %d\n%s", code, out.String())
	}

	errb.Reset()
	wrong := env(map[string]string{"ALPHAESS_APP_ID": srv.AppID, "ALPHAESS_APP_SECRET": "wrong"})
	if code := run(context.Background(), args, wrong, &out, &errb); code != 1 || !strings.Contains(errb.String(), "6007") ||
		!strings.Contains(errb.String(), "check the AppID") || strings.Contains(errb.String(), srv.AppSecret) {
		t.Errorf("wrong secret: exit %d, stderr %q", code, errb.String())
	}
}
