package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/amber"
	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/clock"
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
	code := run(t.Context(), []string{"-sim"}, &out, &errs, env(""))
	require.Equal(t, 0, code, errs.String())
	s := out.String()
	for _, want := range []string{"Amber site " + ambertest.DefaultSiteID, "Interval", "Import", "Export", "Descriptor", "◀ now", "forecast",
		"Rate limit: 48 of 50", "Times in Australia/Melbourne"} {
		assert.Contains(t, s, want)
	}
	// 12 hours of 30-minute intervals: the current one and 24 more (or 23
	// when now is exactly on a boundary).
	rows := strings.Count(s, "forecast") + strings.Count(s, "◀ now")
	assert.True(t, rows >= 24 && rows <= 25, "%d rows, want 24 or 25:\n%s", rows, s)
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		var out, errs bytes.Buffer
		code := run(t.Context(), []string{arg}, &out, &errs, env(""))
		assert.Equal(t, 0, code, arg)
		first, _, _ := strings.Cut(out.String(), "\n")
		assert.Equal(t, description, first, "a one-line description first")
		assert.Contains(t, out.String(), "AMBER_TOKEN")
		assert.Contains(t, out.String(), "-tz")
		assert.Contains(t, out.String(), "(with -sim, the fake's)", "-h says -sim replaces -base-url")
		assert.Empty(t, errs.String())
	}
}

func TestNoToken(t *testing.T) {
	var out, errs bytes.Buffer
	assert.Equal(t, 2, run(t.Context(), nil, &out, &errs, env("")))
	assert.Contains(t, errs.String(), "AMBER_TOKEN")
	assert.Contains(t, errs.String(), "-sim")
	assert.Zero(t, out.Len())
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
		{"the site's zone", srv.Token, []string{"-base-url", srv.URL, "-site", srv.ClosedSiteID, "-hours", "1"}, 0, "Times in Australia/Sydney"},
		{"-tz", srv.Token, []string{"-base-url", srv.URL, "-tz", "Australia/Adelaide", "-hours", "1"}, 0, "Times in Australia/Adelaide (AC"},
		{"-tz NEM", srv.Token, []string{"-base-url", srv.URL, "-tz", "nem", "-hours", "1"}, 0, "Times in AEST +10:00."},
		{"unknown site", srv.Token, []string{"-base-url", srv.URL, "-site", "01NOPE"}, 1, `site "01NOPE" is not one of the account's`},
		{"wrong token", "psk_wrong", []string{"-base-url", srv.URL}, 1, "check AMBER_TOKEN"},
		{"bad hours", srv.Token, []string{"-hours", "0"}, 2, "amber-prices: -hours: must be from 1 to 48, got 0\n"},
		{"bad tz", srv.Token, []string{"-tz", "Mars/Olympus"}, 2, "-tz"},
		{"bad base URL", srv.Token, []string{"-base-url", "ftp://x"}, 2, "amber-prices: -base-url: \"ftp://x\": scheme must be http or https\n"},
		{"-sim takes the fake's URL", "", []string{"-sim", "-base-url", "ftp://x", "-hours", "1"}, 0, "Amber site"},
		{"bad flag", srv.Token, []string{"-nope"}, 2, "flag provided but not defined"},
		{"stray argument", srv.Token, []string{"now"}, 2, "unexpected argument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			code := run(t.Context(), tc.args, &out, &errs, env(tc.token))
			assert.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", out.String(), errs.String())
			assert.Contains(t, out.String()+errs.String(), tc.want)
		})
	}
}

// TestShow runs the program's logic against the fake at a fixed time, so
// the table is known row by row: times in the chosen zone, the current
// interval marked, forecasts after it.
func TestShow(t *testing.T) {
	now := time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC) // 17:47 in Melbourne (AEDT)
	fc := clock.NewFake(now)
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	var out bytes.Buffer
	require.NoError(t, show(t.Context(), srv.Client(), "", 2*time.Hour, nil, now, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Contains(t, lines[1], "Times in Australia/Melbourne (AEDT +11:00)")
	var rows []string
	for _, l := range lines {
		if strings.HasPrefix(l, "Wed ") {
			rows = append(rows, l)
		}
	}
	require.Len(t, rows, 5, out.String())
	assert.True(t, strings.HasPrefix(rows[0], "Wed 17:30–18:00"), rows[0])
	assert.True(t, strings.HasSuffix(rows[0], "◀ now (estimate)"), rows[0])
	for _, r := range rows[1:] {
		assert.True(t, strings.HasSuffix(r, "forecast"), r)
	}
	assert.True(t, strings.HasPrefix(rows[4], "Wed 19:30–20:00"), rows[4])

	out.Reset()
	require.NoError(t, show(t.Context(), srv.Client(), "", time.Hour, time.UTC, now, &out))
	assert.Contains(t, out.String(), "Wed 06:30–07:00")
}

// TestFailures: what the program says when the API misbehaves or the
// user stops it.
func TestFailures(t *testing.T) {
	srv := ambertest.NewServer()
	defer srv.Close()
	srv.FailNext(1, ambertest.Fault{Endpoint: "/sites/{site}/prices/current", NullPrices: true})
	var out, errs bytes.Buffer
	code := run(t.Context(), []string{"-base-url", srv.URL}, &out, &errs, env(srv.Token))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs.String(), "try again later")

	ctx, cancel := context.WithCancel(t.Context())
	cancel() // as SIGINT would
	errs.Reset()
	code = run(ctx, []string{"-base-url", srv.URL}, &out, &errs, env(srv.Token))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs.String(), "interrupted")
}

func TestSiteZone(t *testing.T) {
	for network, want := range map[string]string{"Jemena": "Australia/Melbourne", "Energex": "Australia/Brisbane",
		"SA Power Networks": "Australia/Adelaide", "Ausgrid": "Australia/Sydney", "Someone New": "Australia/Sydney"} {
		assert.Equal(t, want, siteZone(amber.Site{Network: network}).String(), network)
	}
}
