package openadr

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// fortressVTN registers the battery samples' VEN (venID VEN_FORTRESS_1) and
// its report offer.
func fortressVTN(t *testing.T, opts ...Option) (*VTN, string) {
	t.Helper()
	opts = append(opts, WithRegistrationHook(func(context.Context, RegistrationRequest) (Decision, error) {
		return Decision{VenID: "VEN_FORTRESS_1"}, nil
	}))
	v, _ := newVTN(t, opts...)
	venID, _ := register(t, v, "fortress")
	require.Equal(t, oadr.CodeOK, code(t, send(t, v, oadr.ServiceEiReport, batteryReports(t, venID))))
	return v, venID
}

// The battery sample's values, converted with the units the VEN registered.
func TestTelemetryFromBatterySample(t *testing.T) {
	var got []Measurement
	v, venID := fortressVTN(t, WithTelemetryHook(func(_ context.Context, id string, ms []Measurement) {
		assert.Equal(t, "VEN_FORTRESS_1", id)
		got = append(got, ms...)
	}))
	a := as[*oadr.UpdatedReport](t, sendRaw(t, v, oadr.ServiceEiReport, sample(t, "battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml")))
	assert.Equal(t, oadr.CodeOK, a.Response.Code)
	assert.Equal(t, "REQ_UPD_REPORT_0001", a.Response.RequestID)
	require.Len(t, got, 12, "two instants, six data points")

	first := got[0]
	assert.Equal(t, venID, first.VenID)
	assert.Equal(t, "battery1", first.ResourceID)
	assert.Equal(t, "battery1_voltage", first.RID)
	assert.Equal(t, "battery1_telemetry_usage", first.ReportSpecifierID)
	assert.Equal(t, "RR_USAGE_0001", first.ReportRequestID)
	assert.Equal(t, oadr.ReportTypeReading, first.ReportType)
	assert.Equal(t, time.Date(2025, 6, 1, 12, 5, 0, 0, time.UTC), first.MeasuredAt)
	assert.Equal(t, t0, first.ReceivedAt)
	assert.Equal(t, oadr.QualityGoodNonSpecific, first.DataQuality)

	ms, err := v.Telemetry(bg, venID)
	require.NoError(t, err)
	require.Len(t, ms, 6, "the latest of each data point")
	at := time.Date(2025, 6, 1, 12, 6, 0, 0, time.UTC)
	for _, want := range []struct {
		q     Quantity
		value float64
		unit  string
	}{
		{QuantityVoltage, 51.1, "V"},
		{QuantityCurrent, -48.9, "A"},
		{QuantityTemperature, 27.6, "°C"},
		{QuantityPower, -2500, "W"},        // -2.5 with siScaleCode k
		{QuantityEnergy, 11160, "Wh"},      // 11.16 kWh
		{QuantityStateOfCharge, 0.581, ""}, // 58.1 % as a customUnit
	} {
		m, ok := ms.Latest(want.q)
		require.True(t, ok, want.q)
		assert.InDelta(t, want.value, m.Value, 1e-9, want.q)
		assert.Equal(t, want.unit, m.Unit, want.q)
		assert.Equal(t, at, m.MeasuredAt, want.q)
	}
	p, _ := ms.Latest(QuantityPower)
	w, ok := p.Watts()
	assert.True(t, ok)
	assert.Equal(t, energy.Watts(-2500), w)
	soc, _ := ms.Latest(QuantityStateOfCharge)
	f, ok := soc.StateOfCharge()
	assert.True(t, ok)
	assert.InDelta(t, 0.581, float64(f), 1e-9)
	_, ok = soc.Watts()
	assert.False(t, ok)
	vm, _ := ms.Latest(QuantityVoltage)
	vv, _ := vm.Volts()
	assert.Equal(t, energy.Volts(51.1), vv)
	am, _ := ms.Latest(QuantityCurrent)
	aa, _ := am.Amperes()
	assert.Equal(t, energy.Amperes(-48.9), aa)
	tm, _ := ms.Latest(QuantityTemperature)
	cc, _ := tm.Celsius()
	assert.Equal(t, energy.Celsius(27.6), cc)
	em, _ := ms.Latest(QuantityEnergy)
	wh, _ := em.WattHours()
	assert.InDelta(t, 11160, float64(wh), 1e-9)
	assert.Len(t, ms.Resource("battery1"), 6)
	assert.Empty(t, ms.Resource("battery2"))

	// The request named in the report is now known to be active.
	_, err = v.RequestReports(bg, venID, ReportRequest{ReportRequestID: "RR_X", ReportSpecifierID: "battery1_telemetry_usage", Granularity: time.Minute})
	require.NoError(t, err)
	upd := updateWith(venID, "RR_X", oadr.ReportInterval{Start: at, Payloads: []oadr.ReportPayload{{RID: "battery1_soc", Value: 60}}})
	send(t, v, oadr.ServiceEiReport, upd)
	reqs, _ := v.ReportRequests(bg, venID)
	assert.Equal(t, ReportActive, reqs[0].Status)
	assert.Equal(t, t0, reqs[0].LastUpdateAt)
}

// A VEN's successive reports, the same markup with new values (which the
// VTN reads by their shape, see oadr.Shapes), each give their own values.
func TestTelemetryFromSuccessiveReports(t *testing.T) {
	var got []Measurement
	v, venID := fortressVTN(t, WithTelemetryHook(func(_ context.Context, _ string, ms []Measurement) {
		got = append(got, ms...)
	}))
	doc := string(sample(t, "battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml"))
	for i := range 3 {
		next := strings.NewReplacer(
			"REQ_UPD_REPORT_0001", fmt.Sprintf("REQ_UPD_REPORT_%04d", i+1),
			"12:06:00Z", fmt.Sprintf("12:%02d:00Z", 6+i),
			"<ei:value>58.1</ei:value>", fmt.Sprintf("<ei:value>%d.5</ei:value>", 58-i),
		).Replace(doc)
		got = nil
		a := as[*oadr.UpdatedReport](t, sendRaw(t, v, oadr.ServiceEiReport, []byte(next)))
		assert.Equal(t, fmt.Sprintf("REQ_UPD_REPORT_%04d", i+1), a.Response.RequestID)
		require.Len(t, got, 12)
		last := got[11]
		assert.Equal(t, "battery1_soc", last.RID)
		assert.InDelta(t, float64(58-i)/100+0.005, last.Value, 1e-9)
		assert.Equal(t, time.Date(2025, 6, 1, 12, 6+i, 0, 0, time.UTC), last.MeasuredAt)
		ms, err := v.Telemetry(bg, venID)
		require.NoError(t, err)
		soc, ok := ms.Latest(QuantityStateOfCharge)
		require.True(t, ok)
		assert.Equal(t, last, soc)
	}
}

func updateWith(venID, reqID string, ivs ...oadr.ReportInterval) *oadr.UpdateReport {
	return &oadr.UpdateReport{RequestID: "U-" + reqID, VenID: venID, Reports: []oadr.Report{{
		Intervals: ivs, ReportRequestID: reqID, ReportSpecifierID: "battery1_telemetry_usage",
		ReportName: oadr.ReportTelemetryUsage, CreatedDateTime: t0,
	}}}
}

func TestTelemetryStatusPayload(t *testing.T) {
	v, venID := fortressVTN(t)
	sendRaw(t, v, oadr.ServiceEiReport, sample(t, "battery/oadrUpdateReport_battery_TELEMETRY_STATUS.xml"))
	ms, _ := v.Telemetry(bg, venID)
	require.Len(t, ms, 1)
	m := ms[0]
	assert.Equal(t, QuantityStatus, m.Quantity)
	assert.Equal(t, oadr.ReportTypeResourceStatus, m.ReportType)
	require.NotNil(t, m.Status)
	assert.True(t, m.Status.Online)
	assert.False(t, m.Status.ManualOverride)
	assert.Equal(t, 58.3, m.Status.LoadControlState.Capacity.Current)
}

// The latest is the latest measured, not the latest received; values of data
// points nobody described are kept raw rather than dropped.
func TestTelemetryLatestAndUnknown(t *testing.T) {
	v, venID := fortressVTN(t)
	t1 := t0.Add(time.Minute)
	send(t, v, oadr.ServiceEiReport, updateWith(venID, "RR", oadr.ReportInterval{Start: t1, Payloads: []oadr.ReportPayload{{RID: "battery1_soc", Value: 50}}}))
	send(t, v, oadr.ServiceEiReport, updateWith(venID, "RR", oadr.ReportInterval{Start: t0, Payloads: []oadr.ReportPayload{{RID: "battery1_soc", Value: 40}}}))
	// No interval dtstart: the report's createdDateTime (t0) is used.
	send(t, v, oadr.ServiceEiReport, updateWith(venID, "RR", oadr.ReportInterval{Payloads: []oadr.ReportPayload{{RID: "mystery", Value: 7}}}))
	ms, _ := v.Telemetry(bg, venID)
	require.Len(t, ms, 2)
	soc, _ := ms.Latest(QuantityStateOfCharge)
	assert.Equal(t, 0.5, soc.Value)
	assert.Equal(t, t1, soc.MeasuredAt)
	other, ok := ms.Latest(QuantityOther)
	require.True(t, ok)
	assert.Equal(t, "mystery", other.RID)
	assert.Equal(t, 7.0, other.Value)
	assert.Equal(t, t0, other.MeasuredAt)
	assert.Equal(t, "", other.ResourceID)
	_, err := v.Telemetry(bg, "NOBODY")
	assert.ErrorIs(t, err, ErrUnknownVEN)
}

func TestConvertUnits(t *testing.T) {
	desc := func(ib *oadr.ItemBase, rt oadr.ReportType) *oadr.ReportDescription {
		return &oadr.ReportDescription{RID: "r", ItemBase: ib, ReportType: rt}
	}
	for _, tc := range []struct {
		name  string
		d     *oadr.ReportDescription
		in    float64
		q     Quantity
		value float64
		unit  string
	}{
		{"fahrenheit", desc(oadr.NewTemperature(oadr.Fahrenheit, oadr.ScaleNone), oadr.ReportTypeReading), 212, QuantityTemperature, 100, "°C"},
		{"mV", desc(oadr.NewVoltage(oadr.ScaleMilli), oadr.ReportTypeReading), 51200, QuantityVoltage, 51.2, "V"},
		{"kW written in the units", desc(&oadr.ItemBase{Kind: oadr.ItemPowerReal, Units: "kW", Scale: oadr.ScaleNone}, oadr.ReportTypeReading), 2.5, QuantityPower, 2500, "W"},
		{"MWh", desc(oadr.NewEnergyReal(oadr.ScaleMega), oadr.ReportTypeReading), 0.5, QuantityEnergy, 500000, "Wh"},
		{"frequency", desc(oadr.NewFrequency(oadr.ScaleNone), oadr.ReportTypeReading), 50, QuantityFrequency, 50, "Hz"},
		{"OpenLEADR's SOC", desc(oadr.NewCustomUnit("stateOfCharge", "%", oadr.ScaleNone), oadr.ReportTypeStoredEnergy), 55.1, QuantityStateOfCharge, 0.551, ""},
		{"SOC by report type", desc(oadr.NewCustomUnit("", "%", oadr.ScaleNone), oadr.ReportTypeStateOfCharge), 100, QuantityStateOfCharge, 1, ""},
		{"another percentage", desc(oadr.NewCustomUnit("humidity", "%", oadr.ScaleNone), oadr.ReportTypeReading), 40, QuantityOther, 40, "%"},
		{"reactive power", desc(&oadr.ItemBase{Kind: oadr.ItemPowerReactive, Units: "VAR", Scale: oadr.ScaleKilo}, oadr.ReportTypeReading), 1, QuantityOther, 1000, "VAR"},
		{"no unit", desc(nil, oadr.ReportTypeReading), 3, QuantityOther, 3, ""},
	} {
		q, value, unit := convert(tc.d, tc.in)
		assert.Equal(t, tc.q, q, tc.name)
		assert.InDelta(t, tc.value, value, 1e-9, tc.name)
		assert.Equal(t, tc.unit, unit, tc.name)
	}
}

// A VEN inventing rIDs cannot grow the VTN's memory without bound, nor make
// a report cost more than its size: the latest values of undescribed data
// points stop at maxTelemetry; the hook still gets everything.
func TestTelemetryBounded(t *testing.T) {
	var got int
	v, venID := fortressVTN(t, WithTelemetryHook(func(_ context.Context, _ string, ms []Measurement) { got += len(ms) }))
	var ps []oadr.ReportPayload
	for i := range maxTelemetry + 10 {
		ps = append(ps, oadr.ReportPayload{RID: fmt.Sprint("r", i), Value: float64(i)})
	}
	ps = append(ps, oadr.ReportPayload{RID: "battery1_soc", Value: 50})
	assert.Equal(t, oadr.CodeOK, code(t, send(t, v, oadr.ServiceEiReport, updateWith(venID, "RR", oadr.ReportInterval{Start: t0, Payloads: ps}))))
	assert.Equal(t, maxTelemetry+11, got)
	ms, err := v.Telemetry(bg, venID)
	require.NoError(t, err)
	assert.Len(t, ms, maxTelemetry+1)
	_, ok := ms.Latest(QuantityStateOfCharge)
	assert.True(t, ok, "described data points are kept beyond the limit")
}

// A small offer is scanned and a large one indexed; both find the same
// description: in the report with the payload's specifier first, else the
// first offered anywhere.
func TestDescriptionsScanAndIndexAgree(t *testing.T) {
	offer := func(extra int) []oadr.Report {
		a := oadr.Report{ReportSpecifierID: "A", Descriptions: []oadr.ReportDescription{{RID: "x", ReportType: "a-x"}, {RID: "y", ReportType: "a-y"}}}
		b := oadr.Report{ReportSpecifierID: "B", Descriptions: []oadr.ReportDescription{{RID: "x", ReportType: "b-x"}, {RID: "z", ReportType: "b-z"}, {RID: "z", ReportType: "b-z2"}}}
		for i := range extra {
			b.Descriptions = append(b.Descriptions, oadr.ReportDescription{RID: fmt.Sprint("pad", i)})
		}
		return []oadr.Report{a, b}
	}
	for _, extra := range []int{0, maxScanned} {
		offered := offer(extra)
		d := newDescriptions(offered)
		typeOf := func(spec, rid string) oadr.ReportType {
			if desc := d.find(spec, rid); desc != nil {
				return desc.ReportType
			}
			return ""
		}
		assert.Equal(t, oadr.ReportType("b-x"), typeOf("B", "x"), "extra %d", extra)
		assert.Equal(t, oadr.ReportType("a-x"), typeOf("A", "x"))
		assert.Equal(t, oadr.ReportType("a-x"), typeOf("C", "x"), "another specifier: the first offered")
		assert.Equal(t, oadr.ReportType("a-y"), typeOf("B", "y"))
		assert.Equal(t, oadr.ReportType("b-z"), typeOf("B", "z"), "the first of duplicates")
		assert.Equal(t, oadr.ReportType(""), typeOf("A", "nothing"))
	}
}

// A state a store kept in another order (that of an earlier version) is put
// in order before the latest values are looked up, so none is duplicated.
func TestTelemetryKeptInOrder(t *testing.T) {
	st := &VENState{Telemetry: []Measurement{
		{RID: "b", Value: 1, MeasuredAt: t0},
		{RID: "a", Value: 1, MeasuredAt: t0},
	}}
	st.sortTelemetry()
	assert.True(t, st.keepLatest(Measurement{RID: "b", Value: 2, MeasuredAt: t0.Add(time.Minute)}))
	assert.True(t, st.keepLatest(Measurement{RID: "a", Value: 0, MeasuredAt: t0.Add(-time.Minute)}), "older: not kept, not refused")
	assert.True(t, st.keepLatest(Measurement{RID: "c", ResourceID: "", Value: 3, ReportType: oadr.ReportTypeReading, MeasuredAt: t0}))
	require.Len(t, st.Telemetry, 3)
	for i, want := range []struct {
		rid   string
		value float64
	}{{"a", 1}, {"b", 2}, {"c", 3}} {
		assert.Equal(t, want.rid, st.Telemetry[i].RID)
		assert.Equal(t, want.value, st.Telemetry[i].Value)
	}
}
