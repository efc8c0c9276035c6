package volue

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gridwire/gridwire/energy"
)

// Operation is a kind of change a webhook can be told about.
type Operation string

// The operations.
const (
	OperationCreate Operation = "Create"
	OperationUpdate Operation = "Update"
	OperationDelete Operation = "Delete"
)

// NewWebhook asks for deliveries of events to URL.
type NewWebhook struct {
	// URL receives the deliveries: an absolute http or https URL. Required.
	URL string `json:"url"`
	// Secret signs every delivery (see Receiver). Required.
	Secret Secret `json:"webhookSecret"`
	// Operations and EventTypes choose what is delivered. An empty list is
	// left out of the request, leaving the choice to the API, rather than
	// sent as null.
	Operations []Operation `json:"operations,omitempty"`
	EventTypes []EventType `json:"eventTypes,omitempty"`
}

func (w NewWebhook) validate() error {
	u, err := url.Parse(w.URL)
	switch {
	case w.URL == "":
		return energy.Invalid("NewWebhook.URL", "required")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return energy.Invalid("NewWebhook.URL", "%q is not an absolute http(s) URL", w.URL)
	case w.Secret == "":
		return energy.Invalid("NewWebhook.Secret", "required")
	}
	for i, op := range w.Operations {
		if op == "" {
			return energy.Invalid("NewWebhook.Operations", "element %d is empty", i)
		}
	}
	for i, t := range w.EventTypes {
		if t == "" {
			return energy.Invalid("NewWebhook.EventTypes", "element %d is empty", i)
		}
	}
	return nil
}

// Webhook is a registered webhook. The API never returns its secret.
type Webhook struct {
	// ID names the webhook in DeleteWebhook and TestWebhook.
	ID string `json:"webhookId"`
	// URL, Operations and EventTypes are as registered.
	URL        string      `json:"url"`
	Operations []Operation `json:"operations"`
	EventTypes []EventType `json:"eventTypes"`
}

// UnmarshalJSON accepts the id as webhookId or id.
func (w *Webhook) UnmarshalJSON(b []byte) error {
	type plain Webhook
	var v struct {
		plain
		AltID string `json:"id"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*w = Webhook(v.plain)
	if w.ID == "" {
		w.ID = v.AltID
	}
	return nil
}

// CreateWebhook registers a webhook (POST /webhooks).
func (c *Client) CreateWebhook(ctx context.Context, w NewWebhook) (*Webhook, error) {
	if err := w.validate(); err != nil {
		return nil, err
	}
	// The one place the secret is written out: Secret's own encoding
	// redacts it.
	body := struct {
		URL        string      `json:"url"`
		Secret     string      `json:"webhookSecret"`
		Operations []Operation `json:"operations,omitempty"`
		EventTypes []EventType `json:"eventTypes,omitempty"`
	}{w.URL, string(w.Secret), w.Operations, w.EventTypes}
	var h Webhook
	if err := c.call(ctx, http.MethodPost, "/webhooks", nil, body, &h); err != nil {
		return nil, redactSecret(err, string(w.Secret))
	}
	if h.ID == "" {
		return nil, &DecodeError{Method: http.MethodPost, Endpoint: "/webhooks", Err: errNoID("webhookId")}
	}
	if h.URL == "" {
		h.URL, h.Operations, h.EventTypes = w.URL, w.Operations, w.EventTypes
	}
	return &h, nil
}

// ListWebhooks returns the partner's webhooks (GET /webhooks).
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	var raw json.RawMessage
	if err := c.call(ctx, http.MethodGet, "/webhooks", nil, nil, &raw); err != nil {
		return nil, err
	}
	// The list comes wrapped ({"webhooks": […]}) like users and events; a
	// bare array is accepted too.
	var hooks []Webhook
	if err := json.Unmarshal(raw, &hooks); err == nil {
		return hooks, nil
	}
	var w struct {
		Webhooks []Webhook `json:"webhooks"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, &DecodeError{Method: http.MethodGet, Endpoint: "/webhooks", Body: excerpt(raw), Err: err}
	}
	return w.Webhooks, nil
}

// DeleteWebhook removes a webhook (DELETE /webhooks/{webhookId}).
func (c *Client) DeleteWebhook(ctx context.Context, webhookID string) error {
	if err := required("webhookID", webhookID); err != nil {
		return err
	}
	return c.call(ctx, http.MethodDelete, "/webhooks/"+seg(webhookID), nil, nil, nil)
}

// TestWebhook asks the API to send a test event to the webhook (POST
// /webhooks/{webhookId}/test). The delivery arrives at the webhook's URL
// separately, signed like any other.
func (c *Client) TestWebhook(ctx context.Context, webhookID string) error {
	if err := required("webhookID", webhookID); err != nil {
		return err
	}
	return c.call(ctx, http.MethodPost, "/webhooks/"+seg(webhookID)+"/test", nil, nil, nil)
}

// redactSecret removes secret from the parts of err that quote the API's
// answer: an API that echoes the request (a validation message quoting the
// webhookSecret, or a created webhook with its secret) must not carry the
// secret into the caller's logs through the error.
func redactSecret(err error, secret string) error {
	if secret == "" {
		return err
	}
	hide := func(s string) string { return strings.ReplaceAll(s, secret, "[redacted]") }
	var ae *APIError
	var de *DecodeError
	switch {
	case errors.As(err, &ae):
		ae.Title, ae.Detail, ae.Body = hide(ae.Title), hide(ae.Detail), hide(ae.Body)
		for k, msgs := range ae.Errors {
			for i, m := range msgs {
				msgs[i] = hide(m)
			}
			ae.Errors[k] = msgs
		}
	case errors.As(err, &de):
		de.Body = hide(de.Body)
		if de.Err != nil && strings.Contains(de.Err.Error(), secret) {
			de.Err = errors.New(hide(de.Err.Error()))
		}
	}
	return err
}
