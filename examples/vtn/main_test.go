package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-nope"},
		{"extra"},
		{"-cert", "c.pem"},
		{"-granularity", "0s"},
		{"-vtn-id", "vtn_lower"},
		{"-poll", "1500ms"},
	} {
		var out, errs bytes.Buffer
		if code := run(t.Context(), args, &out, &errs); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if errs.Len() == 0 {
			t.Errorf("%v: nothing said on stderr", args)
		}
	}
}

func TestRunStopsOnInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // serve, then stop at once
	var out, errs bytes.Buffer
	if code := run(ctx, []string{"-addr", "127.0.0.1:0"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if !strings.Contains(out.String(), "VTN VTN_GRIDWIRE listening on http://127.0.0.1:") {
		t.Errorf("stdout: %q", out.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// OpenLEADR's VEN, replayed from its wire capture (openadr/testdata), with
// -event: registration, the event queued, telemetry requested and printed.
func TestWithOpenLEADRCapture(t *testing.T) {
	var out syncBuffer
	vtn, err := newVTN(config{vtnID: "VTN_GRIDWIRE", poll: 2 * time.Second, granularity: 10 * time.Second, event: true},
		&out, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	dir := filepath.Join("..", "..", "openadr", "testdata", "openleadr-interop")
	call := func(svc oadr.ServiceName, body []byte) oadr.Message {
		t.Helper()
		resp, err := srv.Client().Post(srv.URL+openadr.PathPrefix+string(svc), "application/xml", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("HTTP %d, %v: %s", resp.StatusCode, err, b)
		}
		m, err := oadr.Unmarshal(b)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	capture := func(name, venID string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return bytes.ReplaceAll(b, []byte("ven_id_fortress"), []byte(venID))
	}

	reg, ok := call(oadr.ServiceEiRegisterParty, capture("03_ven2vtn_oadrCreatePartyRegistration.xml", "")).(*oadr.CreatedPartyRegistration)
	if !ok || reg.VenID == "" {
		t.Fatalf("registration: %#v", reg)
	}
	venID := reg.VenID
	call(oadr.ServiceEiReport, capture("05_ven2vtn_oadrRegisterReport_telemetry_usage.xml", venID))
	var got []string
	for range 4 {
		got = append(got, call(oadr.ServiceOadrPoll, capture("13_ven2vtn_oadrPoll.xml", venID)).MessageName())
	}
	want := []string{"oadrRegisterReport", "oadrDistributeEvent", "oadrCreateReport", "oadrResponse"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("polls gave %v, want %v", got, want)
	}
	if r, ok := call(oadr.ServiceEiReport, capture("14_ven2vtn_oadrUpdateReport_telemetry_usage.xml", venID)).(*oadr.UpdatedReport); !ok || r.Response.Code != oadr.CodeOK {
		t.Errorf("update report answered %#v", r)
	}
	s := out.String()
	for _, line := range []string{
		"VEN " + venID + ` ("fortress_ven") registered`,
		"VEN " + venID + ": schedule queued as event ",
		"2026-11-22T01:45:36Z VEN " + venID + " battery1 voltage 51.2 V",
		" battery1 current -12.5 A",
		" battery1 temperature 24 °C",
		" battery1 state of charge 55.1 %",
	} {
		if !strings.Contains(s, line) {
			t.Errorf("output lacks %q:\n%s", line, s)
		}
	}
}

func TestChargeThenDischarge(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 500, time.UTC)
	s := chargeThenDischarge(now)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	w := s.Windows
	start := time.Date(2026, 1, 1, 12, 1, 0, 0, time.UTC)
	if len(w) != 2 || !w[0].Start.Equal(start) || !w[1].End.Equal(start.Add(time.Hour)) || !w[0].End.Equal(w[1].Start) {
		t.Fatalf("windows %+v", w)
	}
	if w[0].Mode != energy.ModeCharge || w[0].Power != 3000 || w[1].Mode != energy.ModeDischarge || w[1].Power != 3000 {
		t.Errorf("windows %+v", w)
	}
}

// With -event, a VEN (the openadr/ven simulator) gets the schedule through
// the VEN's energy.Battery as soon as it registers, opts in and follows it;
// its telemetry is printed, and its battery status with it.
func TestEventThroughBattery(t *testing.T) {
	var out syncBuffer
	vtn, err := newVTN(config{vtnID: "VTN_GRIDWIRE", poll: 2 * time.Second, granularity: 10 * time.Second, event: true},
		&out, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	// The VEN's clock starts now (the VTN runs on the system clock) and is
	// stepped by hand.
	clk := clock.NewFake(time.Now().Truncate(time.Second))
	sim, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := sim.Register(ctx); err != nil {
		t.Fatal(err)
	}
	for got := true; got; {
		if got, err = sim.PollOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	evs := sim.State().Events
	if len(evs) != 1 || evs[0].Opt != oadr.OptIn || len(evs[0].Steps) != 2 || evs[0].Steps[0].Power != -3000 || evs[0].Steps[1].Power != 3000 {
		t.Fatalf("the VEN's events: %+v", evs)
	}
	clk.Advance(30 * time.Second) // samples every 10 s, a report every 10 s
	if err := sim.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	venID := sim.State().VENID
	s := out.String()
	for _, line := range []string{
		"VEN " + venID + ": schedule queued as event " + evs[0].ID + " (charge 3 kW",
		"VEN " + venID + " event " + evs[0].ID + " (modification 0): optIn",
		"VEN " + venID + " battery1 state of charge 50.0 %",
		"VEN " + venID + " battery: state of charge 50.0 %, power 0 W (+ discharging), capacity 19.20 kWh",
	} {
		if !strings.Contains(s, line) {
			t.Errorf("output lacks %q:\n%s", line, s)
		}
	}
	if n := strings.Count(s, " battery: "); n != 1 {
		t.Errorf("%d battery lines for one usage report (and a status report without power):\n%s", n, s)
	}
}
