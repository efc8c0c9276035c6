package oadr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestItemBaseSI(t *testing.T) {
	kw := oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 50, Voltage: 230, AC: true})
	w, err := kw.SI(2.5)
	require.NoError(t, err)
	assert.Equal(t, 2500.0, w)

	tests := []struct {
		scale oadr.SIScaleCode
		exp   int
	}{
		{oadr.ScalePico, -12}, {oadr.ScaleNano, -9}, {oadr.ScaleMicro, -6}, {oadr.ScaleMilli, -3},
		{oadr.ScaleCenti, -2}, {oadr.ScaleDeci, -1}, {oadr.ScaleNone, 0}, {"", 0},
		{oadr.ScaleKilo, 3}, {oadr.ScaleMega, 6}, {oadr.ScaleGiga, 9}, {oadr.ScaleTera, 12},
	}
	for _, tt := range tests {
		exp, ok := tt.scale.Exponent()
		assert.True(t, ok, tt.scale)
		assert.Equal(t, tt.exp, exp, tt.scale)
	}
	v, err := oadr.NewEnergyReal(oadr.ScaleMilli).SI(1500)
	require.NoError(t, err)
	assert.InDelta(t, 1.5, v, 1e-12)

	_, ok := oadr.SIScaleCode("kilo").Exponent()
	assert.False(t, ok)
	_, err = (&oadr.ItemBase{Kind: oadr.ItemPowerReal, Scale: "kilo"}).SI(1)
	assert.ErrorIs(t, err, oadr.ErrInvalidValue)

	var none *oadr.ItemBase // a data point without a unit
	v, err = none.SI(7)
	require.NoError(t, err)
	assert.Equal(t, 7.0, v)
}

func TestItemBaseCelsius(t *testing.T) {
	c, err := oadr.NewTemperature(oadr.Celsius, oadr.ScaleNone).Celsius(27.5)
	require.NoError(t, err)
	assert.Equal(t, 27.5, c)
	c, err = oadr.NewTemperature(oadr.Fahrenheit, oadr.ScaleNone).Celsius(212)
	require.NoError(t, err)
	assert.Equal(t, 100.0, c)
	_, err = oadr.NewVoltage(oadr.ScaleNone).Celsius(1)
	assert.ErrorIs(t, err, oadr.ErrInvalidValue)
	_, err = (&oadr.ItemBase{Kind: oadr.ItemTemperature, Units: "kelvin"}).Celsius(1)
	assert.ErrorIs(t, err, oadr.ErrInvalidValue)
}

func TestItemConstructorsMatchSchema(t *testing.T) {
	// The schema fixes description and units for these kinds; the values must
	// match them exactly or the output does not validate (xsd_test checks the
	// documents; this names the mismatch directly).
	assert.Equal(t, oadr.ItemBase{Kind: oadr.ItemVoltage, Description: "Voltage", Units: "V", Scale: oadr.ScaleNone}, *oadr.NewVoltage(oadr.ScaleNone))
	assert.Equal(t, oadr.ItemBase{Kind: oadr.ItemCurrent, Description: "Current", Units: "A", Scale: oadr.ScaleNone}, *oadr.NewCurrent(oadr.ScaleNone))
	assert.Equal(t, oadr.ItemBase{Kind: oadr.ItemEnergyReal, Description: "RealEnergy", Units: "Wh", Scale: oadr.ScaleKilo}, *oadr.NewEnergyReal(oadr.ScaleKilo))
	assert.Equal(t, oadr.ItemBase{Kind: oadr.ItemFrequency, Description: "Frequency", Units: "Hz", Scale: oadr.ScaleNone}, *oadr.NewFrequency(oadr.ScaleNone))
	assert.Equal(t, "temperature", oadr.NewTemperature(oadr.Celsius, oadr.ScaleNone).Description)
	pr := oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true})
	assert.Equal(t, "RealPower", pr.Description)
	assert.Equal(t, "W", pr.Units)
	assert.Equal(t, &oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true}, pr.PowerAttributes)
}

func TestResponseCodes(t *testing.T) {
	assert.Equal(t, "452 Invalid ID", oadr.CodeInvalidID.String())
	assert.Equal(t, "Not Registered or Authorized", oadr.CodeNotRegisteredOrAuthorized.Text())
	assert.Equal(t, "299", oadr.ResponseCode(299).String())
	assert.True(t, oadr.CodeOK.Success())
	assert.False(t, oadr.CodeInvalidData.Success())
	assert.Equal(t, oadr.EiResponse{Code: 200, Description: "OK", RequestID: "R"}, oadr.OK("R"))
	assert.Equal(t, oadr.EiResponse{Code: 463, Description: "Not Registered or Authorized", RequestID: "R"}, oadr.Err(oadr.CodeNotRegisteredOrAuthorized, "R"))
	assert.Equal(t, &oadr.Response{Response: oadr.EiResponse{Code: 454, Description: "bad", RequestID: "R"}}, oadr.NewResponse(oadr.CodeInvalidData, "bad", "R"))

	// Codes are written with three digits.
	b, err := oadr.Marshal(&oadr.Response{Response: oadr.EiResponse{Code: 7}})
	require.NoError(t, err)
	assert.Contains(t, string(b), "<ei:responseCode>007</ei:responseCode>")
}

func TestReportNames(t *testing.T) {
	assert.True(t, oadr.ReportMetadataTelemetryUsage.IsMetadata())
	assert.False(t, oadr.ReportTelemetryUsage.IsMetadata())
	assert.Equal(t, oadr.ReportTelemetryStatus, oadr.ReportMetadataTelemetryStatus.Data())
	assert.Equal(t, oadr.ReportTelemetryStatus, oadr.ReportTelemetryStatus.Data())
	assert.Equal(t, oadr.ReportMetadataTelemetryUsage, oadr.ReportTelemetryUsage.Metadata())
	assert.Equal(t, oadr.ReportMetadataTelemetryUsage, oadr.ReportMetadataTelemetryUsage.Metadata())
	assert.Equal(t, oadr.ReportName("x-custom"), oadr.ReportName("x-custom").Metadata())
}

func TestReportPayloadFloat(t *testing.T) {
	v, ok := (&oadr.ReportPayload{RID: "p", Value: -2.5}).Float()
	assert.True(t, ok)
	assert.Equal(t, -2.5, v)
	_, ok = (&oadr.ReportPayload{RID: "s", ResourceStatus: &oadr.ResourceStatus{Online: true}}).Float()
	assert.False(t, ok)
}

func TestPeriodEnd(t *testing.T) {
	p := oadr.Period{Start: t0, Duration: 90 * 60e9}
	assert.Equal(t, t0.Add(90*60e9), p.End())
}

func TestTargetIsZero(t *testing.T) {
	assert.True(t, (&oadr.Target{}).IsZero())
	assert.True(t, (*oadr.Target)(nil).IsZero())
	assert.False(t, (&oadr.Target{VenIDs: []string{"V"}}).IsZero())
	assert.False(t, (&oadr.Target{ServiceAreas: []oadr.FeatureCollection{{}}}).IsZero())
}

func TestFloatsAreWrittenAsXSDFloats(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{3, "<ei:value>3</ei:value>"},
		{-0.25, "<ei:value>-0.25</ei:value>"},
		{1e25, "<ei:value>1E+25</ei:value>"},
		{1.5e-9, "<ei:value>1.5E-09</ei:value>"},
	} {
		b, err := oadr.Marshal(&oadr.UpdateReport{RequestID: "R", Reports: []oadr.Report{{
			Intervals:       []oadr.ReportInterval{{Payloads: []oadr.ReportPayload{{RID: "r", Value: tt.v}}}},
			CreatedDateTime: t0,
		}}})
		require.NoError(t, err)
		assert.Contains(t, string(b), tt.want)
		m, err := oadr.Unmarshal(b)
		require.NoError(t, err)
		assert.Equal(t, tt.v, m.(*oadr.UpdateReport).Reports[0].Intervals[0].Payloads[0].Value)
	}
}

func TestServiceOf(t *testing.T) {
	want := map[string]oadr.ServiceName{
		"oadrQueryRegistration": oadr.ServiceEiRegisterParty, "oadrCreatePartyRegistration": oadr.ServiceEiRegisterParty,
		"oadrCreatedPartyRegistration": oadr.ServiceEiRegisterParty, "oadrCancelPartyRegistration": oadr.ServiceEiRegisterParty,
		"oadrCanceledPartyRegistration": oadr.ServiceEiRegisterParty, "oadrRequestReregistration": oadr.ServiceEiRegisterParty,
		"oadrResponse":       oadr.ServiceEiRegisterParty,
		"oadrRegisterReport": oadr.ServiceEiReport, "oadrRegisteredReport": oadr.ServiceEiReport, "oadrCreateReport": oadr.ServiceEiReport,
		"oadrCreatedReport": oadr.ServiceEiReport, "oadrUpdateReport": oadr.ServiceEiReport, "oadrUpdatedReport": oadr.ServiceEiReport,
		"oadrCancelReport": oadr.ServiceEiReport, "oadrCanceledReport": oadr.ServiceEiReport,
		"oadrRequestEvent": oadr.ServiceEiEvent, "oadrDistributeEvent": oadr.ServiceEiEvent, "oadrCreatedEvent": oadr.ServiceEiEvent,
		"oadrCreateOpt": oadr.ServiceEiOpt, "oadrCreatedOpt": oadr.ServiceEiOpt, "oadrCancelOpt": oadr.ServiceEiOpt, "oadrCanceledOpt": oadr.ServiceEiOpt,
		"oadrPoll": oadr.ServiceOadrPoll,
	}
	require.Len(t, want, len(allMessageNames))
	for _, f := range fixtures() {
		assert.Equal(t, want[f.msg.MessageName()], oadr.ServiceOf(f.msg), f.name)
	}
	assert.Equal(t, oadr.ServiceName(""), oadr.ServiceOf(nil))
}
