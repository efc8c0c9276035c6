package openadr_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
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

// signedPush is a signed world with one signing push VEN: its PushHandler
// is served over plain HTTP on loopback, and the VTN pushes through an
// interposer that records (and, when armed, rewrites) every push and
// every answer.
type signedPush struct {
	*signedWorld
	ven     *ven.VEN
	venCert *oadrsig.Signer
	pushes  *interposer
	venSrv  *httptest.Server
	venID   string
	// loseAnswer, when set, makes the VEN handle the next push but the
	// VTN get HTTP 503 instead of its answer.
	loseAnswer atomic.Bool
}

func newSignedPush(t *testing.T) *signedPush {
	t.Helper()
	p := &signedPush{pushes: &interposer{next: http.DefaultTransport}}
	w := newSignedWorld(t, openadr.WithPushClient(&http.Client{Transport: p.pushes}), openadr.WithPushRetries(1))
	var h http.Handler
	venSrv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if p.loseAnswer.CompareAndSwap(true, false) {
			h.ServeHTTP(httptest.NewRecorder(), r)
			http.Error(rw, "answer lost", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(rw, r)
	}))
	t.Cleanup(venSrv.Close)
	cert, _, c := w.client("pusher", 7)
	signer := signerOf(t, cert, w.clk)
	v, err := ven.New(w.srv.URL, ven.WithHTTPClient(c), ven.WithClock(w.clk), ven.WithVENName("pusher"),
		ven.WithSigning(signer), ven.WithPushAddress(venSrv.URL))
	require.NoError(t, err)
	h = v.PushHandler()
	require.NoError(t, v.Register(t.Context()))
	p.signedWorld, p.ven, p.venCert, p.venSrv, p.venID = w, v, signer, venSrv, v.State().VENID
	return p
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
	for i := range p.pushes.requests {
		assert.True(t, isSigned(t, p.pushes.requests[i]), "push %d is signed: %s", i, p.pushes.requests[i])
		assert.True(t, isSigned(t, p.pushes.answers[i]), "answer %d is signed: %s", i, p.pushes.answers[i])
	}
}

// A push is signed afresh for each attempt: when the VEN took a push but
// its answer was lost, the retry is a new payload to it, not a replay.
func TestSignedPushRetryIsNoReplay(t *testing.T) {
	p := newSignedPush(t)
	_, err := p.vtn.Deliver(t.Context())
	require.NoError(t, err)
	p.loseAnswer.Store(true)
	eventID, stats := p.event(t, time.Hour)
	assert.Equal(t, openadr.PushStats{Pushed: 1, Retries: 1}, stats)
	_, ans := p.pushes.last()
	assert.True(t, p.optedIn(t, eventID), "the retry was taken and answered: %s", ans)
	assert.Len(t, p.ven.State().Events, 1)
}

// A push answer the VEN did not sign as it is, or signed with a key the
// venID is not bound to, is refused: the event stays without an answer.
func TestSignedPushAnswerRefused(t *testing.T) {
	p := newSignedPush(t)
	_, err := p.vtn.Deliver(t.Context())
	require.NoError(t, err)

	p.pushes.tamperAnswer(func(b []byte) []byte {
		return bytes.Replace(b, []byte(">optIn<"), []byte(">optOut<"), 1)
	})
	tampered, _ := p.event(t, time.Hour)
	assert.False(t, p.optedIn(t, tampered), "a changed answer is not taken")
	ev, err := p.vtn.Event(t.Context(), p.venID, tampered)
	require.NoError(t, err)
	assert.Nil(t, ev.Response, "not taken as an opt-out either")

	other, _ := p.ca.issue(t, "intruder", 99)
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
	p := newSignedPush(t)
	_, err := p.vtn.Deliver(t.Context())
	require.NoError(t, err)

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
	resp, err := http.Post(p.venSrv.URL+openadr.PathPrefix+string(oadr.ServiceEiEvent), "application/xml", bytes.NewReader(body))
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
