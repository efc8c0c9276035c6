// Package openadr is an OpenADR 2.0b Virtual Top Node (VTN) for pull-mode
// VENs over simple HTTP: an http.Handler that registers VENs, keeps a poll
// queue for each, takes their reports as typed telemetry, and sends them
// events such as a battery's charge/discharge schedule. The XML lives in
// package openadr/oadr; this package knows the protocol's meaning.
//
//	vtn, err := openadr.NewVTN("VTN_GRIDWIRE",
//		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(time.Minute, 5*time.Minute)),
//		openadr.WithTelemetryHook(func(ctx context.Context, venID string, ms []openadr.Measurement) {
//			for _, m := range ms {
//				log.Println(venID, m.ResourceID, m.Quantity, m.Value, m.Unit)
//			}
//		}))
//	if err != nil { … }
//	http.ListenAndServeTLS(addr, cert, key, vtn) // serves /OpenADR2/Simple/2.0b/{service}
//
// and from the application, at any time:
//
//	charge, _ := openadr.LoadDispatch(
//		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000},
//		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeDischarge, Power: 5000})
//	id, err := vtn.CreateEvent(ctx, venID, openadr.Event{Start: start, Signals: []openadr.Signal{charge}})
//	ms, err := vtn.Telemetry(ctx, venID)
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
// request for that venID with another certificate, or none, gets 463. The
// registration hook sees the Caller, so an application can approve VENs by
// fingerprint, as OpenADR certification expects.
//
// # State
//
// State lives behind the Store interface (a MemStore by default): one
// VENState per VEN, changed atomically. Event statuses are computed from the
// clock when events are sent or read; the VTN starts no goroutines.
package openadr
