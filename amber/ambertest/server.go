// Package ambertest provides a fake Amber Electric API server for tests and
// offline use, in the manner of net/http/httptest.
//
//	srv := ambertest.NewServer()
//	defer srv.Close()
//	c := srv.Client() // an *amber.Client pointed at the fake, with its token
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
// It does not reproduce Amber's accounts (one token, two sites), real
// market prices, or network behaviour (latency, dropped connections).
//
// FailNext injects faults: an outage behind the gateway (500s, 503s), or
// answers a broken server might give (null prices, a null body), for
// testing a client's retries and error handling.
//
// Time comes from a clock.Clock (WithClock), so tests control what "now",
// the current interval and the rate-limit window are.
package ambertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gridwire/gridwire/amber"
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
	handler        http.Handler
	clock          clock.Clock
	quota          int
	window         time.Duration
	length         int // billing interval, minutes
	controlledLoad bool

	mu        sync.Mutex
	requests  int
	used      int
	windowEnd time.Time
	failures  int // how many matching requests still to fail
	fault     Fault
}

// Endpoints are the fake's routes, as Fault.Endpoint names them: the paths
// of the API below the base URL, with {site} and {state} for the variable
// segments.
var Endpoints = []string{
	"/sites",
	"/sites/{site}/prices/current",
	"/sites/{site}/prices",
	"/sites/{site}/usage",
	"/state/{state}/renewables/current",
}

// Fault is what FailNext makes the fake do instead of its normal answer.
type Fault struct {
	// Endpoint is the route the fault applies to, one of Endpoints (such as
	// "/sites/{site}/prices"); "" means any route. Requests to other routes
	// are answered normally and do not use up the fault.
	Endpoint string
	// Status, when not 0, is the HTTP status to answer with (such as 500
	// or 503), with an Amber-style error body.
	Status int
	// NullPrices answers normally but with every perKwh null, as a broken
	// upstream might (on the price and usage endpoints; elsewhere it has no
	// effect). A client must not read that as a price of 0.
	NullPrices bool
	// NullBody answers 200 with the literal body null instead of a list.
	NullBody bool
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
	mux.HandleFunc("GET /v1/state/{state}/renewables/current", s.faulty(s.handleRenewables))
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "Not Found")
	})
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	})
	s.ts = httptest.NewServer(s.handler)
	s.URL = s.ts.URL + "/v1"
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.ts.Close() }

// Handler returns the fake as an http.Handler, for mounting in a server of
// your own. It serves the API below "/v1" (so a client's base URL is that
// server's URL plus "/v1") and shares this Server's state: token, quota,
// faults and request count.
func (s *Server) Handler() http.Handler { return s.handler }

// Client returns an *amber.Client pointed at the fake, with its token and
// clock. The client-side limiter is off, so tests are not paced by Amber's
// 50-per-5-minutes budget; the fake's own quota (WithQuota) still answers
// 429s. opts are applied last and may change any of it. It panics if opts
// are invalid, as a test helper would.
func (s *Server) Client(opts ...amber.Option) *amber.Client {
	all := append([]amber.Option{amber.WithBaseURL(s.URL), amber.WithClock(s.clock), amber.WithRateLimit(0, 0)}, opts...)
	c, err := amber.New(s.Token, all...)
	if err != nil {
		panic("ambertest: Client: " + err.Error())
	}
	return c
}

// Requests returns how many requests the server has received, whatever
// their outcome.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// FailNext makes the next n requests to f.Endpoint (any route when it is
// "") answer as f says instead of normally: an error status with an
// Amber-style body, as an outage behind Amber's gateway would, or a broken
// answer (null prices, a null body). On authenticated routes it applies
// after the token and quota checks, as the gateway's would. It replaces any
// fault still pending. It panics when f names no route of the fake or asks
// for nothing.
func (s *Server) FailNext(n int, f Fault) {
	if f.Endpoint != "" && !slices.Contains(Endpoints, f.Endpoint) {
		panic(fmt.Sprintf("ambertest: FailNext: %q is not one of %q", f.Endpoint, Endpoints))
	}
	if f.Status == 0 && !f.NullPrices && !f.NullBody {
		panic("ambertest: FailNext: the Fault sets neither Status, NullPrices nor NullBody")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures, s.fault = n, f
}

// takeFault returns the fault to apply to a request to route, using it up,
// or false.
func (s *Server) takeFault(route string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failures <= 0 || (s.fault.Endpoint != "" && s.fault.Endpoint != route) {
		return Fault{}, false
	}
	s.failures--
	return s.fault, true
}

type nullPricesKey struct{}

// nullPrices reports whether the request's answer is to carry null prices.
func nullPrices(r *http.Request) bool {
	v, _ := r.Context().Value(nullPricesKey{}).(bool)
	return v
}

// faulty applies a pending fault to the request, or calls h.
func (s *Server) faulty(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		route := r.Pattern[len("GET /v1"):]
		f, ok := s.takeFault(route)
		switch {
		case !ok:
			h(w, r)
		case f.Status != 0:
			writeError(w, f.Status, http.StatusText(f.Status))
		case f.NullBody:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("null"))
		default:
			h(w, r.WithContext(context.WithValue(r.Context(), nullPricesKey{}, true)))
		}
	}
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
		s.mu.Unlock()
		hd := w.Header()
		hd.Set("RateLimit-Limit", strconv.Itoa(s.quota))
		hd.Set("RateLimit-Remaining", strconv.Itoa(remaining))
		hd.Set("RateLimit-Reset", strconv.Itoa(int((reset+time.Second-1)/time.Second)))
		hd.Set("RateLimit-Policy", strconv.Itoa(s.quota)+";w="+strconv.Itoa(int(s.window/time.Second)))
		if limited {
			writeError(w, http.StatusTooManyRequests, "Too Many Requests")
			return
		}
		s.faulty(func(w http.ResponseWriter, r *http.Request) { h(w, r, now) })(w, r)
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
