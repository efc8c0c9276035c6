package voluetest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
)

// token serves POST /connect/token: the client-credentials grant, as
// IdentityServer answers it.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if bid, bsecret, ok := r.BasicAuth(); ok {
		id, secret = bid, bsecret
	}
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.ClientID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.ClientSecret)) != 1 {
		oauthError(w, http.StatusBadRequest, "invalid_client")
		return
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := "eyJ" + hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = s.clock.Now().Add(s.tokenLife)
	s.issued++
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "expires_in": int(s.tokenLife.Seconds()), "token_type": "Bearer",
		"scope": "energy-coordination",
	})
}

// authorized checks the bearer token of an API request.
func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	return ok && s.clock.Now().Before(exp)
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// problem answers with RFC 7807 problem details, as ASP.NET does.
func problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "https://tools.ietf.org/html/rfc9110", "title": http.StatusText(status), "status": status,
		"detail": detail, "traceId": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
	})
}
