package volue_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/volue"
	"github.com/gridwire/gridwire/volue/voluetest"
)

func TestSignPayloadVectors(t *testing.T) {
	assert.Equal(t, "Urqw4p5wG7tFfvojV8TtTb+TGmSi4ZU2QvhhMONBJxI=", volue.SignPayload("test-webhook-secret", []byte(`{"eventId":"e1"}`)))
	assert.Equal(t, "+eZuF5tnR65UEI+C+K3os8Jddv0wr95sOVgixTAZYWk=", volue.SignPayload("secret", nil))
}

// hookLog records the events a hook saw and can be made to fail.
type hookLog struct {
	mu   sync.Mutex
	seen []volue.Event
	fail error
}

func (h *hookLog) hook(_ context.Context, e volue.Event) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail != nil {
		return h.fail
	}
	h.seen = append(h.seen, e)
	return nil
}

func (h *hookLog) events() []volue.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]volue.Event(nil), h.seen...)
}

func post(t *testing.T, r http.Handler, body, header, sig string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/volue", strings.NewReader(body))
	if header != "" {
		req.Header.Set(header, sig)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w.Code
}

const vectorBody = `{"eventId":"e1"}`

func TestReceiverVerifiesTheKnownVector(t *testing.T) {
	h := &hookLog{}
	r, err := volue.NewReceiver(h.hook, []string{"test-webhook-secret"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, post(t, r, vectorBody, "X-Payload-Signature", "Urqw4p5wG7tFfvojV8TtTb+TGmSi4ZU2QvhhMONBJxI="))
	require.Len(t, h.events(), 1)
	assert.Equal(t, "e1", h.events()[0].ID)
}

func TestReceiverRefusals(t *testing.T) {
	good := volue.SignPayload("test-webhook-secret", []byte(vectorBody))
	for _, tc := range []struct {
		name           string
		method         string
		body           string
		header, sig    string
		want           int
		opts           []volue.ReceiverOption
		wantAllowPOSTs bool
	}{
		{name: "unsigned", body: vectorBody, want: 401},
		{name: "empty signature", body: vectorBody, header: volue.SignatureHeader, want: 401},
		{name: "not base64", body: vectorBody, header: volue.SignatureHeader, sig: "%%%", want: 401},
		{name: "tampered body", body: `{"eventId":"e2"}`, header: volue.SignatureHeader, sig: good, want: 401},
		{name: "other secret", body: vectorBody, header: volue.SignatureHeader, sig: volue.SignPayload("other", []byte(vectorBody)), want: 401},
		{name: "raw secret in X-Payload-Signature", body: vectorBody, header: volue.SignatureHeader, sig: "test-webhook-secret", want: 401},
		{name: "raw secret in Spark-Signature without legacy mode", body: vectorBody, header: volue.LegacySignatureHeader, sig: "test-webhook-secret", want: 401},
		{name: "oversized", body: `{"eventId":"e1","pad":"` + strings.Repeat("x", 100) + `"}`, header: volue.SignatureHeader, want: 413,
			opts: []volue.ReceiverOption{volue.WithMaxBodyBytes(64)}},
		{name: "GET", method: http.MethodGet, want: 405, wantAllowPOSTs: true},
		{name: "PUT", method: http.MethodPut, body: vectorBody, header: volue.SignatureHeader, sig: good, want: 405, wantAllowPOSTs: true},
		{name: "signed but not an event", body: `[1,2]`, header: volue.SignatureHeader, sig: volue.SignPayload("test-webhook-secret", []byte(`[1,2]`)), want: 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &hookLog{}
			r, err := volue.NewReceiver(h.hook, []string{"test-webhook-secret"}, tc.opts...)
			require.NoError(t, err)
			if tc.want == 413 {
				tc.sig = volue.SignPayload("test-webhook-secret", []byte(tc.body))
			}
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, "/volue", strings.NewReader(tc.body))
			if tc.header != "" {
				req.Header.Set(tc.header, tc.sig)
			}
			if tc.want == 413 {
				req.ContentLength = -1 // streamed: the limit must hold without Content-Length
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			assert.Equal(t, tc.want, w.Code)
			if tc.wantAllowPOSTs {
				assert.Equal(t, http.MethodPost, w.Header().Get("Allow"))
			}
			assert.Empty(t, h.events(), "never passed on")
		})
	}
}

func TestReceiverOversizedByContentLength(t *testing.T) {
	h := &hookLog{}
	r, err := volue.NewReceiver(h.hook, []string{"s"}, volue.WithMaxBodyBytes(8))
	require.NoError(t, err)
	assert.Equal(t, 413, post(t, r, vectorBody, volue.SignatureHeader, volue.SignPayload("s", []byte(vectorBody))))
	assert.Empty(t, h.events())
}

func TestReceiverSparkSignatureHeader(t *testing.T) {
	h := &hookLog{}
	r, err := volue.NewReceiver(h.hook, []string{"test-webhook-secret"})
	require.NoError(t, err)
	assert.Equal(t, 204, post(t, r, vectorBody, volue.LegacySignatureHeader, "Urqw4p5wG7tFfvojV8TtTb+TGmSi4ZU2QvhhMONBJxI="))
	assert.Len(t, h.events(), 1)

	legacy, err := volue.NewReceiver(h.hook, []string{"test-webhook-secret"}, volue.WithLegacySecretHeader())
	require.NoError(t, err)
	assert.Equal(t, 204, post(t, legacy, `{"eventId":"e9"}`, volue.LegacySignatureHeader, "test-webhook-secret"))
	assert.Len(t, h.events(), 2)
}

func TestReceiverDeduplicatesRedeliveries(t *testing.T) {
	fc := clock.NewFake(t0)
	h := &hookLog{}
	r, err := volue.NewReceiver(h.hook, []string{"s"}, volue.WithReceiverClock(fc), volue.WithDedup(time.Hour, 100))
	require.NoError(t, err)
	sig := volue.SignPayload("s", []byte(vectorBody))
	assert.Equal(t, 204, post(t, r, vectorBody, volue.SignatureHeader, sig))
	assert.Equal(t, 204, post(t, r, vectorBody, volue.SignatureHeader, sig), "a replay is acknowledged")
	assert.Len(t, h.events(), 1, "and not handled twice")
	fc.Advance(time.Hour)
	assert.Equal(t, 204, post(t, r, vectorBody, volue.SignatureHeader, sig))
	assert.Len(t, h.events(), 2, "after the window it is new again")
}

func TestReceiverDedupWithoutEventID(t *testing.T) {
	h := &hookLog{}
	r, err := volue.NewReceiver(h.hook, []string{"s"})
	require.NoError(t, err)
	body := `{"type":"Ping","payload":{}}`
	sig := volue.SignPayload("s", []byte(body))
	post(t, r, body, volue.SignatureHeader, sig)
	post(t, r, body, volue.SignatureHeader, sig)
	assert.Len(t, h.events(), 1)
}

func TestReceiverHookErrorAnswers500AndTheRetryIsHandled(t *testing.T) {
	h := &hookLog{fail: errors.New("database down")}
	r, err := volue.NewReceiver(h.hook, []string{"s"})
	require.NoError(t, err)
	sig := volue.SignPayload("s", []byte(vectorBody))
	assert.Equal(t, 500, post(t, r, vectorBody, volue.SignatureHeader, sig))
	h.mu.Lock()
	h.fail = nil
	h.mu.Unlock()
	assert.Equal(t, 204, post(t, r, vectorBody, volue.SignatureHeader, sig), "a failed event is not remembered as handled")
	assert.Len(t, h.events(), 1)
}

func TestReceiverConcurrentRedeliveryWhileHandling(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	r, err := volue.NewReceiver(func(ctx context.Context, e volue.Event) error {
		close(entered)
		<-release
		return nil
	}, []string{"s"})
	require.NoError(t, err)
	sig := volue.SignPayload("s", []byte(vectorBody))
	done := make(chan int)
	go func() { done <- post(t, r, vectorBody, volue.SignatureHeader, sig) }()
	<-entered
	assert.Equal(t, http.StatusConflict, post(t, r, vectorBody, volue.SignatureHeader, sig))
	close(release)
	assert.Equal(t, 204, <-done)
}

func TestReceiverRotatesSecrets(t *testing.T) {
	h := &hookLog{}
	r, err := volue.NewReceiver(h.hook, []string{"old", "new"})
	require.NoError(t, err)
	for i, s := range []string{"old", "new"} {
		body := `{"eventId":"rot-` + s + `"}`
		assert.Equal(t, 204, post(t, r, body, volue.SignatureHeader, volue.SignPayload(s, []byte(body))), i)
	}
	require.NoError(t, r.SetSecrets("new"))
	body := `{"eventId":"rot-late"}`
	assert.Equal(t, 401, post(t, r, body, volue.SignatureHeader, volue.SignPayload("old", []byte(body))))
	wantField(t, r.SetSecrets(), "secrets")
	wantField(t, r.SetSecrets("a", ""), "secrets")
}

func TestReceiverTypedEvents(t *testing.T) {
	h := &hookLog{}
	r, err := volue.NewReceiver(h.hook, []string{"s"})
	require.NoError(t, err)
	body := `{"id":"evt-lpc-1","type":"LocationLPCCreated","operation":"Create","createdAt":"2026-12-02T14:00:00Z","payload":{"locationId":"home","lpcId":"lpc-1","start":"2026-12-03T16:00:00Z","end":"2026-12-03T18:00:00Z","maxPower":4200}}`
	assert.Equal(t, 204, post(t, r, body, volue.SignatureHeader, volue.SignPayload("s", []byte(body))))
	require.Len(t, h.events(), 1)
	lpc, ok := h.events()[0].Payload.(*volue.LocationLPCCreated)
	require.True(t, ok)
	assert.Equal(t, energy.Watts(4200), lpc.MaxPower)
	assert.Equal(t, body, string(h.events()[0].Raw))
}

func TestNewReceiverValidates(t *testing.T) {
	hook := func(context.Context, volue.Event) error { return nil }
	_, err := volue.NewReceiver(nil, []string{"s"})
	wantField(t, err, "hook")
	_, err = volue.NewReceiver(hook, nil)
	wantField(t, err, "secrets")
	_, err = volue.NewReceiver(hook, []string{"s"}, volue.WithMaxBodyBytes(0))
	wantField(t, err, "WithMaxBodyBytes")
	_, err = volue.NewReceiver(hook, []string{"s"}, volue.WithDedup(-time.Second, 1))
	wantField(t, err, "WithDedup")
	_, err = volue.NewReceiver(hook, []string{"s"}, volue.WithDedup(time.Second, 0))
	wantField(t, err, "WithDedup")
	_, err = volue.NewReceiver(hook, []string{"s"}, volue.WithReceiverClock(nil))
	wantField(t, err, "WithReceiverClock")
	_, err = volue.NewReceiver(hook, []string{"s"}, volue.WithReceiverLogger(nil))
	wantField(t, err, "WithReceiverLogger")
}

// TestReceiverAgainstTheFakesSender runs the whole path: Volue's signing
// sender, its retries, a tampered delivery.
func TestReceiverAgainstTheFakesSender(t *testing.T) {
	fc := clock.NewFake(t0)
	srv := voluetest.NewServer(voluetest.WithClock(fc))
	defer srv.Close()
	c := srv.Client()
	h := &hookLog{fail: errors.New("not yet")}
	r, err := volue.NewReceiver(h.hook, []string{"hook-secret"})
	require.NoError(t, err)
	app := httptest.NewServer(r)
	defer app.Close()
	hook, err := c.CreateWebhook(t.Context(), volue.NewWebhook{URL: app.URL, Secret: "hook-secret",
		EventTypes: []volue.EventType{volue.EventPriceCurveCreated}})
	require.NoError(t, err)

	// Failing hook: 500 four times, then Volue gives up.
	d, err := srv.Deliver(t.Context(), hook.ID, voluetest.PriceCurve("home", t0, 24))
	require.NoError(t, err)
	assert.Equal(t, voluetest.DeliveryRetries+1, d.Attempts)
	assert.False(t, d.Delivered)
	assert.Equal(t, 500, d.Status)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, fc.Sleeps(), "exponential back-off")

	h.mu.Lock()
	h.fail = nil
	h.mu.Unlock()
	d, err = srv.DeliverTampered(t.Context(), hook.ID, voluetest.PriceCurve("home", t0, 24))
	require.NoError(t, err)
	assert.Equal(t, 401, d.Status)
	assert.False(t, d.Delivered)
	assert.Empty(t, h.events())

	e := srv.Publish(voluetest.PriceCurve("home", t0, 24))
	srv.WaitDeliveries()
	require.Len(t, h.events(), 1)
	assert.Equal(t, e.ID, h.events()[0].ID)
	require.NoError(t, c.TestWebhook(t.Context(), hook.ID))
	srv.WaitDeliveries()
	evs := h.events()
	require.Len(t, evs, 2)
	assert.Equal(t, volue.EventType("WebhookTest"), evs[1].Type)
	assert.IsType(t, &volue.UnknownPayload{}, evs[1].Payload)
}

func TestReceiverHookPanicDoesNotWedgeTheEvent(t *testing.T) {
	calls := 0
	r, err := volue.NewReceiver(func(context.Context, volue.Event) error {
		calls++
		if calls == 1 {
			panic("bug in the application")
		}
		return nil
	}, []string{"s"})
	require.NoError(t, err)
	sig := volue.SignPayload("s", []byte(vectorBody))
	assert.Panics(t, func() { post(t, r, vectorBody, volue.SignatureHeader, sig) })
	assert.Equal(t, 204, post(t, r, vectorBody, volue.SignatureHeader, sig), "the redelivery is handled, not 409")
}
