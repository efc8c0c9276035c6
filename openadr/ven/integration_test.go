package ven_test

import (
	"bytes"
	"context"
	"fmt"
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
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	require.NoError(t, err)
	// Keep what the VEN sends, to validate it against the XSD at the end.
	var sent [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if !assert.NoError(t, err) {
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
	require.NoError(t, err)
	ctx := context.Background()
	// drain polls until the VTN's queue is empty, as Run does.
	drain := func() {
		t.Helper()
		for range 20 {
			got, err := v.PollOnce(ctx)
			require.NoError(t, err, "PollOnce: %v", err)
			if !got || !v.State().Registered {
				return
			}
		}
		require.FailNow(t, "the VTN's queue never empties")
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
				require.FailNow(t, fmt.Sprintf("Tick: %v", err))
			}
		}
	}

	// Registration.
	require.NoError(t, v.Register(ctx))
	s := v.State()
	require.False(t, !s.Registered || s.VENID == "" || s.VTNID != "VTN_GRIDWIRE" || s.PollInterval != 10*time.Second, "State after Register = %+v", s)
	venID := s.VENID
	reg, err := vtn.Registration(ctx, venID)
	require.NoError(t, err, "the VTN's registration = %+v, %v", reg, err)
	require.EqualValues(t, "fortress-sandbox-battery-1", reg.VenName, "the VTN's registration = %+v, %v", reg, err)
	if offered, err := vtn.OfferedReports(ctx, venID); err != nil || len(offered) != 2 {
		require.FailNow(t, fmt.Sprintf("the VTN has %d offered reports (%v), want 2", len(offered), err))
	}

	// Report requests arrive by poll; the VEN confirms them.
	drain()
	if n := len(v.State().Reports); n != 2 {
		require.FailNow(t, fmt.Sprintf("the VEN serves %d report requests, want 2 (usage and status)", n))
	}
	rrs, err := vtn.ReportRequests(ctx, venID)
	require.NoError(t, err, "the VTN's report requests = %+v, %v", rrs, err)
	require.Len(t, rrs, 2, "the VTN's report requests = %+v, %v", rrs, err)
	for _, rr := range rrs {
		assert.EqualValues(t, openadr.ReportActive, rr.Status, "report request %s is %s, want active", rr.Request.ReportRequestID, rr.Status)
	}

	// Telemetry arrives at the VTN.
	step(6 * time.Minute)
	ms, err := vtn.Telemetry(ctx, venID)
	require.NoError(t, err)
	if m, ok := ms.Latest(openadr.QuantityStateOfCharge); !ok || m.Value != 0.5 || m.ResourceID != "battery1" {
		assert.Fail(t, fmt.Sprintf("SoC at the VTN = %+v, %v; want 0.5 from battery1", m, ok))
	}
	if m, ok := ms.Latest(openadr.QuantityVoltage); !ok || math.Abs(m.Value-51.2) > 0.01 {
		assert.Fail(t, fmt.Sprintf("voltage at the VTN = %+v", m))
	}
	if m, ok := ms.Latest(openadr.QuantityStatus); !ok || m.Status == nil || !m.Status.Online {
		assert.Fail(t, fmt.Sprintf("status at the VTN = %+v", m))
	}

	// An event: charge at 3 kW for an hour from 13:00, hold, discharge at
	// 5 kW for two hours.
	dispatch, err := openadr.LoadDispatch(
		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000},
		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeIdle},
		openadr.DispatchStep{Duration: 2 * time.Hour, Mode: energy.ModeDischarge, Power: 5000},
	)
	require.NoError(t, err)
	eventID, err := vtn.CreateEvent(ctx, venID, openadr.Event{Start: t0.Add(time.Hour), Signals: []openadr.Signal{dispatch}})
	require.NoError(t, err)
	drain()
	ev, err := vtn.Event(ctx, venID, eventID)
	require.NoError(t, err, "the VTN's event = %+v, %v; want the VEN's optIn", ev, err)
	require.NotNil(t, ev.Response, "the VTN's event = %+v, %v; want the VEN's optIn", ev, err)
	require.EqualValues(t, oadr.OptIn, ev.Response.OptType, "the VTN's event = %+v, %v; want the VEN's optIn", ev, err)
	require.EqualValues(t, oadr.CodeOK, ev.Response.Code, "the VTN's event = %+v, %v; want the VEN's optIn", ev, err)
	mu.Lock()
	require.Len(t, responses, 1, "event responses = %+v", responses)
	require.EqualValues(t, eventID, responses[0].EventID, "event responses = %+v", responses)
	mu.Unlock()
	if evs := v.State().Events; len(evs) != 1 || evs[0].ID != eventID || evs[0].Steps[0].Power != -3000 {
		require.FailNow(t, fmt.Sprintf("the VEN's events = %+v", evs))
	}

	// The VEN charges from 13:00: SoC rises, and the VTN reads +3 kW
	// (charging, in the load convention both sides use on the wire).
	step(t0.Add(90 * time.Minute).Sub(clk.Now()))
	ms, _ = vtn.Telemetry(ctx, venID)
	if m, _ := ms.Latest(openadr.QuantityPower); m.Value != 3000 {
		assert.Fail(t, fmt.Sprintf("power at the VTN while charging = %v W, want +3000", m.Value))
	}
	mid, _ := ms.Latest(openadr.QuantityStateOfCharge)
	assert.False(t, mid.Value <= 0.5, "SoC at the VTN while charging = %v, want above 0.5", mid.Value)
	// Then it holds and discharges: SoC falls, and the VTN reads -5 kW.
	step(2 * time.Hour)
	ms, _ = vtn.Telemetry(ctx, venID)
	if m, _ := ms.Latest(openadr.QuantityPower); m.Value != -5000 {
		assert.Fail(t, fmt.Sprintf("power at the VTN while discharging = %v W, want -5000", m.Value))
	}
	if m, _ := ms.Latest(openadr.QuantityStateOfCharge); m.Value >= mid.Value {
		assert.Fail(t, fmt.Sprintf("SoC at the VTN while discharging = %v, want below %v", m.Value, mid.Value))
	}
	if soc := float64(v.State().Battery.StateOfCharge); !near(soc, (12.6-5*0.5)/19.2) {
		assert.Fail(t, fmt.Sprintf("the VEN's SoC at 15:30 = %v, want %v", soc, (12.6-2.5)/19.2))
	}

	// The VTN cancels the event: the VEN stops at once.
	require.NoError(t, vtn.CancelEvent(ctx, venID, eventID))
	step(10 * time.Second)
	if s := v.State(); s.Setpoint != 0 || s.Battery.Power != 0 || len(s.Events) != 0 {
		assert.Fail(t, fmt.Sprintf("after the cancellation: setpoint %v power %v events %+v", s.Setpoint, s.Battery.Power, s.Events))
	}

	// The VTN stops the status report, asking for a last one.
	var statusID string
	for _, r := range v.State().Reports {
		if r.Name == oadr.ReportTelemetryStatus {
			statusID = r.RequestID
		}
	}
	require.NoError(t, vtn.CancelReports(ctx, venID, true, statusID))
	step(time.Minute)
	if rs := v.State().Reports; len(rs) != 1 || rs[0].Name != oadr.ReportTelemetryUsage {
		assert.Fail(t, fmt.Sprintf("the VEN's reports after the cancellation = %+v", rs))
	}
	if rrs, _ := vtn.ReportRequests(ctx, venID); len(rrs) != 1 {
		assert.Fail(t, fmt.Sprintf("the VTN's report requests after the cancellation = %+v", rrs))
	}

	// The VTN asks the VEN to register again: it does, keeping its IDs.
	require.NoError(t, vtn.RequestReregistration(ctx, venID))
	drain()
	if s := v.State(); !s.Registered || s.VENID != venID {
		assert.Fail(t, fmt.Sprintf("after re-registration: %+v", s))
	}
	if n := len(v.State().Reports); n != 1 {
		assert.Fail(t, fmt.Sprintf("re-registration changed the reports: %d", n))
	}

	// The VTN cancels the registration: the VEN lets go.
	require.NoError(t, vtn.CancelRegistration(ctx, venID))
	drain()
	assert.False(t, v.State().Registered, "the VEN is still registered")
	if err := v.Run(ctx); err != ven.ErrRegistrationCanceled {
		assert.Fail(t, fmt.Sprintf("Run = %v, want ErrRegistrationCanceled", err))
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
	require.NoError(t, err)
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	ctx := context.Background()
	vens := make([]*ven.VEN, fleet)
	for i := range vens {
		bat := ven.DefaultBattery()
		bat.InitialSoC = energy.Fraction(0.2 + 0.6*float64(i)/fleet)
		v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk), ven.WithBattery(bat))
		require.NoError(t, err)
		if err := v.Register(ctx); err != nil {
			require.FailNow(t, fmt.Sprintf("VEN %d: %v", i, err))
		}
		vens[i] = v
	}
	drainAll := func() {
		for i, v := range vens {
			for got := true; got; {
				if got, err = v.PollOnce(ctx); err != nil {
					require.FailNow(t, fmt.Sprintf("VEN %d: %v", i, err))
				}
			}
		}
	}
	drainAll()
	discharge, err := openadr.LoadDispatch(openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeDischarge, Power: 4800})
	require.NoError(t, err)
	for _, v := range vens {
		if _, err := vtn.CreateEvent(ctx, v.State().VENID, openadr.Event{Start: t0.Add(time.Minute), Signals: []openadr.Signal{discharge}}); err != nil {
			require.NoError(t, err)
		}
	}
	drainAll()
	for range 6 {
		clk.Advance(time.Minute)
		drainAll()
		for i, v := range vens {
			if err := v.Tick(ctx); err != nil {
				require.FailNow(t, fmt.Sprintf("VEN %d: %v", i, err))
			}
		}
	}
	for i, v := range vens {
		s := v.State()
		start := 0.2 + 0.6*float64(i)/fleet
		// 5 minutes at 4.8 kW: 0.4 kWh of 19.2.
		if want := start - 0.4/19.2; !near(float64(s.Battery.StateOfCharge), want) || len(s.Events) != 1 || s.Events[0].Opt != oadr.OptIn {
			require.FailNow(t, fmt.Sprintf("VEN %d: SoC %v (want %v), events %+v", i, s.Battery.StateOfCharge, want, s.Events))
		}
		ms, err := vtn.Telemetry(ctx, s.VENID)
		require.NoError(t, err)
		if m, ok := ms.Latest(openadr.QuantityPower); !ok || m.Value != -4800 {
			require.FailNow(t, fmt.Sprintf("VEN %d: power at the VTN %+v", i, m))
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
