package voluetest

import (
	"encoding/json"
	"net/http"

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
