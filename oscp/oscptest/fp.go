package oscptest

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/oscp"
	"github.com/gridwire/gridwire/oscp/co"
)

// DefaultFPToken is the token a Capacity Optimizer must present to FP (in
// SolarNetwork, the token returned when the optimizer was created).
const DefaultFPToken = "oscptest-fp-token"

// FPPath is where FP serves OSCP 2.0, as SolarNetwork's FP does.
const FPPath = "/oscp/fp/2.0"

// FPOption configures an FP.
type FPOption func(*FP)

// WithFPToken sets the token FP accepts from the Capacity Optimizer.
func WithFPToken(token string) FPOption { return func(f *FP) { f.Token = token } }

// WithFPClock sets the clock FP dates heartbeats by. The default is the
// system clock.
func WithFPClock(c clock.Clock) FPOption { return func(f *FP) { f.clock = c } }

// Received is a message FP received from the Capacity Optimizer.
type Received struct {
	// Name is the message name, such as co.MsgHeartbeat.
	Name string
	// Message is the decoded message (co.Heartbeat, co.GroupMeasurements …).
	Message co.Message
	// RequestID and CorrelationID are the request's OSCP headers.
	RequestID, CorrelationID string
}

// FP is a fake of SolarNetwork's OSCP 2.0 Flexibility Provider as a
// Capacity Optimizer sees it, on 127.0.0.1. It serves the messages a CO
// sends (register, handshake, handshake_acknowledge, heartbeat,
// update_group_measurements, update_asset_measurements,
// adjust_group_capacity_forecast) under URL, checking "Authorization:
// Token" and X-Request-ID and decoding strictly, answering 204, or 400/401
// with X-Error-Message, and 501 to a register without version 2.0, as
// SolarNetwork does. Unlike SolarNetwork's FP, it also takes measurements
// from the CO, so that co.Client's measurement calls can be tested. It also
// calls a CO: Connect registers with it and handshakes, SendForecast
// forwards a capacity forecast, and Send any other message (such as
// measurements, which SolarNetwork sends to a CO).
type FP struct {
	// URL is FP's OSCP 2.0 base URL (ending in FPPath).
	URL string
	// Token is the token FP accepts from the CO.
	Token string

	ts    *httptest.Server
	clock clock.Clock

	mu       sync.Mutex
	requests int
	faults   []pending
	received []Received
	coURL    string
	coToken  string
}

// NewFP starts a fake Flexibility Provider on 127.0.0.1. Close it when
// done.
func NewFP(opts ...FPOption) *FP {
	f := &FP{Token: DefaultFPToken, clock: clock.System()}
	for _, o := range opts {
		o(f)
	}
	f.ts = httptest.NewServer(f.Handler())
	f.URL = f.ts.URL + FPPath
	return f
}

// Close shuts FP down.
func (f *FP) Close() { f.ts.Close() }

// Requests returns how many requests FP has received.
func (f *FP) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Received returns the messages FP accepted, in order.
func (f *FP) Received() []Received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Received(nil), f.received...)
}

// FailNext makes the next n requests for the message f.Endpoint (such as
// co.MsgHeartbeat; "" = any) fail with f.Status (0 = 500) and f.Message as
// X-Error-Message, after the token check.
func (f *FP) FailNext(n int, fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fault.Status == 0 {
		fault.Status = http.StatusInternalServerError
	}
	if fault.Message == "" {
		fault.Message = http.StatusText(fault.Status)
	}
	f.faults = append(f.faults, pending{n: n, f: fault})
}

// Client returns a co.Client pointed at FP with its token; opts are applied
// last. It panics on invalid opts, like a test helper.
func (f *FP) Client(opts ...co.Option) *co.Client {
	c, err := co.NewClient(f.Token, append([]co.Option{co.WithBaseURL(f.URL), co.WithClock(f.clock)}, opts...)...)
	if err != nil {
		panic(err)
	}
	return c
}

// Handler returns FP's handler, to mount elsewhere (it serves FPPath).
func (f *FP) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests++
		f.mu.Unlock()
		msg := path.Base(r.URL.Path)
		refuse := func(status int, reason string) {
			w.Header().Set("X-Error-Message", reason)
			w.WriteHeader(status)
		}
		if r.Method != http.MethodPost || path.Dir(r.URL.Path) != FPPath {
			refuse(http.StatusNotFound, "not found")
			return
		}
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Token ")
		if !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(f.Token)) != 1 {
			refuse(http.StatusUnauthorized, "invalid token")
			return
		}
		if r.Header.Get("X-Request-ID") == "" {
			refuse(http.StatusBadRequest, "X-Request-ID required")
			return
		}
		f.mu.Lock()
		fault, failing := f.takeFault(msg)
		f.mu.Unlock()
		if failing {
			refuse(fault.Status, fault.Message)
			return
		}
		var m co.Message
		switch msg {
		case co.MsgRegister:
			m = new(co.Register)
		case co.MsgHandshake:
			m = new(co.Handshake)
		case co.MsgHandshakeAcknowledge:
			m = new(co.HandshakeAcknowledge)
		case co.MsgHeartbeat:
			m = new(co.Heartbeat)
		case co.MsgUpdateGroupMeasurements:
			m = new(co.GroupMeasurements)
		case co.MsgUpdateAssetMeasurements:
			m = new(co.AssetMeasurements)
		case co.MsgAdjustGroupCapacityForecast:
			m = new(co.CapacityForecast)
		default:
			refuse(http.StatusNotFound, "unknown message "+msg)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err == nil {
			err = co.Decode(body, m)
		}
		if err != nil {
			refuse(http.StatusBadRequest, err.Error())
			return
		}
		if reg, ok := m.(*co.Register); ok {
			base, ok := reg.BaseURL(co.Version)
			if !ok {
				refuse(http.StatusNotImplemented, "no version_url for 2.0")
				return
			}
			f.mu.Lock()
			f.coURL, f.coToken = base, reg.Token.Reveal()
			f.mu.Unlock()
		}
		f.mu.Lock()
		f.received = append(f.received, Received{Name: msg, Message: deref(m), RequestID: r.Header.Get("X-Request-ID"),
			CorrelationID: r.Header.Get("X-Correlation-ID")})
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
}

// deref returns the message value behind a pointer, so that Received holds
// co.Heartbeat rather than *co.Heartbeat.
func deref(m co.Message) co.Message {
	switch v := m.(type) {
	case *co.Register:
		return *v
	case *co.Handshake:
		return *v
	case *co.HandshakeAcknowledge:
		return *v
	case *co.Heartbeat:
		return *v
	case *co.GroupMeasurements:
		return *v
	case *co.AssetMeasurements:
		return *v
	case *co.CapacityForecast:
		return *v
	}
	return m
}

func (f *FP) takeFault(name string) (Fault, bool) {
	for i := range f.faults {
		p := &f.faults[i]
		if p.n > 0 && (p.f.Endpoint == "" || p.f.Endpoint == name) {
			p.n--
			return p.f, true
		}
	}
	return Fault{}, false
}

// Connect registers FP with the CO at coBaseURL, presenting coToken (the
// token the CO accepts), and asks it for a handshake, as SolarNetwork does
// once an optimizer is enabled. FP's Register carries FP.Token and FP.URL.
func (f *FP) Connect(ctx context.Context, coBaseURL, coToken string) error {
	f.mu.Lock()
	f.coURL, f.coToken = strings.TrimRight(coBaseURL, "/"), coToken
	f.mu.Unlock()
	reg := co.Register{Token: oscp.NewSecret(f.Token), VersionURLs: []co.VersionURL{{Version: co.Version, BaseURL: f.URL}}}
	if err := f.Send(ctx, co.MsgRegister, reg); err != nil {
		return err
	}
	return f.Send(ctx, co.MsgHandshake, co.Handshake{RequiredBehaviour: &co.RequiredBehaviour{
		HeartbeatInterval: 60, MeasurementConfiguration: []co.MeasurementConfiguration{co.Continuous}}})
}

// SendForecast sends update_group_capacity_forecast to the CO.
func (f *FP) SendForecast(ctx context.Context, fc co.CapacityForecast) error {
	return f.Send(ctx, co.MsgUpdateGroupCapacityForecast, fc)
}

// Heartbeat sends a heartbeat to the CO, offline after d.
func (f *FP) Heartbeat(ctx context.Context, d time.Duration) error {
	return f.Send(ctx, co.MsgHeartbeat, co.Heartbeat{OfflineModeAt: f.clock.Now().Add(d).UTC()})
}

// Send posts msg (any JSON value, valid or not, for tests) to the CO
// connected with Connect, with FP's token for it and a fresh X-Request-ID.
// An answer other than 204 is an *FPError.
func (f *FP) Send(ctx context.Context, name string, msg any) error {
	f.mu.Lock()
	base, tok := f.coURL, f.coToken
	f.mu.Unlock()
	if base == "" {
		return fmt.Errorf("oscptest: FP not connected to a CO (call Connect)")
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/"+name, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Token "+tok)
	req.Header.Set("X-Request-ID", fmt.Sprintf("fp-%d", time.Now().UnixNano()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusNoContent {
		return &FPError{Message: name, StatusCode: resp.StatusCode, Reason: resp.Header.Get("X-Error-Message")}
	}
	return nil
}

// FPError is a CO's refusal of a message FP sent.
type FPError struct {
	// Message is the message name.
	Message string
	// StatusCode is the CO's HTTP status.
	StatusCode int
	// Reason is the X-Error-Message header.
	Reason string
}

// Error implements error.
func (e *FPError) Error() string {
	return fmt.Sprintf("oscptest: CO refused %s: %d %s", e.Message, e.StatusCode, e.Reason)
}
