package openadr

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Registrations stop at the cap: a flood of new VENs is refused with 463,
// while VENs already registered may re-register.
func TestMaxVENs(t *testing.T) {
	v, _ := newVTN(t)
	assert.Equal(t, DefaultMaxVENs, v.maxVENs, "a cap applies by default")

	v, _ = newVTN(t, WithMaxVENs(2))
	a, regA := register(t, v, "a")
	register(t, v, "b")
	refused := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R3", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, HTTPPullModel: new(true),
	}))
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, refused.Response.Code)
	assert.Empty(t, refused.VenID)
	regs, err := v.Registrations(bg)
	require.NoError(t, err)
	assert.Len(t, regs, 2)

	again := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R4", RegistrationID: regA, VenID: a, ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
	}))
	assert.Equal(t, oadr.CodeOK, again.Response.Code, "re-registration is not a new VEN")

	require.NoError(t, v.Forget(bg, a))
	register(t, v, "c") // room again

	_, err = NewVTN("VTN_TEST", WithMaxVENs(0))
	fe, ok := errors.AsType[*energy.FieldError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "WithMaxVENs", fe.Field)
}

// Report requests made while the VEN does not poll travel in one queued
// oadrCreateReport, and their number is bounded.
func TestReportRequestsCoalesce(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "battery")
	drain(t, v, venID)
	send(t, v, oadr.ServiceEiReport, batteryReports(t, venID))
	var limited error
	for i := range 10_000 {
		_, err := v.RequestReports(bg, venID, ReportRequest{ReportSpecifierID: "battery1_telemetry_usage", Granularity: time.Minute})
		if err != nil {
			limited = err
			assert.Equal(t, MaxReportRequests, i, "refused only past the limit")
			break
		}
	}
	assert.ErrorIs(t, limited, ErrLimit)
	q, err := v.Queue(bg, venID)
	require.NoError(t, err)
	assert.Equal(t, []string{"oadrCreateReport"}, q, "one message, however many requests")
	cr := as[*oadr.CreateReport](t, pollMsg(t, v, venID))
	assert.Len(t, cr.ReportRequests, MaxReportRequests)
	reqs, err := v.ReportRequests(bg, venID)
	require.NoError(t, err)
	for _, r := range reqs {
		require.Equal(t, cr.RequestID, r.SentIn, "the VEN's oadrCreatedReport echoes the message that carried them")
	}

	// A re-registration request is queued once, however often asked.
	for range 10 {
		require.NoError(t, v.RequestReregistration(bg, venID))
	}
	q, err = v.Queue(bg, venID)
	require.NoError(t, err)
	assert.Equal(t, []string{"oadrRequestReregistration"}, q)
	// Messages the application queues itself are bounded.
	for range MaxQueued - 1 {
		require.NoError(t, v.Enqueue(bg, venID, &oadr.RequestReregistration{VenID: venID}))
	}
	assert.ErrorIs(t, v.Enqueue(bg, venID, &oadr.RequestReregistration{VenID: venID}), ErrLimit)
	assert.ErrorIs(t, v.CancelReports(bg, venID, false, reqs[0].Request.ReportRequestID), ErrLimit)
}

// An event list larger than a VEN reads (3,000 events, 18 MB) is trimmed to
// the answer size, keeping the events of highest priority, then the
// earliest.
func TestEventListFitsAnswer(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "battery")
	drain(t, v, venID)
	steps := make([]DispatchStep, 24)
	for i := range steps {
		steps[i] = DispatchStep{Duration: time.Minute, Mode: energy.ModeCharge, Power: energy.Watts(1000 + i)}
	}
	sig, err := LoadDispatch(steps...)
	require.NoError(t, err)
	const n = 3000
	urgent := map[string]bool{}
	for i := range n {
		ev := Event{Start: t0.Add(time.Hour + time.Duration(i)*time.Minute), Signals: []Signal{sig}, Comment: strings.Repeat("c", 2000)}
		if i%100 == 99 {
			ev.Priority = 1 // late, but first to keep
		}
		id, err := v.CreateEvent(bg, venID, ev)
		require.NoError(t, err)
		urgent[id] = ev.Priority == 1
	}
	// What the old VTN handed out: the whole list, far over the limit.
	var whole int
	require.NoError(t, v.store.View(bg, venID, func(st *VENState) error {
		d := &oadr.DistributeEvent{RequestID: "X", VtnID: v.id}
		for i := range st.Events {
			d.Events = append(d.Events, v.wireEvent(venID, &st.Events[i], oadr.StatusFar, t0))
		}
		b, err := oadr.Marshal(d)
		whole = len(b)
		return err
	}))
	require.Greater(t, whole, 16<<20)

	status, body := post(t, v, oadr.ServiceOadrPoll, mustMarshal(t, &oadr.Poll{VenID: venID}))
	require.Equal(t, http.StatusOK, status)
	assert.LessOrEqual(t, len(body), DefaultMaxAnswerBytes)
	m, err := oadr.Unmarshal(body)
	require.NoError(t, err)
	de := as[*oadr.DistributeEvent](t, m)
	require.NotEmpty(t, de.Events)
	assert.Less(t, len(de.Events), n)
	var kept int
	for i, e := range de.Events {
		if urgent[e.Descriptor.EventID] {
			kept++
		}
		if i > 0 {
			assert.False(t, e.ActivePeriod.Start.Before(de.Events[i-1].ActivePeriod.Start), "sorted by start")
		}
	}
	assert.Equal(t, n/100, kept, "every priority-1 event is kept")
	assert.Equal(t, t0.Add(time.Hour), de.Events[0].ActivePeriod.Start, "then the earliest")

	_, err = NewVTN("VTN_TEST", WithMaxAnswerBytes(100))
	assert.ErrorIs(t, err, energy.ErrInvalid)
}

func mustMarshal(t testing.TB, m oadr.Message) []byte {
	t.Helper()
	b, err := oadr.Marshal(m)
	require.NoError(t, err)
	return b
}

// brokenWriter is a connection that fails as the answer is written or,
// when buffered is set, only as it is flushed: net/http's server keeps a
// small answer in its buffer, so that Write succeeds.
type brokenWriter struct {
	h        http.Header
	buffered bool
}

var errReset = errors.New("connection reset by peer")

func (w *brokenWriter) Header() http.Header { return w.h }
func (w *brokenWriter) WriteHeader(int)     {}
func (w *brokenWriter) Write(p []byte) (int, error) {
	if w.buffered {
		return len(p), nil
	}
	return 0, errReset
}
func (w *brokenWriter) FlushError() error { return errReset }

// serveLost posts m to v on a connection that fails as the answer is sent
// (see brokenWriter).
func serveLost(t *testing.T, v *VTN, svc oadr.ServiceName, m oadr.Message, buffered bool) {
	req := httptest.NewRequest(http.MethodPost, PathPrefix+string(svc), bytes.NewReader(mustMarshal(t, m)))
	v.ServeHTTP(&brokenWriter{h: http.Header{}, buffered: buffered}, req)
}

// vtnWithEvent returns a VTN with a registered VEN whose queue holds the
// notice of one event created for it.
func vtnWithEvent(t *testing.T) (*VTN, string) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "battery")
	drain(t, v, venID)
	_, err := v.CreateEvent(bg, venID, simpleEvent(t0.Add(time.Hour)))
	require.NoError(t, err)
	return v, venID
}

// A poll whose answer cannot be written leaves the message first in the
// queue: the next poll gets it.
func TestPollAnswerLostIsKept(t *testing.T) {
	for _, buffered := range []bool{false, true} {
		t.Run(fmt.Sprintf("buffered=%v", buffered), func(t *testing.T) {
			v, venID := vtnWithEvent(t)
			require.NoError(t, v.RequestReregistration(bg, venID))
			lostPoll := func() { serveLost(t, v, oadr.ServiceOadrPoll, &oadr.Poll{VenID: venID}, buffered) }
			lostPoll()
			q, err := v.Queue(bg, venID)
			require.NoError(t, err)
			assert.Equal(t, []string{"oadrDistributeEvent", "oadrRequestReregistration"}, q)
			de := as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
			assert.Len(t, de.Events, 1)
			lostPoll()
			got := drain(t, v, venID)
			require.Len(t, got, 1)
			assert.Equal(t, "oadrRequestReregistration", got[0].MessageName())
		})
	}
}

// An oadrRequestEvent whose answer cannot be written leaves the event
// notice it took queued: the next poll delivers the list.
func TestRequestEventAnswerLostIsKept(t *testing.T) {
	for _, buffered := range []bool{false, true} {
		t.Run(fmt.Sprintf("buffered=%v", buffered), func(t *testing.T) {
			v, venID := vtnWithEvent(t)
			serveLost(t, v, oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "R1", VenID: venID}, buffered)
			q, err := v.Queue(bg, venID)
			require.NoError(t, err)
			assert.Equal(t, []string{"oadrDistributeEvent"}, q, "the notice is queued again")
			de := as[*oadr.DistributeEvent](t, pollMsg(t, v, venID))
			assert.Len(t, de.Events, 1)
		})
	}
	// An answer that arrives takes the notice, as before.
	v, venID := vtnWithEvent(t)
	status, _ := post(t, v, oadr.ServiceEiEvent, mustMarshal(t, &oadr.RequestEvent{RequestID: "R1", VenID: venID}))
	require.Equal(t, http.StatusOK, status)
	q, err := v.Queue(bg, venID)
	require.NoError(t, err)
	assert.Empty(t, q)
}

// A megabyte venID is refused without being echoed, and logged cut short.
func TestHugeVenID(t *testing.T) {
	var logs bytes.Buffer
	v, _ := newVTN(t, WithMaxBodyBytes(2<<20), WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	huge := strings.Repeat("V", 1<<20)
	for _, tc := range []struct {
		svc oadr.ServiceName
		msg oadr.Message
	}{
		{oadr.ServiceOadrPoll, &oadr.Poll{VenID: huge}},
		{oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{RequestID: "R", VenID: huge, ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP}},
		{oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: huge[:1000], VenID: "V"}},
		{oadr.ServiceEiRegisterParty, &oadr.CancelPartyRegistration{RequestID: "C", RegistrationID: huge}},
	} {
		logs.Reset()
		status, body := post(t, v, tc.svc, mustMarshal(t, tc.msg))
		require.Equal(t, http.StatusOK, status)
		assert.Less(t, len(body), 4096, "answer to %s", tc.msg.MessageName())
		m, err := oadr.Unmarshal(body)
		require.NoError(t, err)
		assert.Equal(t, oadr.CodeInvalidID, code(t, m))
		assert.Less(t, logs.Len(), 1024, "log for %s: %.300s", tc.msg.MessageName(), logs.String())
	}
	assert.Equal(t, strings.Repeat("é", 32)+"…(3000 bytes)", logID(strings.Repeat("é", 1500)))
}

// The package doc shows a server with timeouts, not http.ListenAndServe,
// which has none.
func TestDocServerHasTimeouts(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	doc := string(b)
	assert.NotContains(t, doc, "http.ListenAndServe")
	for _, f := range []string{"ReadHeaderTimeout", "ReadTimeout", "IdleTimeout"} {
		assert.Contains(t, doc, f)
	}
}
