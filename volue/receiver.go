package volue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// Receiver defaults.
const (
	// DefaultMaxBodyBytes bounds a delivery's body.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultDedupWindow is how long a handled event is remembered, well
	// beyond Volue's three retries.
	DefaultDedupWindow = 24 * time.Hour
	// DefaultDedupCapacity bounds how many handled events are remembered.
	DefaultDedupCapacity = 10000
)

// Hook handles one verified, first-time delivery. An error makes the
// Receiver answer 500, so that Volue delivers the event again (it retries a
// delivery up to three times, with back-off, then drops it; the event stays
// readable through Client.ListEvents). Return quickly: Volue waits for the
// answer.
type Hook func(ctx context.Context, e Event) error

// Receiver is the http.Handler a webhook's URL points at. It answers:
//
//   - 405 to anything but POST;
//   - 413 to a body over the limit (WithMaxBodyBytes);
//   - 401 to a delivery without a valid signature (X-Payload-Signature, or
//     Spark-Signature, = Base64(HMAC-SHA256(secret, raw body)) for one of the
//     secrets), compared in constant time;
//   - 400 to a signed body that is not an event;
//   - 204 without calling the hook to a redelivery of an event already
//     handled within the dedup window, and 409 to one that arrives while the
//     first delivery is still being handled (Volue retries it later);
//   - 500 when the hook fails (Volue retries), 204 when it succeeds.
//
// None but verified, first-time deliveries reach the hook. Several secrets
// may be valid at once, to rotate a secret without losing deliveries:
// register the new one with Volue, add it here (SetSecrets), then drop the
// old one. The Receiver is safe for concurrent use and starts no
// goroutines.
type Receiver struct {
	hook    Hook
	maxBody int64
	legacy  bool
	clock   clock.Clock
	log     *slog.Logger
	dedup   *dedup

	// secrets is behind a pointer so that printing a Receiver (%+v) shows
	// an address, not the keys' bytes; atomic, so SetSecrets needs no lock.
	secrets atomic.Pointer[[][]byte]
}

// ReceiverOption configures a Receiver.
type ReceiverOption func(*receiverOptions)

type receiverOptions struct {
	maxBody  int64
	window   time.Duration
	capacity int
	legacy   bool
	clock    clock.Clock
	log      *slog.Logger
}

// WithMaxBodyBytes bounds a delivery's body; a larger one is answered 413.
// The default is DefaultMaxBodyBytes; n must be positive.
func WithMaxBodyBytes(n int64) ReceiverOption { return func(o *receiverOptions) { o.maxBody = n } }

// WithDedup sets how long, and how many, handled events are remembered to
// recognise redeliveries. window 0 turns de-duplication off. The defaults
// are DefaultDedupWindow and DefaultDedupCapacity.
func WithDedup(window time.Duration, capacity int) ReceiverOption {
	return func(o *receiverOptions) { o.window, o.capacity = window, capacity }
}

// WithLegacySecretHeader also accepts a Spark-Signature header that is the
// webhook secret itself, the literal reading of the older documentation.
// It is off by default: a header that carries the secret proves less than
// a signature, since anyone who saw one delivery can forge the next.
func WithLegacySecretHeader() ReceiverOption { return func(o *receiverOptions) { o.legacy = true } }

// WithReceiverClock sets the clock the dedup window goes by; the system
// clock by default. nil is an error.
func WithReceiverClock(c clock.Clock) ReceiverOption { return func(o *receiverOptions) { o.clock = c } }

// WithReceiverLogger logs every refused delivery at warn level and every
// handled one at debug level, without signatures or secrets. nil is an
// error; the default is silence.
func WithReceiverLogger(l *slog.Logger) ReceiverOption {
	return func(o *receiverOptions) { o.log = l }
}

// NewReceiver returns a Receiver that hands verified events to hook.
// secrets are the webhook secrets deliveries may be signed with; at least
// one, none empty.
func NewReceiver(hook Hook, secrets []string, opts ...ReceiverOption) (*Receiver, error) {
	o := receiverOptions{maxBody: DefaultMaxBodyBytes, window: DefaultDedupWindow, capacity: DefaultDedupCapacity,
		clock: clock.System(), log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	switch {
	case hook == nil:
		return nil, energy.Invalid("hook", "nil")
	case o.maxBody <= 0:
		return nil, energy.Invalid("WithMaxBodyBytes", "%d is not positive", o.maxBody)
	case o.window < 0:
		return nil, energy.Invalid("WithDedup", "window %v is negative", o.window)
	case o.window > 0 && o.capacity <= 0:
		return nil, energy.Invalid("WithDedup", "capacity %d is not positive", o.capacity)
	case o.clock == nil:
		return nil, energy.Invalid("WithReceiverClock", "nil clock")
	case o.log == nil:
		return nil, energy.Invalid("WithReceiverLogger", "nil logger (omit the option for silence)")
	}
	r := &Receiver{hook: hook, maxBody: o.maxBody, legacy: o.legacy, clock: o.clock, log: o.log,
		dedup: newDedup(o.window, o.capacity)}
	if err := r.SetSecrets(secrets...); err != nil {
		return nil, err
	}
	return r, nil
}

// SetSecrets replaces the secrets deliveries may be signed with; at least
// one, none empty.
func (r *Receiver) SetSecrets(secrets ...string) error {
	if len(secrets) == 0 {
		return energy.Invalid("secrets", "at least one secret is required")
	}
	keys := make([][]byte, len(secrets))
	for i, s := range secrets {
		if s == "" {
			return energy.Invalid("secrets", "secret %d is empty", i)
		}
		keys[i] = []byte(s)
	}
	r.secrets.Store(&keys)
	return nil
}

// ServeHTTP implements http.Handler.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	ctx := req.Context()
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		r.refuse(ctx, w, http.StatusMethodNotAllowed, "method "+req.Method)
		return
	}
	if req.ContentLength > r.maxBody {
		r.refuse(ctx, w, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, r.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			r.refuse(ctx, w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		r.refuse(ctx, w, http.StatusBadRequest, "reading body: "+err.Error())
		return
	}
	if !r.verify(req.Header, body) {
		r.refuse(ctx, w, http.StatusUnauthorized, "missing or invalid signature")
		return
	}
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		r.refuse(ctx, w, http.StatusBadRequest, "signed body is not an event: "+err.Error())
		return
	}
	key := ev.ID
	if key == "" {
		// An event without an id is recognised by its exact bytes.
		sum := sha256.Sum256(body)
		key = "sha256:" + hex.EncodeToString(sum[:])
	}
	switch r.dedup.begin(key, r.clock.Now()) {
	case dedupSeen:
		r.log.LogAttrs(ctx, slog.LevelDebug, "volue webhook: redelivery ignored", slog.String("event", ev.ID))
		w.WriteHeader(http.StatusNoContent)
		return
	case dedupInFlight:
		r.refuse(ctx, w, http.StatusConflict, "event "+ev.ID+" is being handled")
		return
	}
	handled := false
	// Deferred, so that a panicking hook does not leave the event marked
	// in flight (every redelivery would get 409).
	defer func() { r.dedup.end(key, r.clock.Now(), handled) }()
	err = r.hook(ctx, ev)
	handled = err == nil
	if err != nil {
		r.log.LogAttrs(ctx, slog.LevelWarn, "volue webhook: hook failed; answering 500 so that Volue retries",
			slog.String("event", ev.ID), slog.String("type", string(ev.Type)), slog.String("error", err.Error()))
		http.Error(w, "event not handled", http.StatusInternalServerError)
		return
	}
	r.log.LogAttrs(ctx, slog.LevelDebug, "volue webhook: event handled", slog.String("event", ev.ID), slog.String("type", string(ev.Type)))
	w.WriteHeader(http.StatusNoContent)
}

func (r *Receiver) verify(h http.Header, body []byte) bool {
	secrets := *r.secrets.Load()
	if sig := h.Get(SignatureHeader); sig != "" {
		return verifySignature(secrets, body, sig)
	}
	sig := h.Get(LegacySignatureHeader)
	if sig == "" {
		return false
	}
	return verifySignature(secrets, body, sig) || (r.legacy && verifyLegacySecret(secrets, sig))
}

func (r *Receiver) refuse(ctx context.Context, w http.ResponseWriter, status int, why string) {
	r.log.LogAttrs(ctx, slog.LevelWarn, "volue webhook: delivery refused", slog.Int("status", status), slog.String("reason", why))
	http.Error(w, http.StatusText(status), status)
}
