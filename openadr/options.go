package openadr

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// Defaults of the VTN's options.
const (
	// DefaultPollFrequency is the oadrRequestedOadrPollFreq sent to VENs.
	DefaultPollFrequency = 10 * time.Second
	// DefaultMaxBodyBytes bounds a request body: ample for update reports
	// of hundreds of intervals, small enough that a hostile client cannot
	// make the VTN buffer much.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultMarketContext is the eiMarketContext of events that name none.
	DefaultMarketContext = "http://MarketContext1"
	// DefaultMaxVENs caps how many VENs may be registered at once: enough
	// for a sizeable fleet, few enough that a flood of registrations from
	// an unauthenticated client costs megabytes, not gigabytes (see
	// WithMaxVENs).
	DefaultMaxVENs = 10_000
	// DefaultMaxAnswerBytes bounds the encoded size of an event list sent
	// to a VEN (see WithMaxAnswerBytes): a quarter of what the openadr/ven
	// VEN reads, and far above what a battery's schedule needs.
	DefaultMaxAnswerBytes = 1 << 20
)

// Option configures a VTN.
type Option func(*VTN)

// WithStore sets where the VTN keeps its state (default: a new MemStore).
// A Store that is also a Notifier carries the wake-up of SetSchedule's wait
// between VTN processes.
func WithStore(s Store) Option {
	return func(v *VTN) {
		v.store = s
		v.answers.remote, _ = s.(Notifier)
	}
}

// WithLogger sets the logger. Without it the VTN logs nothing; nil is an
// error.
func WithLogger(l *slog.Logger) Option { return func(v *VTN) { v.log = l } }

// WithClock sets the time source: event statuses, timestamps and the
// queue's times come from it (default: the system clock).
func WithClock(c clock.Clock) Option { return func(v *VTN) { v.clock = c } }

// WithPollFrequency sets how often pull VENs are asked to poll (default
// DefaultPollFrequency); it must be a positive whole number of seconds.
func WithPollFrequency(d time.Duration) Option { return func(v *VTN) { v.pollFreq = d } }

// WithMaxBodyBytes bounds request bodies (default DefaultMaxBodyBytes). A
// larger request is answered with HTTP 413 and an oadrResponse with code 413.
func WithMaxBodyBytes(n int64) Option { return func(v *VTN) { v.maxBody = n } }

// WithMarketContext sets the market context (a URI) of events that do not
// name one (default DefaultMarketContext).
func WithMarketContext(uri string) Option { return func(v *VTN) { v.marketContext = uri } }

// WithMaxVENs caps the number of registered VENs (default DefaultMaxVENs;
// n must be positive). A new VEN registering past the cap is refused with
// 463 (not registered or authorized); a VEN that is registered already may
// always re-register. The cap is a safety net against a client that
// registers VENs in a loop, not an access control: in production approve
// VENs with WithRegistrationHook (by the client certificate in
// RegistrationRequest.Caller) or provision them with WithVENFingerprint.
// With several VTN processes sharing one Store, concurrent registrations
// may overshoot the cap by a few.
func WithMaxVENs(n int) Option { return func(v *VTN) { v.maxVENs = n } }

// WithMaxAnswerBytes bounds the encoded size of the event list
// (oadrDistributeEvent) sent to a VEN (default DefaultMaxAnswerBytes; n
// must be at least 16 KiB). A list that would be larger is trimmed: the
// events of highest priority (1 first, 0 last, as 2.0b orders them) and,
// among equals, the earliest to start are kept, and a warning is logged.
// The VEN hears of the others in a later list, once some of those sent
// have ended or been cancelled. Give the VENs a read limit above n.
func WithMaxAnswerBytes(n int) Option { return func(v *VTN) { v.maxAnswer = n } }

// WithReportRequestDelivery chooses how report requests reach the VEN
// (default DeliverByPoll, which every VEN handles).
func WithReportRequestDelivery(d ReportRequestDelivery) Option {
	return func(v *VTN) { v.delivery = d }
}

// WithVENFingerprint provisions a VEN: only a client presenting the TLS
// certificate with this fingerprint may register, and it is registered as
// venID whatever venID it sends, so that no VEN can take another's venID. The
// fingerprint is the OpenADR one (see Fingerprint), written as colon-separated
// hex pairs as OpenLEADR prints it or as 20 plain hex digits as avob does,
// in either case. Give the option once per VEN.
//
// With at least one VEN provisioned, the VTN takes registrations only from
// provisioned certificates: a client with another certificate, or none (plain
// HTTP), is refused with 463. The registration hook still runs, and may
// reject; a venID it assigns must be the provisioned one.
//
// Whether VENs are provisioned or not, a VEN is bound to the client
// certificate it registered with, or to none (see Caller): requests naming
// its venID or registrationID from a client with another certificate are
// refused with 463, and re-registering does not change the binding; only
// VTN.BindCertificate does. Over plain HTTP there is no certificate and
// nothing to bind: anyone who knows a venID can act as that VEN (poll its
// events, post its reports, cancel its registration). Serve plain HTTP for
// development only, or behind a proxy that authenticates VENs.
func WithVENFingerprint(venID, fingerprint string) Option {
	return func(v *VTN) { v.provisioned = append(v.provisioned, provisionedVEN{venID, fingerprint}) }
}

type provisionedVEN struct{ venID, fingerprint string }

// RegistrationHook decides on a VEN's oadrCreatePartyRegistration. It is
// called without any lock held and may call the VTN's methods.
type RegistrationHook func(ctx context.Context, req RegistrationRequest) (Decision, error)

// WithRegistrationHook sets the hook that approves or rejects registrations
// and may assign IDs. Without one every VEN is accepted with generated IDs
// (up to WithMaxVENs), which suits a sandbox; in production any client could
// then register, so approve VENs by their client certificate: serve TLS
// that requires client certificates, and let the hook accept the
// fingerprints (RegistrationRequest.Caller.Fingerprint) the application
// knows, rejecting the rest (Decision.Reject, answered with 463).
// An error from the hook is answered with 469, or with its code if it is a
// *ResponseError.
func WithRegistrationHook(h RegistrationHook) Option {
	return func(v *VTN) { v.hooks.registration = h }
}

// WithRegistrationChangeHook sets a hook told after a VEN has registered,
// re-registered or been cancelled (by either side). It runs after the change
// is stored, without any lock held, and may call the VTN's methods (for
// example CreateEvent for a VEN that has just registered).
func WithRegistrationChangeHook(h func(ctx context.Context, c RegistrationChange)) Option {
	return func(v *VTN) { v.hooks.registrationChange = h }
}

// ReportRegistrationHook chooses which of the reports a VEN offers in its
// oadrRegisterReport the VTN requests. RequestTelemetry returns a ready-made
// one. It is called without any lock held.
type ReportRegistrationHook func(ctx context.Context, venID string, offered []oadr.Report) ([]ReportRequest, error)

// WithReportRegistrationHook sets the hook that turns a VEN's offered reports
// into report requests. Without one the VTN stores the offer and requests
// nothing; RequestReports can still be called later.
func WithReportRegistrationHook(h ReportRegistrationHook) Option {
	return func(v *VTN) { v.hooks.reportRegistration = h }
}

// WithTelemetryHook sets a hook handed the measurements of every accepted
// oadrUpdateReport, after they are stored as the latest. It runs in the
// request, so it should be quick (hand the values to a channel or buffer if
// they go further).
func WithTelemetryHook(h func(ctx context.Context, venID string, ms []Measurement)) Option {
	return func(v *VTN) { v.hooks.telemetry = h }
}

// WithEventResponseHook sets a hook told of every VEN opt-in or opt-out
// received in oadrCreatedEvent.
func WithEventResponseHook(h func(ctx context.Context, r EventResponse)) Option {
	return func(v *VTN) { v.hooks.eventResponse = h }
}

// WithOptHook sets a hook told of every oadrCreateOpt and oadrCancelOpt a
// VEN sends (Opt.Cancelled tells them apart).
func WithOptHook(h func(ctx context.Context, o Opt)) Option {
	return func(v *VTN) { v.hooks.opt = h }
}

type hooks struct {
	registration       RegistrationHook
	registrationChange func(context.Context, RegistrationChange)
	reportRegistration ReportRegistrationHook
	telemetry          func(context.Context, string, []Measurement)
	eventResponse      func(context.Context, EventResponse)
	opt                func(context.Context, Opt)
}

// WithSilentAfter sets after how many poll periods without a request from
// a VEN the VTN counts it as silent (default DefaultSilentAfter; n must be
// positive): Battery.BatteryStatus then fails with an error wrapping
// ErrSilent and energy.ErrUnavailable, and CheckLiveness reports it. To
// spare durable Stores a write per poll, contact is recorded at most every
// n/2 poll periods, so a VEN counts as silent between n and 1.5 n poll
// periods after its last request, never before.
func WithSilentAfter(n int) Option { return func(v *VTN) { v.life.silentAfter = n } }

// WithLivenessHook sets a hook told when a VEN goes silent (found by
// CheckLiveness, which the application calls periodically) and when it
// comes back (at its first request after that). It runs without any lock
// held and may call the VTN's methods.
func WithLivenessHook(h func(ctx context.Context, c LivenessChange)) Option {
	return func(v *VTN) { v.life.liveness = h }
}

// WithReregistrationOfUnknownVENs makes the VTN answer a poll from a venID
// it does not know with oadrRequestReregistration instead of 452 (invalid
// ID), as OpenLEADR's VTN does: after the VTN's state was lost or the VEN
// forgotten, VENs register again at their next poll instead of being
// refused until someone restarts them.
func WithReregistrationOfUnknownVENs() Option {
	return func(v *VTN) { v.life.reregisterUnknown = true }
}

// WithSharedCertificates tells the VTN that several VENs register with one
// TLS client certificate (a gateway speaking for many). By default a VEN
// that registers without a registrationID from a certificate a registered
// VEN is bound to is taken for that VEN after it lost its state, and
// replaces its registration, keeping its venID (see
// RegistrationRequest.BoundVenID); with this option every such
// registration is a new VEN, and only the registration hook can replace one
// (Decision.VenID or Decision.Replaces).
func WithSharedCertificates() Option { return func(v *VTN) { v.life.sharedCerts = true } }

// DefaultRedeliverAfter is how many polls a VEN may make after a message
// that asks for an answer before the message is sent again (see
// WithRedeliverAfter). A VEN answers a message before its next poll, so
// three polls leave room for a lost answer or a slow one without resending
// what is merely late.
const DefaultRedeliverAfter = 3

// MaxDeliveries is how often a message is sent in all before the VTN stops
// waiting for its answer (and logs a warning): a VEN that never answers a
// kind of message costs a few repeats, not a repeat every few polls forever.
const MaxDeliveries = 5

// WithRedeliverAfter sets after how many polls an unanswered message is sent
// again (default DefaultRedeliverAfter; 0 never sends a message twice;
// negative is an error). A message that asks for an answer (an event list
// with events whose responseRequired is always, oadrCreateReport, the VTN's
// oadrRegisterReport, oadrCancelReport, oadrCancelPartyRegistration) is
// remembered in the VEN's state when a poll delivers it; if the VEN has not
// answered by its n-th poll after that one, that poll gets the message again
// (before anything queued), up to MaxDeliveries sends in all. It is the same message:
// the same requestID, and for events the same eventIDs and modification
// numbers (an event list is built with the statuses of the moment), which a
// VEN that did see it takes as a repeat. The count lives in the VEN's state,
// so with a durable Store it survives a restart.
func WithRedeliverAfter(polls int) Option { return func(v *VTN) { v.redeliverAfter = polls } }

// WithSigning makes the VTN speak 2.0b XML signatures: it signs every
// message it sends with signer (its key and the certificate VENs trust for
// it), and verifies the signature of every signed message it receives
// against the VEN's TLS client certificate, the one its venID is bound to
// (see Caller). A VEN that registered with oadrXmlSignature true must sign
// every message; WithRequiredSignatures asks it of every VEN. A message
// whose signature does not verify, names another certificate than the
// client's, repeats a nonce or is dated outside the window (see
// WithSignatureWindow) is refused with the code oadrsig gives it (454, or
// 463 for another certificate), in the answer the message calls for,
// itself signed. Signatures need TLS with client certificates: over plain
// HTTP a signed message is refused with 463, the VTN having no certificate
// to trust. Without this option signatures are neither written nor checked.
func WithSigning(signer *oadrsig.Signer) Option {
	return func(v *VTN) { v.sigOpts().signer = signer }
}

// WithRequiredSignatures makes every VEN sign every message, whatever it
// sent as oadrXmlSignature: an unsigned one is refused with 454. It needs
// WithSigning.
func WithRequiredSignatures() Option {
	return func(v *VTN) { s := v.sigOpts(); s.required, s.requiredSet = true, true }
}

// WithSignatureWindow sets how far the ReplayProtect timestamp of a VEN's
// signature may lie from the VTN's clock, either way (default
// oadrsig.DefaultWindow; it must be positive). Nonces are remembered for as
// long, so a message replayed within the window is refused as a replay, and
// one replayed later as stale. It needs WithSigning.
func WithSignatureWindow(d time.Duration) Option {
	return func(v *VTN) { s := v.sigOpts(); s.window, s.windowSet = d, true }
}

// WithPushClient sets the HTTP client that pushes to push VENs (nil is an
// error). The default follows no redirects and refuses link-local,
// multicast and unspecified addresses when it dials; a client of the
// application's should do the same (see WithPushTargetCheck), and carries
// the TLS configuration (a client certificate) push VENs may ask for. Its
// transport must report the connection a request goes out on
// (httptrace's GotConn, as net/http's transports do): pushes to VENs bound
// to a certificate are pinned to it through that report, and sent nowhere
// without it. Pushes to VENs without a certificate are checked only as the
// client checks servers: the default one as a browser would (system roots,
// host name). A client that accepts any server (say, to reach device
// certificates that name no host) lets a VEN without a certificate name a
// bound VEN's push address and have its messages pushed there; with such a
// client, require client certificates of every VEN.
func WithPushClient(c *http.Client) Option {
	return func(v *VTN) { v.push.client, v.push.clientSet = c, true }
}

// WithPushTimeout bounds one push attempt (default DefaultPushTimeout;
// negative is an error).
func WithPushTimeout(d time.Duration) Option { return func(v *VTN) { v.push.timeout = d } }

// WithPushRetries sets how many times a failed push is tried again before
// the message goes back to the poll queue (default DefaultPushRetries; 0
// never retries; negative is an error).
func WithPushRetries(n int) Option {
	return func(v *VTN) { v.push.retries, v.push.retriesSet = n, true }
}

// WithPushBackoff sets the wait before the first push retry, doubled on
// each further one up to maxWait (defaults DefaultPushBackoff and
// DefaultPushMaxBackoff). The waits use the VTN's clock (WithClock).
func WithPushBackoff(first, maxWait time.Duration) Option {
	return func(v *VTN) { v.push.backoff, v.push.maxBackoff = first, maxWait }
}

// WithPushInterval sets how often RunPush makes a delivery pass (default
// DefaultPushInterval).
func WithPushInterval(d time.Duration) Option { return func(v *VTN) { v.push.interval = d } }

// WithPushTargetCheck sets a check of push VENs' transport addresses, run
// at registration (a refusal is answered with 459) and before every push
// (a refusal leaves the messages to the VEN's polls). Without it any http
// or https URL is accepted that is not a link-local, multicast or
// unspecified address, loopback and private networks included: a client
// allowed to register could make the VTN post to services on the VTN's own
// network. In production allow only the hosts or networks of your VENs.
func WithPushTargetCheck(check PushTargetCheck) Option {
	return func(v *VTN) { v.push.check, v.push.checkSet = check, true }
}

// WithPushHoldOff sets how long Deliver (and RunPush) leaves a push VEN
// alone after a push to it failed (default DefaultPushHoldOff; 0 tries it
// on every pass; negative is an error). Its messages wait for its polls
// meanwhile; DeliverTo ignores the hold-off.
func WithPushHoldOff(d time.Duration) Option {
	return func(v *VTN) { v.push.holdOff, v.push.holdOffSet = d, true }
}
