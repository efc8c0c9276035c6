// Package openadr is an OpenADR 2.0b Virtual Top Node (VTN) for VENs over
// simple HTTP: an http.Handler that registers VENs, keeps a poll queue for
// each (pushed to push-mode VENs by VTN.Deliver, DeliverTo or RunPush),
// takes their reports as typed telemetry, sends them events, and offers
// each VEN as an energy.Battery. The XML lives in package
// openadr/oadr; this package knows the protocol's meaning.
//
//	vtn, err := openadr.NewVTN("VTN_GRIDWIRE",
//		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(time.Minute, 5*time.Minute)))
//	if err != nil {
//		return err
//	}
//	srv := &http.Server{
//		Addr:    ":8443",
//		Handler: vtn, // serves /OpenADR2/Simple/2.0b/{service}
//		// A VEN's request is small and quick; these keep slow or idle
//		// clients from holding connections open.
//		ReadHeaderTimeout: 5 * time.Second,
//		ReadTimeout:       30 * time.Second,
//		IdleTimeout:       2 * time.Minute,
//		TLSConfig:         &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: venCAs},
//	}
//	go srv.ListenAndServeTLS(certFile, keyFile) // Shutdown(ctx) stops it
//
// and from the application, once a VEN has registered and reported:
//
//	bat := vtn.Battery(venID, openadr.WithRatedPower(5000))
//	st, err := bat.BatteryStatus(ctx) // from the VEN's latest telemetry
//	err = bat.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{
//		{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge, Power: 3000},
//	}}) // waits for the VEN's opt-in; an opt-out is an *OptOutError
//
// Below the energy vocabulary, the protocol is all there: CreateEvent with
// any signals (LoadDispatch builds a battery's), RequestReports, Telemetry,
// CancelRegistration and the hooks.
//
// # Batteries
//
// Battery reads the state of charge, power, voltage, current and
// temperature from the VEN's reports, flipping the sign of power and
// current: 2.0b reports measure consumption (+ charging), gridwire's
// batteries are + discharging. Telemetry older than three report periods is
// stale (energy.ErrUnavailable). A schedule goes out as events, one per run
// of windows without a gap, with a LOAD_DISPATCH setpoint in kW per window
// in the wire's consumption sign (charge +, discharge −, idle 0) and a
// SIMPLE level (0 for idle and charge, 1 for discharging at up to half the
// rated power, 2 above); a new schedule modifies or cancels the previous
// one's events. A window's TargetSoC has no 2.0b signal and is refused with
// energy.ErrUnsupported, as are a Power of 0 without WithRatedPower and a
// daily schedule (energy.RepeatDaily: an event runs once).
// SetSchedule waits for the VEN's oadrCreatedEvent, bounded by its context
// (WithoutWaiting and Await split that in two); the request handler that
// receives the answer wakes it, with no goroutine of its own.
//
// # The exchange
//
// A VEN registers (EiRegisterParty; oadrQueryRegistration is answered but
// not required), registers its reports (EiReport), and polls (OadrPoll). The
// VTN answers each poll with the oldest message of the VEN's queue, or an
// empty oadrResponse: its own oadrRegisterReport after registration, report
// requests (oadrCreateReport), event lists (oadrDistributeEvent), report
// cancellations, oadrCancelPartyRegistration and oadrRequestReregistration.
// The VEN answers those on the matching service (oadrRegisteredReport,
// oadrCreatedReport, oadrCreatedEvent, …), sends its data as
// oadrUpdateReport, and may opt in or out through EiOpt.
//
// The application decides through hooks, all optional, called in the
// request that triggers them, without any lock held (so they may call the
// VTN), and concurrently when requests are: WithRegistrationHook (approve,
// reject, assign IDs),
// WithReportRegistrationHook (which reports to request), and notifications
// for telemetry, event responses, opts and registration changes.
//
// # Liveness and the registration lifecycle
//
// Every accepted request is the VEN's latest contact, kept in its VENState.
// A VEN that makes none for WithSilentAfter poll periods is silent: its
// Battery is unavailable (ErrSilent), and CheckLiveness, which the
// application calls periodically (the VTN starts no goroutine), tells the
// WithLivenessHook hook once; the VEN's next request tells it that the VEN
// is back.
//
// A VEN that lost its state registers again without its registrationID. From
// the client certificate of a registered VEN it gets that VEN's venID back,
// its old registration replaced and its events kept (WithSharedCertificates
// turns this off for gateways); without certificates the registration hook
// recognises it and names the registration it replaces (Decision.Replaces),
// which is removed. With WithReregistrationOfUnknownVENs a poll from a venID
// the VTN does not know is answered with oadrRequestReregistration, not 452.
//
// # Protocol errors
//
// Every OpenADR request gets HTTP 200 and the answer its message calls for,
// with the outcome in eiResponse: 452 for an unknown venID, 453 for a
// document that is not a 2.0b message, 454 for invalid data, 459 for a
// message sent to the wrong service, 463 for a caller that may not speak for
// a venID, 469 when the application's hook failed. HTTP status codes are
// left for what is not an OpenADR request: 404, 405, 413 (with an
// oadrResponse carrying 413), 400.
//
// # Interoperability
//
// The VTN follows what OpenLEADR's and EPRI's VENs do on the wire: any
// namespace prefixes, no oadrQueryRegistration first, empty eventResponses,
// empty itemDescription and eiReportID, report requests delivered by poll,
// reportBackDuration always present, oadrCanceledPartyRegistration in answer
// to a cancellation, a vtnID with an upper-case letter.
//
// # Identity
//
// Before it trusts the venID in a message, the VTN resolves who is calling
// (Caller). A VEN that registers over TLS with a client certificate is bound
// to it: the certificate's fingerprint (Fingerprint) is recorded, and a
// request naming that venID or registrationID with another certificate, or
// none, gets 463, so no VEN can poll another's events, post its reports or
// cancel its registration. WithVENFingerprint provisions VENs in advance:
// then only those certificates may register, each under its own venID. The
// registration hook sees the Caller, to approve VENs by fingerprint as
// OpenADR certification expects.
//
// The binding is made on first use and only the application changes it
// (BindCertificate): a VEN that registered without a certificate, on a
// server that asks for certificates without requiring them, takes no
// request that comes with one, so a client that learnt its registrationID
// cannot re-register with a certificate and capture it.
//
// Over plain HTTP there is no certificate and none of this applies: anyone
// who knows a venID can act as that VEN. Plain HTTP is for development, or
// behind a proxy that authenticates VENs.
//
// # XML signatures
//
// 2.0b's high-security profile signs every message (package oadrsig). With
// WithSigning the VTN signs everything it sends with its key, and verifies
// every signed message it receives against the VEN's TLS client
// certificate, the one its venID is bound to; it then acts on the message
// decoded from the bytes the signature covers, never on the rest of the
// body. A VEN that registered with oadrXmlSignature true must sign every
// message, and WithRequiredSignatures asks it of all. A bad signature, a
// missing one where it is required, a replayed nonce or a timestamp outside
// WithSignatureWindow is answered with 454 (463 for a certificate other
// than the client's), in the message's own answer type, signed:
//
//	signer, err := oadrsig.NewSigner(key, cert)
//	vtn, err := openadr.NewVTN("VTN_1", openadr.WithSigning(signer))
//
// Pushes to push-mode VENs are signed too, afresh for each attempt (a
// retry is no replay). A push VEN's answer comes in the response to the
// VTN's request, without a client certificate; it is verified against the
// VEN's TLS server certificate on an https push address, or else the
// certificate in the signature's KeyInfo, each trusted only when its
// fingerprint is the one the venID was bound to at registration.
//
// Package openadr/ven signs and verifies the same way (ven.WithSigning),
// pushes included.
// Without WithSigning signatures are neither written nor checked, and the
// handler is what it was without them.
//
// # Production
//
// Without a registration hook every VEN that asks is registered, up to
// WithMaxVENs (DefaultMaxVENs): fine for a sandbox, not for production. In
// production serve TLS that requires client certificates and approve VENs
// by certificate: WithVENFingerprint for a fixed fleet, or
// WithRegistrationHook deciding on RegistrationRequest.Caller.Fingerprint
// (rejecting is answered with 463). The example VTN, examples/vtn, starts
// this way: -tls-cert and -client-ca for TLS requiring client certificates
// of the VENs' CA, -provision for a file of venIDs and fingerprints, and
// -sign-key for XML signatures. The other per-VEN bounds are the
// request body size (WithMaxBodyBytes), the event list's size
// (WithMaxAnswerBytes, trimmed by priority and start), the poll queue
// (MaxQueued) and report requests (MaxReportRequests); identifiers longer
// than 256 bytes are refused, and logs show at most 64 bytes of any
// identifier taken from a request.
//
// # State
//
// State lives behind the Store interface (a MemStore by default): one
// VENState per VEN, changed atomically. Event statuses are computed from the
// clock when events are sent or read; the VTN starts no goroutines.
//
// On a MemStore a battery VEN costs about 2.2 KiB of heap, and Go's
// collector lets a process grow to about twice its live heap: 100,000 VENs
// take some 470 MiB without a memory limit. docs/vtn-capacity.md in the
// repository tells what a deployment of N VENs needs, how to set
// GOMEMLIMIT, and how to measure throughput and poll latency on your
// hardware.
//
// # Durable stores
//
// A MemStore forgets everything when the process ends. Two durable stores
// keep the whole VENState (registration, offered reports, report requests,
// the poll queue with each message as the VEN will receive it, events with
// their modification numbers and answers, telemetry) and take a change only
// once it is written: openadr/sqlitestore, a SQLite file in WAL mode
// through a pure-Go driver, the default for one VTN process; and
// openadr/pgstore, PostgreSQL, for several. Both run the conformance suite in
// openadr/storetest, which a third-party Store can run too, and migrate their
// schema from SQL embedded in the binary, refusing a database a newer binary
// migrated.
//
//	store, err := sqlitestore.Open(ctx, "vtn.db")
//	if err != nil {
//		return err
//	}
//	defer store.Close()
//	vtn, err := openadr.NewVTN("VTN_GRIDWIRE", openadr.WithStore(store))
//
// Nothing a VEN was told is lost in a crash: an answered request is in the
// store. A message a poll delivered whose answer never came (the VEN's
// oadrCreatedEvent, oadrCreatedReport, oadrRegisteredReport,
// oadrCanceledReport or oadrCanceledPartyRegistration) is sent again by the
// VEN's WithRedeliverAfter-th poll after it (DefaultRedeliverAfter), the same
// requestID, eventIDs and modification numbers, up to MaxDeliveries times;
// what waits for an answer is part of VENState (Delivered), so it survives a
// restart too. An empty poll only reads the store.
//
// # Several VTNs
//
// Several VTN processes can share one PostgreSQL database (pgstore) behind
// any HTTP load balancer, with no affinity of VENs to processes: every
// request reads and changes the VEN's state in the database, under a
// transaction-scoped advisory lock per VEN, so a VEN's requests may reach
// any process in any order and each queued message is delivered once.
// A Battery.SetSchedule waiting in one process for an opt-in that another
// process receives is woken through PostgreSQL's LISTEN/NOTIFY: a Store that
// implements Notifier carries the wake-up, and pgstore.Store does once the
// application runs its Listen (one connection of its own per process):
//
//	store, err := pgstore.Open(ctx, os.Getenv("VTN_DATABASE_URL"))
//	if err != nil {
//		return err
//	}
//	defer store.Close()
//	go store.Listen(ctx) // until ctx ends
//	vtn, err := openadr.NewVTN("VTN_GRIDWIRE", openadr.WithStore(store))
//
// Give every process the same vtnID and options. WithMaxVENs is counted per
// registration, not across processes at once, so concurrent registrations
// may pass it by a few. docs/several-vtns.md in the repository is a short
// guide, with a load balancer's configuration.
package openadr
