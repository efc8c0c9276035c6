package openadr

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// The battery VEN's offer is answered with an empty oadrRegisteredReport,
// and the hook's requests are queued as one oadrCreateReport (EPRI's VEN
// starts reports only on that).
func TestReportRegistrationByPoll(t *testing.T) {
	var hookSaw []oadr.Report
	v, _ := newVTN(t, WithReportRegistrationHook(func(ctx context.Context, venID string, offered []oadr.Report) ([]ReportRequest, error) {
		hookSaw = offered
		return RequestTelemetry(time.Minute, 5*time.Minute)(ctx, venID, offered)
	}))
	venID, _ := register(t, v, "battery")
	drain(t, v, venID)

	a := as[*oadr.RegisteredReport](t, send(t, v, oadr.ServiceEiReport, batteryReports(t, venID)))
	assert.Equal(t, oadr.CodeOK, a.Response.Code)
	assert.Equal(t, "REQ_REG_REPORT_0001", a.Response.RequestID)
	assert.Equal(t, venID, a.VenID)
	assert.Empty(t, a.ReportRequests)
	assert.Len(t, hookSaw, 2)

	cr := as[*oadr.CreateReport](t, pollMsg(t, v, venID))
	assert.Equal(t, venID, cr.VenID)
	require.Len(t, cr.ReportRequests, 2, "TELEMETRY_USAGE and TELEMETRY_STATUS")
	usage := cr.ReportRequests[0].Specifier
	assert.Equal(t, "battery1_telemetry_usage", usage.ReportSpecifierID)
	assert.Equal(t, time.Minute, usage.Granularity)
	assert.Equal(t, 5*time.Minute, usage.ReportBackDuration)
	require.Len(t, usage.Payloads, 6)
	assert.Equal(t, "battery1_voltage", usage.Payloads[0].RID)
	assert.Equal(t, oadr.ReadingDirectRead, usage.Payloads[0].ReadingType)
	status := cr.ReportRequests[1].Specifier
	assert.Equal(t, time.Minute, status.Granularity, "within PT1M..PT15M")
	assert.Equal(t, oadr.ReadingNotApplicable, status.Payloads[0].ReadingType)

	reqs, err := v.ReportRequests(bg, venID)
	require.NoError(t, err)
	require.Len(t, reqs, 2)
	assert.Equal(t, ReportRequested, reqs[0].Status)
	assert.Equal(t, cr.RequestID, reqs[0].SentIn)

	// The VEN confirms one and not the other: the other was refused.
	r := as[*oadr.Response](t, send(t, v, oadr.ServiceEiReport, &oadr.CreatedReport{
		Response: oadr.OK(cr.RequestID), PendingReports: []string{cr.ReportRequests[0].ReportRequestID}, VenID: venID,
	}))
	assert.Equal(t, oadr.CodeOK, r.Response.Code)
	assert.Equal(t, cr.RequestID, r.Response.RequestID)
	reqs, _ = v.ReportRequests(bg, venID)
	require.Len(t, reqs, 1)
	assert.Equal(t, ReportActive, reqs[0].Status)

	offered, err := v.OfferedReports(bg, venID)
	require.NoError(t, err)
	assert.Len(t, offered, 2)
}

// With DeliverInRegisteredReport the requests ride in oadrRegisteredReport
// (OpenLEADR's way) and nothing is queued, or OpenLEADR's VEN would report
// twice.
func TestReportRegistrationEmbedded(t *testing.T) {
	v, _ := newVTN(t, WithReportRequestDelivery(DeliverInRegisteredReport),
		WithReportRegistrationHook(RequestTelemetry(10*time.Second, 0)))
	venID, _ := register(t, v, "battery")
	drain(t, v, venID)
	a := as[*oadr.RegisteredReport](t, send(t, v, oadr.ServiceEiReport, batteryReports(t, venID)))
	require.Len(t, a.ReportRequests, 2)
	assert.Equal(t, 10*time.Second, a.ReportRequests[0].Specifier.ReportBackDuration, "reportBackDuration is always sent")
	assert.Empty(t, drain(t, v, venID))
	// OpenLEADR's VEN answers with oadrCreatedReport echoing its own
	// registerReport requestID.
	send(t, v, oadr.ServiceEiReport, &oadr.CreatedReport{Response: oadr.OK("REQ_REG_REPORT_0001"), VenID: venID,
		PendingReports: []string{a.ReportRequests[0].ReportRequestID, a.ReportRequests[1].ReportRequestID}})
	reqs, _ := v.ReportRequests(bg, venID)
	require.Len(t, reqs, 2)
	assert.Equal(t, ReportActive, reqs[1].Status)
}

func TestReportRegistrationErrors(t *testing.T) {
	fail := errors.New("no")
	var hookErr error
	var hookReqs []ReportRequest
	v, _ := newVTN(t, WithReportRegistrationHook(func(context.Context, string, []oadr.Report) ([]ReportRequest, error) {
		return hookReqs, hookErr
	}))
	venID, _ := register(t, v, "battery")
	drain(t, v, venID)

	bad := batteryReports(t, venID)
	bad.Reports[0].Descriptions[3].ItemBase.Scale = "kilo"
	a := as[*oadr.RegisteredReport](t, send(t, v, oadr.ServiceEiReport, bad))
	assert.Equal(t, oadr.CodeInvalidData, a.Response.Code)
	assert.Contains(t, a.Response.Description, "battery1_power")

	noID := batteryReports(t, venID)
	noID.Reports[1].ReportSpecifierID = ""
	assert.Equal(t, oadr.CodeInvalidData, code(t, send(t, v, oadr.ServiceEiReport, noID)))

	hookErr = fail
	assert.Equal(t, oadr.CodeDeploymentError, code(t, send(t, v, oadr.ServiceEiReport, batteryReports(t, venID))))
	hookErr = Reject(oadr.CodeReportNotSupported, "we want no reports")
	assert.Equal(t, oadr.CodeReportNotSupported, code(t, send(t, v, oadr.ServiceEiReport, batteryReports(t, venID))))
	hookErr, hookReqs = nil, []ReportRequest{{ReportSpecifierID: "nope"}}
	assert.Equal(t, oadr.CodeDeploymentError, code(t, send(t, v, oadr.ServiceEiReport, batteryReports(t, venID))), "the hook asked for a report not offered")
	offered, _ := v.OfferedReports(bg, venID)
	assert.Empty(t, offered, "nothing stored from refused offers")

	a = as[*oadr.RegisteredReport](t, send(t, v, oadr.ServiceEiReport, &oadr.RegisterReport{RequestID: "R", VenID: "NOBODY"}))
	assert.Equal(t, oadr.CodeInvalidID, a.Response.Code)
}

func TestRequestAndCancelReports(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "battery")
	drain(t, v, venID)
	send(t, v, oadr.ServiceEiReport, batteryReports(t, venID))
	assert.Empty(t, drain(t, v, venID), "no hook, no requests")

	for _, tc := range []struct {
		req   ReportRequest
		field string
	}{
		{ReportRequest{ReportSpecifierID: "nope"}, "ReportRequest[0].ReportSpecifierID"},
		{ReportRequest{ReportSpecifierID: "battery1_telemetry_usage", RIDs: []string{"battery1_nope"}}, "ReportRequest[0].RIDs"},
		{ReportRequest{ReportSpecifierID: "battery1_telemetry_usage", Granularity: -time.Second}, "ReportRequest[0].Granularity"},
		{ReportRequest{ReportSpecifierID: "battery1_telemetry_usage", ReportBackDuration: time.Millisecond}, "ReportRequest[0].ReportBackDuration"},
		{ReportRequest{ReportSpecifierID: "battery1_telemetry_usage", ReportRequestID: " x"}, "ReportRequest[0].ReportRequestID"},
	} {
		_, err := v.RequestReports(bg, venID, tc.req)
		fe, ok := errors.AsType[*energy.FieldError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, tc.field, fe.Field)
	}
	_, err := v.RequestReports(bg, venID)
	assert.ErrorIs(t, err, energy.ErrInvalid)

	ids, err := v.RequestReports(bg, venID, ReportRequest{
		ReportRequestID: "RR_SOC", ReportSpecifierID: "battery1_telemetry_usage", RIDs: []string{"battery1_soc"},
		Granularity: time.Minute, ReportBackDuration: 5 * time.Minute,
		Interval: &oadr.Period{Start: t0, Duration: time.Hour},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"RR_SOC"}, ids)
	_, err = v.RequestReports(bg, venID, ReportRequest{ReportRequestID: "RR_SOC", ReportSpecifierID: "battery1_telemetry_usage"})
	assert.ErrorIs(t, err, energy.ErrInvalid, "IDs are unique")
	cr := as[*oadr.CreateReport](t, pollMsg(t, v, venID))
	require.Len(t, cr.ReportRequests, 1)
	s := cr.ReportRequests[0].Specifier
	assert.Equal(t, []oadr.SpecifierPayload{{RID: "battery1_soc", ReadingType: oadr.ReadingDirectRead}}, s.Payloads)
	require.NotNil(t, s.ReportInterval)
	assert.Equal(t, time.Hour, s.ReportInterval.Duration)

	assert.ErrorIs(t, v.CancelReports(bg, venID, true, "RR_NOPE"), ErrUnknownReportRequest)
	assert.ErrorIs(t, v.CancelReports(bg, venID, true), energy.ErrInvalid)
	require.NoError(t, v.CancelReports(bg, venID, true, "RR_SOC"))
	c := as[*oadr.CancelReport](t, pollMsg(t, v, venID))
	assert.Equal(t, []string{"RR_SOC"}, c.ReportRequestIDs)
	assert.True(t, c.ReportToFollow)
	reqs, _ := v.ReportRequests(bg, venID)
	assert.Equal(t, ReportCancelling, reqs[0].Status)
	r := as[*oadr.Response](t, send(t, v, oadr.ServiceEiReport, &oadr.CanceledReport{Response: oadr.OK(c.RequestID), VenID: venID}))
	assert.Equal(t, c.RequestID, r.Response.RequestID)
	reqs, _ = v.ReportRequests(bg, venID)
	assert.Empty(t, reqs)
}

// The VTN's own oadrRegisterReport (queued at registration) is answered with
// oadrRegisteredReport; the VTN offers no reports to request.
func TestVTNReportRegistration(t *testing.T) {
	vtnReportRequest := []oadr.ReportRequest{{ReportRequestID: "X", Specifier: oadr.ReportSpecifier{ReportSpecifierID: "VTN_REPORT",
		Payloads: []oadr.SpecifierPayload{{RID: "r", ReadingType: oadr.ReadingDirectRead}}}}}
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	rr := as[*oadr.RegisterReport](t, pollMsg(t, v, venID))
	r := as[*oadr.Response](t, send(t, v, oadr.ServiceEiReport, &oadr.RegisteredReport{Response: oadr.OK(rr.RequestID), VenID: venID}))
	assert.Equal(t, oadr.CodeOK, r.Response.Code)
	r = as[*oadr.Response](t, send(t, v, oadr.ServiceEiReport, &oadr.RegisteredReport{Response: oadr.OK(rr.RequestID), VenID: venID,
		ReportRequests: vtnReportRequest}))
	assert.Equal(t, oadr.CodeReportNotSupported, r.Response.Code)

	c := as[*oadr.CreatedReport](t, send(t, v, oadr.ServiceEiReport, &oadr.CreateReport{RequestID: "CR", VenID: venID, ReportRequests: vtnReportRequest}))
	assert.Equal(t, oadr.CodeReportNotSupported, c.Response.Code)
	assert.Equal(t, "CR", c.Response.RequestID)
	k := as[*oadr.CanceledReport](t, send(t, v, oadr.ServiceEiReport, &oadr.CancelReport{RequestID: "K", VenID: venID, ReportRequestIDs: []string{"X"}}))
	assert.Equal(t, oadr.CodeInvalidID, k.Response.Code)
}

func TestRequestTelemetryFitsSampling(t *testing.T) {
	rate := func(lo, hi time.Duration) *oadr.SamplingRate { return &oadr.SamplingRate{MinPeriod: lo, MaxPeriod: hi} }
	offer := []oadr.Report{
		{ReportSpecifierID: "fast", ReportName: oadr.ReportMetadataTelemetryUsage,
			Descriptions: []oadr.ReportDescription{{RID: "a", SamplingRate: rate(2*time.Second, 2*time.Second)}}},
		{ReportSpecifierID: "slow", ReportName: oadr.ReportMetadataTelemetryStatus,
			Descriptions: []oadr.ReportDescription{{RID: "b", SamplingRate: rate(5*time.Minute, time.Hour)}, {RID: "c"}}},
		{ReportSpecifierID: "history", ReportName: oadr.ReportMetadataHistoryUsage,
			Descriptions: []oadr.ReportDescription{{RID: "d"}}},
		{ReportSpecifierID: "empty", ReportName: oadr.ReportMetadataTelemetryUsage},
	}
	reqs, err := RequestTelemetry(time.Minute, 30*time.Second)(bg, "V", offer)
	require.NoError(t, err)
	assert.Equal(t, []ReportRequest{
		{ReportSpecifierID: "fast", Granularity: 2 * time.Second, ReportBackDuration: 30 * time.Second},
		{ReportSpecifierID: "slow", Granularity: 5 * time.Minute, ReportBackDuration: 5 * time.Minute},
	}, reqs)
	_, err = RequestTelemetry(-time.Second, 0)(bg, "V", offer)
	assert.Error(t, err)
}
