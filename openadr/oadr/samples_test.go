package oadr_test

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// validSampleDirs are the folders of the sample corpus whose files all
// validate against the schema (samples/README.md).
var validSampleDirs = []string{"battery", "openleadr-interop", "epri-ven-interop", "alliance", "nsprefix-variants", "avob"}

// wantValidSamples is the count samples/README.md gives for those folders.
const wantValidSamples = 135

func validSampleFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range validSampleDirs {
		m, err := filepath.Glob(filepath.Join(samplesDir(t), dir, "*.xml"))
		require.NoError(t, err)
		for _, f := range m {
			rel, _ := filepath.Rel(samplesDir(t), f)
			files = append(files, filepath.ToSlash(rel))
		}
	}
	sort.Strings(files)
	return files
}

// TestValidSamplesDecode decodes every valid sample, re-encodes it and decodes
// the result again: the value must survive unchanged (except GreenButton
// content, which Marshal refuses).
func TestValidSamplesDecode(t *testing.T) {
	files := validSampleFiles(t)
	require.Len(t, files, wantValidSamples, "sample count changed; update samples/README.md and this test")
	decoded, reencoded := 0, 0
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			msg, err := oadr.Unmarshal(readSample(t, rel))
			require.NoError(t, err)
			require.NotNil(t, msg)
			decoded++
			out, err := oadr.Marshal(msg)
			if hasGreenButton(msg) {
				var ee *oadr.EncodeError
				require.ErrorAs(t, err, &ee, "GreenButton content must be refused, not dropped")
				return
			}
			require.NoError(t, err)
			again, err := oadr.Unmarshal(out)
			require.NoError(t, err, "%s", out)
			assert.Equal(t, msg, again)
			reencoded++
		})
	}
	t.Logf("%d valid samples decoded, %d re-encoded and decoded back identically", decoded, reencoded)
}

func hasGreenButton(msg oadr.Message) bool {
	var reports []oadr.Report
	switch m := msg.(type) {
	case *oadr.RegisterReport:
		reports = m.Reports
	case *oadr.UpdateReport:
		reports = m.Reports
	}
	for _, r := range reports {
		if r.ReportName == oadr.ReportHistoryGreenButton || r.ReportName == oadr.ReportMetadataHistoryGreenButton {
			return true
		}
		for _, d := range r.Descriptions {
			if d.ItemBase != nil && d.ItemBase.Kind == oadr.ItemGreenButton {
				return true
			}
		}
	}
	return false
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// TestSampleValues checks the decoded content of samples from every source,
// not just that they decode.
func TestSampleValues(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, p *oadr.Payload)
	}{
		{"battery/oadrPoll_battery.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.Poll)
			assert.Equal(t, "VEN_FORTRESS_1", m.VenID)
			assert.Equal(t, "oadrSignedObject", p.SignedObjectID)
			assert.False(t, p.Bare)
		}},
		{"battery/oadrCreatePartyRegistration_battery_pull.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreatePartyRegistration)
			assert.Equal(t, oadr.CreatePartyRegistration{
				RequestID:     "REQ_REGISTER_0001",
				ProfileName:   oadr.Profile20b,
				TransportName: oadr.TransportSimpleHTTP,
				VenName:       "fortress-sandbox-battery-1",
				HTTPPullModel: new(true),
			}, *m)
		}},
		{"battery/oadrCreatedPartyRegistration_battery_registered.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreatedPartyRegistration)
			assert.Equal(t, oadr.OK("REQ_REGISTER_0001"), m.Response)
			assert.Equal(t, "REG_0001", m.RegistrationID)
			assert.Equal(t, "VEN_FORTRESS_1", m.VenID)
			assert.Equal(t, "VTN_SANDBOX", m.VtnID)
			assert.Equal(t, []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}}, m.Profiles)
			assert.Equal(t, 10*time.Second, m.PollFreq)
		}},
		{"battery/oadrRegisterReport_battery_telemetry.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.RegisterReport)
			assert.Equal(t, "REQ_REG_REPORT_0001", m.RequestID)
			assert.Equal(t, "VEN_FORTRESS_1", m.VenID)
			require.Len(t, m.Reports, 2)
			usage := m.Reports[0]
			assert.Equal(t, oadr.ReportMetadataTelemetryUsage, usage.ReportName)
			assert.Equal(t, "0", usage.ReportRequestID)
			assert.Equal(t, "battery1_telemetry_usage", usage.ReportSpecifierID)
			assert.Equal(t, time.Hour, usage.Duration)
			assert.Equal(t, utc("2025-06-01T12:00:00Z"), usage.CreatedDateTime)
			var rids []string
			for _, d := range usage.Descriptions {
				rids = append(rids, d.RID)
			}
			assert.Equal(t, []string{"battery1_voltage", "battery1_current", "battery1_temperature", "battery1_power", "battery1_stored_energy", "battery1_soc"}, rids)
			power, ok := usage.Description("battery1_power")
			require.True(t, ok)
			assert.Equal(t, oadr.ReportTypeDemand, power.ReportType)
			assert.Equal(t, oadr.ReadingDirectRead, power.ReadingType)
			assert.Equal(t, oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true}), power.ItemBase)
			assert.Equal(t, &oadr.Target{ResourceIDs: []string{"battery1"}}, power.DataSource)
			assert.Equal(t, &oadr.SamplingRate{MinPeriod: 10 * time.Second, MaxPeriod: 15 * time.Minute}, power.SamplingRate)
			soc, _ := usage.Description("battery1_soc")
			assert.Equal(t, oadr.ReportTypeStateOfCharge, soc.ReportType)
			assert.Equal(t, oadr.NewCustomUnit("stateOfCharge", "%", oadr.ScaleNone), soc.ItemBase)
			temp, _ := usage.Description("battery1_temperature")
			assert.Equal(t, oadr.NewTemperature(oadr.Celsius, oadr.ScaleNone), temp.ItemBase)
			cur, _ := usage.Description("battery1_current")
			assert.Equal(t, oadr.NewCurrent(oadr.ScaleNone), cur.ItemBase)
			status := m.Reports[1]
			assert.Equal(t, oadr.ReportMetadataTelemetryStatus, status.ReportName)
			require.Len(t, status.Descriptions, 1)
			assert.Equal(t, oadr.ReportTypeResourceStatus, status.Descriptions[0].ReportType)
			assert.Equal(t, oadr.ReadingNotApplicable, status.Descriptions[0].ReadingType)
			assert.Equal(t, &oadr.Target{EndDeviceAssets: []string{"Storage"}}, status.Descriptions[0].ReportSubject)
			assert.Nil(t, status.Descriptions[0].ItemBase)
			assert.True(t, status.Descriptions[0].SamplingRate.OnChange)
		}},
		{"battery/oadrRegisteredReport_battery_with_requests.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.RegisteredReport)
			assert.Equal(t, "REQ_REG_REPORT_0001", m.Response.RequestID)
			require.Len(t, m.ReportRequests, 2)
			rr := m.ReportRequests[0]
			assert.Equal(t, "RR_USAGE_0001", rr.ReportRequestID)
			assert.Equal(t, "battery1_telemetry_usage", rr.Specifier.ReportSpecifierID)
			assert.Equal(t, time.Minute, rr.Specifier.Granularity)
			assert.Equal(t, 5*time.Minute, rr.Specifier.ReportBackDuration)
			assert.Equal(t, &oadr.Period{Start: utc("2025-06-01T12:00:00Z"), Duration: 24 * time.Hour}, rr.Specifier.ReportInterval)
			require.Len(t, rr.Specifier.Payloads, 6)
			assert.Equal(t, oadr.SpecifierPayload{RID: "battery1_soc", ReadingType: oadr.ReadingDirectRead}, rr.Specifier.Payloads[5])
			assert.Nil(t, m.ReportRequests[1].Specifier.ReportInterval)
		}},
		{"battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.UpdateReport)
			require.Len(t, m.Reports, 1)
			r := m.Reports[0]
			assert.Equal(t, "RR_USAGE_0001", r.ReportRequestID)
			assert.Equal(t, "RPT_USAGE_0001", r.EiReportID)
			assert.Equal(t, oadr.ReportTelemetryUsage, r.ReportName)
			assert.Equal(t, utc("2025-06-01T12:05:00Z"), r.Start)
			assert.Equal(t, 2*time.Minute, r.Duration)
			require.Len(t, r.Intervals, 12)
			iv := r.Intervals[3]
			assert.Equal(t, utc("2025-06-01T12:05:00Z"), iv.Start)
			assert.Equal(t, time.Minute, iv.Duration)
			require.Len(t, iv.Payloads, 1)
			assert.Equal(t, "battery1_power", iv.Payloads[0].RID)
			v, ok := iv.Payloads[0].Float()
			assert.True(t, ok)
			assert.Equal(t, -2.5, v)
			assert.Equal(t, oadr.QualityGoodNonSpecific, r.Intervals[0].Payloads[0].DataQuality)
			assert.Equal(t, 58.1, r.Intervals[11].Payloads[0].Value)
		}},
		{"battery/oadrUpdateReport_battery_TELEMETRY_STATUS.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.UpdateReport)
			pl := m.Reports[0].Intervals[0].Payloads[0]
			_, ok := pl.Float()
			assert.False(t, ok)
			assert.Equal(t, &oadr.ResourceStatus{
				Online: true,
				LoadControlState: &oadr.LoadControlState{
					Capacity: &oadr.LoadControlValue{Min: new(0.0), Max: new(100.0), Current: 58.3, Normal: new(50.0)},
					SetPoint: &oadr.LoadControlValue{Min: new(-5.0), Max: new(5.0), Current: -2.5},
				},
			}, pl.ResourceStatus)
		}},
		{"battery/oadrDistributeEvent_battery_charge_discharge.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.DistributeEvent)
			assert.Equal(t, &oadr.EiResponse{Code: oadr.CodeOK, Description: "OK"}, m.Response)
			assert.Equal(t, "REQ_DIST_EVT_0001", m.RequestID)
			assert.Equal(t, "VTN_SANDBOX", m.VtnID)
			require.Len(t, m.Events, 1)
			ev := m.Events[0]
			assert.Equal(t, oadr.EventDescriptor{
				EventID:              "EVT_BATT_0001",
				ModificationDateTime: utc("2025-06-01T12:30:00Z"),
				Priority:             1,
				MarketContext:        "http://sandbox.example.com/programs/battery-dispatch",
				CreatedDateTime:      utc("2025-06-01T12:30:00Z"),
				Status:               oadr.StatusFar,
				VtnComment:           "charge/discharge schedule",
			}, ev.Descriptor)
			assert.Equal(t, oadr.Period{Start: utc("2025-06-01T13:00:00Z"), Duration: 4 * time.Hour, Notification: 30 * time.Minute}, ev.ActivePeriod)
			require.Len(t, ev.Signals, 3)
			ld := ev.Signals[0]
			assert.Equal(t, oadr.SignalLoadDispatch, ld.SignalName)
			assert.Equal(t, oadr.SignalTypeSetpoint, ld.SignalType)
			assert.Equal(t, "SIG_DISPATCH", ld.SignalID)
			assert.Equal(t, []oadr.SignalInterval{
				{Duration: time.Hour, UID: "0", Value: 3},
				{Duration: time.Hour, UID: "1", Value: 0},
				{Duration: 2 * time.Hour, UID: "2", Value: -5},
			}, ld.Intervals)
			assert.Equal(t, new(0.0), ld.CurrentValue)
			w, err := ld.ItemBase.SI(ld.Intervals[2].Value)
			require.NoError(t, err)
			assert.Equal(t, -5000.0, w)
			assert.Equal(t, oadr.SignalChargeState, ev.Signals[1].SignalName)
			assert.Equal(t, oadr.NewEnergyReal(oadr.ScaleKilo), ev.Signals[1].ItemBase)
			assert.Equal(t, oadr.SignalSimple, ev.Signals[2].SignalName)
			assert.Equal(t, 2.0, ev.Signals[2].Intervals[2].Value)
			assert.Equal(t, oadr.Target{ResourceIDs: []string{"battery1"}}, ev.Target)
			assert.Equal(t, oadr.ResponseAlways, ev.ResponseRequired)
		}},
		{"battery/oadrCreatedEvent_battery.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreatedEvent)
			assert.Equal(t, "VEN_FORTRESS_1", m.VenID)
			assert.Equal(t, []oadr.EventResponse{{
				Code: oadr.CodeOK, Description: "OK", RequestID: "REQ_DIST_EVT_0001",
				QualifiedEventID: oadr.QualifiedEventID{EventID: "EVT_BATT_0001"},
				OptType:          oadr.OptIn,
			}}, m.EventResponses)
		}},
		{"battery/oadrResponse_battery_452_invalid_id.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.Response)
			assert.Equal(t, oadr.CodeInvalidID, m.Response.Code)
			assert.Equal(t, "REQ_UPD_REPORT_0001", m.Response.RequestID)
			assert.Equal(t, "VEN_FORTRESS_1", m.VenID)
		}},
		{"battery/oadrResponse_battery_empty_queue.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.Response)
			assert.Equal(t, oadr.CodeOK, m.Response.Code)
			assert.Equal(t, "", m.Response.RequestID)
		}},
		{"battery/oadrCancelPartyRegistration_battery_vtn_initiated.xml", func(t *testing.T, p *oadr.Payload) {
			assert.Equal(t, &oadr.CancelPartyRegistration{RequestID: "REQ_CANCEL_REG_0001", RegistrationID: "REG_0001", VenID: "VEN_FORTRESS_1"}, p.Message)
		}},
		{"battery/oadrRequestReregistration_battery.xml", func(t *testing.T, p *oadr.Payload) {
			assert.Equal(t, &oadr.RequestReregistration{VenID: "VEN_FORTRESS_1"}, p.Message)
		}},
		{"openleadr-interop/02_vtn2ven_oadrCreatedPartyRegistration_query_answer.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreatedPartyRegistration)
			assert.Equal(t, "", m.RegistrationID) // <ei:registrationID /> before registration
			assert.Equal(t, "", m.VenID)
			assert.Equal(t, 2*time.Second, m.PollFreq)
		}},
		{"openleadr-interop/03_ven2vtn_oadrCreatePartyRegistration.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreatePartyRegistration)
			assert.Equal(t, "d07f3824-bb11-499a-9fc7-05c16d563070", m.RequestID)
			assert.Equal(t, "None", m.TransportAddress)
			assert.Equal(t, "fortress_ven", m.VenName)
		}},
		{"openleadr-interop/07_ven2vtn_oadrCreatedReport.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreatedReport)
			assert.Equal(t, []string{"bbfb1ea7-a9ad-4496-b9bf-24d8c73e2747"}, m.PendingReports)
			assert.Equal(t, "ven_id_fortress", m.VenID)
		}},
		{"openleadr-interop/10_vtn2ven_oadrDistributeEvent_load_dispatch.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.DistributeEvent)
			ev := m.Events[0]
			assert.Equal(t, "evt_sched_001", ev.Descriptor.EventID)
			assert.Equal(t, utc("2026-11-22T01:45:33.916363Z"), ev.Descriptor.ModificationDateTime)
			assert.Equal(t, 75*time.Minute, ev.ActivePeriod.Duration)
			iv := ev.Signals[0].Intervals
			require.Len(t, iv, 3)
			assert.Equal(t, utc("2026-11-22T02:20:33Z"), iv[1].Start)
			assert.Equal(t, []float64{-3, 0, 5}, []float64{iv[0].Value, iv[1].Value, iv[2].Value})
		}},
		{"openleadr-interop/13_ven2vtn_oadrPoll.xml", func(t *testing.T, p *oadr.Payload) {
			assert.Equal(t, &oadr.Poll{VenID: "ven_id_fortress"}, p.Message)
		}},
		{"openleadr-interop/14_ven2vtn_oadrUpdateReport_telemetry_usage.xml", func(t *testing.T, p *oadr.Payload) {
			r := p.Message.(*oadr.UpdateReport).Reports[0]
			assert.Equal(t, "", r.EiReportID) // OpenLEADR sends <ei:eiReportID></ei:eiReportID>
			assert.Equal(t, "bbfb1ea7-a9ad-4496-b9bf-24d8c73e2747", r.ReportRequestID)
			require.Len(t, r.Intervals, 4)
			assert.Equal(t, "5e15eb33-8c82-442b-b56a-c8869cba524a", r.Intervals[1].Payloads[0].RID)
			assert.Equal(t, -12.5, r.Intervals[1].Payloads[0].Value)
			assert.Equal(t, utc("2026-11-22T01:45:36.003125Z"), r.Intervals[1].Start)
		}},
		{"openleadr-interop/16_ven2vtn_oadrCancelPartyRegistration.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CancelPartyRegistration)
			assert.Equal(t, "reg_id_001", m.RegistrationID)
			assert.Equal(t, "ven_id_fortress", m.VenID)
		}},
		{"openleadr-interop/21_vtn2ven_oadrRegisterReport_vtn_initiated_via_poll.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.RegisterReport)
			assert.Empty(t, m.Reports)
			assert.Equal(t, "VEN_FORTRESS_1", m.VenID)
		}},
		{"openleadr-interop/23_vtn2ven_oadrCreateReport_via_poll.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreateReport)
			require.Len(t, m.ReportRequests, 1)
			s := m.ReportRequests[0].Specifier
			assert.Equal(t, time.Second, s.Granularity)
			assert.Equal(t, 2*time.Second, s.ReportBackDuration)
			assert.Len(t, s.Payloads, 2)
		}},
		{"epri-ven-interop/001_ven2vtn_oadrCreatePartyRegistration.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreatePartyRegistration)
			assert.Equal(t, "EC77E7E59F", m.RequestID)
			assert.Equal(t, "fortress-epri-ven", m.VenName)
			assert.Equal(t, "", p.SignedObjectID)
		}},
		{"epri-ven-interop/003_ven2vtn_oadrRegisterReport.xml", func(t *testing.T, p *oadr.Payload) {
			// p3 is ei on the message and xcal inside oadrReport.
			m := p.Message.(*oadr.RegisterReport)
			assert.Equal(t, "VEN_EPRI_1", m.VenID)
			r := m.Reports[0]
			assert.Equal(t, 120*time.Minute, r.Duration)
			require.Len(t, r.Descriptions, 2)
			assert.Equal(t, "rid_energy_4184bb93", r.Descriptions[0].RID)
			assert.Equal(t, &oadr.ItemBase{Kind: oadr.ItemEnergyReal, Units: "Wh", Scale: oadr.ScaleNone}, r.Descriptions[0].ItemBase)
			assert.Equal(t, "rid_power_4184bb93", r.Descriptions[1].RID)
			assert.Equal(t, &oadr.PowerAttributes{Hertz: 60, Voltage: 120, AC: true}, r.Descriptions[1].ItemBase.PowerAttributes)
			assert.Equal(t, time.Minute, r.Descriptions[1].SamplingRate.MinPeriod)
		}},
		{"epri-ven-interop/007_ven2vtn_oadrCreatedEvent.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreatedEvent)
			require.Len(t, m.EventResponses, 1)
			assert.Equal(t, oadr.OptOut, m.EventResponses[0].OptType)
			assert.Equal(t, "51d8bde7-e9f8-482b-bd2c-22c68e3b80c3", m.EventResponses[0].QualifiedEventID.EventID)
		}},
		{"epri-ven-interop/011_ven2vtn_oadrCreatedEvent.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.CreatedEvent) // empty <p3:eventResponses/>
			assert.Empty(t, m.EventResponses)
			assert.Equal(t, "EC77E7E59F", m.Response.RequestID)
			assert.Equal(t, "VEN_EPRI_1", m.VenID)
		}},
		{"epri-ven-interop/010_vtn2ven_oadrDistributeEvent.xml", func(t *testing.T, p *oadr.Payload) {
			ev := p.Message.(*oadr.DistributeEvent).Events[0]
			assert.Equal(t, oadr.Target{VenIDs: []string{"VEN_EPRI_1"}}, ev.Target)
			assert.Equal(t, "oadr://unknown.context", ev.Descriptor.MarketContext)
		}},
		{"alliance/Sample_oadrCreateOpt_Schedule.xml", func(t *testing.T, p *oadr.Payload) {
			assert.True(t, p.Bare)
			m := p.Message.(*oadr.CreateOpt)
			assert.Equal(t, oadr.OptOut, m.OptType)
			assert.Equal(t, oadr.OptReasonSchedule, m.OptReason)
			assert.Equal(t, []oadr.Period{
				{Start: utc("2001-12-17T09:30:47Z"), Duration: time.Hour},
				{Start: utc("2001-12-17T11:30:47Z"), Duration: 40 * time.Minute},
			}, m.Availability)
			assert.Equal(t, oadr.Target{ResourceIDs: []string{"RES_54321", "RES_12345"}, VenIDs: []string{"VEN_1234"}}, m.Target)
			assert.Equal(t, &oadr.Target{EndDeviceAssets: []string{"Exterior_Lighting"}}, m.DeviceClass)
		}},
		{"alliance/Sample_oadrDistributeEvent_W_GML.xml", func(t *testing.T, p *oadr.Payload) {
			ev := p.Message.(*oadr.DistributeEvent).Events[0]
			assert.Equal(t, oadr.Period{Start: utc("2001-12-17T09:40:47Z"), Duration: 30 * time.Minute, StartAfter: 3 * time.Minute,
				Notification: time.Hour, RampUp: 5 * time.Minute, Recovery: 5 * time.Minute}, ev.ActivePeriod)
			assert.Equal(t, oadr.NewCurrencyPerKWh("USD", oadr.ScaleNone), ev.Signals[0].ItemBase)
			require.Len(t, ev.Target.ServiceAreas, 1)
			assert.NotEmpty(t, ev.Target.ServiceAreas[0].PosList)
		}},
		{"alliance/Sample_oadrDistributeEvent_W_Baseline.xml", func(t *testing.T, p *oadr.Payload) {
			ev := p.Message.(*oadr.DistributeEvent).Events[0]
			require.NotNil(t, ev.Baseline)
			assert.NotEmpty(t, ev.Baseline.BaselineID)
			assert.NotEmpty(t, ev.Baseline.Intervals)
		}},
		{"alliance/Sample_oadrUpdateReport.xml", func(t *testing.T, p *oadr.Payload) {
			r := p.Message.(*oadr.UpdateReport).Reports[0]
			assert.Equal(t, 300*24*time.Hour, r.Duration, "P10M is read with nominal 30-day months")
			pl := r.Intervals[0].Payloads[0]
			assert.NotNil(t, pl.Confidence)
			assert.NotNil(t, pl.Accuracy)
		}},
		{"nsprefix-variants/sample_oadrPayload_20b.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.DistributeEvent) // default namespace is xmldsig, ns2 = ei
			assert.Equal(t, "OadrDisReq120613_113614_485", m.RequestID)
			assert.Equal(t, "TH_VTN", m.VtnID)
			assert.Equal(t, "Event120613_113614_987_0", m.Events[0].Descriptor.EventID)
			assert.Equal(t, 3*time.Minute, m.Events[0].ActivePeriod.Duration)
		}},
		{"nsprefix-variants/batch_c_1.xml", func(t *testing.T, p *oadr.Payload) {
			m := p.Message.(*oadr.DistributeEvent) // default namespace is ei
			assert.Equal(t, "req_1", m.RequestID)
			sig := m.Events[0].Signals[0]
			assert.Equal(t, oadr.SignalSimpleLegacy, sig.SignalName)
			assert.Equal(t, []float64{1, 1, 2}, []float64{sig.Intervals[0].Value, sig.Intervals[1].Value, sig.Intervals[2].Value})
		}},
		{"avob/xmlsignature_oadrPayload.xml", func(t *testing.T, p *oadr.Payload) {
			assert.True(t, p.Signed, "UTF-16 document with a ds:Signature")
			assert.NotNil(t, p.Message)
		}},
		{"avob/poll_oadrPoll.xml", func(t *testing.T, p *oadr.Payload) {
			assert.NotEmpty(t, p.Message.(*oadr.Poll).VenID)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := oadr.UnmarshalPayload(readSample(t, tt.file))
			require.NoError(t, err)
			tt.check(t, p)
		})
	}
}

// TestInvalidSamples: every file in samples/invalid/ fails the XSD. Each is
// either rejected or, where the fault is one the decoder deliberately
// tolerates, decoded; never a panic.
func TestInvalidSamples(t *testing.T) {
	tests := []struct {
		file    string
		wantErr error  // nil: decodes
		path    string // DecodeError.Path when rejected
		why     string
	}{
		{"alliance-errata/Sample_oadrCreateReport.xml", oadr.ErrMissingElement, "oadrReportRequest/reportSpecifier/reportBackDuration/duration", "reportBackDuration as text instead of xcal:duration"},
		{"alliance-errata/Sample_oadrCreateReport_OneShot_Telemetry.xml", oadr.ErrMissingElement, "oadrReportRequest/reportSpecifier/reportBackDuration/duration", "reportBackDuration as text"},
		{"alliance-errata/Sample_oadrCreateReport_Telemetry_Status.xml", oadr.ErrMissingElement, "oadrReportRequest/reportSpecifier/reportBackDuration/duration", "reportBackDuration as text"},
		{"alliance-errata/Sample_oadrRegisteredReport_W_ReportRequest.xml", oadr.ErrMissingElement, "oadrReportRequest/reportSpecifier/reportBackDuration/duration", "reportBackDuration as text"},
		{"alliance-errata/Sample_oadrRegisiterReport_GreenButton.xml", nil, "", "blanks around an ESPI intervalLength inside the GreenButton feed, content this package does not model"},
		{"avob-xsd-fail/eievent_unvalidationOadrDistributeEvent.xml", oadr.ErrMissingElement, "", "no vtnID, no oadrResponseRequired"},
		{"avob-xsd-fail/eievent_unvalidationOadrRequestEvent.xml", oadr.ErrUnknownMessage, "", "2.0a namespace"},
		{"avob-xsd-fail/eiopt_unvalidationOadrCancelOpt.xml", oadr.ErrMissingElement, "venID", "no venID"},
		{"avob-xsd-fail/eiopt_unvalidationOadrCreatedOpt.xml", oadr.ErrMissingElement, "eiResponse/requestID", "eiResponse without requestID"},
		{"avob-xsd-fail/eiregisterparty_oadrCreatePartyRegistration.xml", nil, "", "only the order of oadrVenName and oadrHttpPullModel is wrong; the decoder accepts any order"},
		{"avob-xsd-fail/eiregisterparty_unvalidationOadrCancelPartyRegistration.xml", oadr.ErrMissingElement, "registrationID", "no registrationID"},
		{"avob-xsd-fail/eiregisterparty_unvalidationOadrCreatedPartyRegistration.xml", oadr.ErrMissingElement, "vtnID", "no vtnID"},
		{"avob-xsd-fail/eiregisterparty_unvalidationOadrQueryRegistration.xml", oadr.ErrMissingElement, "requestID", "no requestID"},
		{"avob-xsd-fail/eiregisterparty_unvalidationOadrRequestReregistration.xml", oadr.ErrMissingElement, "venID", "no venID"},
		{"avob-xsd-fail/eireport_unvalidationOadrCreateReport.xml", oadr.ErrMissingElement, "oadrReportRequest/reportSpecifier/reportBackDuration/duration", "no reportRequestID, reportBackDuration as text"},
		{"avob-xsd-fail/eireport_unvalidationOadrCreatedReport.xml", oadr.ErrMissingElement, "eiResponse/requestID", "eiResponse without requestID"},
		{"avob-xsd-fail/eireport_unvalidationOadrRegisteredReport.xml", oadr.ErrMissingElement, "eiResponse/requestID", "eiResponse without requestID"},
		{"avob-xsd-fail/eireport_unvalidationOadrUpdatedReport.xml", oadr.ErrMissingElement, "eiResponse/requestID", "eiResponse without requestID"},
		{"avob-xsd-fail/poll_unvalidationOadrPoll.xml", oadr.ErrMissingElement, "venID", "no venID"},
		{"avob-xsd-fail/response_unvalidatingOadrResponse.xml", oadr.ErrMissingElement, "eiResponse/requestID", "eiResponse without requestID"},
		{"avob-xsd-fail/xmlsignature_signatureOadrPayload.xml", oadr.ErrMissingElement, "oadrSignedObject", "signature but no oadrSignedObject"},
	}
	files, err := filepath.Glob(filepath.Join(samplesDir(t), "invalid", "*", "*.xml"))
	require.NoError(t, err)
	require.Len(t, files, len(tests), "every invalid sample needs a row here")
	rejected, accepted := 0, 0
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(samplesDir(t), "invalid", tt.file))
			require.NoError(t, err)
			msg, err := oadr.Unmarshal(b)
			if tt.wantErr == nil {
				require.NoError(t, err, tt.why)
				require.NotNil(t, msg)
				accepted++
				return
			}
			require.ErrorIs(t, err, tt.wantErr, tt.why)
			var de *oadr.DecodeError
			require.True(t, errors.As(err, &de))
			if tt.path != "" {
				assert.Equal(t, tt.path, de.Path)
			}
			rejected++
		})
	}
	t.Logf("invalid samples: %d rejected, %d decoded on purpose", rejected, accepted)
}

// TestSampleDirsCovered guards against a new sample folder that no test reads.
func TestSampleDirsCovered(t *testing.T) {
	entries, err := os.ReadDir(samplesDir(t))
	require.NoError(t, err)
	known := map[string]bool{"invalid": true}
	for _, d := range validSampleDirs {
		known[d] = true
	}
	for _, e := range entries {
		if e.IsDir() {
			assert.True(t, known[e.Name()], "sample folder %s is not tested", e.Name())
		}
	}
}
