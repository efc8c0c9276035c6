package ven_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPushAgainstVTN runs a push VEN against the VTN, both on loopback
// servers: report requests and an event are pushed and answered, a push
// that fails is retried and falls back to the poll queue.
func TestPushAgainstVTN(t *testing.T) {
	clk := clock.NewFake(t0)
	vtn, err := openadr.NewVTN("VTN_GRIDWIRE",
		openadr.WithClock(clk),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(time.Minute, 5*time.Minute)),
		openadr.WithPushBackoff(time.Second, 4*time.Second),
	)
	require.NoError(t, err)

	var mu sync.Mutex
	docs := map[string][]byte{}
	keep := func(who string, b []byte) {
		mu.Lock()
		defer mu.Unlock()
		docs[docName(len(docs), who)] = b
	}
	vtnSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		keep("ven", body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		vtn.ServeHTTP(w, r)
	}))
	defer vtnSrv.Close()

	var push http.Handler
	var answers []string // what the VEN answered to each push
	var failing atomic.Bool
	var pushes atomic.Int32
	venSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pushes.Add(1)
		if failing.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(r.Body)
		keep("vtn", body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		push.ServeHTTP(rec, r)
		keep("ven", rec.Body.Bytes())
		if a, err := oadr.Unmarshal(rec.Body.Bytes()); assert.NoError(t, err) {
			mu.Lock()
			answers = append(answers, a.MessageName())
			mu.Unlock()
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer venSrv.Close()
	defer func() { validateXSD(t, docs) }()

	v, err := ven.New(vtnSrv.URL, ven.WithHTTPClient(vtnSrv.Client()), ven.WithClock(clk), ven.WithPushAddress(venSrv.URL))
	require.NoError(t, err)
	push = v.PushHandler()
	ctx := context.Background()

	require.NoError(t, v.Register(ctx))
	venID := v.State().VENID
	reg, err := vtn.Registration(ctx, venID)
	require.NoError(t, err)
	require.True(t, reg.Push)
	require.Equal(t, venSrv.URL, reg.TransportAddress)

	// The VTN's oadrRegisterReport and the report requests, pushed.
	stats, err := vtn.Deliver(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, stats.Failed)
	assert.GreaterOrEqual(t, stats.Pushed, 2, "stats %+v", stats)
	q, err := vtn.Queue(ctx, venID)
	require.NoError(t, err)
	assert.Empty(t, q)
	rrs, err := vtn.ReportRequests(ctx, venID)
	require.NoError(t, err)
	require.Len(t, rrs, 2)
	for _, rr := range rrs {
		assert.Equal(t, openadr.ReportActive, rr.Status, "report request %s", rr.Request.ReportRequestID)
	}
	assert.Len(t, v.State().Reports, 2)
	assert.Equal(t, []string{"oadrRegisteredReport", "oadrCreatedReport"}, answers, "the VEN's synchronous answers")

	// An event, pushed at once and opted in.
	dispatch, err := openadr.LoadDispatch(openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000})
	require.NoError(t, err)
	eventID, err := vtn.CreateEvent(ctx, venID, openadr.Event{Start: t0.Add(time.Hour), Signals: []openadr.Signal{dispatch}})
	require.NoError(t, err)
	stats, err = vtn.DeliverTo(ctx, venID)
	require.NoError(t, err)
	assert.Equal(t, openadr.PushStats{Pushed: 1}, stats)
	ev, err := vtn.Event(ctx, venID, eventID)
	require.NoError(t, err)
	require.NotNil(t, ev.Response)
	assert.Equal(t, oadr.OptIn, ev.Response.OptType)
	assert.Equal(t, "oadrCreatedEvent", answers[2])

	// The VEN's server is down: two retries, then the queue.
	failing.Store(true)
	before := pushes.Load()
	event2, err := vtn.CreateEvent(ctx, venID, openadr.Event{Start: t0.Add(3 * time.Hour), Signals: []openadr.Signal{dispatch}})
	require.NoError(t, err)
	stats, err = vtn.Deliver(ctx)
	require.NoError(t, err)
	assert.Equal(t, openadr.PushStats{Retries: openadr.DefaultPushRetries, Failed: 1}, stats)
	assert.EqualValues(t, 1+openadr.DefaultPushRetries, pushes.Load()-before)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, clk.Sleeps()[len(clk.Sleeps())-2:])
	q, err = vtn.Queue(ctx, venID)
	require.NoError(t, err)
	assert.Equal(t, []string{"oadrDistributeEvent"}, q)
	assert.Equal(t, openadr.PushStats{Pushed: stats.Pushed + 3, Retries: 2, Failed: 1}.Failed, vtn.PushTotals().Failed)

	// The VEN polls and gets it.
	got, err := v.PollOnce(ctx)
	require.NoError(t, err)
	require.True(t, got)
	ev, err = vtn.Event(ctx, venID, event2)
	require.NoError(t, err)
	require.NotNil(t, ev.Response)
	assert.Equal(t, oadr.OptIn, ev.Response.OptType)
}

// pushPair returns a VTN and a push VEN pointed at it, each served on
// loopback over plain HTTP.
func pushPair(t *testing.T, vtnOpts []openadr.Option, venOpts ...ven.Option) (*openadr.VTN, *ven.VEN) {
	t.Helper()
	vtn, err := openadr.NewVTN("VTN_GRIDWIRE", vtnOpts...)
	require.NoError(t, err)
	vtnSrv := httptest.NewServer(vtn)
	t.Cleanup(vtnSrv.Close)
	t.Cleanup(vtnSrv.Client().CloseIdleConnections)
	var push http.Handler
	venSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { push.ServeHTTP(w, r) }))
	t.Cleanup(venSrv.Close)
	v, err := ven.New(vtnSrv.URL, append([]ven.Option{ven.WithHTTPClient(vtnSrv.Client()), ven.WithPushAddress(venSrv.URL)}, venOpts...)...)
	require.NoError(t, err)
	push = v.PushHandler()
	return vtn, v
}

// TestPushRegistrationMessages pushes the VTN's registration messages: a
// request to register again (acknowledged, then done), and the
// cancellation of the registration (answered in the push's response).
func TestPushRegistrationMessages(t *testing.T) {
	clk := clock.NewFake(t0)
	vtn, v := pushPair(t, []openadr.Option{openadr.WithClock(clk)}, ven.WithClock(clk))
	ctx := context.Background()
	require.NoError(t, v.Register(ctx))
	venID := v.State().VENID
	_, err := vtn.Deliver(ctx)
	require.NoError(t, err)

	before, err := vtn.Registration(ctx, venID)
	require.NoError(t, err)
	clk.Advance(time.Minute)
	require.NoError(t, vtn.Enqueue(ctx, venID, &oadr.RequestReregistration{VenID: venID}))
	stats, err := vtn.DeliverTo(ctx, venID)
	require.NoError(t, err)
	assert.Equal(t, openadr.PushStats{Pushed: 1}, stats)
	after, err := vtn.Registration(ctx, venID)
	require.NoError(t, err)
	assert.Equal(t, before.RegistrationID, after.RegistrationID)
	assert.True(t, after.Push)
	assert.True(t, v.State().Registered)

	require.NoError(t, vtn.CancelRegistration(ctx, venID))
	stats, err = vtn.DeliverTo(ctx, venID)
	require.NoError(t, err)
	assert.Equal(t, openadr.PushStats{Pushed: 1}, stats)
	_, err = vtn.Registration(ctx, venID)
	assert.ErrorIs(t, err, openadr.ErrUnknownVEN)
	assert.False(t, v.State().Registered)
}

func TestPushAddressOption(t *testing.T) {
	for _, bad := range []string{"ftp://x", "not a url", "http://"} {
		_, err := ven.New("http://127.0.0.1:1", ven.WithPushAddress(bad))
		fe, ok := errors.AsType[*energy.FieldError](err)
		require.True(t, ok, "%q: %v", bad, err)
		assert.Equal(t, "WithPushAddress", fe.Field)
	}
}

func TestPushHandlerRefusals(t *testing.T) {
	v, err := ven.New("http://127.0.0.1:1", ven.WithPushAddress("http://127.0.0.1:2"))
	require.NoError(t, err)
	h := v.PushHandler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/OpenADR2/Simple/2.0b/EiEvent", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/elsewhere", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)
	for body, want := range map[string]oadr.ResponseCode{
		"<garbage": oadr.CodeInvalidData,
		// Not registered yet: nothing is handled.
		string(mustMarshal(t, &oadr.DistributeEvent{RequestID: "R1", VtnID: "VTN_X"})): oadr.CodeDeploymentError,
	} {
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/OpenADR2/Simple/2.0b/EiEvent", strings.NewReader(body)))
		require.Equal(t, http.StatusOK, rec.Code)
		a, err := oadr.Unmarshal(rec.Body.Bytes())
		require.NoError(t, err)
		assert.Equal(t, want, a.(*oadr.Response).Response.Code, body)
	}
}

func mustMarshal(t *testing.T, m oadr.Message) []byte {
	t.Helper()
	b, err := oadr.Marshal(m)
	require.NoError(t, err)
	return b
}

// A report request pushed to a VEN whose Run sleeps until a poll an hour
// away is acted on at once: the push wakes Run, and the reports start.
func TestPushWakesRun(t *testing.T) {
	vtn, v := pushPair(t, []openadr.Option{openadr.WithPollFrequency(time.Hour)})

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- v.Run(ctx) }()
	defer func() {
		cancel()
		require.NoError(t, <-done)
	}()
	var venID string
	require.Eventually(t, func() bool {
		venID = v.State().VENID
		if venID == "" {
			return false
		}
		offered, err := vtn.OfferedReports(ctx, venID)
		return err == nil && len(offered) > 0
	}, 10*time.Second, 10*time.Millisecond, "the VEN registered and offered its reports")

	_, err := vtn.RequestReports(ctx, venID, openadr.ReportRequest{ReportSpecifierID: ven.DefaultResourceID + "_telemetry_usage",
		Granularity: time.Second, ReportBackDuration: time.Second})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		stats, err := vtn.DeliverTo(ctx, venID)
		require.NoError(t, err)
		return stats.Pushed > 0
	}, 10*time.Second, 10*time.Millisecond)
	require.Eventually(t, func() bool {
		m, err := vtn.Telemetry(ctx, venID)
		return err == nil && len(m) > 0
	}, 10*time.Second, 50*time.Millisecond, "a report came within seconds, not at the next poll an hour away")
}
