// Package voluetest provides a fake Volue Energy Coordination API for tests
// and offline use, in the manner of net/http/httptest: the OAuth2 token
// endpoint, the API of both documented generations, and a webhook sender
// that signs and retries deliveries as Volue does.
//
//	srv := voluetest.NewServer()
//	defer srv.Close()
//	c := srv.Client()
//	user, err := c.CreateUser(ctx)
//
// What it reproduces of the real service:
//
//   - POST /connect/token with the client-credentials grant, the credentials
//     in the form (or Basic); wrong ones get 400 {"error": "invalid_client"}
//     as IdentityServer answers. Tokens last an hour unless
//     WithTokenLifetime says otherwise, expire on the server's clock, and
//     are counted (Tokens). An expired, unknown or revoked (RevokeTokens)
//     token gets 401 from the API.
//   - Users, vehicles, meters, resources (with their metadata as sent),
//     locations, webhooks, events and reports, with the documented request
//     and answer shapes; missing required fields get 400 problem details,
//     unknown ids 404.
//   - Deliveries: every event published (Publish) goes to each webhook
//     that asked for its type and operation, and POST /webhooks/{id}/test
//     sends a test event to that one webhook; each is signed with
//     X-Payload-Signature = Base64(HMAC-SHA256(secret, body)). A delivery
//     answered with anything but 2xx is retried up to 3 times with
//     exponential back-off on the server's clock, then dropped; a published
//     event stays in GET /events. DeliverTampered sends one whose body no
//     longer matches its signature.
//
// FailNext injects failures (an HTTP status, an OAuth2 error code) into the
// next requests of an endpoint.
package voluetest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/volue"
)

// Defaults of a new Server.
const (
	DefaultClientID      = "gridwire-test-client"
	DefaultClientSecret  = "test-client-secret-0123456789"
	DefaultTokenLifetime = time.Hour
	// DefaultDeliveryBackoff is the first wait before a delivery is retried;
	// it doubles for each retry.
	DefaultDeliveryBackoff = time.Second
	// DeliveryRetries is how many times a failed delivery is retried.
	DeliveryRetries = 3
	// APIPath is where the API lives below the server's root, as on the
	// real hosts.
	APIPath = "/energy-coordination/v1"
	// TokenPath is where the token endpoint lives.
	TokenPath = "/connect/token"
)

// Server is a fake Energy Coordination API listening on 127.0.0.1.
type Server struct {
	// URL is the API's base URL, ending in "/energy-coordination/v1".
	URL string
	// TokenURL is the token endpoint's URL.
	TokenURL string
	// ClientID and ClientSecret are the credentials the server accepts.
	ClientID, ClientSecret string

	ts        *httptest.Server
	handler   http.Handler
	clock     clock.Clock
	tokenLife time.Duration
	backoff   time.Duration
	sender    *http.Client

	ctx    context.Context // ends on Close, stopping deliveries
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu         sync.Mutex
	requests   int
	issued     int
	tokens     map[string]time.Time
	faults     []Fault
	seq        int
	users      []string
	userData   map[string]*user
	resources  map[string]*resource
	webhooks   []*webhook
	events     []volue.Event
	reports    []report
	deliveries []Delivery
}

// Fault is a failure injected with FailNext.
type Fault struct {
	// Endpoint is the route to fail, as "METHOD /path" with the API's
	// parameter names, such as "POST /users" or
	// "GET /resources/{resourceId}", or "POST /connect/token"; "" fails
	// any.
	Endpoint string
	// Status is the HTTP status to answer; 0 means none: 400 with Code,
	// 200 with Body (a malformed answer, say), and with neither the request
	// is served as usual.
	Status int
	// Code is an OAuth2 error code for the token endpoint, such as
	// "invalid_client"; it is sent as {"error": Code}.
	Code string
	// Body is the answer's body; "" means problem details for the status.
	Body string
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock tokens expire by and delivery back-off waits on;
// the system clock by default. With a clock.Fake retries happen at once.
func WithClock(c clock.Clock) Option { return func(s *Server) { s.clock = c } }

// WithTokenLifetime sets the expires_in of issued tokens (whole seconds,
// at least 1); DefaultTokenLifetime by default.
func WithTokenLifetime(d time.Duration) Option {
	return func(s *Server) { s.tokenLife = max(d, time.Second) }
}

// WithCredentials sets the accepted client id and secret.
func WithCredentials(id, secret string) Option {
	return func(s *Server) { s.ClientID, s.ClientSecret = id, secret }
}

// WithDeliveryBackoff sets the first wait before a failed delivery is
// retried; DefaultDeliveryBackoff by default.
func WithDeliveryBackoff(d time.Duration) Option { return func(s *Server) { s.backoff = max(d, 0) } }

// WithDeliveryClient sets the HTTP client deliveries are sent with; one with
// a 10-second timeout by default.
func WithDeliveryClient(hc *http.Client) Option { return func(s *Server) { s.sender = hc } }

// NewServer starts a fake on 127.0.0.1. Close it when done. It panics on a
// nil clock or delivery client.
func NewServer(opts ...Option) *Server {
	s := &Server{
		ClientID: DefaultClientID, ClientSecret: DefaultClientSecret,
		clock: clock.System(), tokenLife: DefaultTokenLifetime, backoff: DefaultDeliveryBackoff,
		sender: &http.Client{Timeout: 10 * time.Second},
		tokens: map[string]time.Time{}, userData: map[string]*user{}, resources: map[string]*resource{},
	}
	for _, o := range opts {
		o(s)
	}
	// Like httptest, a fake set up wrong panics at once rather than in a
	// handler later.
	switch {
	case s.clock == nil:
		panic("voluetest: WithClock(nil)")
	case s.sender == nil:
		panic("voluetest: WithDeliveryClient(nil)")
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.handler = s.routes()
	s.ts = httptest.NewServer(s.handler)
	s.URL = s.ts.URL + APIPath
	s.TokenURL = s.ts.URL + TokenPath
	return s
}

// Close shuts the server down, then stops the deliveries in progress and
// waits for them. (The server goes first, so no request can begin a
// delivery once the wait has started.)
func (s *Server) Close() {
	s.ts.Close()
	s.cancel()
	s.wg.Wait()
}

// Handler returns the fake's handler (token endpoint at TokenPath, API
// below APIPath), for mounting elsewhere.
func (s *Server) Handler() http.Handler { return s.handler }

// Client returns a volue.Client pointed at the fake with its credentials
// and a 1 ms retry back-off; opts are applied last. It panics on invalid
// opts, like a test helper.
func (s *Server) Client(opts ...volue.Option) *volue.Client {
	all := append([]volue.Option{volue.WithBaseURL(s.URL), volue.WithTokenURL(s.TokenURL),
		volue.WithRetryBackoff(time.Millisecond)}, opts...)
	c, err := volue.New(s.ClientID, s.ClientSecret, all...)
	if err != nil {
		panic("voluetest: " + err.Error())
	}
	return c
}

// Requests returns how many requests the server has received, token
// requests included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Tokens returns how many access tokens the server has issued.
func (s *Server) Tokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// RevokeTokens invalidates every token issued so far, as a key rotation on
// the identity server would: the API answers 401 until a new one is
// fetched.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// FailNext makes the next n requests to f.Endpoint fail as f says.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// takeFault returns and removes the first fault for endpoint.
func (s *Server) takeFault(endpoint string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Endpoint == "" || strings.EqualFold(f.Endpoint, endpoint) {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
			return f, true
		}
	}
	return Fault{}, false
}

// nextID returns a fresh id with the prefix.
func (s *Server) nextID(prefix string) string {
	s.seq++
	return prefix + "-" + pad(s.seq)
}

func pad(n int) string {
	const digits = "0123456789"
	b := []byte("000000")
	for i := len(b) - 1; i >= 0 && n > 0; i-- {
		b[i] = digits[n%10]
		n /= 10
	}
	return string(b)
}
