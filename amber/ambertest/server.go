// Package ambertest provides a fake Amber Electric API server for tests and
// offline use, in the manner of net/http/httptest.
//
//	srv := ambertest.NewServer()
//	defer srv.Close()
//	c := amber.New(srv.Token, amber.WithBaseURL(srv.URL))
//	prices, err := c.Site(srv.SiteID).CurrentPrices(ctx, amber.CurrentPricesParams{Next: 12})
//
// The fake serves every endpoint of the public API (v2.0.0) with realistic,
// deterministic data for any time range: prices on a daily shape with
// morning and evening peaks, a midday solar trough and an occasional evening
// spike, with advancedPrice and range on forecasts; metered usage with
// rooftop solar; renewables per state. It behaves like the real service
// where that matters to a client:
//
//   - a bearer token is required (401 otherwise), except on the public
//     renewables endpoint;
//   - the API's limits are enforced: 422 when next + previous exceeds 2048
//     or a date range spans more than 7 days, 400 for malformed parameters,
//     404 for an unknown site or state;
//   - every authenticated answer carries RateLimit-Limit, -Remaining, -Reset
//     and -Policy ("50;w=300"), and once the quota is spent within the
//     window the answer is 429 until the window ends. Like the real API,
//     the renewables endpoint sends no rate-limit headers and does not count
//     against the quota;
//   - interval boundaries are as Amber sends them: startTime one second
//     after the boundary, nemTime at the end in UTC+10, date the NEM date;
//   - usage is available for completed NEM days only (today's is empty), as
//     meter data arrives late.
//
// FailNext simulates an outage behind the gateway (500s, 503s) for testing
// retries and error handling.
//
// Time comes from a clock.Clock (WithClock), so tests control what "now",
// the current interval and the rate-limit window are.
package ambertest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/gridwire/gridwire/clock"
)

// Defaults of a new Server.
const (
	DefaultToken        = "psk_0123456789abcdef0123456789abcdef"
	DefaultSiteID       = "01J23BAP2SFA218BMV8A73Y9Z9"
	DefaultClosedSiteID = "01F5A5CRKMZ5BCX9P1S4V990AM"
	DefaultQuota        = 50
	DefaultWindow       = 300 * time.Second
)

// maxIntervals is the API's cap on next + previous.
const maxIntervals = 2048

// Server is a fake Amber API listening on 127.0.0.1.
type Server struct {
	// URL is the base URL to give the client, ending in "/v1".
	URL string
	// Token is the API token the server accepts.
	Token string
	// SiteID is the account's active site.
	SiteID string
	// ClosedSiteID is an older, closed site of the same account (users who
	// moved house have one), whose prices are served too.
	ClosedSiteID string

	ts             *httptest.Server
	clock          clock.Clock
	quota          int
	window         time.Duration
	length         int // billing interval, minutes
	controlledLoad bool

	mu         sync.Mutex
	requests   int
	used       int
	windowEnd  time.Time
	failures   int // how many authenticated requests still to fail
	failStatus int
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes the server read the time from c. The default is the
// system clock.
func WithClock(c clock.Clock) Option { return func(s *Server) { s.clock = c } }

// WithToken sets the token the server accepts.
func WithToken(token string) Option { return func(s *Server) { s.Token = token } }

// WithQuota sets the rate limit: n requests per window.
func WithQuota(n int, window time.Duration) Option {
	return func(s *Server) { s.quota, s.window = n, window }
}

// WithIntervalLength sets the sites' billing interval, 5 or 30 minutes (the
// default is 30); it is also the default resolution of price answers.
func WithIntervalLength(minutes int) Option { return func(s *Server) { s.length = minutes } }

// WithControlledLoad gives the active site a controlled-load channel (E2)
// besides its general (E1) and feed-in (B1) channels.
func WithControlledLoad() Option { return func(s *Server) { s.controlledLoad = true } }

// NewServer starts a fake Amber API on 127.0.0.1. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		Token: DefaultToken, SiteID: DefaultSiteID, ClosedSiteID: DefaultClosedSiteID,
		clock: clock.System(), quota: DefaultQuota, window: DefaultWindow, length: 30,
	}
	for _, o := range opts {
		o(s)
	}
	if s.length != 5 {
		s.length = 30
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/sites", s.authed(s.handleSites))
	mux.HandleFunc("GET /v1/sites/{site}/prices/current", s.authed(s.handleCurrentPrices))
	mux.HandleFunc("GET /v1/sites/{site}/prices", s.authed(s.handlePrices))
	mux.HandleFunc("GET /v1/sites/{site}/usage", s.authed(s.handleUsage))
	mux.HandleFunc("GET /v1/state/{state}/renewables/current", s.handleRenewables)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "Not Found")
	})
	s.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	s.URL = s.ts.URL + "/v1"
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.ts.Close() }

// Requests returns how many requests the server has received, whatever
// their outcome.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// FailNext makes the next n authenticated requests fail with status (such
// as 500 or 503) and an Amber-style error body, after the token and quota
// checks, as an outage behind Amber's gateway would. It lets tests exercise
// a client's retries and error handling against the fake.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures, s.failStatus = n, status
}

// Now returns the server's time.
func (s *Server) Now() time.Time { return s.clock.Now() }

// handler is an authenticated endpoint, given the time of the request.
type handler func(w http.ResponseWriter, r *http.Request, now time.Time)

// authed checks the bearer token and the quota and sets the rate-limit
// headers, as Amber's gateway does, before calling h.
func (s *Server) authed(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+s.Token {
			writeError(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		now := s.clock.Now()
		s.mu.Lock()
		if !s.windowEnd.IsZero() && !now.Before(s.windowEnd) {
			s.used, s.windowEnd = 0, time.Time{}
		}
		if s.windowEnd.IsZero() {
			s.windowEnd = now.Add(s.window)
		}
		limited := s.used >= s.quota
		if !limited {
			s.used++
		}
		remaining, reset := s.quota-s.used, s.windowEnd.Sub(now)
		fail, failStatus := !limited && s.failures > 0, s.failStatus
		if fail {
			s.failures--
		}
		s.mu.Unlock()
		hd := w.Header()
		hd.Set("RateLimit-Limit", strconv.Itoa(s.quota))
		hd.Set("RateLimit-Remaining", strconv.Itoa(remaining))
		hd.Set("RateLimit-Reset", strconv.Itoa(int((reset+time.Second-1)/time.Second)))
		hd.Set("RateLimit-Policy", strconv.Itoa(s.quota)+";w="+strconv.Itoa(int(s.window/time.Second)))
		switch {
		case limited:
			writeError(w, http.StatusTooManyRequests, "Too Many Requests")
		case fail:
			writeError(w, failStatus, http.StatusText(failStatus))
		default:
			h(w, r, now)
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, wireError{Message: msg})
}
