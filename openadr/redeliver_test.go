package openadr

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// polls polls n times, expecting nothing.
func emptyPolls(t *testing.T, v *VTN, venID string, n int) {
	t.Helper()
	for i := range n {
		_, empty := pollMsg(t, v, venID).(*oadr.Response)
		require.True(t, empty, "poll %d", i+1)
	}
}

// An unanswered message comes back on the n-th poll after the one that
// delivered it, the same message; an answer ends it.
func TestRedeliverUnanswered(t *testing.T) {
	v, clk := newVTN(t, WithRedeliverAfter(3))
	venID, _ := register(t, v, "ven")
	rr := as[*oadr.RegisterReport](t, pollMsg(t, v, venID))
	emptyPolls(t, v, venID, 2)
	again := as[*oadr.RegisterReport](t, pollMsg(t, v, venID))
	assert.Equal(t, rr.RequestID, again.RequestID)
	assert.Equal(t, oadr.CodeOK, code(t, send(t, v, oadr.ServiceEiReport, &oadr.RegisteredReport{Response: oadr.OK(rr.RequestID), VenID: venID})))
	emptyPolls(t, v, venID, 10)

	id, err := v.CreateEvent(bg, venID, chargeThenDischarge(t, clk.Now().Add(time.Hour)))
	require.NoError(t, err)
	d := as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	emptyPolls(t, v, venID, 2)
	d2 := as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	require.Len(t, d2.Events, 1)
	assert.Equal(t, d.Events[0].Descriptor.EventID, d2.Events[0].Descriptor.EventID)
	assert.Equal(t, d.Events[0].Descriptor.ModificationNumber, d2.Events[0].Descriptor.ModificationNumber)
	send(t, v, oadr.ServiceEiEvent, &oadr.CreatedEvent{Response: oadr.OK(""), VenID: venID, EventResponses: []oadr.EventResponse{{
		Code: oadr.CodeOK, RequestID: d2.RequestID, OptType: oadr.OptIn,
		QualifiedEventID: oadr.QualifiedEventID{EventID: id, ModificationNumber: d2.Events[0].Descriptor.ModificationNumber}}}})
	emptyPolls(t, v, venID, 10)

	// Modified before the answer: the new list goes out, and is the one
	// waited for.
	_, err = v.CreateEvent(bg, venID, chargeThenDischarge(t, clk.Now().Add(2*time.Hour)))
	require.NoError(t, err)
	as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	require.NoError(t, v.CancelEvent(bg, venID, id))
	d3 := as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	emptyPolls(t, v, venID, 2)
	d4 := as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
	assert.Len(t, d4.Events, len(d3.Events))
}

// A VEN that never answers gets a message MaxDeliveries times in all.
func TestRedeliverGivesUp(t *testing.T) {
	v, _ := newVTN(t, WithRedeliverAfter(1))
	venID, _ := register(t, v, "ven")
	sent := 0
	for range 3 * MaxDeliveries {
		switch pollMsg(t, v, venID).(type) {
		case *oadr.RegisterReport:
			sent++
		case *oadr.Response:
		default:
			require.FailNow(t, "unexpected message")
		}
	}
	assert.Equal(t, MaxDeliveries, sent)
	st := v.mustState(t, venID)
	assert.Empty(t, st.Delivered)
}

// Report requests and their cancellation are answered by requestID.
func TestRedeliverReportRequests(t *testing.T) {
	v, _ := newVTN(t, WithRedeliverAfter(2))
	venID, _ := register(t, v, "ven")
	send(t, v, oadr.ServiceEiReport, batteryReports(t, venID))
	rr := as[*oadr.RegisterReport](t, pollMsg(t, v, venID))
	send(t, v, oadr.ServiceEiReport, &oadr.RegisteredReport{Response: oadr.OK(rr.RequestID), VenID: venID})
	reqs, err := RequestTelemetry(time.Minute, time.Minute)(bg, venID, batteryReports(t, venID).Reports)
	require.NoError(t, err)
	ids, err := v.RequestReports(bg, venID, reqs...)
	require.NoError(t, err)
	cr := as[*oadr.CreateReport](t, pollMsg(t, v, venID))
	emptyPolls(t, v, venID, 1)
	cr2 := as[*oadr.CreateReport](t, pollMsg(t, v, venID))
	assert.Equal(t, cr.RequestID, cr2.RequestID)
	send(t, v, oadr.ServiceEiReport, &oadr.CreatedReport{Response: oadr.OK(cr.RequestID), PendingReports: ids, VenID: venID})
	emptyPolls(t, v, venID, 5)

	require.NoError(t, v.CancelReports(bg, venID, false, ids...))
	c := as[*oadr.CancelReport](t, pollMsg(t, v, venID))
	emptyPolls(t, v, venID, 1)
	assert.Equal(t, c.RequestID, as[*oadr.CancelReport](t, pollMsg(t, v, venID)).RequestID)
	send(t, v, oadr.ServiceEiReport, &oadr.CanceledReport{Response: oadr.OK(c.RequestID), VenID: venID})
	emptyPolls(t, v, venID, 5)
}

// A poll answer that never reached the VEN is queued first again and not
// remembered as delivered.
func TestRedeliverUndo(t *testing.T) {
	v, _ := newVTN(t, WithRedeliverAfter(2))
	venID, _ := register(t, v, "ven")
	ans, undo, err := v.poll(bg, Caller{}, &oadr.Poll{VenID: venID})
	require.NoError(t, err)
	as[*oadr.RegisterReport](t, ans)
	require.Len(t, v.mustState(t, venID).Delivered, 1)
	undo(bg)
	st := v.mustState(t, venID)
	assert.Empty(t, st.Delivered)
	assert.Len(t, st.Queue, 1)
}

func (v *VTN) mustState(t *testing.T, venID string) VENState {
	t.Helper()
	var out VENState
	require.NoError(t, v.store.View(bg, venID, func(st *VENState) error { out = *st; return nil }))
	return out
}

// The openadr/ven VEN whose answers are lost gets the messages again and
// is not harmed: it keeps one event at the same modification, one report
// request, and answers, which ends the repeats.
func TestRedeliverToVEN(t *testing.T) {
	clk := clock.NewFake(t0)
	v, err := NewVTN("VTN_REDELIVER", WithClock(clk), WithRedeliverAfter(2),
		WithReportRegistrationHook(RequestTelemetry(10*time.Second, time.Minute)))
	require.NoError(t, err)
	var lose atomic.Int32 // answers of these kinds are lost while set
	var lost atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if lose.Load() > 0 && !strings.HasSuffix(r.URL.Path, "OadrPoll") && lose.Add(-1) >= 0 {
			lost.Add(1)
			http.Error(w, "lost", http.StatusServiceUnavailable)
			return
		}
		v.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(srv.Client().CloseIdleConnections)
	vn, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk))
	require.NoError(t, err)
	require.NoError(t, vn.Register(t.Context()))
	venID := vn.State().VENID
	pollVEN := func() (got bool) {
		got, _ = vn.PollOnce(t.Context()) // a lost answer is an error for the VEN
		return got
	}

	// The VEN's answer to the first message its polls get (the VTN's
	// oadrRegisterReport or its request for telemetry) is lost.
	lose.Store(1)
	for range 10 {
		pollVEN()
	}
	assert.EqualValues(t, 1, lost.Load())
	assert.Len(t, vn.State().Reports, 2, "the VEN serves each request once")
	assert.Empty(t, v.mustState(t, venID).Delivered, "the repeat was answered")
	for _, r := range v.mustState(t, venID).ReportRequests {
		assert.Equal(t, ReportActive, r.Status)
	}

	// The VEN's oadrCreatedEvent is lost.
	id, err := v.CreateEvent(bg, venID, chargeThenDischarge(t, clk.Now().Add(time.Hour)))
	require.NoError(t, err)
	lose.Store(1)
	lost.Store(0)
	for range 10 {
		pollVEN()
	}
	assert.EqualValues(t, 1, lost.Load())
	evs := vn.State().Events
	require.Len(t, evs, 1)
	assert.Equal(t, id, evs[0].ID)
	assert.EqualValues(t, 0, evs[0].ModificationNumber)
	e, err := v.Event(bg, venID, id)
	require.NoError(t, err)
	require.NotNil(t, e.Response, "the repeat was answered")
	assert.Equal(t, oadr.OptIn, e.Response.OptType)
	assert.Empty(t, v.mustState(t, venID).Delivered)
}

// What is waited for survives a durable Store: it round-trips through the
// state codec, message and count alike.
func TestRedeliverStateEncodes(t *testing.T) {
	v, _ := newVTN(t, WithRedeliverAfter(3))
	venID, _ := register(t, v, "ven")
	rr := as[*oadr.RegisterReport](t, pollMsg(t, v, venID))
	emptyPolls(t, v, venID, 1)
	st := v.mustState(t, venID)
	b, err := MarshalVENState(&st)
	require.NoError(t, err)
	var back VENState
	require.NoError(t, UnmarshalVENState(b, &back))
	require.Len(t, back.Delivered, 1)
	d := back.Delivered[0]
	assert.Equal(t, rr.RequestID, d.RequestID)
	assert.Equal(t, rr.RequestID, as[*oadr.RegisterReport](t, d.Entry.Message).RequestID)
	assert.Equal(t, 1, d.Polls)
	assert.Equal(t, 1, d.Sent)
}

func TestWithRedeliverAfterValidates(t *testing.T) {
	_, err := NewVTN("VTN_TEST", WithRedeliverAfter(-1))
	var fe *energy.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "WithRedeliverAfter", fe.Field)
	v, err := NewVTN("VTN_TEST")
	require.NoError(t, err)
	assert.Equal(t, DefaultRedeliverAfter, v.redeliverAfter)
}
