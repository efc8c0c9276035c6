package openadr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckPushAddress(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080", "https://ven.example/base/", "http://10.1.2.3", "http://[::1]:9000"} {
		_, err := checkPushAddress(ok, "")
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"", "None", "ftp://ven.example/", "file:///etc/passwd", "gopher://x", "http://",
		"http://169.254.169.254/latest/meta-data", "http://[fe80::1]/", "http://0.0.0.0:80", "http://[::]/",
		"http://224.0.0.1/", "http://user:pw@ven.example/", "http://ven.example/?q=1", "http://ven.example/#f",
		"http://[::ffff:169.254.169.254]/", "ven.example:80"} {
		_, err := checkPushAddress(bad, "")
		assert.Error(t, err, bad)
	}
}

func TestPushOptionsValidated(t *testing.T) {
	for name, o := range map[string]Option{
		"WithPushClient":      WithPushClient(nil),
		"WithPushTargetCheck": WithPushTargetCheck(nil),
		"WithPushRetries":     WithPushRetries(-1),
		"WithPushTimeout":     WithPushTimeout(-time.Second),
		"WithPushBackoff":     WithPushBackoff(time.Minute, time.Second),
		"WithPushInterval":    WithPushInterval(-time.Second),
		"WithPushHoldOff":     WithPushHoldOff(-time.Second),
	} {
		_, err := NewVTN("VTN_TEST", o)
		fe, ok := errors.AsType[*energy.FieldError](err)
		require.True(t, ok, "%s: %v", name, err)
		assert.Equal(t, name, fe.Field)
	}
}

// registerPush registers a push VEN at addr and returns the answer.
func registerPush(t *testing.T, v *VTN, addr string) *oadr.CreatedPartyRegistration {
	t.Helper()
	return as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "REQ_PUSH", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
		TransportAddress: addr, VenName: "push", HTTPPullModel: new(false),
	}))
}

func TestPushRegistration(t *testing.T) {
	v, _ := newVTN(t)
	for _, bad := range []string{"", "None", "ftp://x/", "http://169.254.169.254/"} {
		a := registerPush(t, v, bad)
		assert.Equal(t, oadr.CodeComplianceError, a.Response.Code, bad)
		assert.Empty(t, a.VenID)
	}
	a := registerPush(t, v, "http://127.0.0.1:1")
	require.Equal(t, oadr.CodeOK, a.Response.Code, a.Response.Description)
	reg, err := v.Registration(bg, a.VenID)
	require.NoError(t, err)
	assert.True(t, reg.Push)
	pullID, _ := register(t, v, "pull")
	reg, err = v.Registration(bg, pullID)
	require.NoError(t, err)
	assert.False(t, reg.Push)

	// The application's check refuses a target.
	allowed := func(_ context.Context, _ string, u *url.URL) error {
		if u.Hostname() != "ven.example" {
			return errors.New("not one of our VENs")
		}
		return nil
	}
	v2, _ := newVTN(t, WithPushTargetCheck(allowed))
	assert.Equal(t, oadr.CodeComplianceError, registerPush(t, v2, "http://127.0.0.1:1").Response.Code)
	assert.Equal(t, oadr.CodeOK, registerPush(t, v2, "https://ven.example/").Response.Code)
}

// syncVEN is a push VEN that answers every push synchronously with the
// message a poll answer calls for, and records what the VTN pushed for
// the XSD check.
type syncVEN struct {
	t       *testing.T
	venID   string
	mu      sync.Mutex
	paths   []string
	status  atomic.Int32 // answered instead when non-zero
	calls   atomic.Int32
	ackOnly atomic.Bool // answer everything with an oadrResponse
	names   []string    // the names of the messages pushed
}

func (s *syncVEN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	if st := s.status.Load(); st != 0 {
		http.Error(w, "down", int(st))
		return
	}
	body, err := io.ReadAll(r.Body)
	require.NoError(s.t, err)
	recordEmitted(s.t.Name(), body)
	s.mu.Lock()
	s.paths = append(s.paths, r.URL.Path)
	s.mu.Unlock()
	msg, err := oadr.Unmarshal(body)
	require.NoError(s.t, err)
	s.mu.Lock()
	s.names = append(s.names, msg.MessageName())
	s.mu.Unlock()
	var answer oadr.Message
	switch m := msg.(type) {
	case *oadr.RegisterReport:
		answer = &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), VenID: s.venID}
	case *oadr.CreateReport:
		ids := make([]string, len(m.ReportRequests))
		for i, rr := range m.ReportRequests {
			ids[i] = rr.ReportRequestID
		}
		answer = &oadr.CreatedReport{Response: oadr.OK(m.RequestID), PendingReports: ids, VenID: s.venID}
	case *oadr.DistributeEvent:
		ce := &oadr.CreatedEvent{Response: oadr.OK(""), VenID: s.venID}
		for _, e := range m.Events {
			ce.EventResponses = append(ce.EventResponses, oadr.EventResponse{Code: oadr.CodeOK, RequestID: m.RequestID,
				QualifiedEventID: oadr.QualifiedEventID{EventID: e.Descriptor.EventID, ModificationNumber: e.Descriptor.ModificationNumber},
				OptType:          oadr.OptIn})
		}
		answer = ce
	default:
		answer = &oadr.Response{Response: oadr.OK(""), VenID: s.venID}
	}
	if s.ackOnly.Load() {
		answer = &oadr.Response{Response: oadr.OK(""), VenID: s.venID}
	}
	b, err := oadr.Marshal(answer)
	require.NoError(s.t, err)
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(b)
}

func TestPushSynchronousAnswers(t *testing.T) {
	v, clk := newVTN(t, WithReportRegistrationHook(RequestTelemetry(time.Minute, 5*time.Minute)))
	sv := &syncVEN{t: t}
	srv := httptest.NewServer(sv)
	defer srv.Close()
	a := registerPush(t, v, srv.URL+"/ven")
	require.Equal(t, oadr.CodeOK, a.Response.Code)
	sv.venID = a.VenID
	assert.Equal(t, oadr.CodeOK, code(t, send(t, v, oadr.ServiceEiReport, batteryReports(t, a.VenID))))

	stats, err := v.Deliver(bg)
	require.NoError(t, err)
	assert.Equal(t, PushStats{Pushed: 2}, stats) // the VTN's oadrRegisterReport, then oadrCreateReport
	assert.Equal(t, []string{"/ven/OpenADR2/Simple/2.0b/EiReport", "/ven/OpenADR2/Simple/2.0b/EiReport"}, sv.paths)
	rrs, err := v.ReportRequests(bg, a.VenID)
	require.NoError(t, err)
	require.NotEmpty(t, rrs)
	for _, rr := range rrs {
		assert.Equal(t, ReportActive, rr.Status)
	}

	id, err := v.CreateEvent(bg, a.VenID, Event{Start: clk.Now().Add(time.Hour), Signals: []Signal{simpleSignal(t)}})
	require.NoError(t, err)
	stats, err = v.DeliverTo(bg, a.VenID)
	require.NoError(t, err)
	assert.Equal(t, PushStats{Pushed: 1}, stats)
	assert.Equal(t, "/ven/OpenADR2/Simple/2.0b/EiEvent", sv.paths[2])
	ev, err := v.Event(bg, a.VenID, id)
	require.NoError(t, err)
	require.NotNil(t, ev.Response)
	assert.Equal(t, oadr.OptIn, ev.Response.OptType)

	// Nothing queued: no push at all.
	stats, err = v.Deliver(bg)
	require.NoError(t, err)
	assert.Equal(t, PushStats{}, stats)
	assert.EqualValues(t, 3, sv.calls.Load())
	assert.Equal(t, PushStats{Pushed: 3}, v.PushTotals())
}

func TestPushRetriesThenFallsBackToPolls(t *testing.T) {
	v, clk := newVTN(t, WithPushRetries(3), WithPushBackoff(time.Second, 3*time.Second))
	sv := &syncVEN{t: t}
	sv.status.Store(http.StatusBadGateway)
	srv := httptest.NewServer(sv)
	defer srv.Close()
	a := registerPush(t, v, srv.URL)
	sv.venID = a.VenID

	stats, err := v.Deliver(bg)
	require.NoError(t, err)
	assert.Equal(t, PushStats{Retries: 3, Failed: 1}, stats)
	assert.EqualValues(t, 4, sv.calls.Load())
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}, clk.Sleeps())
	q, err := v.Queue(bg, a.VenID)
	require.NoError(t, err)
	assert.Equal(t, []string{"oadrRegisterReport"}, q)

	// The push VEN polls: the message is there.
	as[*oadr.RegisterReport](t, pollMsg(t, v, a.VenID))

	// Back up, but left alone for the hold-off: the next message waits.
	sv.status.Store(0)
	_, err = v.CreateEvent(bg, a.VenID, Event{Start: clk.Now().Add(2 * time.Hour), Signals: []Signal{simpleSignal(t)}})
	require.NoError(t, err)
	stats, err = v.Deliver(bg)
	require.NoError(t, err)
	assert.Equal(t, PushStats{Resting: 1}, stats)
	assert.EqualValues(t, 4, sv.calls.Load())

	// After it, the message is pushed.
	clk.Advance(DefaultPushHoldOff)
	stats, err = v.Deliver(bg)
	require.NoError(t, err)
	assert.Equal(t, PushStats{Pushed: 1}, stats)
	assert.Equal(t, PushStats{Pushed: 1, Retries: 3, Failed: 1}, v.PushTotals())
}

func TestPushWithoutHoldOff(t *testing.T) {
	v, _ := newVTN(t, WithPushRetries(0), WithPushHoldOff(0))
	sv := &syncVEN{t: t}
	sv.status.Store(http.StatusInternalServerError)
	srv := httptest.NewServer(sv)
	defer srv.Close()
	sv.venID = registerPush(t, v, srv.URL).VenID
	for range 2 {
		stats, err := v.Deliver(bg)
		require.NoError(t, err)
		assert.Equal(t, PushStats{Failed: 1}, stats)
	}
	sv.status.Store(0)
	stats, err := v.Deliver(bg)
	require.NoError(t, err)
	assert.Equal(t, PushStats{Pushed: 1}, stats)
}

// The default client refuses link-local addresses when it dials, whatever
// name led there; nothing leaves the machine (the check runs before the
// connection is made).
func TestDefaultPushClientRefusesLinkLocal(t *testing.T) {
	_, err := defaultPushClient().Get("http://169.254.169.254/latest/meta-data/")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "link-local")
}

func TestPushFailures(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		v, _ := newVTN(t, WithPushRetries(0), WithPushTimeout(50*time.Millisecond))
		registerPush(t, v, srv.URL)
		stats, err := v.Deliver(bg)
		require.NoError(t, err)
		assert.Equal(t, PushStats{Failed: 1}, stats)
	})
	t.Run("redirect not followed", func(t *testing.T) {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
		}))
		defer srv.Close()
		v, _ := newVTN(t, WithPushRetries(0))
		registerPush(t, v, srv.URL)
		stats, err := v.Deliver(bg)
		require.NoError(t, err)
		assert.Equal(t, PushStats{Failed: 1}, stats)
		assert.EqualValues(t, 1, hits.Load())
	})
	t.Run("target refused later", func(t *testing.T) {
		var refuse atomic.Bool
		sv := &syncVEN{t: t}
		srv := httptest.NewServer(sv)
		defer srv.Close()
		v, _ := newVTN(t, WithPushTargetCheck(func(context.Context, string, *url.URL) error {
			if refuse.Load() {
				return errors.New("no")
			}
			return nil
		}))
		a := registerPush(t, v, srv.URL)
		refuse.Store(true)
		stats, err := v.Deliver(bg)
		require.NoError(t, err)
		assert.Equal(t, PushStats{}, stats)
		assert.Zero(t, sv.calls.Load())
		q, err := v.Queue(bg, a.VenID)
		require.NoError(t, err)
		assert.Len(t, q, 1)
	})
	t.Run("cancelled", func(t *testing.T) {
		sv := &syncVEN{t: t}
		sv.status.Store(http.StatusServiceUnavailable)
		srv := httptest.NewServer(sv)
		defer srv.Close()
		v, _ := newVTN(t)
		registerPush(t, v, srv.URL)
		ctx, cancel := context.WithCancel(bg)
		cancel()
		_, err := v.Deliver(ctx)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestRunPushStops(t *testing.T) {
	sv := &syncVEN{t: t}
	srv := httptest.NewServer(sv)
	defer srv.Close()
	v, _ := newVTN(t, WithPushInterval(10*time.Millisecond))
	a := registerPush(t, v, srv.URL)
	sv.venID = a.VenID
	ctx, cancel := context.WithCancel(bg)
	done := make(chan error)
	go func() { done <- v.RunPush(ctx) }()
	require.Eventually(t, func() bool { return v.PushTotals().Pushed == 1 }, 5*time.Second, 10*time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}

// simpleSignal is a SIMPLE level-1 signal for an hour.
func simpleSignal(t *testing.T) Signal {
	t.Helper()
	return Signal{Name: oadr.SignalSimple, Type: oadr.SignalTypeLevel, Intervals: []Interval{{Duration: time.Hour, Value: 1}}}
}

func TestDeliverToSkipsABusyVEN(t *testing.T) {
	sv := &syncVEN{t: t}
	srv := httptest.NewServer(sv)
	defer srv.Close()
	v, _ := newVTN(t)
	a := registerPush(t, v, srv.URL)
	require.True(t, v.push.claim(a.VenID))
	stats, err := v.DeliverTo(bg, a.VenID)
	require.NoError(t, err)
	assert.Equal(t, PushStats{}, stats)
	v.push.release(a.VenID)
	stats, err = v.DeliverTo(bg, a.VenID)
	require.NoError(t, err)
	assert.Equal(t, PushStats{Pushed: 1}, stats)
}

func TestPushTrimsLargeEventLists(t *testing.T) {
	sv := &syncVEN{t: t}
	srv := httptest.NewServer(sv)
	defer srv.Close()
	v, clk := newVTN(t, WithMaxAnswerBytes(minAnswerBytes))
	a := registerPush(t, v, srv.URL)
	sv.venID = a.VenID
	for i := range 40 {
		ev := Event{Start: clk.Now().Add(time.Hour + time.Duration(i)*time.Minute), Signals: []Signal{simpleSignal(t)}, Comment: strings.Repeat("c", 1000)}
		_, err := v.CreateEvent(bg, a.VenID, ev)
		require.NoError(t, err)
	}
	stats, err := v.Deliver(bg)
	require.NoError(t, err)
	assert.Equal(t, PushStats{Pushed: 2}, stats)
	evs, err := v.Events(bg, a.VenID)
	require.NoError(t, err)
	answered := 0
	for _, e := range evs {
		if e.Response != nil {
			answered++
		}
	}
	assert.Greater(t, answered, 0)
	assert.Less(t, answered, 40, "the list was trimmed")
}

// BenchmarkDeliverPass measures a delivery pass over VENs with nothing to
// push, against the baseline of the same VENs each polling once with an
// empty queue.
func BenchmarkDeliverPass(b *testing.B) {
	const n = 1000
	setup := func(b *testing.B) (*VTN, []string) {
		v, _ := newVTN(b)
		ids := make([]string, n)
		for i := range ids {
			ids[i], _ = register(b, v, fmt.Sprintf("ven%d", i))
			drain(b, v, ids[i])
		}
		return v, ids
	}
	b.Run("deliver-1000-idle", func(b *testing.B) {
		v, _ := setup(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Deliver(bg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline-1000-empty-polls", func(b *testing.B) {
		v, ids := setup(b)
		polls := make([][]byte, n)
		for i, id := range ids {
			polls[i], _ = oadr.Marshal(&oadr.Poll{VenID: id})
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range polls {
				v.handle(bg, oadr.ServiceOadrPoll, Caller{}, p)
			}
		}
	})
}

// A push VEN that acknowledges oadrRegisterReport without answering it
// gets it again, as a polling VEN would, up to MaxDeliveries.
func TestPushRedeliversUnanswered(t *testing.T) {
	v, _ := newVTN(t, WithRedeliverAfter(1))
	sv := &syncVEN{t: t}
	sv.ackOnly.Store(true)
	srv := httptest.NewServer(sv)
	defer srv.Close()
	sv.venID = registerPush(t, v, srv.URL).VenID
	for range MaxDeliveries + 2 {
		_, err := v.Deliver(bg)
		require.NoError(t, err)
	}
	sv.mu.Lock()
	defer sv.mu.Unlock()
	assert.Len(t, sv.names, MaxDeliveries)
	for _, n := range sv.names {
		assert.Equal(t, "oadrRegisterReport", n)
	}
}
