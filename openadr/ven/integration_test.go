package ven_test

import (
	"bytes"
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// TestAgainstVTN runs this VEN against the real VTN handler of package
// openadr: registration, report registration, report requests by poll,
// telemetry arriving at the VTN, a charge/discharge event the VEN opts in to
// and carries out (seen by the VTN in the telemetry, with the signs both
// sides document), cancellation of the event and of the registration.
func TestAgainstVTN(t *testing.T) {
	clk := clock.NewFake(t0)
	var mu sync.Mutex
	var responses []openadr.EventResponse
	vtn, err := openadr.NewVTN("VTN_GRIDWIRE",
		openadr.WithClock(clk),
		openadr.WithPollFrequency(10*time.Second),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(time.Minute, 5*time.Minute)),
		openadr.WithEventResponseHook(func(_ context.Context, r openadr.EventResponse) {
			mu.Lock()
			defer mu.Unlock()
			responses = append(responses, r)
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Keep what the VEN sends, to validate it against the XSD at the end.
	var sent [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		sent = append(sent, body)
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		vtn.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer func() {
		docs := map[string][]byte{}
		for i, b := range sent {
			docs[docName(i, "ven")] = b
		}
		validateXSD(t, docs)
	}()

	v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk), ven.WithVENName("fortress-sandbox-battery-1"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// drain polls until the VTN's queue is empty, as Run does.
	drain := func() {
		t.Helper()
		for range 20 {
			got, err := v.PollOnce(ctx)
			if err != nil {
				t.Fatalf("PollOnce: %v", err)
			}
			if !got || !v.State().Registered {
				return
			}
		}
		t.Fatal("the VTN's queue never empties")
	}
	// step moves the clock on five minutes at a time (the VTN asks for a
	// poll every 10 s but does not mind fewer; the reports go every five
	// minutes), polling and ticking the VEN.
	step := func(d time.Duration) {
		t.Helper()
		for end := clk.Now().Add(d); clk.Now().Before(end); {
			clk.Advance(min(5*time.Minute, end.Sub(clk.Now())))
			drain()
			if err := v.Tick(ctx); err != nil {
				t.Fatalf("Tick: %v", err)
			}
		}
	}

	// Registration.
	if err := v.Register(ctx); err != nil {
		t.Fatal(err)
	}
	s := v.State()
	if !s.Registered || s.VENID == "" || s.VTNID != "VTN_GRIDWIRE" || s.PollInterval != 10*time.Second {
		t.Fatalf("State after Register = %+v", s)
	}
	venID := s.VENID
	reg, err := vtn.Registration(ctx, venID)
	if err != nil || reg.VenName != "fortress-sandbox-battery-1" {
		t.Fatalf("the VTN's registration = %+v, %v", reg, err)
	}
	if offered, err := vtn.OfferedReports(ctx, venID); err != nil || len(offered) != 2 {
		t.Fatalf("the VTN has %d offered reports (%v), want 2", len(offered), err)
	}

	// Report requests arrive by poll; the VEN confirms them.
	drain()
	if n := len(v.State().Reports); n != 2 {
		t.Fatalf("the VEN serves %d report requests, want 2 (usage and status)", n)
	}
	rrs, err := vtn.ReportRequests(ctx, venID)
	if err != nil || len(rrs) != 2 {
		t.Fatalf("the VTN's report requests = %+v, %v", rrs, err)
	}
	for _, rr := range rrs {
		if rr.Status != openadr.ReportActive {
			t.Errorf("report request %s is %s, want active", rr.Request.ReportRequestID, rr.Status)
		}
	}

	// Telemetry arrives at the VTN.
	step(6 * time.Minute)
	ms, err := vtn.Telemetry(ctx, venID)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := ms.Latest(openadr.QuantityStateOfCharge); !ok || m.Value != 0.5 || m.ResourceID != "battery1" {
		t.Errorf("SoC at the VTN = %+v, %v; want 0.5 from battery1", m, ok)
	}
	if m, ok := ms.Latest(openadr.QuantityVoltage); !ok || math.Abs(m.Value-51.2) > 0.01 {
		t.Errorf("voltage at the VTN = %+v", m)
	}
	if m, ok := ms.Latest(openadr.QuantityStatus); !ok || m.Status == nil || !m.Status.Online {
		t.Errorf("status at the VTN = %+v", m)
	}

	// An event: charge at 3 kW for an hour from 13:00, hold, discharge at
	// 5 kW for two hours.
	dispatch, err := openadr.LoadDispatch(
		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000},
		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeIdle},
		openadr.DispatchStep{Duration: 2 * time.Hour, Mode: energy.ModeDischarge, Power: 5000},
	)
	if err != nil {
		t.Fatal(err)
	}
	eventID, err := vtn.CreateEvent(ctx, venID, openadr.Event{Start: t0.Add(time.Hour), Signals: []openadr.Signal{dispatch}})
	if err != nil {
		t.Fatal(err)
	}
	drain()
	ev, err := vtn.Event(ctx, venID, eventID)
	if err != nil || ev.Response == nil || ev.Response.OptType != oadr.OptIn || ev.Response.Code != oadr.CodeOK {
		t.Fatalf("the VTN's event = %+v, %v; want the VEN's optIn", ev, err)
	}
	mu.Lock()
	if len(responses) != 1 || responses[0].EventID != eventID {
		t.Errorf("event responses = %+v", responses)
	}
	mu.Unlock()
	if evs := v.State().Events; len(evs) != 1 || evs[0].ID != eventID || evs[0].Steps[0].Power != -3000 {
		t.Fatalf("the VEN's events = %+v", evs)
	}

	// The VEN charges from 13:00: SoC rises, and the VTN reads +3 kW
	// (charging, in the load convention both sides use on the wire).
	step(t0.Add(90 * time.Minute).Sub(clk.Now()))
	ms, _ = vtn.Telemetry(ctx, venID)
	if m, _ := ms.Latest(openadr.QuantityPower); m.Value != 3000 {
		t.Errorf("power at the VTN while charging = %v W, want +3000", m.Value)
	}
	mid, _ := ms.Latest(openadr.QuantityStateOfCharge)
	if mid.Value <= 0.5 {
		t.Errorf("SoC at the VTN while charging = %v, want above 0.5", mid.Value)
	}
	// Then it holds and discharges: SoC falls, and the VTN reads -5 kW.
	step(2 * time.Hour)
	ms, _ = vtn.Telemetry(ctx, venID)
	if m, _ := ms.Latest(openadr.QuantityPower); m.Value != -5000 {
		t.Errorf("power at the VTN while discharging = %v W, want -5000", m.Value)
	}
	if m, _ := ms.Latest(openadr.QuantityStateOfCharge); m.Value >= mid.Value {
		t.Errorf("SoC at the VTN while discharging = %v, want below %v", m.Value, mid.Value)
	}
	if soc := float64(v.State().Battery.StateOfCharge); !near(soc, (12.6-5*0.5)/19.2) {
		t.Errorf("the VEN's SoC at 15:30 = %v, want %v", soc, (12.6-2.5)/19.2)
	}

	// The VTN cancels the event: the VEN stops at once.
	if err := vtn.CancelEvent(ctx, venID, eventID); err != nil {
		t.Fatal(err)
	}
	step(10 * time.Second)
	if s := v.State(); s.Setpoint != 0 || s.Battery.Power != 0 || len(s.Events) != 0 {
		t.Errorf("after the cancellation: setpoint %v power %v events %+v", s.Setpoint, s.Battery.Power, s.Events)
	}

	// The VTN stops the status report, asking for a last one.
	var statusID string
	for _, r := range v.State().Reports {
		if r.Name == oadr.ReportTelemetryStatus {
			statusID = r.RequestID
		}
	}
	if err := vtn.CancelReports(ctx, venID, true, statusID); err != nil {
		t.Fatal(err)
	}
	step(time.Minute)
	if rs := v.State().Reports; len(rs) != 1 || rs[0].Name != oadr.ReportTelemetryUsage {
		t.Errorf("the VEN's reports after the cancellation = %+v", rs)
	}
	if rrs, _ := vtn.ReportRequests(ctx, venID); len(rrs) != 1 {
		t.Errorf("the VTN's report requests after the cancellation = %+v", rrs)
	}

	// The VTN asks the VEN to register again: it does, keeping its IDs.
	if err := vtn.RequestReregistration(ctx, venID); err != nil {
		t.Fatal(err)
	}
	drain()
	if s := v.State(); !s.Registered || s.VENID != venID {
		t.Errorf("after re-registration: %+v", s)
	}
	if n := len(v.State().Reports); n != 1 {
		t.Errorf("re-registration changed the reports: %d", n)
	}

	// The VTN cancels the registration: the VEN lets go.
	if err := vtn.CancelRegistration(ctx, venID); err != nil {
		t.Fatal(err)
	}
	drain()
	if v.State().Registered {
		t.Error("the VEN is still registered")
	}
	if err := v.Run(ctx); err != ven.ErrRegistrationCanceled {
		t.Errorf("Run = %v, want ErrRegistrationCanceled", err)
	}
}

// TestFleetAgainstVTN drives a fleet of VENs step by step on one fake clock
// against the real VTN, as a large-scale test would: every VEN registers,
// reports, opts in to a discharge event and discharges.
func TestFleetAgainstVTN(t *testing.T) {
	const fleet = 25 // enough to show the pattern; CI time is shared
	clk := clock.NewFake(t0)
	vtn, err := openadr.NewVTN("VTN_GRIDWIRE", openadr.WithClock(clk),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(time.Minute, time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	ctx := context.Background()
	vens := make([]*ven.VEN, fleet)
	for i := range vens {
		bat := ven.DefaultBattery()
		bat.InitialSoC = energy.Fraction(0.2 + 0.6*float64(i)/fleet)
		v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk), ven.WithBattery(bat))
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Register(ctx); err != nil {
			t.Fatalf("VEN %d: %v", i, err)
		}
		vens[i] = v
	}
	drainAll := func() {
		for i, v := range vens {
			for got := true; got; {
				if got, err = v.PollOnce(ctx); err != nil {
					t.Fatalf("VEN %d: %v", i, err)
				}
			}
		}
	}
	drainAll()
	discharge, err := openadr.LoadDispatch(openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeDischarge, Power: 4800})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vens {
		if _, err := vtn.CreateEvent(ctx, v.State().VENID, openadr.Event{Start: t0.Add(time.Minute), Signals: []openadr.Signal{discharge}}); err != nil {
			t.Fatal(err)
		}
	}
	drainAll()
	for range 6 {
		clk.Advance(time.Minute)
		drainAll()
		for i, v := range vens {
			if err := v.Tick(ctx); err != nil {
				t.Fatalf("VEN %d: %v", i, err)
			}
		}
	}
	for i, v := range vens {
		s := v.State()
		start := 0.2 + 0.6*float64(i)/fleet
		// 5 minutes at 4.8 kW: 0.4 kWh of 19.2.
		if want := start - 0.4/19.2; !near(float64(s.Battery.StateOfCharge), want) || len(s.Events) != 1 || s.Events[0].Opt != oadr.OptIn {
			t.Fatalf("VEN %d: SoC %v (want %v), events %+v", i, s.Battery.StateOfCharge, want, s.Events)
		}
		ms, err := vtn.Telemetry(ctx, s.VENID)
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := ms.Latest(openadr.QuantityPower); !ok || m.Value != -4800 {
			t.Fatalf("VEN %d: power at the VTN %+v", i, m)
		}
	}
}

// BenchmarkMinuteAgainstVTN is one VEN-minute against the real VTN: a poll
// and the minute's two reports (usage and status, sampled every 10 s), with
// the battery discharging. Compare with BenchmarkTickMinute (the scripted
// VTN) to see what the VTN costs; multiply by a fleet to size a test.
func BenchmarkMinuteAgainstVTN(b *testing.B) {
	clk := clock.NewFake(t0)
	vtn, err := openadr.NewVTN("VTN_GRIDWIRE", openadr.WithClock(clk),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(10*time.Second, time.Minute)))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	ctx := context.Background()
	v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk))
	if err != nil {
		b.Fatal(err)
	}
	if err := v.Register(ctx); err != nil {
		b.Fatal(err)
	}
	discharge, _ := openadr.LoadDispatch(openadr.DispatchStep{Duration: 1000 * time.Hour, Mode: energy.ModeDischarge, Power: 1})
	if _, err := vtn.CreateEvent(ctx, v.State().VENID, openadr.Event{Start: t0, Signals: []openadr.Signal{discharge}}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		clk.Advance(time.Minute)
		for got := true; got; {
			if got, err = v.PollOnce(ctx); err != nil {
				b.Fatal(err)
			}
		}
		if err := v.Tick(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
