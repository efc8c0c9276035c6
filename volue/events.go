package volue

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// EventType names a kind of event.
type EventType string

// The event types with typed payloads. Others decode as *UnknownPayload.
const (
	EventPriceDelta             EventType = "PriceDelta"
	EventPriceCurveCreated      EventType = "PriceCurveCreated"
	EventUserEligibilityUpdated EventType = "UserEligibilityUpdated"
	EventLocationLPCCreated     EventType = "LocationLPCCreated"
)

// Event is one event, as GET /events returns it and as a webhook delivers
// it.
type Event struct {
	// ID identifies the event; redeliveries carry the same one.
	ID string
	// Type is the event's type.
	Type EventType
	// Operation is the kind of change, when the event says.
	Operation Operation
	// CreatedAt is when the API created the event.
	CreatedAt time.Time
	// Payload is the typed payload: *PriceCurveCreated, *PriceDelta,
	// *UserEligibilityUpdated, *LocationLPCCreated, or *UnknownPayload for
	// any other type. It is nil when the event has none.
	Payload Payload
	// Raw is the event as received.
	Raw json.RawMessage
}

// Payload is an event's typed payload.
type Payload interface {
	// EventType returns the event type the payload belongs to.
	EventType() EventType
}

// PricePoint is the price of one interval starting at Start.
type PricePoint struct {
	// Start is when the interval starts.
	Start time.Time `json:"timestamp"`
	// Price is in the curve's currency per kWh.
	Price float64 `json:"price"`
}

// PriceCurve is a location's prices: the body of PriceCurveCreated and
// PriceDelta.
type PriceCurve struct {
	// LocationID is the location the prices apply to.
	LocationID string `json:"locationId"`
	// Currency is the ISO 4217 code, such as "NOK".
	Currency string `json:"currency"`
	// Resolution is the length of each interval; 0 means an hour.
	Resolution TimeSpan `json:"resolution"`
	// Points are the prices, each in Currency per kWh.
	Points []PricePoint `json:"points"`
}

// PriceCurveCreated carries a new price curve for a location, replacing
// the one before.
type PriceCurveCreated struct{ PriceCurve }

// EventType returns EventPriceCurveCreated.
func (*PriceCurveCreated) EventType() EventType { return EventPriceCurveCreated }

// PriceDelta changes some intervals of a location's current price curve:
// its points replace the curve's over the time they cover. Its currency
// matches the curve's.
type PriceDelta struct{ PriceCurve }

// EventType returns EventPriceDelta.
func (*PriceDelta) EventType() EventType { return EventPriceDelta }

// UserEligibilityUpdated says whether a user may take part in incentives.
type UserEligibilityUpdated struct {
	// UserID is the user.
	UserID string `json:"userId"`
	// LocationID is the location concerned, or "".
	LocationID string `json:"locationId,omitempty"`
	// Eligible is the user's new eligibility.
	Eligible bool `json:"eligible"`
}

// EventType returns EventUserEligibilityUpdated.
func (*UserEligibilityUpdated) EventType() EventType { return EventUserEligibilityUpdated }

// LocationLPCCreated is a new power-consumption limit for a location, set by
// its grid operator for a period.
type LocationLPCCreated struct {
	// LocationID is the location limited.
	LocationID string `json:"locationId"`
	// ID identifies the limit, for acknowledging it.
	ID string `json:"lpcId"`
	// Start and End bound the limit's period.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// MaxPower is the highest power the location may draw.
	MaxPower energy.Watts `json:"maxPower"`
}

// EventType returns EventLocationLPCCreated.
func (*LocationLPCCreated) EventType() EventType { return EventLocationLPCCreated }

// UnknownPayload is the payload of an event type this package has no type
// for, kept as received.
type UnknownPayload struct {
	// Type is the event's type.
	Type EventType
	// Raw is the payload as received.
	Raw json.RawMessage
}

// EventType returns Type.
func (p *UnknownPayload) EventType() EventType { return p.Type }

// wireEvent is the event object; the id, type and creation time go by two
// names each, one per generation of the API.
type wireEvent struct {
	ID          string          `json:"id"`
	EventID     string          `json:"eventId"`
	Type        EventType       `json:"type"`
	EventType   EventType       `json:"eventType"`
	Operation   Operation       `json:"operation"`
	CreatedAt   *time.Time      `json:"createdAt"`
	CreatedDate *time.Time      `json:"createdDateTime"`
	Payload     json.RawMessage `json:"payload"`
}

// UnmarshalJSON decodes the payload by the event's type (type, eventType,
// or the payload's own payloadType).
func (e *Event) UnmarshalJSON(b []byte) error {
	var w wireEvent
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	ev := Event{ID: first(w.ID, w.EventID), Type: first(w.Type, w.EventType), Operation: w.Operation,
		Raw: append(json.RawMessage(nil), b...)}
	if t := w.CreatedAt; t != nil {
		ev.CreatedAt = *t
	} else if t := w.CreatedDate; t != nil {
		ev.CreatedAt = *t
	}
	if len(w.Payload) > 0 && !bytes.Equal(w.Payload, []byte("null")) {
		if ev.Type == "" {
			var head struct {
				Type EventType `json:"payloadType"`
			}
			if err := json.Unmarshal(w.Payload, &head); err != nil {
				return fmt.Errorf("event %q payload: %w", ev.ID, err)
			}
			ev.Type = head.Type
		}
		p, err := DecodePayload(ev.Type, w.Payload)
		if err != nil {
			return fmt.Errorf("event %q: %w", ev.ID, err)
		}
		ev.Payload = p
	}
	*e = ev
	return nil
}

// MarshalJSON returns Raw when set, so an event passes through unchanged;
// otherwise it encodes the fields.
func (e Event) MarshalJSON() ([]byte, error) {
	if len(e.Raw) > 0 {
		return e.Raw, nil
	}
	w := struct {
		ID        string     `json:"id"`
		Type      EventType  `json:"type"`
		Operation Operation  `json:"operation,omitempty"`
		CreatedAt *time.Time `json:"createdAt,omitempty"`
		Payload   any        `json:"payload,omitempty"`
	}{ID: e.ID, Type: e.Type, Operation: e.Operation, Payload: e.Payload}
	if !e.CreatedAt.IsZero() {
		w.CreatedAt = &e.CreatedAt
	}
	if u, ok := e.Payload.(*UnknownPayload); ok {
		w.Payload = u.Raw
	}
	return json.Marshal(w)
}

// DecodePayload decodes raw as the payload of an event of type t.
func DecodePayload(t EventType, raw json.RawMessage) (Payload, error) {
	var p Payload
	switch t {
	case EventPriceCurveCreated:
		p = new(PriceCurveCreated)
	case EventPriceDelta:
		p = new(PriceDelta)
	case EventUserEligibilityUpdated:
		p = new(UserEligibilityUpdated)
	case EventLocationLPCCreated:
		p = new(LocationLPCCreated)
	default:
		if !json.Valid(raw) {
			return nil, fmt.Errorf("%s payload is not JSON", t)
		}
		return &UnknownPayload{Type: t, Raw: append(json.RawMessage(nil), raw...)}, nil
	}
	if err := json.Unmarshal(raw, p); err != nil {
		return nil, fmt.Errorf("%s payload: %w", t, err)
	}
	return p, nil
}

func first[T ~string](a, b T) T {
	if a != "" {
		return a
	}
	return b
}

// ListEvents returns the partner's recent events (GET /events), including
// those whose webhook deliveries failed.
func (c *Client) ListEvents(ctx context.Context) ([]Event, error) {
	var w struct {
		Events []Event `json:"events"`
	}
	if err := c.call(ctx, http.MethodGet, "/events", nil, nil, &w); err != nil {
		return nil, err
	}
	return w.Events, nil
}

// GetEvent returns one event (GET /events/{eventId}). An unknown id is an
// *APIError with status 404 (IsNotFound).
func (c *Client) GetEvent(ctx context.Context, eventID string) (*Event, error) {
	if err := required("eventID", eventID); err != nil {
		return nil, err
	}
	var e Event
	if err := c.call(ctx, http.MethodGet, "/events/"+seg(eventID), nil, nil, &e); err != nil {
		return nil, err
	}
	return &e, nil
}
