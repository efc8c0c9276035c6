// Package oscptest provides in-process fakes of SolarNetwork's OSCP
// services for tests and offline use, in the manner of net/http/httptest:
// Server, the SolarUser OSCP API, and FP, SolarNetwork's OSCP 2.0
// Flexibility Provider as a Capacity Optimizer sees it.
//
//	srv := oscptest.NewServer()
//	defer srv.Close()
//	c := srv.Client()
//	groups, err := c.CapacityGroups(ctx)
//
// Server reproduces what a client of the real API depends on:
//
//   - every request must be signed with SNWS2 and is verified exactly as
//     SolarNetwork verifies it (snws2.Verifier: signed headers, 15-minute
//     skew, 7-day keys, digest of the body); a missing signature is
//     answered 401, a bad one 403, in SolarNetwork's envelope;
//   - every endpoint of the SolarUser OSCP API, keeping entities in memory
//     with SolarNetwork's JSON shapes: configIds assigned in order,
//     created/modified timestamps in SolarNetwork's format, 201 with a
//     Location header on create, a token in the create answer of Capacity
//     Providers and Optimizers only, OAuth client secrets never returned,
//     PUT replacing the whole entity, {"success":true} for DELETE;
//   - input validated as SolarNetwork does (422 VAL.00004 with errors[] for
//     missing or too long fields, 422 "Malformed JSON" for broken bodies;
//     enumerations by name case-insensitively, except statisticType, which
//     must be exact),
//     404 DAO.00102 for unknown ids, 422 DAO.00105 for a group that names an
//     unknown provider or optimizer, or an asset an unknown group.
//
// It does not reproduce registration with real Capacity Providers or
// Optimizers (registrationStatus stays Pending), datum publishing, or
// pagination (the real OSCP list endpoints do not paginate either).
package oscptest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/oscp"
	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

// Defaults of a new Server.
const (
	DefaultTokenID     = "oscptest-token"
	DefaultTokenSecret = "oscptest-secret"
	DefaultUserID      = 1
)

// Fault makes requests fail (see FailNext); the answer is always
// SolarNetwork's envelope with success:false.
type Fault struct {
	// Endpoint names the requests that fail; "" means any. For Server it
	// is the oscp.Client method name, such as "CapacityGroups" or
	// "CreateAsset"; for FP the OSCP message name, such as co.MsgHeartbeat.
	Endpoint string
	// Status is the HTTP status to answer; 0 means 500.
	Status int
	// Code is SolarNetwork's error code, such as "DAO.00200", or "".
	Code string
	// Message is the envelope's message (FP: the X-Error-Message); ""
	// means the status text.
	Message string
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes the server read the time from c (for timestamps and the
// signature's date check). The default is the system clock.
func WithClock(c clock.Clock) Option { return func(s *Server) { s.clock = c } }

// WithToken sets the token id and secret the server accepts.
func WithToken(id, secret string) Option {
	return func(s *Server) { s.TokenID, s.TokenSecret = id, secret }
}

// WithEmptyAccount starts the server with no entities; by default it holds
// user settings, one Capacity Provider, one Capacity Optimizer, one group
// with settings and two assets.
func WithEmptyAccount() Option { return func(s *Server) { s.empty = true } }

// Server is a fake SolarUser OSCP API on 127.0.0.1.
type Server struct {
	// URL is the server's base URL, to give oscp.WithBaseURL.
	URL string
	// TokenID and TokenSecret are the SolarNetwork token it accepts.
	TokenID, TokenSecret string

	ts       *httptest.Server
	handler  http.Handler
	clock    clock.Clock
	verifier *snws2.Verifier
	empty    bool

	mu       sync.Mutex
	requests int
	faults   []pending
	store    store
}

type pending struct {
	n int
	f Fault
}

// NewServer starts a fake SolarUser OSCP API on 127.0.0.1. Close it when
// done.
func NewServer(opts ...Option) *Server {
	s := &Server{TokenID: DefaultTokenID, TokenSecret: DefaultTokenSecret, clock: clock.System()}
	for _, o := range opts {
		o(s)
	}
	v, err := snws2.NewVerifier(s.lookup, snws2.WithClock(s.clock))
	if err != nil {
		panic(err) // only a nil clock can cause it
	}
	s.verifier = v
	s.store = newStore()
	if !s.empty {
		s.seed()
	}
	s.handler = s.routes()
	s.ts = httptest.NewServer(s.handler)
	s.URL = s.ts.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.ts.Close() }

// Handler returns the server's handler, to mount elsewhere.
func (s *Server) Handler() http.Handler { return s.handler }

// Requests returns how many requests the server has received, whatever
// their outcome.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// FailNext makes the next n verified requests to f.Endpoint fail as f
// says, after the signature check, as a failure inside SolarNetwork would.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Status == 0 {
		f.Status = http.StatusInternalServerError
	}
	s.faults = append(s.faults, pending{n: n, f: f})
}

// Client returns an oscp.Client pointed at the server with its token, on
// the server's clock, retrying without waiting long; opts are applied last.
// It panics on invalid opts, like a test helper.
func (s *Server) Client(opts ...oscp.Option) *oscp.Client {
	c, err := oscp.New(s.TokenID, s.TokenSecret, append([]oscp.Option{
		oscp.WithBaseURL(s.URL), oscp.WithClock(s.clock), oscp.WithTimeout(10 * time.Second),
	}, opts...)...)
	if err != nil {
		panic(err)
	}
	return c
}

// now is the server's time, truncated to microseconds as SolarNetwork's
// database keeps it.
func (s *Server) now() oscp.Timestamp {
	return oscp.Timestamp{Time: s.clock.Now().UTC().Truncate(time.Microsecond)}
}
