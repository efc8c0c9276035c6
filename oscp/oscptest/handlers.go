package oscptest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/oscp"
	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

func (s *Server) lookup(_ context.Context, id string) (string, error) {
	if id == s.TokenID {
		return s.TokenSecret, nil
	}
	return "", snws2.ErrUnknownToken
}

// route is one endpoint: its pattern below oscp.APIPath, the oscp.Client
// method that calls it (for faults) and its handler, which runs with the
// server's mutex held.
type route struct {
	method, path, name string
	h                  func(r *http.Request) (status int, data any, err *apiErr)
}

// apiErr is a SolarNetwork error answer.
type apiErr struct {
	status  int
	code    string
	message string
	errors  []oscp.ValidationError
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range []route{
		{"GET", "/settings", "Settings", s.getSettings},
		{"PUT", "/settings", "UpdateSettings", s.putSettings},
		{"DELETE", "/settings", "DeleteSettings", s.deleteSettings},
		{"GET", "/capacity-providers", "CapacityProviders", s.listSystems(true)},
		{"POST", "/capacity-providers", "CreateCapacityProvider", s.createSystem(true)},
		{"GET", "/capacity-providers/{id}", "CapacityProvider", s.getSystem(true)},
		{"PUT", "/capacity-providers/{id}", "UpdateCapacityProvider", s.putSystem(true)},
		{"DELETE", "/capacity-providers/{id}", "DeleteCapacityProvider", s.deleteSystem(true)},
		{"GET", "/capacity-optimizers", "CapacityOptimizers", s.listSystems(false)},
		{"POST", "/capacity-optimizers", "CreateCapacityOptimizer", s.createSystem(false)},
		{"GET", "/capacity-optimizers/{id}", "CapacityOptimizer", s.getSystem(false)},
		{"PUT", "/capacity-optimizers/{id}", "UpdateCapacityOptimizer", s.putSystem(false)},
		{"DELETE", "/capacity-optimizers/{id}", "DeleteCapacityOptimizer", s.deleteSystem(false)},
		{"GET", "/capacity-groups", "CapacityGroups", s.listGroups},
		{"POST", "/capacity-groups", "CreateCapacityGroup", s.createGroup},
		{"GET", "/capacity-groups/{id}", "CapacityGroup", s.getGroup},
		{"PUT", "/capacity-groups/{id}", "UpdateCapacityGroup", s.putGroup},
		{"DELETE", "/capacity-groups/{id}", "DeleteCapacityGroup", s.deleteGroup},
		{"GET", "/capacity-groups/{id}/assets", "CapacityGroupAssets", s.groupAssets},
		{"GET", "/capacity-groups/settings", "AllCapacityGroupSettings", s.listGroupSettings},
		{"GET", "/capacity-groups/{id}/settings", "CapacityGroupSettings", s.getGroupSettings},
		{"PUT", "/capacity-groups/{id}/settings", "UpdateCapacityGroupSettings", s.putGroupSettings},
		{"DELETE", "/capacity-groups/{id}/settings", "DeleteCapacityGroupSettings", s.deleteGroupSettings},
		{"POST", "/assets", "CreateAsset", s.createAsset},
		{"GET", "/assets/{id}", "Asset", s.getAsset},
		{"PUT", "/assets/{id}", "UpdateAsset", s.putAsset},
		{"DELETE", "/assets/{id}", "DeleteAsset", s.deleteAsset},
	} {
		mux.Handle(rt.method+" "+oscp.APIPath+rt.path, s.serve(rt))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeResult(w, http.StatusNotFound, nil, &apiErr{status: http.StatusNotFound, code: "404", message: "Not found"})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	})
}

// serve verifies the signature, applies faults and runs the route.
func (s *Server) serve(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.verifier.Verify(r); err != nil {
			var se *snws2.Error
			if errors.As(err, &se) && se.Reason == snws2.ReasonMissing {
				writeResult(w, http.StatusUnauthorized, nil, &apiErr{status: 401, message: "Full authentication is required to access this resource"})
				return
			}
			writeResult(w, http.StatusForbidden, nil, &apiErr{status: 403, message: err.Error()})
			return
		}
		s.mu.Lock()
		if f, ok := s.takeFault(rt.name); ok {
			s.mu.Unlock()
			msg := f.Message
			if msg == "" {
				msg = http.StatusText(f.Status)
			}
			writeResult(w, f.Status, nil, &apiErr{status: f.Status, code: f.Code, message: msg})
			return
		}
		status, data, aerr := rt.h(r)
		s.mu.Unlock()
		if status == http.StatusCreated {
			if id := configID(data); id > 0 {
				w.Header().Set("Location", r.URL.Path+"/"+strconv.FormatInt(id, 10))
			}
		}
		writeResult(w, status, data, aerr)
	})
}

func (s *Server) takeFault(name string) (Fault, bool) {
	for i := range s.faults {
		p := &s.faults[i]
		if p.n > 0 && (p.f.Endpoint == "" || p.f.Endpoint == name) {
			p.n--
			return p.f, true
		}
	}
	return Fault{}, false
}

func configID(data any) int64 {
	switch v := data.(type) {
	case createdSystem:
		return v.ConfigID
	case oscp.CapacityGroup:
		return v.ConfigID
	case oscp.Asset:
		return v.ConfigID
	}
	return 0
}

// writeResult writes SolarNetwork's envelope.
func writeResult(w http.ResponseWriter, status int, data any, e *apiErr) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	var body any
	if e != nil {
		status = e.status
		body = struct {
			Success bool                   `json:"success"`
			Code    string                 `json:"code,omitempty"`
			Message string                 `json:"message,omitempty"`
			Errors  []oscp.ValidationError `json:"errors,omitempty"`
		}{false, e.code, e.message, e.errors}
	} else {
		body = struct {
			Success bool `json:"success"`
			Data    any  `json:"data,omitempty"`
		}{true, data}
	}
	b, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"success":false,"code":"E.00500","message":"Internal error"}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func notFound() *apiErr {
	return &apiErr{status: http.StatusNotFound, code: "DAO.00102", message: "Key not found"}
}

func fkViolation(what string) *apiErr {
	return &apiErr{status: http.StatusUnprocessableEntity, code: "DAO.00105", message: "Foreign key violation: unknown " + what}
}

// decodeInput decodes a JSON body into v and validates it as SolarNetwork
// does.
func decodeInput(r *http.Request, v interface{ Validate() error }) *apiErr {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return &apiErr{status: http.StatusUnprocessableEntity, message: "Malformed JSON: " + err.Error()}
	}
	if err := v.Validate(); err != nil {
		var fe *energy.FieldError
		if !errors.As(err, &fe) {
			return &apiErr{status: http.StatusUnprocessableEntity, code: "VAL.00004", message: err.Error()}
		}
		return &apiErr{status: http.StatusUnprocessableEntity, code: "VAL.00004", message: "Validation error",
			errors: []oscp.ValidationError{{Location: jsonName(fe.Field), Code: "Invalid", Message: fe.Reason}}}
	}
	return nil
}

// jsonName turns a Go field path ("Energy.Type") into SolarNetwork's
// property path ("energy.type").
func jsonName(field string) string {
	parts := strings.Split(field, ".")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToLower(p[:1]) + p[1:]
		}
	}
	n := strings.Join(parts, ".")
	return strings.NewReplacer("oSCPVersion", "oscpVersion", "baseURL", "baseUrl", "sourceID", "sourceId",
		"nodeID", "nodeId", "groupID", "groupId", "capacityProviderID", "capacityProviderId",
		"capacityOptimizerID", "capacityOptimizerId", "capacityGroupID", "capacityGroupId").Replace(n)
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}
