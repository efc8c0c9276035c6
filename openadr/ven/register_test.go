package ven_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

func TestRegister(t *testing.T) {
	f := newFakeVTN(t)
	f.pollFreq = 30 * time.Second
	f.reportRequests = []oadr.ReportRequest{usageRequest("RR_USAGE_0001", time.Minute, 5*time.Minute)}
	v := f.newVEN(clock.NewFake(t0), ven.WithVENName("fortress-sandbox-battery-1"))
	ctx := context.Background()

	if err := v.Register(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"oadrCreatePartyRegistration", "oadrRegisterReport", "oadrCreatedReport", "oadrRequestEvent"}
	if got := f.names(); !slices.Equal(got, want) {
		t.Fatalf("VEN sent %v, want %v", got, want)
	}

	reg := last[*oadr.CreatePartyRegistration](t, f)
	if reg.ProfileName != oadr.Profile20b || reg.TransportName != oadr.TransportSimpleHTTP ||
		reg.HTTPPullModel == nil || !*reg.HTTPPullModel || reg.ReportOnly || reg.XMLSignature ||
		reg.VenName != "fortress-sandbox-battery-1" || reg.RegistrationID != "" || reg.VenID != "" || reg.RequestID == "" {
		t.Errorf("oadrCreatePartyRegistration = %+v", reg)
	}

	offer := last[*oadr.RegisterReport](t, f)
	if offer.VenID != "VEN_FORTRESS_1" || offer.ReportRequestID != "" || len(offer.Reports) != 2 {
		t.Fatalf("oadrRegisterReport = %+v", offer)
	}
	wantRIDs := map[oadr.ReportName][]string{
		oadr.ReportMetadataTelemetryUsage: {"battery1_voltage", "battery1_current", "battery1_temperature",
			"battery1_power", "battery1_stored_energy", "battery1_soc"},
		oadr.ReportMetadataTelemetryStatus: {"battery1_status"},
	}
	for _, r := range offer.Reports {
		var rids []string
		for _, d := range r.Descriptions {
			rids = append(rids, d.RID)
			if d.DataSource == nil || !slices.Equal(d.DataSource.ResourceIDs, []string{"battery1"}) {
				t.Errorf("%s: reportDataSource %+v", d.RID, d.DataSource)
			}
		}
		if !slices.Equal(rids, wantRIDs[r.ReportName]) || r.ReportRequestID != "0" || !r.CreatedDateTime.Equal(t0) {
			t.Errorf("%s: rIDs %v, reportRequestID %q, created %v", r.ReportName, rids, r.ReportRequestID, r.CreatedDateTime)
		}
	}
	soc, _ := offer.Reports[0].Description("battery1_soc")
	if soc.ItemBase == nil || soc.ItemBase.Kind != oadr.ItemCustomUnit || soc.ItemBase.Units != "%" ||
		soc.ReportType != oadr.ReportTypeStateOfCharge {
		t.Errorf("SoC description = %+v", soc)
	}
	pw, _ := offer.Reports[0].Description("battery1_power")
	if pw.ItemBase == nil || pw.ItemBase.Kind != oadr.ItemPowerReal || pw.ItemBase.Scale != oadr.ScaleKilo {
		t.Errorf("power description = %+v", pw)
	}

	cr := last[*oadr.CreatedReport](t, f)
	if cr.Response.Code != oadr.CodeOK || cr.Response.RequestID != offer.RequestID ||
		!slices.Equal(cr.PendingReports, []string{"RR_USAGE_0001"}) || cr.VenID != "VEN_FORTRESS_1" {
		t.Errorf("oadrCreatedReport = %+v", cr)
	}
	if re := last[*oadr.RequestEvent](t, f); re.VenID != "VEN_FORTRESS_1" || re.RequestID == "" {
		t.Errorf("oadrRequestEvent = %+v", re)
	}

	s := v.State()
	if !s.Registered || s.VENID != "VEN_FORTRESS_1" || s.RegistrationID != "REG_0001" || s.VTNID != "VTN_SANDBOX" ||
		s.PollInterval != 30*time.Second {
		t.Errorf("State = %+v", s)
	}
	if len(s.Reports) != 1 || s.Reports[0].RequestID != "RR_USAGE_0001" || s.Reports[0].Granularity != time.Minute ||
		s.Reports[0].ReportBack != 5*time.Minute || !s.Reports[0].NextReport.Equal(t0.Add(5*time.Minute)) || len(s.Reports[0].RIDs) != 6 {
		t.Errorf("State().Reports = %+v", s.Reports)
	}
}

func TestRegisterResumesRegistration(t *testing.T) {
	f := newFakeVTN(t)
	v := f.newVEN(clock.NewFake(t0), ven.WithVENID("VEN_FORTRESS_1"), ven.WithRegistrationID("REG_0001"))
	if err := v.Register(context.Background()); err != nil {
		t.Fatal(err)
	}
	reg := last[*oadr.CreatePartyRegistration](t, f)
	if reg.VenID != "VEN_FORTRESS_1" || reg.RegistrationID != "REG_0001" {
		t.Errorf("re-registration sent venID %q registrationID %q", reg.VenID, reg.RegistrationID)
	}
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
	if !errors.As(err, &re) || re.Code != oadr.CodeInvalidID || !errors.Is(err, ven.ErrNotRegistered) {
		t.Fatalf("Register = %v, want a 452 *ResponseError matching ErrNotRegistered", err)
	}
	if err := v.Register(ctx); err != nil {
		t.Fatalf("second Register = %v", err)
	}
	if reg := last[*oadr.CreatePartyRegistration](t, f); reg.RegistrationID != "" {
		t.Errorf("second attempt sent registrationID %q, want none", reg.RegistrationID)
	}
}

func TestQueryRegistration(t *testing.T) {
	f := newFakeVTN(t)
	v := f.newVEN(clock.NewFake(t0))
	info, err := v.QueryRegistration(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.VTNID != "VTN_SANDBOX" || info.PollInterval != 10*time.Second || info.VENID != "" || len(info.Profiles) != 1 {
		t.Errorf("QueryRegistration = %+v", info)
	}
	if v.State().Registered {
		t.Error("a query registered the VEN")
	}
}

func TestPollBeforeRegisterFails(t *testing.T) {
	f := newFakeVTN(t)
	v := f.newVEN(clock.NewFake(t0))
	ctx := context.Background()
	if _, err := v.PollOnce(ctx); !errors.Is(err, ven.ErrNotRegistered) {
		t.Errorf("PollOnce = %v, want ErrNotRegistered", err)
	}
	if err := v.RegisterReports(ctx); !errors.Is(err, ven.ErrNotRegistered) {
		t.Errorf("RegisterReports = %v, want ErrNotRegistered", err)
	}
	if err := v.RequestEvents(ctx); !errors.Is(err, ven.ErrNotRegistered) {
		t.Errorf("RequestEvents = %v, want ErrNotRegistered", err)
	}
	if err := v.CancelRegistration(ctx); !errors.Is(err, ven.ErrNotRegistered) {
		t.Errorf("CancelRegistration = %v, want ErrNotRegistered", err)
	}
	if err := v.Tick(ctx); err != nil {
		t.Errorf("Tick without registration = %v", err)
	}
	if n := len(f.all()); n != 0 {
		t.Errorf("VEN sent %d messages before registering", n)
	}
}

func TestVTNCancelsRegistration(t *testing.T) {
	f := newFakeVTN(t)
	f.reportRequests = []oadr.ReportRequest{usageRequest("RR_USAGE_0001", time.Minute, 5*time.Minute)}
	clk := clock.NewFake(t0)
	v := f.newVEN(clk)
	ctx := context.Background()
	if err := v.Register(ctx); err != nil {
		t.Fatal(err)
	}
	// As samples/battery/oadrCancelPartyRegistration_battery_vtn_initiated.xml.
	f.enqueue(&oadr.CancelPartyRegistration{RequestID: "REQ_CANCEL_REG_0001", RegistrationID: "REG_0001", VenID: "VEN_FORTRESS_1"})
	if got, err := v.PollOnce(ctx); !got || err != nil {
		t.Fatalf("PollOnce = %v, %v", got, err)
	}
	c := last[*oadr.CanceledPartyRegistration](t, f)
	if c.Response.Code != oadr.CodeOK || c.Response.RequestID != "REQ_CANCEL_REG_0001" || c.RegistrationID != "REG_0001" || c.VenID != "VEN_FORTRESS_1" {
		t.Errorf("oadrCanceledPartyRegistration = %+v", c)
	}
	s := v.State()
	if s.Registered || s.RegistrationID != "" || len(s.Reports) != 0 {
		t.Errorf("after cancellation State = %+v", s)
	}
	// Run stops rather than registering again.
	n := len(f.all())
	if err := v.Run(ctx); !errors.Is(err, ven.ErrRegistrationCanceled) {
		t.Errorf("Run = %v, want ErrRegistrationCanceled", err)
	}
	if len(f.all()) != n {
		t.Errorf("Run sent %v after the cancellation", f.names()[n:])
	}
	// Register starts over.
	if err := v.Register(ctx); err != nil || !v.State().Registered {
		t.Errorf("Register after cancellation = %v", err)
	}
}

func TestVTNCancelsAnotherRegistration(t *testing.T) {
	f := newFakeVTN(t)
	v := f.newVEN(clock.NewFake(t0))
	ctx := context.Background()
	if err := v.Register(ctx); err != nil {
		t.Fatal(err)
	}
	f.enqueue(&oadr.CancelPartyRegistration{RequestID: "REQ_X", RegistrationID: "REG_9999"})
	if _, err := v.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if c := last[*oadr.CanceledPartyRegistration](t, f); c.Response.Code != oadr.CodeInvalidID {
		t.Errorf("answer code %v, want 452", c.Response.Code)
	}
	if !v.State().Registered {
		t.Error("a cancellation of another registration unregistered the VEN")
	}
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
			if err := v.Register(ctx); err != nil {
				t.Fatal(err)
			}
			if tc.answer != nil {
				f.setOverride(func(_ string, msg oadr.Message) *reply {
					if m, ok := msg.(*oadr.CancelPartyRegistration); ok {
						return &reply{msg: tc.answer(m)}
					}
					return nil
				})
			}
			if err := v.CancelRegistration(ctx); err != nil {
				t.Fatal(err)
			}
			c := last[*oadr.CancelPartyRegistration](t, f)
			if c.RegistrationID != "REG_0001" || c.VenID != "VEN_FORTRESS_1" {
				t.Errorf("oadrCancelPartyRegistration = %+v", c)
			}
			if v.State().Registered {
				t.Error("still registered")
			}
		})
	}
}

func TestRequestReregistration(t *testing.T) {
	f := newFakeVTN(t)
	f.reportRequests = []oadr.ReportRequest{usageRequest("RR_USAGE_0001", time.Minute, 5*time.Minute)}
	v := f.newVEN(clock.NewFake(t0))
	ctx := context.Background()
	if err := v.Register(ctx); err != nil {
		t.Fatal(err)
	}
	n := len(f.all())
	f.enqueue(&oadr.RequestReregistration{VenID: "VEN_FORTRESS_1"})
	if _, err := v.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// An acknowledgement, then the registration again; reports stay (#91).
	if got, want := f.names()[n:], []string{"oadrPoll", "oadrResponse", "oadrCreatePartyRegistration"}; !slices.Equal(got, want) {
		t.Fatalf("VEN sent %v, want %v", got, want)
	}
	if reg := last[*oadr.CreatePartyRegistration](t, f); reg.RegistrationID != "REG_0001" || reg.VenID != "VEN_FORTRESS_1" {
		t.Errorf("re-registration = %+v", reg)
	}
	if s := v.State(); !s.Registered || len(s.Reports) != 1 {
		t.Errorf("State = %+v", s)
	}
}

func TestNotRegisteredAnswerMakesRunRegisterAgain(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := f.newVEN(clk)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := v.Register(ctx); err != nil {
		t.Fatal(err)
	}
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
	if !errors.Is(err, ven.ErrNotRegistered) || !errors.Is(err, energy.ErrUnauthorized) {
		t.Fatalf("PollOnce = %v, want 463 matching ErrNotRegistered and energy.ErrUnauthorized", err)
	}
	if v.State().Registered {
		t.Fatal("still registered after 463")
	}
	if err := v.Run(ctx); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if regs := got[*oadr.CreatePartyRegistration](f); len(regs) != 2 {
		t.Errorf("%d registrations, want 2", len(regs))
	}
}
