package openadr

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// testVEN is a minimal pull VEN speaking HTTP to a VTN, its messages built by
// hand (the real VEN client lives in openadr/ven).
type testVEN struct {
	t      *testing.T
	base   string
	client *http.Client
	venID  string
	regID  string
}

func (c *testVEN) call(svc oadr.ServiceName, msg oadr.Message) oadr.Message {
	c.t.Helper()
	body, err := oadr.Marshal(msg)
	require.NoError(c.t, err)
	req, err := http.NewRequestWithContext(c.t.Context(), http.MethodPost, c.base+PathPrefix+string(svc), bytes.NewReader(body))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/xml")
	resp, err := c.client.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	require.Equal(c.t, http.StatusOK, resp.StatusCode, "%s", out)
	require.Equal(c.t, "application/xml", resp.Header.Get("Content-Type"))
	recordEmitted(c.t.Name(), out)
	answer, err := oadr.Unmarshal(out)
	require.NoError(c.t, err)
	return answer
}

func (c *testVEN) poll() oadr.Message {
	c.t.Helper()
	return c.call(oadr.ServiceOadrPoll, &oadr.Poll{VenID: c.venID})
}

// A VTN on loopback HTTP and a VEN going through registration, report
// registration, a report request, three update reports, an event and its
// answer, and cancellation of the event and of the registration.
func TestEndToEnd(t *testing.T) {
	var (
		mu        sync.Mutex
		telemetry [][]Measurement
		responses []EventResponse
		changes   []ChangeKind
	)
	v, clk := newVTN(t,
		WithReportRegistrationHook(RequestTelemetry(time.Minute, time.Minute)),
		WithTelemetryHook(func(_ context.Context, _ string, ms []Measurement) {
			mu.Lock()
			defer mu.Unlock()
			telemetry = append(telemetry, ms)
		}),
		WithEventResponseHook(func(_ context.Context, r EventResponse) {
			mu.Lock()
			defer mu.Unlock()
			responses = append(responses, r)
		}),
		WithRegistrationChangeHook(func(_ context.Context, c RegistrationChange) {
			mu.Lock()
			defer mu.Unlock()
			changes = append(changes, c.Kind)
		}),
	)
	srv := httptest.NewServer(v)
	defer srv.Close()
	client := srv.Client()
	defer client.CloseIdleConnections()
	ven := &testVEN{t: t, base: srv.URL, client: client}

	// Registration.
	q := as[*oadr.CreatedPartyRegistration](t, ven.call(oadr.ServiceEiRegisterParty, &oadr.QueryRegistration{RequestID: "Q"}))
	assert.Equal(t, DefaultPollFrequency, q.PollFreq)
	reg := as[*oadr.CreatedPartyRegistration](t, ven.call(oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "Q", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
		VenName: "battery-ven", HTTPPullModel: new(true),
	}))
	require.Equal(t, oadr.CodeOK, reg.Response.Code)
	ven.venID, ven.regID = reg.VenID, reg.RegistrationID

	// Report registration, both ways.
	rr := as[*oadr.RegisteredReport](t, ven.call(oadr.ServiceEiReport, batteryReports(t, ven.venID)))
	require.Equal(t, oadr.CodeOK, rr.Response.Code)
	vtnReports := as[*oadr.RegisterReport](t, ven.poll())
	assert.Equal(t, oadr.CodeOK, code(t, ven.call(oadr.ServiceEiReport, &oadr.RegisteredReport{Response: oadr.OK(vtnReports.RequestID), VenID: ven.venID})))

	// The report request, confirmed.
	cr := as[*oadr.CreateReport](t, ven.poll())
	require.Len(t, cr.ReportRequests, 2)
	usage := cr.ReportRequests[0]
	assert.Equal(t, "battery1_telemetry_usage", usage.Specifier.ReportSpecifierID)
	var pending []string
	for _, r := range cr.ReportRequests {
		pending = append(pending, r.ReportRequestID)
	}
	assert.Equal(t, oadr.CodeOK, code(t, ven.call(oadr.ServiceEiReport, &oadr.CreatedReport{Response: oadr.OK(cr.RequestID), PendingReports: pending, VenID: ven.venID})))
	as[*oadr.Response](t, ven.poll())

	// Three update reports, a minute apart.
	for i := range 3 {
		at := t0.Add(time.Duration(i) * time.Minute)
		clk.Set(at.Add(time.Second))
		var payloads []oadr.ReportPayload
		for j, rid := range []string{"battery1_voltage", "battery1_current", "battery1_temperature", "battery1_power", "battery1_stored_energy", "battery1_soc"} {
			payloads = append(payloads, oadr.ReportPayload{RID: rid, Value: float64(10*i + j)})
		}
		u := as[*oadr.UpdatedReport](t, ven.call(oadr.ServiceEiReport, &oadr.UpdateReport{
			RequestID: fmt.Sprint("U", i), VenID: ven.venID,
			Reports: []oadr.Report{{
				Start: at, Duration: time.Minute, ReportRequestID: usage.ReportRequestID,
				ReportSpecifierID: usage.Specifier.ReportSpecifierID, ReportName: oadr.ReportTelemetryUsage, CreatedDateTime: at,
				Intervals: []oadr.ReportInterval{{Start: at, Duration: time.Minute, Payloads: payloads}},
			}},
		}))
		assert.Equal(t, oadr.CodeOK, u.Response.Code)
	}
	ms, err := v.Telemetry(bg, ven.venID)
	require.NoError(t, err)
	require.Len(t, ms, 6)
	soc, _ := ms.Latest(QuantityStateOfCharge)
	assert.InDelta(t, 0.25, soc.Value, 1e-9, "25 % in the third report")
	power, _ := ms.Latest(QuantityPower)
	assert.Equal(t, 23000.0, power.Value, "23 kW")
	assert.Equal(t, t0.Add(2*time.Minute), power.MeasuredAt)
	mu.Lock()
	assert.Len(t, telemetry, 3)
	mu.Unlock()

	// An event, delivered by poll, answered with an opt-in.
	evID, err := v.CreateEvent(bg, ven.venID, chargeThenDischarge(t, clk.Now().Add(time.Hour)))
	require.NoError(t, err)
	d := as[*oadr.DistributeEvent](t, ven.poll())
	require.Len(t, d.Events, 1)
	assert.Equal(t, evID, d.Events[0].Descriptor.EventID)
	assert.Equal(t, oadr.StatusFar, d.Events[0].Descriptor.Status)
	answer := func(d *oadr.DistributeEvent, opt oadr.OptType) {
		e := d.Events[0].Descriptor
		r := as[*oadr.Response](t, ven.call(oadr.ServiceEiEvent, &oadr.CreatedEvent{
			Response: oadr.OK(""), VenID: ven.venID,
			EventResponses: []oadr.EventResponse{{Code: oadr.CodeOK, Description: "OK", RequestID: d.RequestID,
				QualifiedEventID: oadr.QualifiedEventID{EventID: e.EventID, ModificationNumber: e.ModificationNumber}, OptType: opt}},
		}))
		assert.Equal(t, oadr.CodeOK, r.Response.Code)
	}
	answer(d, oadr.OptIn)
	st, _ := v.Event(bg, ven.venID, evID)
	require.NotNil(t, st.Response)
	assert.Equal(t, oadr.OptIn, st.Response.OptType)
	again := as[*oadr.DistributeEvent](t, ven.call(oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "E", VenID: ven.venID}))
	assert.Len(t, again.Events, 1)

	// Cancellation of the event, then of the registration by the VEN.
	require.NoError(t, v.CancelEvent(bg, ven.venID, evID))
	d = as[*oadr.DistributeEvent](t, ven.poll())
	assert.Equal(t, oadr.StatusCancelled, d.Events[0].Descriptor.Status)
	assert.Equal(t, uint32(1), d.Events[0].Descriptor.ModificationNumber)
	answer(d, oadr.OptIn)
	c := as[*oadr.CanceledPartyRegistration](t, ven.call(oadr.ServiceEiRegisterParty, &oadr.CancelPartyRegistration{RequestID: "C", RegistrationID: ven.regID, VenID: ven.venID}))
	assert.Equal(t, oadr.CodeOK, c.Response.Code)
	assert.Equal(t, oadr.CodeInvalidID, code(t, ven.poll()), "gone")

	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, responses, 2)
	assert.Equal(t, []ChangeKind{Registered, Canceled}, changes)
}
