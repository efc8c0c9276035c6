package voluetest

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/gridwire/gridwire/volue"
)

type user struct {
	id        string
	locations map[string]*location
}

type location struct {
	ID            string             `json:"locationId"`
	Type          string             `json:"locationType"`
	MeterPointIDs []string           `json:"meterPointIds"`
	Coordinates   *volue.Coordinates `json:"coordinates,omitempty"`
}

type resource struct {
	ID           string          `json:"resourceId"`
	Type         string          `json:"resourceType"`
	UserID       string          `json:"userId"`
	LocationID   string          `json:"locationId,omitempty"`
	MeterPointID string          `json:"meterPointId,omitempty"`
	metadata     json.RawMessage // as sent
}

type report struct {
	ID        string          `json:"id"`
	EventID   string          `json:"eventId"`
	CreatedAt time.Time       `json:"createdAt"`
	body      json.RawMessage // as sent
}

// maxRequestBody bounds what the fake reads of a request.
const maxRequestBody = 1 << 20

func (s *Server) routes() http.Handler {
	api := http.NewServeMux()
	for _, r := range []struct {
		pattern string
		h       http.HandlerFunc
	}{
		{"POST /users", s.createUser},
		{"GET /users", s.listUsers},
		{"POST /users/{userId}/vehicles", s.addVehicle},
		{"POST /users/{userId}/meters", s.addMeter},
		{"POST /users/{userId}/resources", s.addResource},
		{"POST /users/{userId}/locations", s.createLocation},
		{"PATCH /users/{userId}/locations/{locationId}", s.updateLocation},
		{"POST /users/{userId}/locations/{locationId}/resources", s.addResource},
		{"GET /resources/{resourceId}", s.getResource},
		{"DELETE /resources/{resourceId}", s.deleteResource},
		{"POST /webhooks", s.createWebhook},
		{"GET /webhooks", s.listWebhooks},
		{"DELETE /webhooks/{webhookId}", s.deleteWebhook},
		{"POST /webhooks/{webhookId}/test", s.testWebhook},
		{"GET /events", s.listEvents},
		{"GET /events/{eventId}", s.getEvent},
		{"POST /reports", s.createReport},
	} {
		api.Handle(r.pattern, s.endpoint(r.pattern, true, r.h))
	}
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { problem(w, http.StatusNotFound, "no such endpoint") })
	root := http.NewServeMux()
	root.Handle("POST "+TokenPath, s.endpoint("POST "+TokenPath, false, s.token))
	root.Handle(APIPath+"/", http.StripPrefix(APIPath, api))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		s.mu.Unlock()
		root.ServeHTTP(w, r)
	})
}

// endpoint wraps h with fault injection and, for the API, the bearer check.
func (s *Server) endpoint(name string, authed bool, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f, ok := s.takeFault(name); ok && (f.Status != 0 || f.Code != "" || f.Body != "") {
			switch {
			case f.Code != "":
				oauthError(w, cmp.Or(f.Status, http.StatusBadRequest), f.Code)
			case f.Body != "":
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(cmp.Or(f.Status, http.StatusOK))
				_, _ = io.WriteString(w, f.Body)
			default:
				problem(w, f.Status, "injected fault")
			}
			return
		}
		if authed && !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h(w, r)
	})
}

// decode reads a JSON request body into v, answering 400 when it cannot.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		problem(w, http.StatusBadRequest, "the request body is not valid JSON: "+err.Error())
		return false
	}
	return true
}

// userFor returns the path's user, answering 404 when unknown; s.mu held.
func (s *Server) userFor(w http.ResponseWriter, r *http.Request) *user {
	u := s.userData[r.PathValue("userId")]
	if u == nil {
		problem(w, http.StatusNotFound, "unknown user "+r.PathValue("userId"))
	}
	return u
}

func (s *Server) createUser(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	id := s.nextID("usr")
	s.users = append(s.users, id)
	s.userData[id] = &user{id: id, locations: map[string]*location{}}
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]string{"userId": id})
}

func (s *Server) listUsers(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	users := make([]map[string]string, 0, len(s.users))
	for _, id := range s.users {
		users = append(users, map[string]string{"userId": id})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

// forUser decodes the body into v, answers 400 when missing (v's required
// fields) is not "", and runs f with the path's user under s.mu (404 when
// the user is unknown).
func (s *Server) forUser(w http.ResponseWriter, r *http.Request, v any, missing func() string, f func(u *user)) {
	if !decode(w, r, v) {
		return
	}
	if m := missing(); m != "" {
		problem(w, http.StatusBadRequest, m+" is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.userFor(w, r); u != nil {
		f(u)
	}
}

// addResourceLocked registers res unless its id is taken; s.mu held.
func (s *Server) addResourceLocked(w http.ResponseWriter, res *resource, answer any) {
	if _, dup := s.resources[res.ID]; dup {
		problem(w, http.StatusConflict, "resource "+res.ID+" exists")
		return
	}
	s.resources[res.ID] = res
	writeJSON(w, http.StatusCreated, answer)
}

func (s *Server) addVehicle(w http.ResponseWriter, r *http.Request) {
	var v struct {
		ID       string          `json:"vehicleId"`
		Metadata json.RawMessage `json:"metadata"`
	}
	s.forUser(w, r, &v, func() string { return when(v.ID == "", "vehicleId") }, func(u *user) {
		s.addResourceLocked(w, &resource{ID: v.ID, Type: string(volue.ResourceVehicle), UserID: u.id, metadata: v.Metadata}, v)
	})
}

func (s *Server) addMeter(w http.ResponseWriter, r *http.Request) {
	var m volue.Meter
	s.forUser(w, r, &m, func() string { return when(m.MeterPointID == "", "meterPointId") }, func(*user) {
		writeJSON(w, http.StatusCreated, map[string]string{"meterId": s.nextID("mtr")})
	})
}

func (s *Server) addResource(w http.ResponseWriter, r *http.Request) {
	var v struct {
		ID       string          `json:"resourceId"`
		Metadata json.RawMessage `json:"metadata"`
	}
	var head struct {
		Type string `json:"resourceType"`
	}
	missing := func() string {
		return when(v.ID == "" || json.Unmarshal(v.Metadata, &head) != nil || head.Type == "", "resourceId and metadata.resourceType")
	}
	s.forUser(w, r, &v, missing, func(u *user) {
		res := &resource{ID: v.ID, Type: head.Type, UserID: u.id, metadata: v.Metadata}
		if lid := r.PathValue("locationId"); lid != "" {
			loc := u.locations[lid]
			if loc == nil {
				problem(w, http.StatusNotFound, "unknown location "+lid)
				return
			}
			res.LocationID = lid
			if len(loc.MeterPointIDs) > 0 {
				res.MeterPointID = loc.MeterPointIDs[0]
			}
		}
		s.addResourceLocked(w, res, v)
	})
}

func (s *Server) createLocation(w http.ResponseWriter, r *http.Request) {
	var l location
	s.forUser(w, r, &l, func() string { return when(l.ID == "", "locationId") }, func(u *user) {
		if _, dup := u.locations[l.ID]; dup {
			problem(w, http.StatusConflict, "location "+l.ID+" exists")
			return
		}
		u.locations[l.ID] = &l
		writeJSON(w, http.StatusCreated, l)
	})
}

func (s *Server) updateLocation(w http.ResponseWriter, r *http.Request) {
	var p struct {
		Type          *string            `json:"locationType"`
		MeterPointIDs []string           `json:"meterPointIds"`
		Coordinates   *volue.Coordinates `json:"coordinates"`
	}
	s.forUser(w, r, &p, func() string { return "" }, func(u *user) {
		l := u.locations[r.PathValue("locationId")]
		if l == nil {
			problem(w, http.StatusNotFound, "unknown location "+r.PathValue("locationId"))
			return
		}
		if p.Type != nil {
			l.Type = *p.Type
		}
		if p.MeterPointIDs != nil {
			l.MeterPointIDs = p.MeterPointIDs
		}
		if p.Coordinates != nil {
			l.Coordinates = p.Coordinates
		}
		writeJSON(w, http.StatusOK, l)
	})
}

// when returns name if cond, else "".
func when(cond bool, name string) string {
	if cond {
		return name
	}
	return ""
}

func (s *Server) getResource(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	res := s.resources[r.PathValue("resourceId")]
	var out resource
	if res != nil {
		out = *res
	}
	s.mu.Unlock()
	if res == nil {
		problem(w, http.StatusNotFound, "unknown resource "+r.PathValue("resourceId"))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) deleteResource(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, ok := s.resources[r.PathValue("resourceId")]
	delete(s.resources, r.PathValue("resourceId"))
	s.mu.Unlock()
	if !ok {
		problem(w, http.StatusNotFound, "unknown resource "+r.PathValue("resourceId"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
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
