package co

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
	"github.com/gridwire/gridwire/oscp"
)

// Client sends a Capacity Optimizer's messages to the Flexibility Provider,
// with "Authorization: Token …" and a fresh X-Request-ID on each. It starts
// no goroutine and is safe for concurrent use. A refusal is an *Error; no
// answer is an *oscp.TransportError and a redirect to another server an
// *oscp.RedirectError.
type Client struct {
	rest  *rest.Client
	token oscp.Secret
	clock clock.Clock
	log   *slog.Logger
}

// NewClient returns a Client that authenticates with token (the one the FP
// gave this optimizer: SolarNetwork's Capacity Optimizer token, or the
// token of the FP's Register message). WithBaseURL is required. It does no
// I/O.
func NewClient(token string, opts ...Option) (*Client, error) {
	if token == "" {
		return nil, energy.Invalid("token", "empty")
	}
	o := options{rest: rest.DefaultOptions("")}
	for _, opt := range opts {
		opt(&o)
	}
	if err := o.rest.Validate(); err != nil {
		return nil, err
	}
	c := &Client{token: oscp.NewSecret(token), clock: o.rest.Clock, log: o.rest.Logger}
	cfg := o.rest.Config("oscp-co")
	cfg.Sign = func(r *http.Request) error {
		r.Header.Set("Authorization", "Token "+c.token.Reveal())
		return nil
	}
	c.rest = rest.New(cfg)
	return c, nil
}

// Error is a refusal from the Flexibility Provider: an answer with a
// status of 400 or more. It wraps energy.ErrInvalid (400, 422),
// energy.ErrUnauthorized (401, 403), energy.ErrRateLimited (429),
// energy.ErrUnsupported (501: for register, no common OSCP version) or
// energy.ErrUnavailable (other 5xx).
type Error struct {
	// Message is the OSCP message name, such as MsgHeartbeat.
	Message string
	// StatusCode is the HTTP status.
	StatusCode int
	// Reason is the X-Error-Message header, or the start of the body.
	Reason string
}

// Error implements error.
func (e *Error) Error() string {
	msg := fmt.Sprintf("oscp co: %s: %d %s", e.Message, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns the energy sentinel for the status.
func (e *Error) Unwrap() error {
	if e.StatusCode == http.StatusNotImplemented {
		return energy.ErrUnsupported
	}
	return rest.StatusSentinel(e.StatusCode)
}

type correlationKey struct{}

// WithCorrelationID makes the messages sent with ctx carry X-Correlation-ID
// id, such as the X-Request-ID of the handshake being acknowledged.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, correlationKey{}, id)
}

// send validates m and posts it to <base>/<name>.
func (c *Client) send(ctx context.Context, name string, m Message, idempotent bool) error {
	if err := m.Validate(); err != nil {
		return err
	}
	h := http.Header{"X-Request-ID": {newRequestID()}}
	if id, ok := ctx.Value(correlationKey{}).(string); ok && id != "" {
		h.Set("X-Correlation-ID", id)
	}
	_, err := c.rest.Do(ctx, &rest.Request{Method: http.MethodPost, Path: "/" + name, Header: h, Body: m,
		Idempotent: idempotent, NoRetry: !idempotent})
	return convertError(name, err)
}

// convertError turns internal/rest's errors into ones callers can name: a
// refusal into an *Error, no answer into an *oscp.TransportError, a
// redirect to another server into an *oscp.RedirectError. Others (the
// context's) pass through unchanged.
func convertError(name string, err error) error {
	var (
		he *rest.HTTPError
		te *rest.TransportError
		re *rest.RedirectError
	)
	switch {
	case errors.As(err, &he):
		// The body excerpt is rest's, already redacted of the token.
		reason := he.Header.Get("X-Error-Message")
		if reason == "" {
			reason = he.Body
		}
		return &Error{Message: name, StatusCode: he.StatusCode, Reason: reason}
	case errors.As(err, &te):
		return &oscp.TransportError{Method: te.Method, Endpoint: te.Endpoint, Attempts: te.Attempts, Err: te.Err}
	case errors.As(err, &re):
		return &oscp.RedirectError{Method: re.Method, Endpoint: re.Endpoint, From: re.From, To: re.To}
	}
	return err
}

// Register sends register: m.Token is what the FP must present when
// calling this optimizer, m.VersionURLs where (the Handler's base URL).
func (c *Client) Register(ctx context.Context, m Register) error {
	return c.send(ctx, MsgRegister, m, false)
}

// Handshake asks the FP for a handshake_acknowledge.
func (c *Client) Handshake(ctx context.Context, m Handshake) error {
	return c.send(ctx, MsgHandshake, m, false)
}

// HandshakeAcknowledge answers the FP's handshake.
func (c *Client) HandshakeAcknowledge(ctx context.Context, m HandshakeAcknowledge) error {
	return c.send(ctx, MsgHandshakeAcknowledge, m, false)
}

// Heartbeat tells the FP this optimizer is alive until offlineModeAt.
func (c *Client) Heartbeat(ctx context.Context, offlineModeAt time.Time) error {
	return c.send(ctx, MsgHeartbeat, Heartbeat{OfflineModeAt: offlineModeAt.UTC()}, true)
}

// AdjustGroupCapacityForecast asks the FP to adjust a group's capacity
// forecast: the optimizer's way of steering the capacity the group uses.
func (c *Client) AdjustGroupCapacityForecast(ctx context.Context, m CapacityForecast) error {
	return c.send(ctx, MsgAdjustGroupCapacityForecast, m, false)
}

// UpdateGroupMeasurements sends a group's energy measurements, to an FP
// that takes them from its optimizer. SolarNetwork's FP does not accept
// them: it sends measurements to the optimizer instead (see
// Hooks.UpdateGroupMeasurements).
func (c *Client) UpdateGroupMeasurements(ctx context.Context, m GroupMeasurements) error {
	return c.send(ctx, MsgUpdateGroupMeasurements, m, false)
}

// UpdateAssetMeasurements sends assets' measurements, to an FP that takes
// them from its optimizer (SolarNetwork's does not; see
// UpdateGroupMeasurements).
func (c *Client) UpdateAssetMeasurements(ctx context.Context, m AssetMeasurements) error {
	return c.send(ctx, MsgUpdateAssetMeasurements, m, false)
}

// RunHeartbeat sends a heartbeat every interval until ctx is done, each
// announcing offline mode 2 × interval later (so one lost heartbeat is not
// taken for an outage). A failed heartbeat is logged and the next one sent
// on time. It blocks; it returns ctx's error, or an error for an interval
// that is not positive.
func (c *Client) RunHeartbeat(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return energy.Invalid("interval", "%v is not positive", interval)
	}
	for {
		if err := c.Heartbeat(ctx, c.clock.Now().Add(2*interval)); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			c.log.LogAttrs(ctx, slog.LevelWarn, "oscp heartbeat failed", slog.String("error", err.Error()))
		}
		if err := c.clock.Sleep(ctx, interval); err != nil {
			return err
		}
	}
}

// newRequestID returns a random UUID (version 4).
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
