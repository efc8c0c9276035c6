package ven_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// registered returns a VEN registered with f, whose VTN asked for reqs.
func registered(t *testing.T, f *fakeVTN, clk *clock.Fake, reqs []oadr.ReportRequest, opts ...ven.Option) *ven.VEN {
	t.Helper()
	f.reportRequests = reqs
	v := f.newVEN(clk, opts...)
	require.NoError(t, v.Register(context.Background()))
	return v
}

// values returns the payloadFloat values of rID in a report, by interval start.
func values(r *oadr.Report, rID string) map[time.Time]float64 {
	out := map[time.Time]float64{}
	for _, iv := range r.Intervals {
		for _, p := range iv.Payloads {
			if v, ok := p.Float(); ok && p.RID == rID {
				out[iv.Start] = v
			}
		}
	}
	return out
}

func TestReportsAtRequestedInterval(t *testing.T) {
	for _, tick := range []time.Duration{10 * time.Second, time.Minute, 5 * time.Minute} {
		t.Run("tick every "+tick.String(), func(t *testing.T) {
			f := newFakeVTN(t)
			clk := clock.NewFake(t0.Add(20 * time.Second)) // samples align to the minute
			v := registered(t, f, clk, []oadr.ReportRequest{usageRequest("RR_USAGE_0001", time.Minute, 5*time.Minute)})
			ctx := context.Background()
			for clk.Now().Before(t0.Add(16*time.Minute + 30*time.Second)) {
				clk.Advance(tick)
				require.NoError(t, v.Tick(ctx))
			}
			updates := got[*oadr.UpdateReport](f)
			require.Len(t, updates, 3, "%d oadrUpdateReport, want 3 (at 12:06, 12:11, 12:16)", len(updates))
			for i, u := range updates {
				r := &u.Reports[0]
				first := t0.Add(time.Duration(1+5*i) * time.Minute)
				assert.False(t, r.ReportRequestID != "RR_USAGE_0001" || r.ReportSpecifierID != "battery1_telemetry_usage" || r.ReportName != oadr.ReportTelemetryUsage || u.VenID != "VEN_FORTRESS_1" || r.EiReportID == "", "report %d: %+v", i, r)
				require.True(t, r.Start.Equal(first), "report %d: start %v duration %v with %d intervals, want %v, 5m, 30", i, r.Start, r.Duration, len(r.Intervals), first)
				require.EqualValues(t, 5*time.Minute, r.Duration, "report %d: start %v duration %v with %d intervals, want %v, 5m, 30", i, r.Start, r.Duration, len(r.Intervals), first)
				require.Len(t, r.Intervals, 5*6, "report %d: start %v duration %v with %d intervals, want %v, 5m, 30", i, r.Start, r.Duration, len(r.Intervals), first)
				// The report goes out at the first tick at or after its period's end.
				if due := first.Add(5 * time.Minute); r.CreatedDateTime.Before(due) || r.CreatedDateTime.Sub(due) >= tick {
					assert.Fail(t, fmt.Sprintf("report %d created %v, due %v", i, r.CreatedDateTime, due))
				}
				soc := values(r, "battery1_soc")
				for k := range 5 {
					at := first.Add(time.Duration(k) * time.Minute)
					if got, ok := soc[at]; !ok || got != 50 {
						assert.Fail(t, fmt.Sprintf("report %d: SoC at %v = %v, %v; want 50", i, at, got, ok))
					}
				}
				for _, iv := range r.Intervals {
					require.EqualValues(t, time.Minute, iv.Duration, "interval %+v", iv)
					require.Len(t, iv.Payloads, 1, "interval %+v", iv)
				}
				if volts := values(r, "battery1_voltage")[first]; math.Abs(volts-51.2) > 0.01 {
					assert.Fail(t, fmt.Sprintf("voltage at rest and half full = %v, want 51.2", volts))
				}
				if temp := values(r, "battery1_temperature")[first]; temp != 25 {
					assert.Fail(t, fmt.Sprintf("temperature at rest = %v, want 25", temp))
				}
				if e := values(r, "battery1_stored_energy")[first]; e != 9.6 {
					assert.Fail(t, fmt.Sprintf("stored energy = %v kWh, want 9.6", e))
				}
			}
		})
	}
}

func TestReportsFollowTheVTNPeriodWithPause(t *testing.T) {
	// After a long pause (a VEN off the network, a clock jump) one report
	// carries everything held, and reports go on at the period.
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, []oadr.ReportRequest{usageRequest("RR", 10*time.Second, 30*time.Second)})
	ctx := context.Background()
	clk.Advance(10 * time.Minute)
	require.NoError(t, v.Tick(ctx))
	clk.Advance(30 * time.Second)
	require.NoError(t, v.Tick(ctx))
	updates := got[*oadr.UpdateReport](f)
	require.Len(t, updates, 2, "%d reports, want 2", len(updates))
	if n := len(updates[0].Reports[0].Intervals) / 6; n != 60 {
		assert.Fail(t, fmt.Sprintf("catch-up report has %d samples, want 60", n))
	}
	if n := len(updates[1].Reports[0].Intervals) / 6; n != 3 {
		assert.Fail(t, fmt.Sprintf("next report has %d samples, want 3", n))
	}
}

func TestReportFailureKeepsSamples(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, []oadr.ReportRequest{usageRequest("RR", time.Minute, time.Minute)})
	ctx := context.Background()
	f.setOverride(func(_ string, msg oadr.Message) *reply {
		if _, ok := msg.(*oadr.UpdateReport); ok {
			return &reply{status: 503, body: "maintenance"}
		}
		return nil
	})
	clk.Advance(time.Minute)
	if err := v.Tick(ctx); err == nil {
		require.FailNow(t, "Tick succeeded though the VTN answered 503")
	}
	f.setOverride(nil)
	clk.Advance(time.Second) // before the retry time: nothing goes out
	require.NoError(t, v.Tick(ctx))
	if n := len(got[*oadr.UpdateReport](f)); n != 1 {
		require.FailNow(t, fmt.Sprintf("%d attempts, want 1 before the retry time", n))
	}
	clk.Advance(time.Minute)
	require.NoError(t, v.Tick(ctx))
	updates := got[*oadr.UpdateReport](f)
	if n := len(updates[len(updates)-1].Reports[0].Intervals) / 6; n != 2 {
		assert.Fail(t, fmt.Sprintf("retried report has %d samples, want the 2 held", n))
	}
}

func TestStatusReport(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	// As samples/battery/oadrRegisteredReport_battery_with_requests.xml.
	status := oadr.ReportRequest{ReportRequestID: "RR_STATUS_0001", Specifier: oadr.ReportSpecifier{
		ReportSpecifierID: "battery1_telemetry_status", Granularity: 5 * time.Minute, ReportBackDuration: 5 * time.Minute,
		Payloads: []oadr.SpecifierPayload{{RID: "battery1_status", ReadingType: oadr.ReadingNotApplicable}},
	}}
	v := registered(t, f, clk, []oadr.ReportRequest{status}, ven.WithBattery(withSoC(0.583)))
	clk.Advance(5 * time.Minute)
	require.NoError(t, v.Tick(context.Background()))
	r := last[*oadr.UpdateReport](t, f).Reports[0]
	require.EqualValues(t, oadr.ReportTelemetryStatus, r.ReportName, "status report = %+v", r)
	require.Len(t, r.Intervals, 1, "status report = %+v", r)
	st := r.Intervals[0].Payloads[0].ResourceStatus
	assert.False(t, st == nil || !st.Online || st.ManualOverride || st.LoadControlState == nil || st.LoadControlState.Capacity.Current != 58.3 || st.LoadControlState.SetPoint.Current != 0 || *st.LoadControlState.SetPoint.Max != 5, "resource status = %+v", st)
}

func withSoC(soc float64) ven.BatteryConfig {
	c := ven.DefaultBattery()
	c.InitialSoC = energy.Fraction(soc)
	return c
}

func TestCreateReportByPoll(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	ctx := context.Background()
	// As samples/battery/oadrCreateReport_battery_vtn_initiated.xml, plus a
	// one-shot request (granularity 0: one report now).
	f.enqueue(&oadr.CreateReport{RequestID: "REQ_CREATE_REPORT_0001", VenID: "VEN_FORTRESS_1", ReportRequests: []oadr.ReportRequest{
		{ReportRequestID: "RR_SOC_0002", Specifier: oadr.ReportSpecifier{ReportSpecifierID: "battery1_telemetry_usage",
			Granularity: time.Minute, ReportBackDuration: 5 * time.Minute,
			Payloads: []oadr.SpecifierPayload{{RID: "battery1_soc", ReadingType: oadr.ReadingDirectRead}}}},
		{ReportRequestID: "RR_NOW", Specifier: oadr.ReportSpecifier{ReportSpecifierID: "battery1_telemetry_usage",
			Payloads: []oadr.SpecifierPayload{{RID: "battery1_power", ReadingType: oadr.ReadingDirectRead}}}},
	}})
	if got, err := v.PollOnce(ctx); !got || err != nil {
		require.FailNow(t, fmt.Sprintf("PollOnce = %v, %v", got, err))
	}
	cr := last[*oadr.CreatedReport](t, f)
	require.EqualValues(t, oadr.CodeOK, cr.Response.Code, "oadrCreatedReport = %+v", cr)
	require.EqualValues(t, "REQ_CREATE_REPORT_0001", cr.Response.RequestID, "oadrCreatedReport = %+v", cr)
	require.Equal(t, []string{"RR_SOC_0002", "RR_NOW"}, cr.PendingReports, "oadrCreatedReport = %+v", cr)
	require.NoError(t, v.Tick(ctx))
	now := last[*oadr.UpdateReport](t, f).Reports[0]
	assert.False(t, now.ReportRequestID != "RR_NOW" || len(now.Intervals) != 1 || now.Intervals[0].Payloads[0].RID != "battery1_power" || !now.Intervals[0].Start.Equal(t0) || now.Duration != 0, "one-shot report = %+v", now)
	if s := v.State(); len(s.Reports) != 1 || s.Reports[0].RequestID != "RR_SOC_0002" {
		assert.Fail(t, fmt.Sprintf("after the one-shot, State().Reports = %+v", s.Reports))
	}
	clk.Advance(5 * time.Minute)
	require.NoError(t, v.Tick(ctx))
	soc := last[*oadr.UpdateReport](t, f).Reports[0]
	require.EqualValues(t, "RR_SOC_0002", soc.ReportRequestID, "SoC report = %+v", soc)
	require.Len(t, soc.Intervals, 5, "SoC report = %+v", soc)
}

func TestCreateReportRefusals(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	ctx := context.Background()
	req := func(id, spec string, rids ...string) oadr.ReportRequest {
		rr := oadr.ReportRequest{ReportRequestID: id, Specifier: oadr.ReportSpecifier{
			ReportSpecifierID: spec, Granularity: time.Minute, ReportBackDuration: time.Minute}}
		for _, r := range rids {
			rr.Specifier.Payloads = append(rr.Specifier.Payloads, oadr.SpecifierPayload{RID: r, ReadingType: oadr.ReadingDirectRead})
		}
		return rr
	}
	f.enqueue(&oadr.CreateReport{RequestID: "A", ReportRequests: []oadr.ReportRequest{req("RR_BAD", "history", "x")}})
	if _, err := v.PollOnce(ctx); err != nil {
		require.NoError(t, err)
	}
	cr := last[*oadr.CreatedReport](t, f)
	require.EqualValues(t, oadr.CodeReportNotSupported, cr.Response.Code, "refusal = %+v", cr)
	require.Contains(t, cr.Response.Description, `"history"`, "refusal = %+v", cr)
	require.Len(t, cr.PendingReports, 0, "refusal = %+v", cr)
	// Known and unknown rIDs: the known are served, the rest named.
	f.enqueue(&oadr.CreateReport{RequestID: "B", ReportRequests: []oadr.ReportRequest{
		req("RR_PART", "battery1_telemetry_usage", "battery1_soc", "battery1_frequency")}})
	if _, err := v.PollOnce(ctx); err != nil {
		require.NoError(t, err)
	}
	cr = last[*oadr.CreatedReport](t, f)
	require.EqualValues(t, oadr.CodeOK, cr.Response.Code, "partial acceptance = %+v", cr)
	require.Contains(t, cr.Response.Description, "battery1_frequency", "partial acceptance = %+v", cr)
	require.Equal(t, []string{"RR_PART"}, cr.PendingReports, "partial acceptance = %+v", cr)
	if s := v.State(); len(s.Reports) != 1 || !slices.Equal(s.Reports[0].RIDs, []string{"battery1_soc"}) {
		assert.Fail(t, fmt.Sprintf("State().Reports = %+v", s.Reports))
	}
}

func TestReportInterval(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	rr := usageRequest("RR_WINDOW", time.Minute, 2*time.Minute)
	rr.Specifier.ReportInterval = &oadr.Period{Start: t0.Add(10 * time.Minute), Duration: 4 * time.Minute}
	v := registered(t, f, clk, []oadr.ReportRequest{rr})
	ctx := context.Background()
	for range 20 {
		clk.Advance(time.Minute)
		require.NoError(t, v.Tick(ctx))
	}
	updates := got[*oadr.UpdateReport](f)
	require.Len(t, updates, 2, "%d reports, want 2 (the window holds 4 one-minute samples, 2 per report)", len(updates))
	assert.False(t, !updates[0].Reports[0].Start.Equal(t0.Add(10*time.Minute)) || !updates[1].Reports[0].Start.Equal(t0.Add(12*time.Minute)), "report starts %v, %v", updates[0].Reports[0].Start, updates[1].Reports[0].Start)
	if s := v.State(); len(s.Reports) != 0 {
		assert.Fail(t, fmt.Sprintf("the request outlived its window: %+v", s.Reports))
	}
}

func TestCancelReport(t *testing.T) {
	for _, follow := range []bool{false, true} {
		t.Run(map[bool]string{false: "without report to follow", true: "with report to follow"}[follow], func(t *testing.T) {
			f := newFakeVTN(t)
			clk := clock.NewFake(t0)
			v := registered(t, f, clk, []oadr.ReportRequest{
				usageRequest("RR_A", time.Minute, 5*time.Minute), usageRequest("RR_B", time.Minute, 5*time.Minute)})
			ctx := context.Background()
			clk.Advance(3 * time.Minute)
			require.NoError(t, v.Tick(ctx))
			f.enqueue(&oadr.CancelReport{RequestID: "REQ_CANCEL", ReportRequestIDs: []string{"RR_A"}, ReportToFollow: follow})
			if _, err := v.PollOnce(ctx); err != nil {
				require.NoError(t, err)
			}
			c := last[*oadr.CanceledReport](t, f)
			require.EqualValues(t, oadr.CodeOK, c.Response.Code, "oadrCanceledReport = %+v", c)
			require.EqualValues(t, "REQ_CANCEL", c.Response.RequestID, "oadrCanceledReport = %+v", c)
			require.Equal(t, []string{"RR_B"}, c.PendingReports, "oadrCanceledReport = %+v", c)
			require.NoError(t, v.Tick(ctx))
			updates := got[*oadr.UpdateReport](f)
			if follow {
				require.Len(t, updates, 1, "final report")
				assert.Equal(t, "RR_A", updates[0].Reports[0].ReportRequestID)
				assert.Len(t, updates[0].Reports[0].Intervals, 4*6)
			} else {
				assert.Empty(t, updates, "reports after a cancellation without report to follow")
			}
			if s := v.State(); len(s.Reports) != 1 || s.Reports[0].RequestID != "RR_B" {
				assert.Fail(t, fmt.Sprintf("State().Reports = %+v", s.Reports))
			}
		})
	}
}

func TestCancelUnknownReport(t *testing.T) {
	f := newFakeVTN(t)
	v := registered(t, f, clock.NewFake(t0), nil)
	f.enqueue(&oadr.CancelReport{RequestID: "REQ_CANCEL", ReportRequestIDs: []string{"RR_NOPE"}})
	if _, err := v.PollOnce(context.Background()); err != nil {
		require.NoError(t, err)
	}
	if c := last[*oadr.CanceledReport](t, f); c.Response.Code != oadr.CodeInvalidID {
		assert.Fail(t, fmt.Sprintf("answer = %+v, want 452", c.Response))
	}
}

func TestCancelReportInUpdatedReport(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, []oadr.ReportRequest{usageRequest("RR_A", time.Minute, time.Minute)})
	f.cancelOnUpdate = &oadr.CancelReport{RequestID: "REQ_STOP", ReportRequestIDs: []string{"RR_A"}}
	clk.Advance(time.Minute)
	require.NoError(t, v.Tick(context.Background()))
	if c := last[*oadr.CanceledReport](t, f); c.Response.RequestID != "REQ_STOP" || len(c.PendingReports) != 0 {
		assert.Fail(t, fmt.Sprintf("oadrCanceledReport = %+v", c))
	}
	if s := v.State(); len(s.Reports) != 0 {
		assert.Fail(t, fmt.Sprintf("State().Reports = %+v", s.Reports))
	}
}

func TestVTNRegistersItsReports(t *testing.T) {
	// As samples/battery/oadrRegisterReport_battery_vtn_metadata.xml: the VEN
	// must answer with oadrRegisteredReport even though it requests nothing.
	f := newFakeVTN(t)
	v := registered(t, f, clock.NewFake(t0), nil)
	f.enqueue(&oadr.RegisterReport{RequestID: "REQ_VTN_REG_REPORT_0001", VenID: "VEN_FORTRESS_1"},
		&oadr.UpdateReport{RequestID: "REQ_VTN_UPDATE"})
	for range 2 {
		if got, err := v.PollOnce(context.Background()); !got || err != nil {
			require.FailNow(t, fmt.Sprintf("PollOnce = %v, %v", got, err))
		}
	}
	if rr := last[*oadr.RegisteredReport](t, f); rr.Response.RequestID != "REQ_VTN_REG_REPORT_0001" || len(rr.ReportRequests) != 0 {
		assert.Fail(t, fmt.Sprintf("oadrRegisteredReport = %+v", rr))
	}
	if ur := last[*oadr.UpdatedReport](t, f); ur.Response.RequestID != "REQ_VTN_UPDATE" {
		assert.Fail(t, fmt.Sprintf("oadrUpdatedReport = %+v", ur))
	}
}
