package voluetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gridwire/gridwire/volue"
)

type webhook struct {
	ID         string   `json:"webhookId"`
	URL        string   `json:"url"`
	Operations []string `json:"operations"`
	EventTypes []string `json:"eventTypes"`
	secret     string
}

// wants reports whether the webhook asked for e: its type, and its
// operation when it has one. An empty list asks for everything; names match
// whatever their case, since the documentation writes them both ways.
func (h *webhook) wants(e volue.Event) bool {
	return matches(h.EventTypes, string(e.Type)) && (e.Operation == "" || matches(h.Operations, string(e.Operation)))
}

func matches(list []string, v string) bool {
	return len(list) == 0 || slices.ContainsFunc(list, func(s string) bool { return strings.EqualFold(s, v) })
}

// Delivery records the delivery of one event to one webhook.
type Delivery struct {
	// WebhookID and EventID say what went where.
	WebhookID, EventID string
	// Attempts is how many times it was sent (at most 1 + DeliveryRetries).
	Attempts int
	// Status is the last answer's HTTP status, or 0 when none came.
	Status int
	// Delivered is true once an answer was 2xx.
	Delivered bool
	// Tampered is true for DeliverTampered's deliveries.
	Tampered bool
	// Err is the last failure to get an answer, or nil.
	Err error
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	var v struct {
		webhook
		Secret string `json:"webhookSecret"`
	}
	if !decode(w, r, &v) {
		return
	}
	u, err := url.Parse(v.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || v.Secret == "" {
		problem(w, http.StatusBadRequest, "url (absolute http or https) and webhookSecret are required")
		return
	}
	s.mu.Lock()
	h := v.webhook
	h.ID, h.secret = s.nextID("whk"), v.Secret
	s.webhooks = append(s.webhooks, &h)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, h)
}

func (s *Server) listWebhooks(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	hooks := make([]webhook, len(s.webhooks))
	for i, h := range s.webhooks {
		hooks[i] = *h
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": hooks})
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := len(s.webhooks)
	s.webhooks = slices.DeleteFunc(s.webhooks, func(h *webhook) bool { return h.ID == r.PathValue("webhookId") })
	found := len(s.webhooks) < n
	s.mu.Unlock()
	if !found {
		problem(w, http.StatusNotFound, "unknown webhook "+r.PathValue("webhookId"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// testWebhook answers 202 and delivers a test event in the background.
func (s *Server) testWebhook(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.webhook(r.PathValue("webhookId"))
	var ev volue.Event
	if h != nil {
		ev = s.stamp(volue.Event{Type: "WebhookTest", Operation: volue.OperationCreate,
			Payload: &volue.UnknownPayload{Type: "WebhookTest",
				Raw: json.RawMessage(`{"webhookId":"` + h.ID + `","message":"This is a test event from the Energy Coordination API"}`)}})
	}
	s.mu.Unlock()
	if h == nil {
		problem(w, http.StatusNotFound, "unknown webhook "+r.PathValue("webhookId"))
		return
	}
	s.goDeliver(*h, ev, false)
	w.WriteHeader(http.StatusAccepted)
}

// webhook returns the webhook with id, or nil; s.mu held.
func (s *Server) webhook(id string) *webhook {
	i := slices.IndexFunc(s.webhooks, func(h *webhook) bool { return h.ID == id })
	if i < 0 {
		return nil
	}
	return s.webhooks[i]
}

// stamp gives e an id, a creation time and its wire bytes; s.mu held.
func (s *Server) stamp(e volue.Event) volue.Event {
	if e.ID == "" {
		e.ID = s.nextID("evt")
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = s.clock.Now().UTC()
	}
	e.Raw = nil
	raw, err := json.Marshal(e)
	if err != nil {
		panic("voluetest: encoding event: " + err.Error())
	}
	e.Raw = raw
	return e
}

// Publish stores e (readable through GET /events) and delivers it in the
// background to every webhook that asked for its type and operation. An empty ID or
// CreatedAt is filled in. It returns the event as stored.
func (s *Server) Publish(e volue.Event) volue.Event {
	s.mu.Lock()
	e = s.stamp(e)
	s.events = append(s.events, e)
	var targets []webhook
	for _, h := range s.webhooks {
		if h.wants(e) {
			targets = append(targets, *h)
		}
	}
	s.mu.Unlock()
	for _, h := range targets {
		s.goDeliver(h, e, false)
	}
	return e
}

// Deliver sends e to the webhook now, retrying as Volue does, and returns
// the record once it is delivered or given up. The event is not stored.
func (s *Server) Deliver(ctx context.Context, webhookID string, e volue.Event) (Delivery, error) {
	return s.deliverNow(ctx, webhookID, e, false)
}

// DeliverTampered is Deliver with a body changed after it was signed (a
// space inserted), as an attacker replaying a modified delivery would send.
func (s *Server) DeliverTampered(ctx context.Context, webhookID string, e volue.Event) (Delivery, error) {
	return s.deliverNow(ctx, webhookID, e, true)
}

func (s *Server) deliverNow(ctx context.Context, webhookID string, e volue.Event, tamper bool) (Delivery, error) {
	s.mu.Lock()
	h := s.webhook(webhookID)
	if h != nil {
		e = s.stamp(e)
	}
	s.mu.Unlock()
	if h == nil {
		return Delivery{}, errors.New("voluetest: unknown webhook " + webhookID)
	}
	d := s.deliver(ctx, *h, e, tamper)
	return d, nil
}

// WaitDeliveries waits for the background deliveries begun so far. Do not
// call it while another goroutine publishes.
func (s *Server) WaitDeliveries() { s.wg.Wait() }

// Deliveries returns the records of the deliveries finished so far.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deliveries)
}

func (s *Server) goDeliver(h webhook, e volue.Event, tamper bool) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.deliver(s.ctx, h, e, tamper)
	}()
}

// deliver sends e to h: up to 1 + DeliveryRetries attempts, waiting
// backoff, 2×backoff, 4×backoff between them, until an answer is 2xx.
func (s *Server) deliver(ctx context.Context, h webhook, e volue.Event, tamper bool) Delivery {
	body := e.Raw
	sig := volue.SignPayload(h.secret, body)
	if tamper {
		body = append([]byte{body[0], ' '}, body[1:]...)
	}
	d := Delivery{WebhookID: h.ID, EventID: e.ID, Tampered: tamper}
	for attempt := range DeliveryRetries + 1 {
		if attempt > 0 {
			if err := s.clock.Sleep(ctx, s.backoff<<(attempt-1)); err != nil {
				d.Err = err
				break
			}
		}
		d.Attempts++
		d.Status, d.Err = s.send(ctx, h.URL, body, sig)
		if d.Err == nil && d.Status/100 == 2 {
			d.Delivered = true
			break
		}
	}
	s.mu.Lock()
	s.deliveries = append(s.deliveries, d)
	s.mu.Unlock()
	return d
}

func (s *Server) send(ctx context.Context, url string, body []byte, sig string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(volue.SignatureHeader, sig)
	req.Header.Set("User-Agent", "Volue-Spark-Webhooks/1.0 (voluetest)")
	resp, err := s.sender.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}
