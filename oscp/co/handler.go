package co

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/gridwire/gridwire/energy"
)

// The OSCP 2.0 message names, which are also the last element of their URL
// path.
const (
	MsgRegister                     = "register"
	MsgHandshake                    = "handshake"
	MsgHandshakeAcknowledge         = "handshake_acknowledge"
	MsgHeartbeat                    = "heartbeat"
	MsgUpdateGroupCapacityForecast  = "update_group_capacity_forecast"
	MsgAdjustGroupCapacityForecast  = "adjust_group_capacity_forecast"
	MsgGroupCapacityComplianceError = "group_capacity_compliance_error"
	MsgUpdateGroupMeasurements      = "update_group_measurements"
	MsgUpdateAssetMeasurements      = "update_asset_measurements"
)

// Hooks receive the messages the Handler accepts, already decoded and
// validated. A nil hook accepts the message and does nothing more. A hook's
// error is answered 400 when it wraps energy.ErrInvalid (the message is
// refused) and 500 otherwise; its text goes into X-Error-Message, so it
// must not hold secrets. A vendor client's error wraps ErrInvalid too when
// that vendor refused a parameter (a 400 or 422 answer): a hook that
// passes on the error of a call it made would tell the FP that its message
// was refused, so it should return such an error without ErrInvalid
// (fmt.Errorf("...: %v", err)). Hooks run on the request's goroutine:
// return quickly.
type Hooks struct {
	// Register receives the FP's registration: the token to present when
	// calling it (give it to NewClient) and its base URL.
	Register func(ctx context.Context, m Register) error
	// Handshake receives the FP's handshake; answer it with
	// Client.HandshakeAcknowledge (after returning: the FP waits for this
	// request's 204 first).
	Handshake func(ctx context.Context, m Handshake) error
	// HandshakeAcknowledge receives the FP's answer to our handshake.
	HandshakeAcknowledge func(ctx context.Context, m HandshakeAcknowledge) error
	// Heartbeat receives the FP's heartbeat.
	Heartbeat func(ctx context.Context, m Heartbeat) error
	// UpdateGroupCapacityForecast receives a group's new capacity forecast.
	UpdateGroupCapacityForecast func(ctx context.Context, m CapacityForecast) error
	// AdjustGroupCapacityForecast receives an adjusted capacity forecast.
	AdjustGroupCapacityForecast func(ctx context.Context, m CapacityForecast) error
	// GroupCapacityComplianceError receives a report that a group did not
	// keep to its forecast.
	GroupCapacityComplianceError func(ctx context.Context, m ComplianceError) error
	// UpdateGroupMeasurements receives a group's energy measurements:
	// SolarNetwork sends them every capacityOptimizerMeasurementPeriod
	// for the group's assets whose audience is the Capacity Optimizer.
	UpdateGroupMeasurements func(ctx context.Context, m GroupMeasurements) error
	// UpdateAssetMeasurements receives measurements asset by asset, as
	// UpdateGroupMeasurements.
	UpdateAssetMeasurements func(ctx context.Context, m AssetMeasurements) error
}

// RequestInfo is what the OSCP headers of a request say.
type RequestInfo struct {
	// Message is the message name, such as MsgHeartbeat.
	Message string
	// RequestID is the X-Request-ID header.
	RequestID string
	// CorrelationID is the X-Correlation-ID header, or "".
	CorrelationID string
}

type infoKey struct{}

// RequestInfoFrom returns the request's OSCP headers inside a hook.
func RequestInfoFrom(ctx context.Context) (RequestInfo, bool) {
	ri, ok := ctx.Value(infoKey{}).(RequestInfo)
	return ri, ok
}

// HandlerOption configures a Handler.
type HandlerOption func(*Handler) error

// WithForecasts stores every valid update_ and adjust_group_capacity_forecast
// in f (before the hooks run), so that f.MayDraw answers from them.
func WithForecasts(f *Forecasts) HandlerOption {
	return func(h *Handler) error {
		if f == nil {
			return energy.Invalid("WithForecasts", "nil")
		}
		h.forecasts = f
		return nil
	}
}

// WithHandlerLogger logs each message at debug level and refusals at
// info level; tokens never appear. nil is an error. The default is
// silence.
func WithHandlerLogger(l *slog.Logger) HandlerOption {
	return func(h *Handler) error {
		if l == nil {
			return energy.Invalid("WithHandlerLogger", "nil logger (omit the option for silence)")
		}
		h.log = l
		return nil
	}
}

// WithBearer accepts "Authorization: Bearer …" as well as the Token, for
// an optimizer configured in SolarNetwork with OAuth client settings
// (oscp.ServiceProps.OAuth): SolarNetwork then fetches an access token
// from the optimizer's token URL and presents it as a Bearer token. verify
// checks such a token (its signature, expiry and audience: what that means
// is the token issuer's business) and reports whether it is valid. nil is
// an error.
func WithBearer(verify func(ctx context.Context, token string) bool) HandlerOption {
	return func(h *Handler) error {
		if verify == nil {
			return energy.Invalid("WithBearer", "nil verify function")
		}
		h.bearer = verify
		return nil
	}
}

// WithMaxBodyBytes bounds a message body; a larger one is refused with 400.
// The default is 1 MiB.
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(h *Handler) error {
		if n <= 0 {
			return energy.Invalid("WithMaxBodyBytes", "%d is not positive", n)
		}
		h.maxBody = n
		return nil
	}
}

// Handler is the Capacity Optimizer's OSCP 2.0 endpoint: mount it at the
// base URL registered with the Flexibility Provider; it serves POST
// <base>/<message> for the messages a Capacity Optimizer receives. It is
// safe for concurrent use.
//
// Answers: 204 for an accepted message; 401 when "Authorization: Token …"
// (or, with WithBearer, "Bearer …") is missing or wrong; 400 when X-Request-ID is missing or the message is
// invalid; 501 for a register without a version_url for OSCP 2.0; 404 for
// an unknown message; 405 for a method other than POST.
// Every refusal carries X-Error-Message.
type Handler struct {
	hooks     Hooks
	bearer    func(ctx context.Context, token string) bool
	forecasts *Forecasts
	log       *slog.Logger
	maxBody   int64

	mu    sync.RWMutex
	token [sha256.Size]byte // the token's hash: compared in constant time whatever its length
}

// NewHandler returns a Handler that accepts requests bearing token (the one
// this optimizer gave the FP in its Register message).
func NewHandler(token string, hooks Hooks, opts ...HandlerOption) (*Handler, error) {
	if token == "" {
		return nil, energy.Invalid("token", "empty")
	}
	h := &Handler{hooks: hooks, log: slog.New(slog.DiscardHandler), maxBody: 1 << 20, token: sha256.Sum256([]byte(token))}
	for _, o := range opts {
		if err := o(h); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// SetToken replaces the token requests must bear, such as after a new
// registration.
func (h *Handler) SetToken(token string) error {
	if token == "" {
		return energy.Invalid("token", "empty")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.token = sha256.Sum256([]byte(token))
	return nil
}

func (h *Handler) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	if tok, ok := strings.CutPrefix(auth, "Bearer "); ok && h.bearer != nil {
		tok = strings.TrimSpace(tok)
		return tok != "" && h.bearer(r.Context(), tok)
	}
	got, ok := strings.CutPrefix(auth, "Token ")
	sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
	h.mu.RLock()
	defer h.mu.RUnlock()
	// Hashes of equal length are compared in constant time whatever the
	// prefix, so timing says nothing about the token, not even its length.
	eq := subtle.ConstantTimeCompare(sum[:], h.token[:]) == 1
	return ok && eq
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	msg := path.Base(r.URL.Path)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, msg, http.StatusMethodNotAllowed, "only POST is allowed")
		return
	}
	if !h.authorized(r) {
		h.refuse(w, r, msg, http.StatusUnauthorized, "missing or invalid token")
		return
	}
	info := RequestInfo{Message: msg, RequestID: r.Header.Get("X-Request-ID"), CorrelationID: r.Header.Get("X-Correlation-ID")}
	if info.RequestID == "" {
		h.refuse(w, r, msg, http.StatusBadRequest, "X-Request-ID header required")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.maxBody+1))
	if err != nil {
		h.refuse(w, r, msg, http.StatusBadRequest, "reading body: "+err.Error())
		return
	}
	if int64(len(body)) > h.maxBody {
		h.refuse(w, r, msg, http.StatusBadRequest, "body too large")
		return
	}
	ctx := context.WithValue(r.Context(), infoKey{}, info)
	var hookErr error
	switch msg {
	case MsgRegister:
		hookErr = dispatch(ctx, body, h.register, nil)
	case MsgHandshake:
		hookErr = dispatch(ctx, body, h.hooks.Handshake, nil)
	case MsgHandshakeAcknowledge:
		hookErr = dispatch(ctx, body, h.hooks.HandshakeAcknowledge, nil)
	case MsgHeartbeat:
		hookErr = dispatch(ctx, body, h.hooks.Heartbeat, nil)
	case MsgUpdateGroupCapacityForecast:
		hookErr = dispatch(ctx, body, h.hooks.UpdateGroupCapacityForecast, h.store)
	case MsgAdjustGroupCapacityForecast:
		hookErr = dispatch(ctx, body, h.hooks.AdjustGroupCapacityForecast, h.store)
	case MsgGroupCapacityComplianceError:
		hookErr = dispatch(ctx, body, h.hooks.GroupCapacityComplianceError, nil)
	case MsgUpdateGroupMeasurements:
		hookErr = dispatch(ctx, body, h.hooks.UpdateGroupMeasurements, nil)
	case MsgUpdateAssetMeasurements:
		hookErr = dispatch(ctx, body, h.hooks.UpdateAssetMeasurements, nil)
	default:
		h.refuse(w, r, msg, http.StatusNotFound, "unknown message "+msg)
		return
	}
	var de *decodeError
	switch {
	case errors.Is(hookErr, errNoVersion):
		h.refuse(w, r, msg, http.StatusNotImplemented, "no version_url for OSCP "+Version)
	case errors.As(hookErr, &de):
		h.refuse(w, r, msg, http.StatusBadRequest, "invalid "+msg+": "+de.err.Error())
	case errors.Is(hookErr, energy.ErrInvalid):
		h.refuse(w, r, msg, http.StatusBadRequest, hookErr.Error())
	case hookErr != nil:
		h.refuse(w, r, msg, http.StatusInternalServerError, hookErr.Error())
	default:
		h.log.LogAttrs(r.Context(), slog.LevelDebug, "oscp message", slog.String("message", msg), slog.String("request_id", info.RequestID))
		w.WriteHeader(http.StatusNoContent)
	}
}

// errNoVersion refuses a registration this package cannot speak to.
var errNoVersion = errors.New("no common OSCP version")

// register refuses a Register without a 2.0 base URL with 501, as
// SolarNetwork's FP does, before the hook sees it.
func (h *Handler) register(ctx context.Context, m Register) error {
	if _, ok := m.BaseURL(Version); !ok {
		return errNoVersion
	}
	if h.hooks.Register == nil {
		return nil
	}
	return h.hooks.Register(ctx, m)
}

func (h *Handler) store(_ context.Context, f CapacityForecast) {
	if h.forecasts != nil {
		h.forecasts.Put(f)
	}
}

// decodeError marks a message that failed decoding or validation, as
// opposed to a hook's error.
type decodeError struct{ err error }

func (e *decodeError) Error() string { return e.err.Error() }

// dispatch decodes body into a T, stores it (when store is set) and calls
// the hook.
func dispatch[T Message](ctx context.Context, body []byte, hook func(context.Context, T) error, store func(context.Context, T)) error {
	var m T
	if err := Decode(body, any(&m).(Message)); err != nil {
		return &decodeError{err}
	}
	if store != nil {
		store(ctx, m)
	}
	if hook == nil {
		return nil
	}
	return hook(ctx, m)
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, msg string, status int, reason string) {
	h.log.LogAttrs(r.Context(), slog.LevelInfo, "oscp message refused", slog.String("message", msg),
		slog.Int("status", status), slog.String("reason", reason))
	w.Header().Set("X-Error-Message", sanitize(reason))
	w.WriteHeader(status)
}

// sanitize keeps a header value on one line.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
