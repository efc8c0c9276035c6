package main

import (
	"bytes"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/amber/ambertest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func env(token string) func(string) string {
	return func(k string) string {
		if k == "AMBER_TOKEN" {
			return token
		}
		return ""
	}
}

func TestSim(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(t.Context(), []string{"-sim"}, &out, &errs, env("")); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	s := out.String()
	for _, want := range []string{"Amber site " + ambertest.DefaultSiteID, "Interval", "Import", "Export", "Descriptor", "◀ now", "forecast", "Rate limit: 48 of 50"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	// 12 hours of 30-minute intervals: the current one and 24 more (or 23
	// when now is exactly on a boundary).
	rows := strings.Count(s, "forecast") + strings.Count(s, "◀ now")
	if rows < 24 || rows > 25 {
		t.Errorf("%d rows, want 24 or 25:\n%s", rows, s)
	}
}

func TestNoToken(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(t.Context(), nil, &out, &errs, env("")); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(errs.String(), "AMBER_TOKEN") || !strings.Contains(errs.String(), "-sim") || out.Len() != 0 {
		t.Errorf("stderr %q, stdout %q", errs.String(), out.String())
	}
}

func TestBaseURLAndSite(t *testing.T) {
	srv := ambertest.NewServer(ambertest.WithIntervalLength(5))
	defer srv.Close()
	cases := []struct {
		name  string
		token string
		args  []string
		code  int
		want  string
	}{
		{"another server", srv.Token, []string{"-base-url", srv.URL, "-hours", "1"}, 0, "5-minute billing intervals"},
		{"closed site by ID", srv.Token, []string{"-base-url", srv.URL, "-site", srv.ClosedSiteID, "-hours", "2"}, 0, srv.ClosedSiteID + " (Ausgrid, closed"},
		{"unknown site", srv.Token, []string{"-base-url", srv.URL, "-site", "01NOPE"}, 1, `site "01NOPE" is not one of the account's`},
		{"wrong token", "psk_wrong", []string{"-base-url", srv.URL}, 1, "check AMBER_TOKEN"},
		{"bad hours", srv.Token, []string{"-hours", "0"}, 2, "-hours"},
		{"bad flag", srv.Token, []string{"-nope"}, 2, "flag provided but not defined"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			code := run(t.Context(), tc.args, &out, &errs, env(tc.token))
			if code != tc.code || !strings.Contains(out.String()+errs.String(), tc.want) {
				t.Errorf("exit %d (want %d); stdout:\n%s\nstderr:\n%s\nwant %q", code, tc.code, out.String(), errs.String(), tc.want)
			}
		})
	}
}
