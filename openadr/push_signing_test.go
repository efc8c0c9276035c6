package openadr_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
	"github.com/gridwire/gridwire/openadr/ven"
)

// signedPush is a signed world with one signing push VEN, whose
// PushHandler is served over TLS with the VEN's own certificate (the VTN
// pins it) on loopback, behind a tap that records (and, when armed,
// rewrites) every push and every answer. The VTN pushes with its default
// push client.
type signedPush struct {
	*signedWorld
	ven     *ven.VEN
	venCert *oadrsig.Signer
	pushes  *pushTap
	venSrv  *httptest.Server
	venID   string
	// venClient is the VEN's HTTP client to the VTN (its certificate).
	venClient *http.Client
}

func newSignedPush(t *testing.T) *signedPush {
	t.Helper()
	p := &signedPush{pushes: &pushTap{}}
	w := newSignedWorld(t, openadr.WithPushRetries(1))
	cert, _, c := w.client("pusher")
	p.venSrv = servePushTLS(t, cert, p.pushes)
	signer := signerOf(t, cert, w.clk)
	v, err := ven.New(w.srv.URL, ven.WithHTTPClient(c), ven.WithClock(w.clk), ven.WithVENName("pusher"),
		ven.WithSigning(signer), ven.WithPushAddress(p.venSrv.URL))
	require.NoError(t, err)
	p.pushes.next = v.PushHandler()
	require.NoError(t, v.Register(t.Context()))
	p.signedWorld, p.ven, p.venCert, p.venID, p.venClient = w, v, signer, v.State().VENID, c
	return p
}

// settledSignedPush is newSignedPush once the VTN has pushed what follows
// a registration (its oadrRegisterReport and report requests), so that a
// test starts from a VEN with nothing waiting.
func settledSignedPush(t *testing.T) *signedPush {
	t.Helper()
	p := newSignedPush(t)
	_, err := p.vtn.Deliver(t.Context())
	require.NoError(t, err)
	return p
}

// pushOnceThrough registers a push VEN bound to a certificate with a VTN
// whose push client sends through rt (no retries), pushes to it once and
// returns the push's figures.
func pushOnceThrough(t *testing.T, rt http.RoundTripper) openadr.PushStats {
	t.Helper()
	w := newSignedWorld(t, openadr.WithPushClient(&http.Client{Transport: rt}), openadr.WithPushRetries(0))
	v, _, _ := w.newVEN("pusher", ven.WithPushAddress("https://127.0.0.1:9"))
	require.NoError(t, v.Register(t.Context()))
	stats, err := w.vtn.DeliverTo(t.Context(), v.State().VENID)
	require.NoError(t, err)
	return stats
}

// servePushTLS serves h over TLS with cert, as a push VEN bound to cert
// does.
func servePushTLS(t *testing.T, cert tls.Certificate, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// pushTap stands in front of a VEN's push handler; besides what a tap
// does, it can lose the next answer (the VEN handles the push, the VTN gets
// HTTP 503).
type pushTap struct {
	tap
	next http.Handler
	lose bool // one-shot, under tap.mu
}

func (p *pushTap) loseAnswer() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lose = true
}

func (p *pushTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	body = p.request(body)
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	rec := httptest.NewRecorder()
	p.next.ServeHTTP(rec, r)
	p.mu.Lock()
	lose := p.lose
	p.lose = false
	p.mu.Unlock()
	ans := p.answer(body, rec.Body.Bytes())
	if lose {
		http.Error(w, "answer lost", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(ans)
}

// event queues an event for the VEN and pushes it.
func (p *signedPush) event(t *testing.T, start time.Duration) (string, openadr.PushStats) {
	t.Helper()
	dispatch, err := openadr.LoadDispatch(openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000})
	require.NoError(t, err)
	id, err := p.vtn.CreateEvent(t.Context(), p.venID, openadr.Event{Start: p.clk.Now().Add(start), Signals: []openadr.Signal{dispatch}})
	require.NoError(t, err)
	stats, err := p.vtn.DeliverTo(t.Context(), p.venID)
	require.NoError(t, err)
	return id, stats
}

// optedIn reports whether the VTN took the VEN's opt-in to an event.
func (p *signedPush) optedIn(t *testing.T, eventID string) bool {
	t.Helper()
	ev, err := p.vtn.Event(t.Context(), p.venID, eventID)
	require.NoError(t, err)
	return ev.Response != nil && ev.Response.OptType == oadr.OptIn
}

// A signing VTN serves push VENs that sign: every push is signed, every
// answer is signed, and both are verified, end to end between openadr/ven
// and the VTN.
func TestSignedPush(t *testing.T) {
	p := newSignedPush(t)
	reg, err := p.vtn.Registration(t.Context(), p.venID)
	require.NoError(t, err)
	require.True(t, reg.Push)
	require.True(t, reg.XMLSignature)

	// The VTN's oadrRegisterReport and report requests, pushed and answered.
	stats, err := p.vtn.Deliver(t.Context())
	require.NoError(t, err)
	assert.Zero(t, stats.Failed)
	assert.GreaterOrEqual(t, stats.Pushed, 2, "%+v", stats)
	rrs, err := p.vtn.ReportRequests(t.Context(), p.venID)
	require.NoError(t, err)
	require.NotEmpty(t, rrs)
	for _, rr := range rrs {
		assert.Equal(t, openadr.ReportActive, rr.Status, "the VEN's signed oadrCreatedReport was taken")
	}

	eventID, evStats := p.event(t, time.Hour)
	assert.Equal(t, openadr.PushStats{Pushed: 1}, evStats)
	assert.True(t, p.optedIn(t, eventID), "the VEN's signed oadrCreatedEvent was taken")
	assert.Len(t, p.ven.State().Events, 1)

	p.pushes.mu.Lock()
	defer p.pushes.mu.Unlock()
	require.Equal(t, stats.Pushed+1, len(p.pushes.requests), "pushes recorded")
	assert.Equal(t, "https", p.venSrv.URL[:5])
	for i := range p.pushes.requests {
		assert.True(t, isSigned(t, p.pushes.requests[i]), "push %d is signed: %s", i, p.pushes.requests[i])
		assert.True(t, isSigned(t, p.pushes.answers[i]), "answer %d is signed: %s", i, p.pushes.answers[i])
	}
}

// A push is signed afresh for each attempt: when the VEN took a push but
// its answer was lost, the retry is a new payload to it, not a replay.
func TestSignedPushRetryIsNoReplay(t *testing.T) {
	p := settledSignedPush(t)
	p.pushes.loseAnswer()
	eventID, stats := p.event(t, time.Hour)
	assert.Equal(t, openadr.PushStats{Pushed: 1, Retries: 1}, stats)
	_, ans := p.pushes.last()
	assert.True(t, p.optedIn(t, eventID), "the retry was taken and answered: %s", ans)
	assert.Len(t, p.ven.State().Events, 1)
}

// A push answer the VEN did not sign as it is, or signed with a key the
// venID is not bound to, is refused: the event stays without an answer.
func TestSignedPushAnswerRefused(t *testing.T) {
	p := settledSignedPush(t)

	p.pushes.tamperAnswer(func(b []byte) []byte {
		return bytes.Replace(b, []byte(">optIn<"), []byte(">optOut<"), 1)
	})
	tampered, _ := p.event(t, time.Hour)
	assert.False(t, p.optedIn(t, tampered), "a changed answer is not taken")
	ev, err := p.vtn.Event(t.Context(), p.venID, tampered)
	require.NoError(t, err)
	assert.Nil(t, ev.Response, "not taken as an opt-out either")

	other, _ := p.ca.issue(t, "intruder")
	intruder := signerOf(t, other, p.clk)
	p.pushes.tamperAnswer(func(b []byte) []byte {
		m, err := oadr.Unmarshal(b)
		require.NoError(t, err)
		out, err := intruder.Marshal(m)
		require.NoError(t, err)
		return out
	})
	resigned, _ := p.event(t, 2*time.Hour)
	ev, err = p.vtn.Event(t.Context(), p.venID, resigned)
	require.NoError(t, err)
	assert.Nil(t, ev.Response, "an answer signed with another certificate is not taken")

	// The VEN's own answer, untouched, is taken.
	fine, _ := p.event(t, 3*time.Hour)
	assert.True(t, p.optedIn(t, fine))
}

// The VEN refuses a push that was changed, one it has seen before, and one
// the VTN did not sign, and handles none of them.
func TestSignedPushRefusedByVEN(t *testing.T) {
	p := settledSignedPush(t)

	p.pushes.tamperRequest(func(b []byte) []byte {
		return bytes.Replace(b, []byte("<ei:signalPayload><ei:payloadFloat><ei:value>3<"), []byte("<ei:signalPayload><ei:payloadFloat><ei:value>9<"), 1)
	})
	changed, _ := p.event(t, time.Hour)
	require.Contains(t, string(p.lastPush(t)), "<ei:value>9<", "the push was changed on its way")
	assert.Equal(t, oadr.CodeInvalidData, p.lastAnswer(t).Response.Code)
	assert.Empty(t, p.ven.State().Events, "the changed event is not handled")
	assert.False(t, p.optedIn(t, changed))

	// The next push carries the refused event again, as the VTN sent it,
	// beside a new one.
	_, _ = p.event(t, 2*time.Hour)
	events := p.ven.State().Events
	require.Len(t, events, 2)
	assert.Equal(t, changed, events[0].ID)
	assert.Equal(t, energy.Watts(-3000), events[0].Steps[0].Power, "the event as the VTN signed it")
	assert.True(t, p.optedIn(t, changed))

	// A push that arrived once and is sent again, byte for byte.
	assert.Equal(t, oadr.CodeInvalidData, p.postToVEN(t, p.lastPush(t)).Response.Code, "a replayed push")

	// An unsigned push.
	unsigned, err := oadr.Marshal(&oadr.RequestReregistration{VenID: p.venID})
	require.NoError(t, err)
	assert.Equal(t, oadr.CodeInvalidData, p.postToVEN(t, unsigned).Response.Code, "an unsigned push")
	assert.True(t, p.ven.State().Registered)
}

func (p *signedPush) lastPush(t *testing.T) []byte {
	t.Helper()
	req, _ := p.pushes.last()
	return req
}

// lastAnswer returns the VEN's last answer to a push, an oadrResponse.
func (p *signedPush) lastAnswer(t *testing.T) *oadr.Response {
	t.Helper()
	_, ans := p.pushes.last()
	return p.venResponse(t, ans)
}

// postToVEN posts body to the VEN's push service for events and returns
// its answer.
func (p *signedPush) postToVEN(t *testing.T, body []byte) *oadr.Response {
	t.Helper()
	// Anyone may post to the push server; its certificate is not the point.
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // a test posting as anyone
	defer c.CloseIdleConnections()
	resp, err := c.Post(p.venSrv.URL+openadr.PathPrefix+string(oadr.ServiceEiEvent), "application/xml", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return p.venResponse(t, out)
}

// venResponse checks that the VEN signed its answer and returns it as an
// oadrResponse.
func (p *signedPush) venResponse(t *testing.T, b []byte) *oadr.Response {
	t.Helper()
	verifier, err := oadrsig.NewVerifier(oadrsig.WithCertificate(p.venCert.Certificate()), oadrsig.WithClock(p.clk))
	require.NoError(t, err)
	got, err := verifier.Verify(t.Context(), b)
	require.NoError(t, err, "the VEN signs its answers to pushes: %s", b)
	r, ok := got.Message.(*oadr.Response)
	require.True(t, ok, "%s", b)
	return r
}

// A VEN bound to a certificate gets pushes only at a server that presents
// that certificate: a VEN that registers with another VEN's push address
// gets nothing pushed there, and the VEN whose address it is sees nothing
// of it. The message waits in the queue for the VEN's polls.
func TestPushToAnotherVENsAddress(t *testing.T) {
	p := settledSignedPush(t)
	before := p.pushes.count()
	events := p.ven.State().Events

	x, _, _ := p.newVEN("intruder", ven.WithPushAddress(p.venSrv.URL))
	require.NoError(t, x.Register(t.Context()))
	xID := x.State().VENID
	dispatch, err := openadr.LoadDispatch(openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000})
	require.NoError(t, err)
	_, err = p.vtn.CreateEvent(t.Context(), xID, openadr.Event{Start: p.clk.Now().Add(time.Hour), Signals: []openadr.Signal{dispatch}})
	require.NoError(t, err)

	stats, err := p.vtn.DeliverTo(t.Context(), xID)
	require.NoError(t, err)
	assert.Zero(t, stats.Pushed)
	assert.Equal(t, 1, stats.Failed)
	assert.Equal(t, before, p.pushes.count(), "the other VEN's push server got no request")
	assert.Equal(t, events, p.ven.State().Events, "nor was anything of it acted on")
	q, err := p.vtn.Queue(t.Context(), xID)
	require.NoError(t, err)
	assert.NotEmpty(t, q, "the messages wait for the intruder's own polls")
}

// A VEN that registers with a client certificate must give an https push
// address: a plain HTTP one could not be checked to be the VEN's.
func TestBoundPushVENNeedsHTTPS(t *testing.T) {
	w := newSignedWorld(t)
	_, _, c := w.client("pusher")
	for addr, want := range map[string]oadr.ResponseCode{
		"http://127.0.0.1:9/":  oadr.CodeComplianceError,
		"https://127.0.0.1:9/": oadr.CodeOK,
	} {
		body, err := oadr.Marshal(&oadr.CreatePartyRegistration{
			RequestID: "REQ_PUSH", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
			TransportAddress: addr, VenName: "pusher", HTTPPullModel: new(false),
		})
		require.NoError(t, err)
		a, ok := w.post(c, oadr.ServiceEiRegisterParty, body).(*oadr.CreatedPartyRegistration)
		require.True(t, ok)
		assert.Equal(t, want, a.Response.Code, "%s: %s", addr, a.Response.Description)
	}
}

// A push client whose transport does not report the connection it uses
// (httptrace's GotConn) cannot have it checked against the VEN's
// certificate: the push sends nothing of the message and fails.
func TestPinnedPushNeedsATracingTransport(t *testing.T) {
	var read []byte
	var readErr error
	blind := roundTripper(func(r *http.Request) (*http.Response, error) {
		read, readErr = io.ReadAll(r.Body)
		return nil, errors.New("not sent")
	})
	assert.Equal(t, 1, pushOnceThrough(t, blind).Failed)
	assert.Empty(t, read, "nothing of the message was read")
	require.Error(t, readErr)
	assert.Contains(t, readErr.Error(), "not checked against the VEN's certificate")
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A push run stops as soon as the VEN is moved to another certificate
// (BindCertificate) under it: what is left, and what is queued after,
// waits for the VEN as it now is, rather than going to the old device.
func TestPushRunStopsWhenVENRebound(t *testing.T) {
	p := settledSignedPush(t)
	newDevice, _ := p.ca.issue(t, "new-device")
	p.runStopsWhen(t, func() {
		require.NoError(t, p.vtn.BindCertificate(t.Context(), p.venID, openadr.Fingerprint(newDevice.Leaf)))
	})
}

// runStopsWhen checks that a push run stops once move has run: move runs
// while the VEN's server takes the run's first push (a message that does
// not make the VEN register again); the event queued behind it is not
// pushed to where the VEN was.
func (p *signedPush) runStopsWhen(t *testing.T, move func()) {
	t.Helper()
	var once sync.Once
	next := p.pushes.next
	p.pushes.next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(move)
		next.ServeHTTP(w, r)
	})
	before := p.pushes.count()
	require.NoError(t, p.vtn.Enqueue(t.Context(), p.venID, &oadr.CancelReport{RequestID: "CANCEL_1", ReportRequestIDs: []string{"RR_NONE"}, VenID: p.venID}))
	_, err := p.vtn.CreateEvent(t.Context(), p.venID, openadr.Event{Start: p.clk.Now().Add(time.Hour), Signals: []openadr.Signal{mustDispatch(t)}})
	require.NoError(t, err)
	stats, err := p.vtn.DeliverTo(t.Context(), p.venID)
	require.NoError(t, err)
	assert.Equal(t, 1, stats.Pushed, "%+v", stats)
	assert.Equal(t, before+1, p.pushes.count(), "the first push only went to where the VEN was")
	q, err := p.vtn.Queue(t.Context(), p.venID)
	require.NoError(t, err)
	assert.Contains(t, q, "oadrDistributeEvent", "the event waits for the VEN where it is now")
}

// A push run stops too when the VEN registers again with another push
// address under it.
func TestPushRunStopsWhenVENMoves(t *testing.T) {
	p := settledSignedPush(t)
	reg, err := p.vtn.Registration(t.Context(), p.venID)
	require.NoError(t, err)
	p.runStopsWhen(t, func() {
		again, err := p.venCert.Marshal(&oadr.CreatePartyRegistration{
			RequestID: "REQ_MOVE", RegistrationID: reg.RegistrationID, VenID: p.venID,
			ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
			TransportAddress: "https://127.0.0.1:9/", HTTPPullModel: new(false), XMLSignature: true,
		})
		require.NoError(t, err)
		a, ok := p.post(p.venClient, oadr.ServiceEiRegisterParty, again).(*oadr.CreatedPartyRegistration)
		require.True(t, ok)
		require.Equal(t, oadr.CodeOK, a.Response.Code, a.Response.Description)
	})
}

// One push run sends each message once: a VEN whose answers are refused
// (here: unsigned, from a VEN that asked for signatures) is not sent the
// same message again and again within the run; it gets it again on a
// later run, as a poll would (WithRedeliverAfter).
func TestPushRunSendsEachMessageOnce(t *testing.T) {
	p := settledSignedPush(t)
	p.pushes.next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := oadr.Marshal(&oadr.Response{Response: oadr.OK(""), VenID: p.venID})
		require.NoError(t, err)
		_, _ = w.Write(b) // unsigned: refused by the VTN
	})
	// More messages waiting for answers than polls before one is due
	// again: pushing them all in one run must not count as that many polls.
	n := openadr.DefaultRedeliverAfter + 2
	for i := range n {
		require.NoError(t, p.vtn.Enqueue(t.Context(), p.venID, &oadr.CancelReport{RequestID: fmt.Sprintf("CANCEL_%d", i), ReportRequestIDs: []string{"RR_NONE"}, VenID: p.venID}))
	}
	before := p.pushes.count()
	stats, err := p.vtn.DeliverTo(t.Context(), p.venID)
	require.NoError(t, err)
	assert.Equal(t, n, stats.Pushed)
	assert.Equal(t, before+n, p.pushes.count(), "each message pushed once in the run")
	for range openadr.DefaultRedeliverAfter - 1 {
		_, err := p.vtn.DeliverTo(t.Context(), p.venID)
		require.NoError(t, err)
	}
	assert.Equal(t, before+n, p.pushes.count(), "none due again yet")
	_, err = p.vtn.DeliverTo(t.Context(), p.venID)
	require.NoError(t, err)
	assert.Greater(t, p.pushes.count(), before+n, "sent again once due, as to a polling VEN")
}

// A push client's transport that reports a connection without one (as
// some test doubles do) gets the push refused, not a panic.
func TestPinnedPushGotConnWithoutConn(t *testing.T) {
	odd := roundTripper(func(r *http.Request) (*http.Response, error) {
		if trace := httptrace.ContextClientTrace(r.Context()); trace != nil && trace.GotConn != nil {
			trace.GotConn(httptrace.GotConnInfo{})
		}
		_, err := io.ReadAll(r.Body)
		return nil, err
	})
	assert.Equal(t, 1, pushOnceThrough(t, odd).Failed)
}

func mustDispatch(t *testing.T) openadr.Signal {
	t.Helper()
	s, err := openadr.LoadDispatch(openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000})
	require.NoError(t, err)
	return s
}

// Under HTTP/2 the pushes to one address share a connection. A push
// refused on it (a VEN that named another VEN's address) ends that push
// alone: the connection, and the other VEN's push in flight on it, go on.
func TestRefusedPushLeavesSharedConnection(t *testing.T) {
	w := newSignedWorld(t, openadr.WithPushRetries(0))
	certA, _, cA := w.client("battery-a")
	entered, release := make(chan struct{}, 1), make(chan struct{})
	var gate atomic.Bool
	var h http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if gate.CompareAndSwap(true, false) {
			entered <- struct{}{}
			<-release
		}
		h.ServeHTTP(rw, r)
	}))
	srv.EnableHTTP2 = true
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{certA}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	a, err := ven.New(w.srv.URL, ven.WithHTTPClient(cA), ven.WithClock(w.clk), ven.WithSigning(signerOf(t, certA, w.clk)), ven.WithPushAddress(srv.URL))
	require.NoError(t, err)
	h = a.PushHandler()
	require.NoError(t, a.Register(t.Context()))
	aID := a.State().VENID
	_, err = w.vtn.Deliver(t.Context()) // the connection to A's server is open
	require.NoError(t, err)

	x, _, _ := w.newVEN("intruder", ven.WithPushAddress(srv.URL))
	require.NoError(t, x.Register(t.Context()))

	eventA, err := w.vtn.CreateEvent(t.Context(), aID, openadr.Event{Start: w.clk.Now().Add(time.Hour), Signals: []openadr.Signal{mustDispatch(t)}})
	require.NoError(t, err)
	gate.Store(true)
	pushedA := make(chan openadr.PushStats, 1)
	go func() {
		s, err := w.vtn.DeliverTo(context.WithoutCancel(t.Context()), aID)
		assert.NoError(t, err)
		pushedA <- s
	}()
	<-entered // A's push is in flight

	statsX, err := w.vtn.DeliverTo(t.Context(), x.State().VENID)
	require.NoError(t, err)
	assert.Zero(t, statsX.Pushed)
	assert.Positive(t, statsX.Failed)
	close(release)
	assert.Equal(t, openadr.PushStats{Pushed: 1}, <-pushedA, "A's push in flight went through")
	ev, err := w.vtn.Event(t.Context(), aID, eventA)
	require.NoError(t, err)
	require.NotNil(t, ev.Response)
	assert.Equal(t, oadr.OptIn, ev.Response.OptType)
}
