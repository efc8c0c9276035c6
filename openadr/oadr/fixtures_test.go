package oadr_test

import (
	"fmt"
	"math"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Realistic values for every message of the profile, modelled on the battery
// scenario in the sample corpus's battery folder (venID VEN_FORTRESS_1, vtnID
// VTN_SANDBOX, resource battery1). Several messages appear more than once to
// cover optional parts (signatures of GML areas, baselines, both payload kinds).

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func telemetryUsageMetadata() oadr.Report {
	rate := &oadr.SamplingRate{MinPeriod: 10 * time.Second, MaxPeriod: 15 * time.Minute}
	src := &oadr.Target{ResourceIDs: []string{"battery1"}}
	desc := func(rid string, rt oadr.ReportType, ib *oadr.ItemBase) oadr.ReportDescription {
		return oadr.ReportDescription{RID: rid, DataSource: src, ReportType: rt, ItemBase: ib, ReadingType: oadr.ReadingDirectRead, SamplingRate: rate}
	}
	return oadr.Report{
		Duration: time.Hour,
		Descriptions: []oadr.ReportDescription{
			desc("battery1_voltage", oadr.ReportTypeReading, oadr.NewVoltage(oadr.ScaleNone)),
			desc("battery1_current", oadr.ReportTypeReading, oadr.NewCurrent(oadr.ScaleNone)),
			desc("battery1_temperature", oadr.ReportTypeReading, oadr.NewTemperature(oadr.Celsius, oadr.ScaleNone)),
			desc("battery1_power", oadr.ReportTypeDemand, oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true})),
			desc("battery1_stored_energy", oadr.ReportTypeStoredEnergy, oadr.NewEnergyReal(oadr.ScaleKilo)),
			desc("battery1_soc", oadr.ReportTypeStateOfCharge, oadr.NewCustomUnit("stateOfCharge", "%", oadr.ScaleNone)),
			desc("battery1_frequency", oadr.ReportTypeReading, oadr.NewFrequency(oadr.ScaleNone)),
		},
		ReportRequestID:   "0",
		ReportSpecifierID: "battery1_telemetry_usage",
		ReportName:        oadr.ReportMetadataTelemetryUsage,
		CreatedDateTime:   t0,
	}
}

// allUnitsMetadata offers one data point per item kind the encoder writes.
func allUnitsMetadata() oadr.Report {
	attrs := &oadr.PowerAttributes{Hertz: 50, Voltage: 230, AC: true}
	items := []*oadr.ItemBase{
		{Kind: oadr.ItemEnergyApparent, Description: "ApparentEnergy", Units: "VAh", Scale: oadr.ScaleKilo},
		{Kind: oadr.ItemEnergyReactive, Description: "ReactiveEnergy", Units: "VARh", Scale: oadr.ScaleKilo},
		{Kind: oadr.ItemPowerApparent, Description: "ApparentPower", Units: "VA", Scale: oadr.ScaleKilo, PowerAttributes: attrs},
		{Kind: oadr.ItemPowerReactive, Description: "ReactivePower", Units: "VAR", Scale: oadr.ScaleKilo, PowerAttributes: attrs},
		{Kind: oadr.ItemCurrency, Description: "currency", Units: "EUR", Scale: oadr.ScaleNone},
		{Kind: oadr.ItemCurrencyPerKW, Description: "currencyPerKW", Units: "AUD", Scale: oadr.ScaleNone},
		{Kind: oadr.ItemCurrencyPerThm, Description: "currency", Units: "USD", Scale: oadr.ScaleNone}, // the schema has no "currencyPerThm" description
		oadr.NewCurrencyPerKWh("USD", oadr.ScaleMilli),
		{Kind: oadr.ItemTherm, Description: "Therm", Units: "thm", Scale: oadr.ScaleNone},
		{Kind: oadr.ItemPulseCount, Description: "pulse count", Units: "count", PulseFactor: 0.5},
		oadr.NewTemperature(oadr.Fahrenheit, oadr.ScaleNone),
	}
	r := oadr.Report{ReportRequestID: "0", ReportSpecifierID: "all_units", ReportName: "x-allUnits", CreatedDateTime: t0}
	for i, ib := range items {
		r.Descriptions = append(r.Descriptions, oadr.ReportDescription{
			RID: fmt.Sprintf("unit_%d", i), ReportType: oadr.ReportTypeReading, ItemBase: ib, ReadingType: oadr.ReadingDirectRead,
		})
	}
	return r
}

func telemetryStatusMetadata() oadr.Report {
	return oadr.Report{
		Duration: time.Hour,
		Descriptions: []oadr.ReportDescription{{
			RID:           "battery1_status",
			ReportSubject: &oadr.Target{EndDeviceAssets: []string{"Storage"}},
			DataSource:    &oadr.Target{ResourceIDs: []string{"battery1"}},
			ReportType:    oadr.ReportTypeResourceStatus,
			ReadingType:   oadr.ReadingNotApplicable,
			MarketContext: "http://sandbox.example.com/programs/battery-dispatch",
			SamplingRate:  &oadr.SamplingRate{MinPeriod: time.Minute, MaxPeriod: 15 * time.Minute, OnChange: true},
		}},
		ReportRequestID:   "0",
		ReportSpecifierID: "battery1_telemetry_status",
		ReportName:        oadr.ReportMetadataTelemetryStatus,
		CreatedDateTime:   t0,
	}
}

// telemetryUsageData is a TELEMETRY_USAGE report with n intervals of one
// payload each, cycling through the six battery data points.
func telemetryUsageData(n int) oadr.Report {
	rids := []string{"battery1_voltage", "battery1_current", "battery1_temperature", "battery1_power", "battery1_stored_energy", "battery1_soc"}
	vals := []float64{51.2, -48.8, 27.5, -2.5, 11.2, 58.3}
	r := oadr.Report{
		Start:             t0.Add(5 * time.Minute),
		Duration:          2 * time.Minute,
		EiReportID:        "RPT_USAGE_0001",
		ReportRequestID:   "RR_USAGE_0001",
		ReportSpecifierID: "battery1_telemetry_usage",
		ReportName:        oadr.ReportTelemetryUsage,
		CreatedDateTime:   t0.Add(7 * time.Minute),
	}
	for i := 0; i < n; i++ {
		r.Intervals = append(r.Intervals, oadr.ReportInterval{
			Start:    t0.Add(5*time.Minute + time.Duration(i/6)*time.Minute),
			Duration: time.Minute,
			Payloads: []oadr.ReportPayload{{RID: rids[i%6], Value: vals[i%6], DataQuality: oadr.QualityGoodNonSpecific}},
		})
	}
	return r
}

func telemetryStatusData() oadr.Report {
	return oadr.Report{
		Start: t0.Add(5 * time.Minute),
		Intervals: []oadr.ReportInterval{{
			Start: t0.Add(5 * time.Minute),
			UID:   "0",
			Payloads: []oadr.ReportPayload{{
				RID:        "battery1_status",
				Confidence: new(uint32(100)),
				Accuracy:   new(0.5),
				ResourceStatus: &oadr.ResourceStatus{
					Online: true,
					LoadControlState: &oadr.LoadControlState{
						Capacity:      &oadr.LoadControlValue{Min: new(0.0), Max: new(100.0), Current: 58.3, Normal: new(50.0)},
						LevelOffset:   &oadr.LoadControlValue{Current: 0},
						PercentOffset: &oadr.LoadControlValue{Current: 0},
						SetPoint:      &oadr.LoadControlValue{Min: new(-5.0), Max: new(5.0), Current: -2.5},
					},
				},
				DataQuality: oadr.QualityGoodNonSpecific,
			}},
		}},
		EiReportID:        "RPT_STATUS_0001",
		ReportRequestID:   "RR_STATUS_0001",
		ReportSpecifierID: "battery1_telemetry_status",
		ReportName:        oadr.ReportTelemetryStatus,
		CreatedDateTime:   t0.Add(5*time.Minute + time.Second),
	}
}

func usageRequest() oadr.ReportRequest {
	return oadr.ReportRequest{
		ReportRequestID: "RR_USAGE_0001",
		Specifier: oadr.ReportSpecifier{
			ReportSpecifierID:  "battery1_telemetry_usage",
			Granularity:        time.Minute,
			ReportBackDuration: 5 * time.Minute,
			ReportInterval:     &oadr.Period{Start: t0, Duration: 24 * time.Hour},
			Payloads: []oadr.SpecifierPayload{
				{RID: "battery1_voltage", ReadingType: oadr.ReadingDirectRead},
				{RID: "battery1_power", ItemBase: oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true}), ReadingType: oadr.ReadingDirectRead},
				{RID: "battery1_soc", ReadingType: oadr.ReadingDirectRead},
			},
		},
	}
}

func statusRequest() oadr.ReportRequest {
	return oadr.ReportRequest{
		ReportRequestID: "RR_STATUS_0001",
		Specifier: oadr.ReportSpecifier{
			ReportSpecifierID:  "battery1_telemetry_status",
			Granularity:        0, // one report now
			ReportBackDuration: 0,
			Payloads:           []oadr.SpecifierPayload{{RID: "battery1_status", ReadingType: oadr.ReadingNotApplicable}},
		},
	}
}

func chargeDischargeEvent() oadr.Event {
	intervals := func(v ...float64) []oadr.SignalInterval {
		durs := []time.Duration{time.Hour, time.Hour, 2 * time.Hour}
		out := make([]oadr.SignalInterval, len(v))
		for i := range v {
			out[i] = oadr.SignalInterval{Duration: durs[i], UID: string(rune('0' + i)), Value: v[i]}
		}
		return out
	}
	return oadr.Event{
		Descriptor: oadr.EventDescriptor{
			EventID:              "EVT_BATT_0001",
			ModificationNumber:   2,
			ModificationDateTime: t0.Add(30 * time.Minute),
			ModificationReason:   "new schedule",
			Priority:             1,
			MarketContext:        "http://sandbox.example.com/programs/battery-dispatch",
			CreatedDateTime:      t0.Add(30 * time.Minute),
			Status:               oadr.StatusFar,
			TestEvent:            true,
			VtnComment:           "charge/discharge schedule",
		},
		ActivePeriod: oadr.Period{
			Start: t0.Add(time.Hour), Duration: 4 * time.Hour,
			StartAfter: 2 * time.Minute, Notification: 30 * time.Minute, RampUp: time.Minute, Recovery: time.Minute,
		},
		Signals: []oadr.EventSignal{
			{
				Intervals:    intervals(3, 0, -5),
				SignalName:   oadr.SignalLoadDispatch,
				SignalType:   oadr.SignalTypeSetpoint,
				SignalID:     "SIG_DISPATCH",
				ItemBase:     oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true}),
				CurrentValue: new(0.0),
			},
			{
				Intervals:  intervals(12, 12, 4),
				Target:     &oadr.Target{ResourceIDs: []string{"battery1"}},
				SignalName: oadr.SignalChargeState,
				SignalType: oadr.SignalTypeSetpoint,
				SignalID:   "SIG_CHARGE_STATE",
				ItemBase:   oadr.NewEnergyReal(oadr.ScaleKilo),
			},
			{
				Intervals:    intervals(1, 0, 2),
				SignalName:   oadr.SignalSimple,
				SignalType:   oadr.SignalTypeLevel,
				SignalID:     "SIG_SIMPLE",
				CurrentValue: new(0.0),
			},
		},
		Target:           oadr.Target{ResourceIDs: []string{"battery1"}, VenIDs: []string{"VEN_FORTRESS_1"}},
		ResponseRequired: oadr.ResponseAlways,
	}
}

// priceEvent covers the optional parts of an event: a baseline, interval start
// times, price items and every kind of target.
func priceEvent() oadr.Event {
	ring := []float64{45.0, -122.0, 45.1, -122.0, 45.1, -122.1, 45.0, -122.0}
	return oadr.Event{
		Descriptor: oadr.EventDescriptor{
			EventID:         "EVT_PRICE_0001",
			MarketContext:   "http://sandbox.example.com/programs/tou",
			CreatedDateTime: t0,
			Status:          oadr.StatusActive,
		},
		ActivePeriod: oadr.Period{Start: t0, Duration: time.Hour},
		Signals: []oadr.EventSignal{{
			Intervals: []oadr.SignalInterval{
				{Start: t0, Duration: 30 * time.Minute, UID: "0", Value: 0.25},
				{Start: t0.Add(30 * time.Minute), Duration: 30 * time.Minute, UID: "1", Value: 0.31},
			},
			SignalName: oadr.SignalElectricityPrice,
			SignalType: oadr.SignalTypePrice,
			SignalID:   "SIG_PRICE",
			ItemBase:   oadr.NewCurrencyPerKWh("USD", oadr.ScaleNone),
		}},
		Baseline: &oadr.Baseline{
			Start:        t0,
			Duration:     time.Hour,
			Intervals:    []oadr.SignalInterval{{Duration: time.Hour, UID: "0", Value: 4.5}},
			BaselineID:   "BL_0001",
			ResourceIDs:  []string{"battery1"},
			BaselineName: "typical load",
			ItemBase:     oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 50, Voltage: 230, AC: true}),
		},
		Target: oadr.Target{
			AggregatedPnodes:      []string{"AP1"},
			EndDeviceAssets:       []string{"Storage"},
			MeterAssets:           []string{"METER_1"},
			Pnodes:                []string{"PN1"},
			ServiceAreas:          []oadr.FeatureCollection{{ID: "area1", PolygonID: "poly1", PosList: ring}},
			ServiceDeliveryPoints: []string{"SDP1"},
			ServiceLocations:      []oadr.FeatureCollection{{PosList: ring}},
			TransportInterfaces:   []oadr.TransportInterface{{PointOfReceipt: "R1", PointOfDelivery: "D1"}},
			GroupIDs:              []string{"G1"},
			GroupNames:            []string{"west"},
			ResourceIDs:           []string{"battery1"},
			VenIDs:                []string{"VEN_FORTRESS_1"},
			PartyIDs:              []string{"PARTY_1"},
		},
		ResponseRequired: oadr.ResponseNever,
	}
}

type fixture struct {
	name string // the test name; the message name plus a variant
	msg  oadr.Message
}

// fixtures returns one or more realistic values for every message type.
func fixtures() []fixture {
	return []fixture{
		// Registration.
		{"oadrQueryRegistration", &oadr.QueryRegistration{RequestID: "REQ_QUERY_0001"}},
		{"oadrCreatePartyRegistration", &oadr.CreatePartyRegistration{
			RequestID: "REQ_REGISTER_0001", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
			VenName: "fortress-sandbox-battery-1", HTTPPullModel: new(true),
		}},
		{"oadrCreatePartyRegistration/reregister", &oadr.CreatePartyRegistration{
			RequestID: "REQ_REGISTER_0002", RegistrationID: "REG_0001", VenID: "VEN_FORTRESS_1",
			ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
			TransportAddress: "https://ven.example.com/OpenADR2/Simple/2.0b", ReportOnly: true, XMLSignature: true,
			HTTPPullModel: new(false),
		}},
		{"oadrCreatedPartyRegistration/query", &oadr.CreatedPartyRegistration{
			Response: oadr.OK("REQ_QUERY_0001"), VtnID: "VTN_SANDBOX",
			Profiles: []oadr.Profile{
				{Name: oadr.Profile20a, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}},
				{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP, oadr.TransportXMPP}},
			},
			PollFreq: 10 * time.Second,
		}},
		{"oadrCreatedPartyRegistration/registered", &oadr.CreatedPartyRegistration{
			Response: oadr.OK("REQ_REGISTER_0001"), RegistrationID: "REG_0001", VenID: "VEN_FORTRESS_1", VtnID: "VTN_SANDBOX",
			Profiles:            []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}},
			PollFreq:            10 * time.Second,
			ServiceSpecificInfo: []oadr.Service{{Name: oadr.ServiceEiEvent, Info: []oadr.KeyValue{{Key: "maxEvents", Value: "10"}}}},
			Extensions:          []oadr.Extension{{Name: "gridwire", Info: []oadr.KeyValue{{Key: "signConvention", Value: "positive=charge"}}}},
		}},
		{"oadrCancelPartyRegistration", &oadr.CancelPartyRegistration{RequestID: "REQ_CANCEL_REG_0001", RegistrationID: "REG_0001", VenID: "VEN_FORTRESS_1"}},
		{"oadrCanceledPartyRegistration", &oadr.CanceledPartyRegistration{Response: oadr.OK("REQ_CANCEL_REG_0001"), RegistrationID: "REG_0001", VenID: "VEN_FORTRESS_1"}},
		{"oadrRequestReregistration", &oadr.RequestReregistration{VenID: "VEN_FORTRESS_1"}},

		// Reports.
		{"oadrRegisterReport/ven", &oadr.RegisterReport{
			RequestID: "REQ_REG_REPORT_0001",
			Reports:   []oadr.Report{telemetryUsageMetadata(), telemetryStatusMetadata()},
			VenID:     "VEN_FORTRESS_1",
		}},
		{"oadrRegisterReport/all-units", &oadr.RegisterReport{RequestID: "REQ_REG_REPORT_0002", Reports: []oadr.Report{allUnitsMetadata()}, VenID: "VEN_FORTRESS_1"}},
		{"oadrRegisterReport/vtn-empty", &oadr.RegisterReport{RequestID: "REQ_VTN_REG_REPORT_0001", VenID: "VEN_FORTRESS_1", ReportRequestID: "RR_0"}},
		{"oadrRegisteredReport", &oadr.RegisteredReport{
			Response:       oadr.OK("REQ_REG_REPORT_0001"),
			ReportRequests: []oadr.ReportRequest{usageRequest(), statusRequest()},
			VenID:          "VEN_FORTRESS_1",
		}},
		{"oadrRegisteredReport/ack", &oadr.RegisteredReport{Response: oadr.OK("REQ_VTN_REG_REPORT_0001")}},
		{"oadrCreateReport", &oadr.CreateReport{RequestID: "REQ_CREATE_REPORT_0001", ReportRequests: []oadr.ReportRequest{usageRequest()}, VenID: "VEN_FORTRESS_1"}},
		{"oadrCreatedReport", &oadr.CreatedReport{Response: oadr.OK("REQ_CREATE_REPORT_0001"), PendingReports: []string{"RR_USAGE_0001", "RR_STATUS_0001"}, VenID: "VEN_FORTRESS_1"}},
		{"oadrCreatedReport/none-pending", &oadr.CreatedReport{Response: oadr.OK("REQ_CREATE_REPORT_0002")}},
		{"oadrUpdateReport/usage", &oadr.UpdateReport{RequestID: "REQ_UPD_REPORT_0001", Reports: []oadr.Report{telemetryUsageData(12)}, VenID: "VEN_FORTRESS_1"}},
		{"oadrUpdateReport/status", &oadr.UpdateReport{RequestID: "REQ_UPD_REPORT_0002", Reports: []oadr.Report{telemetryStatusData()}, VenID: "VEN_FORTRESS_1"}},
		{"oadrUpdateReport/extreme-values", &oadr.UpdateReport{RequestID: "REQ_UPD_REPORT_0003", Reports: []oadr.Report{{
			Intervals: []oadr.ReportInterval{{Payloads: []oadr.ReportPayload{
				{RID: "big", Value: 1e25}, {RID: "tiny", Value: -1.5e-9}, {RID: "inf", Value: math.Inf(1)}, {RID: "-inf", Value: math.Inf(-1)},
				{RID: "escaped <&>", Value: 0, DataQuality: "x-vendor \"quality\""},
			}}},
			ReportRequestID: "RR_1", ReportSpecifierID: "S_1", CreatedDateTime: t0.Add(1500 * time.Millisecond),
		}}}},
		{"oadrUpdatedReport", &oadr.UpdatedReport{Response: oadr.OK("REQ_UPD_REPORT_0001"), VenID: "VEN_FORTRESS_1"}},
		{"oadrUpdatedReport/cancel", &oadr.UpdatedReport{
			Response:     oadr.OK("REQ_UPD_REPORT_0001"),
			CancelReport: &oadr.CancelReport{RequestID: "REQ_CANCEL_REPORT_0002", ReportRequestIDs: []string{"RR_STATUS_0001"}, ReportToFollow: true},
		}},
		{"oadrCancelReport", &oadr.CancelReport{RequestID: "REQ_CANCEL_REPORT_0001", ReportRequestIDs: []string{"RR_USAGE_0001", "RR_STATUS_0001"}, VenID: "VEN_FORTRESS_1"}},
		{"oadrCanceledReport", &oadr.CanceledReport{Response: oadr.OK("REQ_CANCEL_REPORT_0001"), PendingReports: []string{"RR_STATUS_0001"}, VenID: "VEN_FORTRESS_1"}},

		// Events.
		{"oadrRequestEvent", &oadr.RequestEvent{RequestID: "REQ_REQ_EVT_0001", VenID: "VEN_FORTRESS_1", ReplyLimit: 5}},
		{"oadrDistributeEvent", &oadr.DistributeEvent{
			Response:  &oadr.EiResponse{Code: oadr.CodeOK, Description: "OK", RequestID: "REQ_REQ_EVT_0001"},
			RequestID: "REQ_DIST_EVT_0001", VtnID: "VTN_SANDBOX",
			Events: []oadr.Event{chargeDischargeEvent(), priceEvent()},
		}},
		{"oadrDistributeEvent/empty", &oadr.DistributeEvent{RequestID: "REQ_DIST_EVT_0002", VtnID: "VTN_SANDBOX"}},
		{"oadrCreatedEvent", &oadr.CreatedEvent{
			Response: oadr.OK(""),
			EventResponses: []oadr.EventResponse{
				{Code: oadr.CodeOK, Description: "OK", RequestID: "REQ_DIST_EVT_0001", QualifiedEventID: oadr.QualifiedEventID{EventID: "EVT_BATT_0001", ModificationNumber: 2}, OptType: oadr.OptIn},
				{Code: oadr.CodeSignalNotSupported, RequestID: "REQ_DIST_EVT_0001", QualifiedEventID: oadr.QualifiedEventID{EventID: "EVT_PRICE_0001"}, OptType: oadr.OptOut},
			},
			VenID: "VEN_FORTRESS_1",
		}},
		{"oadrCreatedEvent/no-responses", &oadr.CreatedEvent{Response: oadr.OK("REQ_REQ_EVT_0001"), VenID: "VEN_FORTRESS_1"}},

		// Opt.
		{"oadrCreateOpt/schedule", &oadr.CreateOpt{
			OptID: "OPT_0001", OptType: oadr.OptOut, OptReason: oadr.OptReasonSchedule,
			MarketContext: "http://sandbox.example.com/programs/battery-dispatch", VenID: "VEN_FORTRESS_1",
			Availability:    []oadr.Period{{Start: t0, Duration: time.Hour}, {Start: t0.Add(3 * time.Hour), Duration: 40 * time.Minute}},
			CreatedDateTime: t0, RequestID: "REQ_OPT_0001",
			Target:      oadr.Target{ResourceIDs: []string{"battery1"}},
			DeviceClass: &oadr.Target{EndDeviceAssets: []string{"Energy_Management_System"}},
		}},
		{"oadrCreateOpt/event", &oadr.CreateOpt{
			OptID: "OPT_0002", OptType: oadr.OptIn, OptReason: oadr.OptReasonParticipating, VenID: "VEN_FORTRESS_1",
			CreatedDateTime: t0, RequestID: "REQ_OPT_0002",
			QualifiedEventID: &oadr.QualifiedEventID{EventID: "EVT_BATT_0001", ModificationNumber: 2},
			Target:           oadr.Target{ResourceIDs: []string{"battery1"}},
		}},
		{"oadrCreatedOpt", &oadr.CreatedOpt{Response: oadr.OK("REQ_OPT_0001"), OptID: "OPT_0001"}},
		{"oadrCancelOpt", &oadr.CancelOpt{RequestID: "REQ_CANCEL_OPT_0001", OptID: "OPT_0001", VenID: "VEN_FORTRESS_1"}},
		{"oadrCanceledOpt", &oadr.CanceledOpt{Response: oadr.OK("REQ_CANCEL_OPT_0001"), OptID: "OPT_0001"}},

		// Poll and response.
		{"oadrPoll", &oadr.Poll{VenID: "VEN_FORTRESS_1"}},
		{"oadrResponse", oadr.NewResponse(oadr.CodeOK, "OK", "")},
		{"oadrResponse/error", &oadr.Response{Response: oadr.Err(oadr.CodeInvalidID, "REQ_UPD_REPORT_0001"), VenID: "VEN_FORTRESS_1"}},
	}
}
