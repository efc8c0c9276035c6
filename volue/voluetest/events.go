package voluetest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/gridwire/gridwire/volue"
)

type report struct {
	ID        string          `json:"id"`
	EventID   string          `json:"eventId"`
	CreatedAt time.Time       `json:"createdAt"`
	body      json.RawMessage // as sent
}

func (s *Server) listEvents(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	evs := slices.Clone(s.events)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"events": evs})
}

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := slices.IndexFunc(s.events, func(e volue.Event) bool { return e.ID == r.PathValue("eventId") })
	var e volue.Event
	if i >= 0 {
		e = s.events[i]
	}
	s.mu.Unlock()
	if i < 0 {
		problem(w, http.StatusNotFound, "unknown event "+r.PathValue("eventId"))
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) createReport(w http.ResponseWriter, r *http.Request) {
	var body json.RawMessage
	if !decode(w, r, &body) {
		return
	}
	var rep struct {
		EventID  string `json:"eventId"`
		Payloads []struct {
			Type string `json:"payloadType"`
		} `json:"payloads"`
	}
	if json.Unmarshal(body, &rep) != nil || rep.EventID == "" || len(rep.Payloads) == 0 {
		problem(w, http.StatusBadRequest, "eventId and at least one payload are required")
		return
	}
	for _, p := range rep.Payloads {
		switch p.Type {
		case "VehicleChargeAction", "EnergyUsage", "LocationEnergyUsage", "LocationLPCAcknowledged":
		default:
			problem(w, http.StatusBadRequest, "unknown payloadType "+p.Type)
			return
		}
	}
	s.mu.Lock()
	rr := report{ID: s.nextID("rpt"), EventID: rep.EventID, CreatedAt: s.clock.Now().UTC(), body: body}
	s.reports = append(s.reports, rr)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, rr)
}

// Reports returns the bodies of the reports received, in order.
func (s *Server) Reports() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]json.RawMessage, len(s.reports))
	for i, r := range s.reports {
		out[i] = r.body
	}
	return out
}
