package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/examples/internal/cli"
	"github.com/gridwire/gridwire/internal/syncbuf"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestFlags(t *testing.T) {
	t.Chdir(t.TempDir()) // flags that parse open the default vtn.db here
	for _, args := range [][]string{
		{"-nope"},
		{"extra"},
		{"-cert", "c.pem"},
		{"-granularity", "0s"},
		{"-vtn-id", "vtn_lower"},
		{"-poll", "1500ms"},
		{"-tz", "Mars/Olympus_Mons"},
		{"-db", ""},
		{"-db", "x.db", "-postgres", "postgres://localhost/vtn"},
		{"-tls-cert", "c.pem"},
		{"-tls-key", "k.pem"},
		{"-client-ca", "ca.pem"},
		{"-provision", "vens.txt", "-tls-cert", "c.pem", "-tls-key", "k.pem"},
		{"-sign-key", "k.pem"},
		{"-require-signatures", "-tls-cert", "c.pem", "-tls-key", "k.pem"},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(t.Context(), args, &out, &errs), "%v", args)
		assert.NotEmpty(t, errs.String(), "%v: nothing said on stderr", args)
	}
}

// -h is not an error: it says what the program is, its environment and
// flags, and exits 0.
func TestHelp(t *testing.T) {
	var out, errs bytes.Buffer
	require.Equal(t, 0, run(t.Context(), []string{"-h"}, &out, &errs))
	first, _, _ := strings.Cut(out.String(), "\n")
	assert.Equal(t, description, first)
	assert.Contains(t, first, "pull- and push-mode VENs", "it serves both (RunPush runs)")
	assert.Contains(t, out.String(), "TZ")
	assert.Contains(t, out.String(), "-tz")
	for _, f := range []string{"-tls-cert", "-tls-key", "-client-ca", "-provision", "-sign-key", "-require-signatures"} {
		assert.Contains(t, out.String(), f)
	}
	assert.Empty(t, errs.String())
}

func TestRunStopsOnInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // serve, then stop at once
	var out, errs bytes.Buffer
	require.Equal(t, 0, run(ctx, []string{"-addr", "127.0.0.1:0", "-db", memoryDB}, &out, &errs), errs.String())
	assert.Contains(t, out.String(), "VTN VTN_GRIDWIRE listening on http://127.0.0.1:")
	assert.Equal(t, plainHTTPWarning+"\n", errs.String(), "plain HTTP is said to be for development, in one line")
}

// SIGTERM, as a service manager sends it, stops the server cleanly.
func TestRunStopsOnSIGTERM(t *testing.T) {
	ctx, stop := cli.SignalContext(context.Background())
	defer stop()
	var out syncbuf.Buffer
	var errs bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "vtn.db")}, &out, &errs)
	}()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "listening") }, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errs.String())
	case <-time.After(10 * time.Second):
		require.FailNow(t, "SIGTERM did not stop the VTN")
	}
}

// OpenLEADR's VEN, replayed from its wire capture (openadr/testdata), with
// -event: registration, the event queued, telemetry requested and printed
// as one line, in the -tz time zone.
func TestWithOpenLEADRCapture(t *testing.T) {
	var out syncbuf.Buffer
	sydney, err := time.LoadLocation("Australia/Sydney")
	require.NoError(t, err)
	vtn, err := newVTN(config{vtnID: "VTN_GRIDWIRE", poll: 2 * time.Second, granularity: 10 * time.Second, event: true, tz: sydney},
		&out, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	dir := filepath.Join("..", "..", "openadr", "testdata", "openleadr-interop")
	call := func(svc oadr.ServiceName, body []byte) oadr.Message {
		t.Helper()
		resp, err := srv.Client().Post(srv.URL+openadr.PathPrefix+string(svc), "application/xml", bytes.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
		m, err := oadr.Unmarshal(b)
		require.NoError(t, err)
		return m
	}
	capture := func(name, venID string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return bytes.ReplaceAll(b, []byte("ven_id_fortress"), []byte(venID))
	}

	reg, ok := call(oadr.ServiceEiRegisterParty, capture("03_ven2vtn_oadrCreatePartyRegistration.xml", "")).(*oadr.CreatedPartyRegistration)
	require.True(t, ok)
	require.NotEmpty(t, reg.VenID)
	venID := reg.VenID
	call(oadr.ServiceEiReport, capture("05_ven2vtn_oadrRegisterReport_telemetry_usage.xml", venID))
	var got []string
	for range 4 {
		m := call(oadr.ServiceOadrPoll, capture("13_ven2vtn_oadrPoll.xml", venID))
		got = append(got, m.MessageName())
		if rr, ok := m.(*oadr.RegisterReport); ok {
			// OpenLEADR answers the VTN's report registration (else the
			// VTN sends it again).
			ans := bytes.ReplaceAll(capture("22_ven2vtn_oadrRegisteredReport_empty.xml", venID),
				[]byte("15c64224-d1d1-4e74-b037-b3a91c9aa1eb"), []byte(rr.RequestID))
			call(oadr.ServiceEiReport, bytes.ReplaceAll(ans, []byte("VEN_FORTRESS_1"), []byte(venID)))
		}
	}
	assert.Equal(t, []string{"oadrRegisterReport", "oadrDistributeEvent", "oadrCreateReport", "oadrResponse"}, got)
	r, ok := call(oadr.ServiceEiReport, capture("14_ven2vtn_oadrUpdateReport_telemetry_usage.xml", venID)).(*oadr.UpdatedReport)
	require.True(t, ok)
	assert.Equal(t, oadr.CodeOK, r.Response.Code)
	s := out.String()
	assert.Contains(t, s, "VEN "+venID+` ("fortress_ven") registered`)
	assert.Contains(t, s, "VEN "+venID+": schedule queued as event ")
	// One line for the report, its time in Sydney (01:45:36Z is 12:45:36
	// in summer there); the current without power says its direction.
	assert.Contains(t, s, "2026-11-22T12:45:36+11:00 VEN "+venID+" battery1: state of charge 55.1 %, discharging 12.5 A, voltage 51.2 V, temperature 24.0 °C\n")
	assert.Equal(t, 1, strings.Count(s, " battery1: "), s)
}

func TestChargeThenDischarge(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 500, time.UTC)
	s := chargeThenDischarge(now)
	require.NoError(t, s.Validate())
	w := s.Windows
	start := time.Date(2026, 1, 1, 12, 1, 0, 0, time.UTC)
	require.Len(t, w, 2)
	assert.Equal(t, start, w[0].Start)
	assert.Equal(t, start.Add(time.Hour), w[1].End)
	assert.Equal(t, w[0].End, w[1].Start)
	assert.Equal(t, energy.ModeCharge, w[0].Mode)
	assert.Equal(t, energy.Watts(3000), w[0].Power)
	assert.Equal(t, energy.ModeDischarge, w[1].Mode)
	assert.Equal(t, energy.Watts(3000), w[1].Power)
}

// With -event, a VEN (the openadr/ven simulator) gets the schedule through
// the VEN's energy.Battery as soon as it registers, opts in and follows it;
// each of its reports is one line, with the capacity its energy.Battery
// works out.
func TestEventThroughBattery(t *testing.T) {
	var out syncbuf.Buffer
	vtn, err := newVTN(config{vtnID: "VTN_GRIDWIRE", poll: 2 * time.Second, granularity: 10 * time.Second, event: true},
		&out, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	// The VEN's clock starts now (the VTN runs on the system clock) and is
	// stepped by hand.
	clk := clock.NewFake(time.Now().Truncate(time.Second))
	sim, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk))
	require.NoError(t, err)
	ctx := t.Context()
	require.NoError(t, sim.Register(ctx))
	for got := true; got; {
		got, err = sim.PollOnce(ctx)
		require.NoError(t, err)
	}
	evs := sim.State().Events
	require.Len(t, evs, 1)
	assert.Equal(t, oadr.OptIn, evs[0].Opt)
	require.Len(t, evs[0].Steps, 2)
	assert.Equal(t, energy.Watts(-3000), evs[0].Steps[0].Power)
	assert.Equal(t, energy.Watts(3000), evs[0].Steps[1].Power)
	clk.Advance(30 * time.Second) // samples every 10 s, a report every 10 s
	require.NoError(t, sim.Tick(ctx))
	venID := sim.State().VENID
	s := out.String()
	assert.Contains(t, s, "VEN "+venID+": schedule queued as event "+evs[0].ID+" (charge 3 kW")
	assert.Contains(t, s, "VEN "+venID+" event "+evs[0].ID+" (modification 0): optIn")
	assert.Contains(t, s, "VEN "+venID+" battery1: state of charge 50.0 %, idle, current 0.0 A, voltage 51.2 V, temperature 25.0 °C, storedEnergy 9600 Wh, capacity 19.20 kWh\n")
	assert.Contains(t, s, "VEN "+venID+" battery1: online=true manual-override=false\n")
	assert.Equal(t, 2, strings.Count(s, " battery1: "), "one line per report (usage, status):\n%s", s)
}

// A flow is said in words, never as a signed number: 2.0b's + charging and
// energy's + discharging cannot be confused.
func TestSummaryFlowInWords(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := []openadr.Measurement{
		{ResourceID: "b1", RID: "p", Quantity: openadr.QuantityPower, Value: -1500, MeasuredAt: at},
		{ResourceID: "b1", RID: "i", Quantity: openadr.QuantityCurrent, Value: -30, MeasuredAt: at},
		{ResourceID: "b1", RID: "soc", Quantity: openadr.QuantityStateOfCharge, Value: 0.4, MeasuredAt: at},
		{ResourceID: "b2", RID: "p2", Quantity: openadr.QuantityPower, Value: 800, MeasuredAt: at},
		{ResourceID: "b2", RID: "p2", Quantity: openadr.QuantityPower, Value: 900, MeasuredAt: at.Add(time.Second)},
	}
	got := summary(ms)
	assert.Equal(t, "b1: state of charge 40.0 %, discharging 1500 W, current 30.0 A; b2: charging 900 W", got)
	assert.NotContains(t, got, "-")
}

// serveRun runs the program with args until the returned function is
// called, which returns its exit status; base is the URL it serves. The
// program must say nothing on stderr but the warning of its transport.
func serveRun(t *testing.T, args ...string) (base string, stop func() int) {
	t.Helper()
	base, errs, stopServe := serve(t, args...)
	return base, func() int {
		code := stopServe()
		var unexpected []string
		for line := range strings.Lines(errs.String()) {
			if l := strings.TrimSpace(line); l != plainHTTPWarning && l != noClientCAWarning {
				unexpected = append(unexpected, l)
			}
		}
		assert.Empty(t, unexpected)
		return code
	}
}

// serve runs the program with args until the returned function is called,
// which returns its exit status; base is the URL it serves and errs what it
// says on stderr.
func serve(t *testing.T, args ...string) (base string, errs *syncbuf.Buffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var out syncbuf.Buffer
	errs = new(syncbuf.Buffer)
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), &out, errs) }()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "listening on ") }, 10*time.Second, 10*time.Millisecond, "stderr: %s", errs)
	_, rest, _ := strings.Cut(out.String(), "listening on ")
	base = strings.TrimSuffix(strings.TrimSpace(rest), openadr.PathPrefix)
	return base, errs, func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(10 * time.Second):
			require.FailNow(t, "the VTN did not stop")
			return -1
		}
	}
}

// venKnown reports whether the VTN at base knows venID: a poll is answered
// with 200, not 452.
func venKnown(t *testing.T, base, venID string) bool {
	t.Helper()
	body, err := oadr.Marshal(&oadr.Poll{VenID: venID})
	require.NoError(t, err)
	resp, err := http.Post(base+openadr.PathPrefix+"OadrPoll", "application/xml", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	ans, err := oadr.Unmarshal(b)
	require.NoError(t, err)
	switch m := ans.(type) {
	case *oadr.Response:
		return m.Response.Code == oadr.CodeOK
	case *oadr.RegisterReport, *oadr.CreateReport, *oadr.DistributeEvent:
		return true
	}
	require.FailNowf(t, "unexpected answer", "poll answered %s", ans.MessageName())
	return false
}

// With -db (SQLite, the default) a VEN registered before a restart is still
// registered after it; with -db :memory: it is forgotten.
func TestStateAcrossRestart(t *testing.T) {
	defer http.DefaultClient.CloseIdleConnections()
	for _, tc := range []struct {
		name string
		db   string
		kept bool
	}{
		{"sqlite", filepath.Join(t.TempDir(), "vtn.db"), true},
		{"memory", memoryDB, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, stop := serveRun(t, "-db", tc.db)
			sim, err := ven.New(base)
			require.NoError(t, err)
			require.NoError(t, sim.Register(t.Context()))
			venID := sim.State().VENID
			assert.True(t, venKnown(t, base, venID))
			http.DefaultClient.CloseIdleConnections()
			require.Equal(t, 0, stop())

			base, stop = serveRun(t, "-db", tc.db)
			assert.Equal(t, tc.kept, venKnown(t, base, venID))
			http.DefaultClient.CloseIdleConnections()
			require.Equal(t, 0, stop())
		})
	}
}

// A -db the program cannot create is a failure (exit 1) that says what to
// check.
func TestBadDB(t *testing.T) {
	var out, errs bytes.Buffer
	assert.Equal(t, 1, run(t.Context(), []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "no", "such", "dir", "vtn.db")}, &out, &errs))
	assert.Contains(t, errs.String(), "check -db")
}

// A push-mode VEN gets its messages without polling: what the VTN queues
// for it when it registers and offers its reports (the VTN's own
// oadrRegisterReport, the report requests) is pushed to it.
func TestPushVEN(t *testing.T) {
	base, stop := serveRun(t, "-db", memoryDB, "-event")
	var push http.Handler
	var pushed sync.Map // message name → true
	pushSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if assert.NoError(t, err) {
			if m, err := oadr.Unmarshal(body); assert.NoError(t, err) {
				pushed.Store(m.MessageName(), true)
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		push.ServeHTTP(w, r)
	}))
	defer pushSrv.Close()
	sim, err := ven.New(base, ven.WithPushAddress(pushSrv.URL))
	require.NoError(t, err)
	push = sim.PushHandler()
	require.NoError(t, sim.Register(t.Context()))
	require.NoError(t, sim.RegisterReports(t.Context()))
	require.Eventually(t, func() bool {
		_, ok := pushed.Load("oadrRegisterReport")
		return ok && len(sim.State().Reports) > 0
	}, 10*time.Second, 20*time.Millisecond, "the VTN's messages were pushed to the VEN, which never polled")
	evs := sim.State().Events
	require.Len(t, evs, 1)
	assert.Equal(t, oadr.OptIn, evs[0].Opt)
	require.Equal(t, 0, stop())
}

// Each wrong flag is named alone, with the value given, as a usage error
// (exit 2) before anything is opened; no option name the user never typed
// is shown.
func TestBadValuesNamed(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "bad:addr:x"}, "-addr bad:addr:x: not host:port, such as 127.0.0.1:8080 ([::1]:8080 for IPv6)"},
		{[]string{"-addr", "127.0.0.1:99999"}, `-addr 127.0.0.1:99999: port "99999" is not a number from 0 to 65535`},
		{[]string{"-poll", "-5s"}, "-poll: must be a positive whole number of seconds, got -5s"},
		{[]string{"-poll", "1500ms"}, "-poll: must be a positive whole number of seconds, got 1.5s"},
		{[]string{"-granularity", "500ms"}, "-granularity: must be at least 1s, got 500ms"},
		{[]string{"-report-back", "-1s"}, "-report-back: must not be negative (0: the granularity), got -1s"},
		{[]string{"-vtn-id", "vtn_lower"}, `-vtn-id: "vtn_lower" has no upper-case letter; OpenLEADR VENs opt out of every event from such a VTN`},
		{[]string{"-vtn-id", ""}, "-vtn-id: empty"},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(t.Context(), tc.args, &out, &errs), "%v", tc.args)
		assert.Equal(t, "vtn: "+tc.want+"\n", errs.String(), "%v", tc.args)
		assert.NoFileExists(t, "vtn.db", "%v: nothing opened", tc.args)
	}
}

// An address another program holds is a failure (exit 1) with a hint,
// unlike a malformed one.
func TestAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var out, errs bytes.Buffer
	assert.Equal(t, 1, run(t.Context(), []string{"-addr", ln.Addr().String(), "-db", memoryDB}, &out, &errs))
	assert.Contains(t, errs.String(), "is another program on "+ln.Addr().String()+"? choose another -addr")
}
