package openadr

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"hash/maphash"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/internal/randcache"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// PathPrefix is the path under which the simple-HTTP services live; the VTN
// serves {anything}/OpenADR2/Simple/2.0b/{service}, so it can be mounted
// under a prefix of its own.
const PathPrefix = "/OpenADR2/Simple/2.0b/"

// VTN is an OpenADR 2.0b Virtual Top Node for VENs over simple HTTP, pull
// mode (they poll) or push mode (Deliver posts to them). It is an
// http.Handler; its methods are the application's side: events, report
// requests, telemetry, cancellation. It starts no goroutines and is safe
// for concurrent use.
type VTN struct {
	id            string
	store         Store
	log           *slog.Logger
	clock         clock.Clock
	pollFreq      time.Duration
	maxBody       int64
	maxVENs       int
	maxAnswer     int
	marketContext string
	delivery      ReportRequestDelivery
	hooks         hooks
	profiles      []oadr.Profile
	shapes        oadr.Shapes                                // the shapes of VENs' polls and reports (VTN.decode)
	offers        *randcache.Cache[[]oadr.ReportDescription] // the offer cache (offers.go)
	answers       answerSignal
	// provisioned are the WithVENFingerprint pairs as given; allowed maps
	// each normalised fingerprint to its venID (nil: no allow-list).
	provisioned []provisionedVEN
	allowed     map[string]string
	life        lifecycle  // liveness and registration lifecycle (liveness.go)
	sig         *signing   // XML signatures (signing.go); nil when off
	push        pushConfig // push delivery (push.go)

	// redeliverAfter is WithRedeliverAfter's polls; 0 sends nothing twice.
	redeliverAfter int

	// quiet is the VTN's MemStore when it keeps v's summaries of each
	// VEN's state, else nil; epoch and quietSeed are theirs (quiet.go).
	quiet     *MemStore
	epoch     time.Time
	quietSeed maphash.Seed
}

// NewVTN returns a VTN named vtnID. It does no I/O.
//
// OpenLEADR's VEN (main branch) rejects every event from a VTN whose vtnID
// is all lower case, so NewVTN refuses such an ID: use at least one
// upper-case letter, e.g. "VTN_GRIDWIRE".
func NewVTN(vtnID string, opts ...Option) (*VTN, error) {
	v := &VTN{
		id:            vtnID,
		store:         NewMemStore(),
		clock:         clock.System(),
		log:           slog.New(slog.DiscardHandler),
		pollFreq:      DefaultPollFrequency,
		maxBody:       DefaultMaxBodyBytes,
		maxVENs:       DefaultMaxVENs,
		maxAnswer:     DefaultMaxAnswerBytes,
		marketContext: DefaultMarketContext,
		delivery:      DeliverByPoll,
		life:          defaultLifecycle(),
		profiles: []oadr.Profile{{
			Name:       oadr.Profile20b,
			Transports: []oadr.TransportName{oadr.TransportSimpleHTTP},
		}},

		redeliverAfter: DefaultRedeliverAfter,
	}
	for _, o := range opts {
		o(v)
	}
	if err := checkID("vtnID", vtnID); err != nil {
		return nil, err
	}
	if isLowerOnly(vtnID) {
		return nil, energy.Invalid("vtnID", "%q has no upper-case letter; OpenLEADR VENs opt out of every event from such a VTN", vtnID)
	}
	switch {
	case v.store == nil:
		return nil, energy.Invalid("WithStore", "nil store")
	case v.clock == nil:
		return nil, energy.Invalid("WithClock", "nil clock (omit the option for the system clock)")
	case v.log == nil:
		return nil, energy.Invalid("WithLogger", "nil logger (omit the option for silence)")
	case v.pollFreq <= 0 || v.pollFreq%time.Second != 0:
		return nil, energy.Invalid("WithPollFrequency", "%v is not a positive whole number of seconds", v.pollFreq)
	case v.maxBody <= 0:
		return nil, energy.Invalid("WithMaxBodyBytes", "%d is not positive", v.maxBody)
	case v.maxVENs <= 0:
		return nil, energy.Invalid("WithMaxVENs", "%d is not positive", v.maxVENs)
	case v.maxAnswer < minAnswerBytes:
		return nil, energy.Invalid("WithMaxAnswerBytes", "%d is below %d", v.maxAnswer, minAnswerBytes)
	case v.redeliverAfter < 0:
		return nil, energy.Invalid("WithRedeliverAfter", "%d is negative", v.redeliverAfter)
	case v.marketContext == "":
		return nil, energy.Invalid("WithMarketContext", "empty market context")
	case v.delivery != DeliverByPoll && v.delivery != DeliverInRegisteredReport:
		return nil, energy.Invalid("WithReportRequestDelivery", "unknown delivery %d", v.delivery)
	}
	if err := v.life.validate(); err != nil {
		return nil, err
	}
	if err := v.buildAllowList(); err != nil {
		return nil, err
	}
	if err := v.setupSigning(); err != nil {
		return nil, err
	}
	if err := v.push.setup(); err != nil {
		return nil, err
	}
	v.offers = randcache.New[[]oadr.ReportDescription](offerCacheLen)
	v.setupQuiet()
	return v, nil
}

// ID returns the VTN's vtnID.
func (v *VTN) ID() string { return v.id }

// Handler returns the VTN as an http.Handler (the VTN itself).
func (v *VTN) Handler() http.Handler { return v }

// ServeHTTP answers one OpenADR request: POST {prefix}/OpenADR2/Simple/2.0b/
// {EiRegisterParty|EiEvent|EiReport|EiOpt|OadrPoll} with one oadrPayload.
// Protocol problems (garbage, unknown or misplaced messages, unknown venIDs)
// are answered with HTTP 200 and an eiResponse code in the answer the
// message calls for; HTTP errors are used only for what is not an OpenADR
// request at all: 404 for other paths, 405 for other methods, 413 for a body
// over the limit, 400 for a body that could not be read.
func (v *VTN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	svc, ok := serviceOf(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "OpenADR services accept POST only", http.StatusMethodNotAllowed)
		return
	}
	in := inPool.Get().(*request)
	defer in.put()
	if r.ContentLength > v.maxBody {
		v.tooLarge(w)
		return
	}
	body, err := in.read(r.Body, v.maxBody)
	switch {
	case errors.Is(err, errTooLarge):
		v.tooLarge(w)
		return
	case err != nil:
		v.log.DebugContext(r.Context(), "openadr: reading request body", "service", svc, "err", err)
		v.write(w, http.StatusBadRequest, oadr.NewResponse(oadr.CodeBadRequest, "request body could not be read", ""))
		return
	}
	answer, undo := v.handle(r.Context(), svc, identify(r), body)
	err = v.write(w, http.StatusOK, answer)
	if undo == nil {
		return
	}
	// The answer hands the VEN a message. A small answer sits in the
	// server's buffer until the handler returns; flushing it now is how a
	// failure to send it shows.
	if err == nil {
		err = http.NewResponseController(w).Flush()
		if errors.Is(err, http.ErrNotSupported) {
			err = nil
		}
	}
	if err != nil {
		// The VEN never got the message it was handed; it stays first in
		// its queue for the next poll.
		undo(context.WithoutCancel(r.Context()))
	}
}

// handle decodes one request body and returns the answer to send and, for
// a poll answered with a queued message, the function that puts the
// message back when the answer could not be written.
func (v *VTN) handle(ctx context.Context, svc oadr.ServiceName, c Caller, body []byte) (answer oadr.Message, undo func(context.Context)) {
	var (
		msg oadr.Message
		err error
	)
	if v.sig == nil {
		msg, err = v.decode(body)
	} else {
		var refusal oadr.Message
		if msg, c, refusal, err = v.verify(ctx, c, body); refusal != nil {
			return refusal, nil
		}
	}
	if err != nil {
		return v.decodeErrorAnswer(ctx, svc, err), nil
	}
	name := msg.MessageName()
	if err := checkWireIDs(msg); err != nil {
		v.log.InfoContext(ctx, "openadr: request refused", "message", name, "venID", logID(venIDOf(msg)), "code", int(err.Code), "reason", err.Description)
		// Nothing of an oversized ID is echoed.
		return v.errorAnswer(name, "", "", err), nil
	}
	switch p, isPoll := msg.(*oadr.Poll); {
	case !served(svc, name):
		err = Reject(oadr.CodeComplianceError, "%s is not accepted at %s", name, svc)
	case isPoll:
		answer, undo, err = v.poll(ctx, c, p)
		if a, ok := v.unknownPoll(p, err); ok {
			answer, err = a, nil
		}
	default:
		if r, ok := msg.(*oadr.RequestEvent); ok {
			// Its answer, like a poll's, may take a queued message.
			answer, undo, err = v.requestEvent(ctx, c, r)
		} else {
			answer, err = v.route(ctx, c, msg)
		}
		v.settle(ctx, c, msg)
	}
	if err != nil {
		pe := protocolError(err)
		_, isResponse := errors.AsType[*ResponseError](err)
		switch {
		case ctx.Err() != nil:
			// The VEN went away mid-request; nobody will read the answer.
			v.log.DebugContext(ctx, "openadr: request abandoned", "message", name, "venID", logID(venIDOf(msg)), "err", err)
		case !isResponse && !errors.Is(err, ErrUnknownVEN):
			v.log.ErrorContext(ctx, "openadr: handling request", "message", name, "venID", logID(venIDOf(msg)), "err", err)
		default:
			v.log.InfoContext(ctx, "openadr: request refused", "message", name, "venID", logID(venIDOf(msg)), "code", int(pe.Code), "reason", pe.Description)
		}
		return v.errorAnswer(name, requestIDOf(msg), venIDOf(msg), pe), nil
	}
	if v.log.Enabled(ctx, slog.LevelDebug) {
		v.log.DebugContext(ctx, "openadr: request", "message", name, "venID", logID(venIDOf(msg)), "remote", c.RemoteAddr, "answer", answer.MessageName())
	}
	return answer, undo
}

// route calls the handler of a message. Each returns the answer, or an error
// that handle turns into an eiResponse in the answer the message calls for.
func (v *VTN) route(ctx context.Context, c Caller, msg oadr.Message) (oadr.Message, error) {
	switch m := msg.(type) {
	case *oadr.QueryRegistration:
		return v.queryRegistration(m), nil
	case *oadr.CreatePartyRegistration:
		return v.createPartyRegistration(ctx, c, m)
	case *oadr.CancelPartyRegistration:
		return v.cancelPartyRegistration(ctx, c, m)
	case *oadr.CanceledPartyRegistration:
		return v.canceledPartyRegistration(ctx, c, m)
	case *oadr.Response:
		return v.response(ctx, c, m)
	case *oadr.RegisterReport:
		return v.registerReport(ctx, c, m)
	case *oadr.RegisteredReport:
		return v.registeredReport(ctx, c, m)
	case *oadr.CreateReport:
		return v.createReport(ctx, c, m)
	case *oadr.CreatedReport:
		return v.createdReport(ctx, c, m)
	case *oadr.UpdateReport:
		return v.updateReport(ctx, c, m)
	case *oadr.CancelReport:
		return v.cancelReport(ctx, c, m)
	case *oadr.CanceledReport:
		return v.canceledReport(ctx, c, m)
	case *oadr.CreatedEvent:
		return v.createdEvent(ctx, c, m)
	case *oadr.CreateOpt:
		return v.createOpt(ctx, c, m)
	case *oadr.CancelOpt:
		return v.cancelOpt(ctx, c, m)
	}
	// served() lets through only the messages above, and oadrPoll and
	// oadrRequestEvent, which handle answers itself.
	return nil, Reject(oadr.CodeComplianceError, "%s is not sent to a VTN", msg.MessageName())
}

// services lists the messages each service accepts from a VEN. A VTN's own
// messages (oadrDistributeEvent, oadrCreatedPartyRegistration, …) are
// accepted nowhere.
var services = map[oadr.ServiceName][]string{
	oadr.ServiceEiRegisterParty: {"oadrQueryRegistration", "oadrCreatePartyRegistration",
		"oadrCancelPartyRegistration", "oadrCanceledPartyRegistration", "oadrResponse"},
	oadr.ServiceEiEvent: {"oadrRequestEvent", "oadrCreatedEvent"},
	oadr.ServiceEiReport: {"oadrRegisterReport", "oadrRegisteredReport", "oadrCreateReport",
		"oadrCreatedReport", "oadrUpdateReport", "oadrCancelReport", "oadrCanceledReport"},
	oadr.ServiceEiOpt:    {"oadrCreateOpt", "oadrCancelOpt"},
	oadr.ServiceOadrPoll: {"oadrPoll"},
}

func served(svc oadr.ServiceName, name string) bool {
	for _, n := range services[svc] {
		if n == name {
			return true
		}
	}
	return false
}

// serviceOf returns the service a request path names.
func serviceOf(path string) (oadr.ServiceName, bool) {
	path = strings.TrimSuffix(path, "/")
	i := strings.LastIndexByte(path, '/')
	if i < 0 || !strings.HasSuffix(path[:i+1], PathPrefix) {
		return "", false
	}
	svc := oadr.ServiceName(path[i+1:])
	_, ok := services[svc]
	return svc, ok
}

// write sends msg with the given HTTP status. It returns an error when w
// refused the answer (the VEN went away), not when msg failed to encode: the
// VEN then gets an error answer, and sending msg again would fail again. A
// small answer stays in the server's buffer: ServeHTTP flushes the answers
// whose loss matters.
func (v *VTN) write(w http.ResponseWriter, status int, msg oadr.Message) error {
	bp := outPool.Get().(*[]byte)
	defer putOut(bp)
	b, err := oadr.AppendMarshal((*bp)[:0], msg)
	if err != nil {
		// Only a value the application gave us can cause this (a NaN in an
		// event, say); the VEN still gets a valid answer.
		v.log.Error("openadr: encoding answer", "message", msg.MessageName(), "err", err)
		b, _ = oadr.AppendMarshal((*bp)[:0], oadr.NewResponse(oadr.CodeDeploymentError, "the VTN could not encode its answer", requestIDOfAnswer(msg)))
	}
	if d, ok := msg.(*oadr.DistributeEvent); ok && err == nil && len(b) > v.maxAnswer {
		// An event list larger than a VEN reads: send the part that
		// matters most (a copy: msg may be an application's queued message).
		trimmed := *d
		left := v.fit(&trimmed, len(b))
		v.log.Warn("openadr: event list trimmed to the answer size limit",
			"sent", len(trimmed.Events), "leftOut", left, "limit", v.maxAnswer)
		b, _ = oadr.AppendMarshal(b[:0], &trimmed)
	}
	*bp = b
	if v.sig != nil {
		b = v.sign(b, msg.MessageName())
	}
	h := w.Header()
	h["Content-Type"] = contentType
	// An explicit length spares small VEN HTTP stacks a chunked answer.
	h["Content-Length"] = contentLength(len(b))
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

var contentType = []string{"application/xml"}

// contentLengths holds the Content-Length header values of the answer sizes
// met so far, up to 8 KiB (acks and most event lists), each made once: a VTN
// answers many polls of the same few sizes, and the header value is shared
// read-only, as contentType is.
var contentLengths [8 << 10]atomic.Pointer[[]string]

func contentLength(n int) []string {
	if n >= len(contentLengths) {
		return []string{strconv.Itoa(n)}
	}
	if v := contentLengths[n].Load(); v != nil {
		return *v
	}
	v := []string{strconv.Itoa(n)}
	contentLengths[n].Store(&v)
	return v
}

func (v *VTN) tooLarge(w http.ResponseWriter) {
	// The body was not read to its end, so the connection cannot be reused.
	w.Header().Set("Connection", "close")
	v.write(w, http.StatusRequestEntityTooLarge, oadr.NewResponse(oadr.CodeEntityTooLarge, "request body over the VTN's limit", ""))
}

var (
	inPool  = sync.Pool{New: func() any { return new(request) }}
	outPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}
)

// maxPooled keeps one huge request from pinning its buffer for good.
const maxPooled = 64 << 10

// request is a pooled buffer for a request body, with the reader that
// bounds it: pooled together, reading a body allocates nothing (where
// http.MaxBytesReader would allocate its reader for every request).
type request struct {
	buf   bytes.Buffer
	limit io.LimitedReader
}

var errTooLarge = errors.New("request body over the VTN's limit")

// read reads body whole, or fails with errTooLarge once it is longer than
// max. The bytes are good until put.
func (in *request) read(body io.Reader, max int64) ([]byte, error) {
	in.buf.Reset()
	n := max
	if n < math.MaxInt64 {
		n++ // one byte more than allowed tells a body over the limit
	}
	in.limit = io.LimitedReader{R: body, N: n}
	_, err := in.buf.ReadFrom(&in.limit)
	in.limit.R = nil
	switch {
	case err != nil:
		return nil, err
	case int64(in.buf.Len()) > max:
		return nil, errTooLarge
	}
	return in.buf.Bytes(), nil
}

func (in *request) put() {
	if in.buf.Cap() <= maxPooled {
		inPool.Put(in)
	}
}

func putOut(b *[]byte) {
	if cap(*b) <= maxPooled {
		outPool.Put(b)
	}
}

// newID returns a fresh random identifier for requestIDs, venIDs,
// registrationIDs and the like.
func newID() string { return rand.Text() }

// checkID validates an identifier the application supplies.
func checkID(field, s string) error {
	switch {
	case s == "":
		return energy.Invalid(field, "empty")
	case strings.TrimSpace(s) != s:
		return energy.Invalid(field, "%q has surrounding blanks", s)
	case !utf8.ValidString(s):
		return energy.Invalid(field, "not valid UTF-8")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return energy.Invalid(field, "%q contains a control character", s)
	}
	return nil
}

// maxWireID bounds the venID, requestID and registrationID a message may
// carry. IDs in the wild are UUIDs or shorter; a longer one is refused (452)
// before the VTN stores, logs or echoes it.
const maxWireID = 256

// checkWireIDs refuses a message whose venID, requestID or registrationID
// is over maxWireID.
func checkWireIDs(msg oadr.Message) *ResponseError {
	if n := len(venIDOf(msg)); n > maxWireID {
		return Reject(oadr.CodeInvalidID, "venID of %d bytes is longer than the %d this VTN accepts", n, maxWireID)
	}
	if n := len(requestIDOf(msg)); n > maxWireID {
		return Reject(oadr.CodeInvalidID, "requestID of %d bytes is longer than the %d this VTN accepts", n, maxWireID)
	}
	var regID string
	switch m := msg.(type) {
	case *oadr.CreatePartyRegistration:
		regID = m.RegistrationID
	case *oadr.CancelPartyRegistration:
		regID = m.RegistrationID
	case *oadr.CanceledPartyRegistration:
		regID = m.RegistrationID
	}
	if n := len(regID); n > maxWireID {
		return Reject(oadr.CodeInvalidID, "registrationID of %d bytes is longer than the %d this VTN accepts", n, maxWireID)
	}
	return nil
}

// maxLoggedID is how much of an identifier from the wire a log line shows.
const maxLoggedID = 64

// logID returns s, cut to maxLoggedID bytes (on a rune boundary) and marked
// with its length when longer, so that a client cannot write megabytes into
// the VTN's log per request.
func logID(s string) string {
	if len(s) <= maxLoggedID {
		return s
	}
	cut := s[:maxLoggedID]
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cut + "…(" + strconv.Itoa(len(s)) + " bytes)"
}

// isLowerOnly mirrors Python's str.islower: at least one cased letter and
// none upper case.
func isLowerOnly(s string) bool {
	cased := false
	for _, r := range s {
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			return false
		}
		if unicode.IsLower(r) {
			cased = true
		}
	}
	return cased
}
