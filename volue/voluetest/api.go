package voluetest

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"
)

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

// when returns name if cond, else "".
func when(cond bool, name string) string {
	if cond {
		return name
	}
	return ""
}
