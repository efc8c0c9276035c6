package ven_test

import (
	"context"
	"errors"
	"fmt"
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

func TestRegister(t *testing.T) {
	f := newFakeVTN(t)
	f.pollFreq = 30 * time.Second
	f.reportRequests = []oadr.ReportRequest{usageRequest("RR_USAGE_0001", time.Minute, 5*time.Minute)}
	v := f.newVEN(clock.NewFake(t0), ven.WithVENName("fortress-sandbox-battery-1"))
	ctx := context.Background()

	require.NoError(t, v.Register(ctx))
	want := []string{"oadrCreatePartyRegistration", "oadrRegisterReport", "oadrCreatedReport", "oadrRequestEvent"}
	if got := f.names(); !slices.Equal(got, want) {
		require.FailNow(t, fmt.Sprintf("VEN sent %v, want %v", got, want))
	}

	reg := last[*oadr.CreatePartyRegistration](t, f)
	assert.False(t, reg.ProfileName != oadr.Profile20b || reg.TransportName != oadr.TransportSimpleHTTP || reg.HTTPPullModel == nil || !*reg.HTTPPullModel || reg.ReportOnly || reg.XMLSignature || reg.VenName != "fortress-sandbox-battery-1" || reg.RegistrationID != "" || reg.VenID != "" || reg.RequestID == "", "oadrCreatePartyRegistration = %+v", reg)

	offer := last[*oadr.RegisterReport](t, f)
	require.EqualValues(t, "VEN_FORTRESS_1", offer.VenID, "oadrRegisterReport = %+v", offer)
	require.EqualValues(t, "", offer.ReportRequestID, "oadrRegisterReport = %+v", offer)
	require.Len(t, offer.Reports, 2, "oadrRegisterReport = %+v", offer)
	wantRIDs := map[oadr.ReportName][]string{
		oadr.ReportMetadataTelemetryUsage: {"battery1_voltage", "battery1_current", "battery1_temperature",
			"battery1_power", "battery1_stored_energy", "battery1_soc"},
		oadr.ReportMetadataTelemetryStatus: {"battery1_status"},
	}
	for _, r := range offer.Reports {
		var rids []string
		for _, d := range r.Descriptions {
			rids = append(rids, d.RID)
			require.NotNil(t, d.DataSource, "%s: reportDataSource %+v", d.RID, d.DataSource)
			require.Equal(t, []string{"battery1"}, d.DataSource.ResourceIDs, "%s: reportDataSource %+v", d.RID, d.DataSource)
		}
		require.Equal(t, wantRIDs[r.ReportName], rids, "%s: rIDs %v, reportRequestID %q, created %v", r.ReportName, rids, r.ReportRequestID, r.CreatedDateTime)
		require.EqualValues(t, "0", r.ReportRequestID, "%s: rIDs %v, reportRequestID %q, created %v", r.ReportName, rids, r.ReportRequestID, r.CreatedDateTime)
		require.True(t, r.CreatedDateTime.Equal(t0), "%s: rIDs %v, reportRequestID %q, created %v", r.ReportName, rids, r.ReportRequestID, r.CreatedDateTime)
	}
	soc, _ := offer.Reports[0].Description("battery1_soc")
	require.NotNil(t, soc.ItemBase, "SoC description = %+v", soc)
	require.EqualValues(t, oadr.ItemCustomUnit, soc.ItemBase.Kind, "SoC description = %+v", soc)
	require.EqualValues(t, "%", soc.ItemBase.Units, "SoC description = %+v", soc)
	require.EqualValues(t, oadr.ReportTypeStateOfCharge, soc.ReportType, "SoC description = %+v", soc)
	pw, _ := offer.Reports[0].Description("battery1_power")
	require.NotNil(t, pw.ItemBase, "power description = %+v", pw)
	require.EqualValues(t, oadr.ItemPowerReal, pw.ItemBase.Kind, "power description = %+v", pw)
	require.EqualValues(t, oadr.ScaleKilo, pw.ItemBase.Scale, "power description = %+v", pw)

	cr := last[*oadr.CreatedReport](t, f)
	require.EqualValues(t, oadr.CodeOK, cr.Response.Code, "oadrCreatedReport = %+v", cr)
	require.EqualValues(t, offer.RequestID, cr.Response.RequestID, "oadrCreatedReport = %+v", cr)
	require.Equal(t, []string{"RR_USAGE_0001"}, cr.PendingReports, "oadrCreatedReport = %+v", cr)
	require.EqualValues(t, "VEN_FORTRESS_1", cr.VenID, "oadrCreatedReport = %+v", cr)
	if re := last[*oadr.RequestEvent](t, f); re.VenID != "VEN_FORTRESS_1" || re.RequestID == "" {
		assert.Fail(t, fmt.Sprintf("oadrRequestEvent = %+v", re))
	}

	s := v.State()
	require.True(t, s.Registered, "State = %+v", s)
	require.EqualValues(t, "VEN_FORTRESS_1", s.VENID, "State = %+v", s)
	require.EqualValues(t, "REG_0001", s.RegistrationID, "State = %+v", s)
	require.EqualValues(t, "VTN_SANDBOX", s.VTNID, "State = %+v", s)
	require.EqualValues(t, 30*time.Second, s.PollInterval, "State = %+v", s)
	assert.False(t, len(s.Reports) != 1 || s.Reports[0].RequestID != "RR_USAGE_0001" || s.Reports[0].Granularity != time.Minute || s.Reports[0].ReportBack != 5*time.Minute || !s.Reports[0].NextReport.Equal(t0.Add(5*time.Minute)) || len(s.Reports[0].RIDs) != 6, "State().Reports = %+v", s.Reports)
}

func TestRegisterResumesRegistration(t *testing.T) {
	f := newFakeVTN(t)
	v := f.newVEN(clock.NewFake(t0), ven.WithVENID("VEN_FORTRESS_1"), ven.WithRegistrationID("REG_0001"))
	require.NoError(t, v.Register(context.Background()))
	reg := last[*oadr.CreatePartyRegistration](t, f)
	require.EqualValues(t, "VEN_FORTRESS_1", reg.VenID, "re-registration sent venID %q registrationID %q", reg.VenID, reg.RegistrationID)
	require.EqualValues(t, "REG_0001", reg.RegistrationID, "re-registration sent venID %q registrationID %q", reg.VenID, reg.RegistrationID)
}

func TestRegisterForgetsRegistrationTheVTNDoesNotKnow(t *testing.T) {
	f := newFakeVTN(t)
	f.setOverride(func(_ string, msg oadr.Message) *reply {
		if m, ok := msg.(*oadr.CreatePartyRegistration); ok && m.RegistrationID == "REG_OLD" {
			return &reply{msg: &oadr.Response{Response: oadr.Err(oadr.CodeInvalidID, m.RequestID)}}
		}
		return nil
	})
	v := f.newVEN(clock.NewFake(t0), ven.WithRegistrationID("REG_OLD"))
	ctx := context.Background()
	err := v.Register(ctx)
	var re *ven.ResponseError
	require.ErrorAs(t, err, &re, "Register = %v, want a 452 *ResponseError matching ErrNotRegistered", err)
	require.EqualValues(t, oadr.CodeInvalidID, re.Code, "Register = %v, want a 452 *ResponseError matching ErrNotRegistered", err)
	require.ErrorIs(t, err, ven.ErrNotRegistered, "Register = %v, want a 452 *ResponseError matching ErrNotRegistered", err)
	if err := v.Register(ctx); err != nil {
		require.FailNow(t, fmt.Sprintf("second Register = %v", err))
	}
	if reg := last[*oadr.CreatePartyRegistration](t, f); reg.RegistrationID != "" {
		assert.Fail(t, fmt.Sprintf("second attempt sent registrationID %q, want none", reg.RegistrationID))
	}
}

func TestQueryRegistration(t *testing.T) {
	f := newFakeVTN(t)
	v := f.newVEN(clock.NewFake(t0))
	info, err := v.QueryRegistration(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, "VTN_SANDBOX", info.VTNID, "QueryRegistration = %+v", info)
	require.EqualValues(t, 10*time.Second, info.PollInterval, "QueryRegistration = %+v", info)
	require.EqualValues(t, "", info.VENID, "QueryRegistration = %+v", info)
	require.Len(t, info.Profiles, 1, "QueryRegistration = %+v", info)
	assert.False(t, v.State().Registered, "a query registered the VEN")
}

func TestPollBeforeRegisterFails(t *testing.T) {
	f := newFakeVTN(t)
	v := f.newVEN(clock.NewFake(t0))
	ctx := context.Background()
	if _, err := v.PollOnce(ctx); !errors.Is(err, ven.ErrNotRegistered) {
		assert.Fail(t, fmt.Sprintf("PollOnce = %v, want ErrNotRegistered", err))
	}
	if err := v.RegisterReports(ctx); !errors.Is(err, ven.ErrNotRegistered) {
		assert.Fail(t, fmt.Sprintf("RegisterReports = %v, want ErrNotRegistered", err))
	}
	if err := v.RequestEvents(ctx); !errors.Is(err, ven.ErrNotRegistered) {
		assert.Fail(t, fmt.Sprintf("RequestEvents = %v, want ErrNotRegistered", err))
	}
	if err := v.CancelRegistration(ctx); !errors.Is(err, ven.ErrNotRegistered) {
		assert.Fail(t, fmt.Sprintf("CancelRegistration = %v, want ErrNotRegistered", err))
	}
	if err := v.Tick(ctx); err != nil {
		assert.Fail(t, fmt.Sprintf("Tick without registration = %v", err))
	}
	if n := len(f.all()); n != 0 {
		assert.Fail(t, fmt.Sprintf("VEN sent %d messages before registering", n))
	}
}

func TestVTNCancelsRegistration(t *testing.T) {
	f := newFakeVTN(t)
	f.reportRequests = []oadr.ReportRequest{usageRequest("RR_USAGE_0001", time.Minute, 5*time.Minute)}
	clk := clock.NewFake(t0)
	v := f.newVEN(clk)
	ctx := context.Background()
	require.NoError(t, v.Register(ctx))
	// As samples/battery/oadrCancelPartyRegistration_battery_vtn_initiated.xml.
	f.enqueue(&oadr.CancelPartyRegistration{RequestID: "REQ_CANCEL_REG_0001", RegistrationID: "REG_0001", VenID: "VEN_FORTRESS_1"})
	if got, err := v.PollOnce(ctx); !got || err != nil {
		require.FailNow(t, fmt.Sprintf("PollOnce = %v, %v", got, err))
	}
	c := last[*oadr.CanceledPartyRegistration](t, f)
	require.EqualValues(t, oadr.CodeOK, c.Response.Code, "oadrCanceledPartyRegistration = %+v", c)
	require.EqualValues(t, "REQ_CANCEL_REG_0001", c.Response.RequestID, "oadrCanceledPartyRegistration = %+v", c)
	require.EqualValues(t, "REG_0001", c.RegistrationID, "oadrCanceledPartyRegistration = %+v", c)
	require.EqualValues(t, "VEN_FORTRESS_1", c.VenID, "oadrCanceledPartyRegistration = %+v", c)
	s := v.State()
	assert.False(t, s.Registered || s.RegistrationID != "" || len(s.Reports) != 0, "after cancellation State = %+v", s)
	// Run stops rather than registering again.
	n := len(f.all())
	if err := v.Run(ctx); !errors.Is(err, ven.ErrRegistrationCanceled) {
		assert.Fail(t, fmt.Sprintf("Run = %v, want ErrRegistrationCanceled", err))
	}
	assert.Len(t, f.all(), n, "Run sent %v after the cancellation", f.names()[n:])
	// Register starts over.
	if err := v.Register(ctx); err != nil || !v.State().Registered {
		assert.Fail(t, fmt.Sprintf("Register after cancellation = %v", err))
	}
}

func TestVTNCancelsAnotherRegistration(t *testing.T) {
	f := newFakeVTN(t)
	v := f.newVEN(clock.NewFake(t0))
	ctx := context.Background()
	require.NoError(t, v.Register(ctx))
	f.enqueue(&oadr.CancelPartyRegistration{RequestID: "REQ_X", RegistrationID: "REG_9999"})
	if _, err := v.PollOnce(ctx); err != nil {
		require.NoError(t, err)
	}
	if c := last[*oadr.CanceledPartyRegistration](t, f); c.Response.Code != oadr.CodeInvalidID {
		assert.Fail(t, fmt.Sprintf("answer code %v, want 452", c.Response.Code))
	}
	assert.False(t, !v.State().Registered, "a cancellation of another registration unregistered the VEN")
}

func TestVENCancelsRegistration(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(m *oadr.CancelPartyRegistration) oadr.Message
	}{
		{"canceled", nil}, // the scripted oadrCanceledPartyRegistration
		{"OpenLEADR oadrResponse", func(m *oadr.CancelPartyRegistration) oadr.Message {
			return &oadr.Response{Response: oadr.OK(m.RequestID)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeVTN(t)
			v := f.newVEN(clock.NewFake(t0))
			ctx := context.Background()
			require.NoError(t, v.Register(ctx))
			if tc.answer != nil {
				f.setOverride(func(_ string, msg oadr.Message) *reply {
					if m, ok := msg.(*oadr.CancelPartyRegistration); ok {
						return &reply{msg: tc.answer(m)}
					}
					return nil
				})
			}
			require.NoError(t, v.CancelRegistration(ctx))
			c := last[*oadr.CancelPartyRegistration](t, f)
			require.EqualValues(t, "REG_0001", c.RegistrationID, "oadrCancelPartyRegistration = %+v", c)
			require.EqualValues(t, "VEN_FORTRESS_1", c.VenID, "oadrCancelPartyRegistration = %+v", c)
			assert.False(t, v.State().Registered, "still registered")
		})
	}
}

func TestRequestReregistration(t *testing.T) {
	f := newFakeVTN(t)
	f.reportRequests = []oadr.ReportRequest{usageRequest("RR_USAGE_0001", time.Minute, 5*time.Minute)}
	v := f.newVEN(clock.NewFake(t0))
	ctx := context.Background()
	require.NoError(t, v.Register(ctx))
	n := len(f.all())
	f.enqueue(&oadr.RequestReregistration{VenID: "VEN_FORTRESS_1"})
	if _, err := v.PollOnce(ctx); err != nil {
		require.NoError(t, err)
	}
	// An acknowledgement, then the registration again; reports stay (#91).
	if got, want := f.names()[n:], []string{"oadrPoll", "oadrResponse", "oadrCreatePartyRegistration"}; !slices.Equal(got, want) {
		require.FailNow(t, fmt.Sprintf("VEN sent %v, want %v", got, want))
	}
	if reg := last[*oadr.CreatePartyRegistration](t, f); reg.RegistrationID != "REG_0001" || reg.VenID != "VEN_FORTRESS_1" {
		assert.Fail(t, fmt.Sprintf("re-registration = %+v", reg))
	}
	if s := v.State(); !s.Registered || len(s.Reports) != 1 {
		assert.Fail(t, fmt.Sprintf("State = %+v", s))
	}
}

func TestNotRegisteredAnswerMakesRunRegisterAgain(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := f.newVEN(clk)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, v.Register(ctx))
	polls := 0
	f.setOverride(func(_ string, msg oadr.Message) *reply {
		switch msg.(type) {
		case *oadr.Poll:
			polls++
			if polls == 1 {
				return &reply{msg: &oadr.Response{Response: oadr.Err(oadr.CodeNotRegisteredOrAuthorized, "")}}
			}
			cancel()
		}
		return nil
	})
	_, err := v.PollOnce(ctx)
	require.ErrorIs(t, err, ven.ErrNotRegistered, "PollOnce = %v, want 463 matching ErrNotRegistered and energy.ErrUnauthorized", err)
	require.ErrorIs(t, err, energy.ErrUnauthorized, "PollOnce = %v, want 463 matching ErrNotRegistered and energy.ErrUnauthorized", err)
	require.False(t, v.State().Registered, "still registered after 463")
	if err := v.Run(ctx); err != nil {
		require.FailNow(t, fmt.Sprintf("Run = %v", err))
	}
	if regs := got[*oadr.CreatePartyRegistration](f); len(regs) != 2 {
		assert.Fail(t, fmt.Sprintf("%d registrations, want 2", len(regs)))
	}
}
