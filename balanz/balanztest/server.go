// Package balanztest is an in-process fake of the balanz API, for tests
// (ours and yours) and offline examples, in the manner of
// net/http/httptest.
//
//	srv := balanztest.NewServer()
//	defer srv.Close()
//	c, err := srv.Client(ctx) // dialled and logged in as admin
//
// It answers as balanz 1.2.3 does: the API at /api (and /api/) refuses a
// WebSocket handshake that does not offer the ocpp1.6 subprotocol with HTTP
// 400; Login compares the SHA-256 of the token with its users'; each user
// type may call only its commands (NotAuthorized otherwise, and before
// login); one connection's requests are answered strictly in order; error
// answers are the three-element [4, id, payload] with {"status": …} or a
// bare string ("IllegalArguments", "Invalid Command X"); a frame it cannot
// read is answered [4, "007", …] as balanz does.
//
// Behind the API it simulates chargers: connectors whose OCPP status
// follows a vehicle plugged in (PlugIn, Unplug), transactions started and
// stopped by RemoteStartTransaction and RemoteStopTransaction, the offered
// current following SetTxProfile, and energy growing with the offered
// current on the Server's clock (WithClock), so a test can advance a
// clock.Fake through an evening of charging. It is seeded with a small model
// (see the Seed constants): a home group with two chargers, an allocation
// group at an office with an offline charger, id tags, one user of each type,
// a firmware image and two stored sessions.
//
// What it does not reproduce: balanz's allocation algorithm (an allocation
// group's chargers are offered a fixed share), charger firmware updates,
// logging levels beyond storing them, and the persistence of its CSV files.
package balanztest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/clock"
)

// Tokens of the seeded users, one per user type. TokenAdmin is the token of
// balanz's example admin user (admin/admin).
const (
	TokenAdmin           = "adminadmin"
	TokenStatus          = "statusviewer-pass"
	TokenAnalysis        = "analyst-pass"
	TokenSessionPriority = "prio-pass"
	TokenTags            = "tagkeeper-pass"
)

// Server is a fake balanz API on 127.0.0.1.
type Server struct {
	// URL is the API's WebSocket URL, "ws://127.0.0.1:port/api".
	URL string
	// Token is the admin token Client logs in with.
	Token string

	srv   *httptest.Server
	clock clock.Clock
	loc   *time.Location

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // connection handlers

	mu       sync.Mutex
	m        *model
	requests int
	faults   []fault
	conns    map[*websocket.Conn]context.CancelFunc
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock the simulation runs on (default the system
// clock). Energy grows with the time that passes on it between requests.
func WithClock(c clock.Clock) Option { return func(s *Server) { s.clock = c } }

// WithLocation sets the server's local time zone, in which it writes
// wall-clock times (default UTC).
func WithLocation(loc *time.Location) Option { return func(s *Server) { s.loc = loc } }

// NewServer starts a fake on 127.0.0.1 with the seeded model.
func NewServer(opts ...Option) *Server {
	s := &Server{Token: TokenAdmin, clock: clock.System(), loc: time.UTC, conns: map[*websocket.Conn]context.CancelFunc{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	for _, o := range opts {
		o(s)
	}
	s.m = seed(s.clock.Now(), s.loc)
	s.srv = httptest.NewServer(s.Handler())
	s.URL = "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/api"
	return s
}

// Close drops every connection, shuts the server down and waits for its
// goroutines.
func (s *Server) Close() {
	s.cancel()
	s.DropConnections()
	s.srv.Close()
	s.wg.Wait()
}

// Client dials the fake and logs in as admin, applying opts after the
// fake's own (a logger-free client with a 10 s call timeout). Unlike the
// REST fakes' Client it takes a context and returns an error: dialling a
// WebSocket is I/O that can fail, which a test should see as an error
// rather than a panic.
func (s *Server) Client(ctx context.Context, opts ...balanz.Option) (*balanz.Client, error) {
	all := append([]balanz.Option{balanz.WithTimeout(10 * time.Second), balanz.WithLocation(s.loc), balanz.WithClock(s.clock)}, opts...)
	c, err := balanz.Dial(ctx, s.URL, all...)
	if err != nil {
		return nil, err
	}
	if _, err := c.Login(ctx, s.Token); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Handler returns the fake's HTTP handler, for mounting elsewhere. It
// serves the API at /api and /api/.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Trim(r.URL.Path, "/") != "api" {
			http.Error(w, "not the API (the real server takes any other path for a charger id)", http.StatusNotFound)
			return
		}
		if !offers(r, balanz.Subprotocol) {
			http.Error(w, "Failed to open a WebSocket connection: missing subprotocol ocpp1.6", http.StatusBadRequest)
			return
		}
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{balanz.Subprotocol}})
		if err != nil {
			return
		}
		ws.SetReadLimit(16 << 20)
		ctx, cancel := context.WithCancel(s.ctx)
		s.mu.Lock()
		if s.ctx.Err() != nil {
			s.mu.Unlock()
			cancel()
			ws.CloseNow()
			return
		}
		s.wg.Add(1)
		s.conns[ws] = cancel
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			delete(s.conns, ws)
			s.mu.Unlock()
			cancel()
			ws.CloseNow()
			s.wg.Done()
		}()
		s.serve(ctx, ws)
	})
}

func offers(r *http.Request, proto string) bool {
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(h, ",") {
			if strings.TrimSpace(p) == proto {
				return true
			}
		}
	}
	return false
}

// Requests returns how many frames the API has received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// DropConnections closes every API connection at once, as a server that
// dies or a network that fails does.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := make(map[*websocket.Conn]context.CancelFunc, len(s.conns))
	for c, cancel := range s.conns {
		conns[c] = cancel
	}
	s.mu.Unlock()
	for c, cancel := range conns {
		cancel()
		c.CloseNow()
	}
}

// Fault is a one-off misbehaviour, queued by FailNext.
type Fault struct {
	// Endpoint is the command the fault applies to; "" means any.
	Endpoint string
	// Status, when set, answers [4, id, {"status": Status}].
	Status string
	// Bare sends Status as a bare string: [4, id, "IllegalArguments"].
	Bare bool
	// Orphan sends the error under balanz's fixed id "007" instead of the
	// request's (Status "" then means "Unexpected Error", bare).
	Orphan bool
	// Raw, when set, is written as the whole answer frame (non-JSON, wrong
	// types …).
	Raw string
	// Size, when > 0, answers with a result frame of about this many bytes.
	Size int
	// Drop closes the connection instead of answering: a server dying
	// mid-call.
	Drop bool
	// Delay holds the answer (and, balanz being sequential, every answer
	// after it) for this long of real time: a slow charger.
	Delay time.Duration
}

type fault struct {
	Fault
	n int
}

// FailNext makes the next n requests for f.Endpoint misbehave as f says.
// Faults queue in order; requests before login count too.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, fault{f, n})
}

func (s *Server) takeFault(action string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		if f := &s.faults[i]; f.Endpoint == "" || f.Endpoint == action {
			out := f.Fault
			if f.n--; f.n <= 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
			return out, true
		}
	}
	return Fault{}, false
}

// Hash returns the lower-case hex SHA-256 of a token, as balanz stores it.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
