// Package ven is an OpenADR 2.0b VEN (simple HTTP profile, pull mode, or
// push mode with WithPushAddress and PushHandler) that simulates a
// Fortress-style home battery. Point it at a VTN and it registers, offers
// its telemetry as reports, sends them at the rate the VTN asks for, and
// carries out charge/discharge events on a simulated battery
// whose state of charge follows the power integrated over time:
//
//	v, err := ven.New("https://vtn.example.com", ven.WithVENName("battery-1"))
//	if err != nil {
//		return err
//	}
//	return v.Run(ctx)
//
// It is a test partner for VTNs (package openadr among them) and a stand-in
// for the Fortress sandbox's VEN container; the message layer is package
// oadr.
//
// # Steps
//
// Run is a loop over steps that can be called directly, without wall-clock
// time, to drive one VEN or many deterministically with a clock.Fake:
// Register (oadrCreatePartyRegistration, oadrRegisterReport, oadrRequestEvent),
// PollOnce (oadrPoll and whatever the VTN hands out) and Tick (move the
// battery to the clock's present time and send the reports that are due).
// State returns a snapshot at any time. Nothing runs in the background.
//
// # Protocol
//
// The VEN polls at the period the VTN asks for in oadrCreatedPartyRegistration
// (oadrRequestedOadrPollFreq; DefaultPollInterval when absent, never more
// often than MinPollInterval) and answers every message a VTN may queue:
// oadrDistributeEvent with oadrCreatedEvent, oadrCreateReport with
// oadrCreatedReport, oadrCancelReport with oadrCanceledReport, the VTN's
// oadrRegisterReport with oadrRegisteredReport, oadrUpdateReport with
// oadrUpdatedReport, oadrCancelPartyRegistration with
// oadrCanceledPartyRegistration (after which Run returns
// ErrRegistrationCanceled), and oadrRequestReregistration with oadrResponse
// and a new oadrCreatePartyRegistration. A VTN answer of 452 or 463 makes
// the VEN register again from scratch.
//
// Errors can be classified with errors.Is and errors.As: a *ResponseError
// carries the VTN's response code, an *HTTPError the HTTP status (both wrap
// energy sentinels), a failed connection wraps energy.ErrUnavailable, and an
// answer that is not valid OpenADR wraps the *oadr.DecodeError.
//
// # Reports
//
// The VEN offers two reports, laid out as in the battery samples of the
// Fortress battery scenario (openadr/testdata/battery): TELEMETRY_USAGE
// ("<resource>_telemetry_usage") with voltage (V), current (A), cell
// temperature (°C), real power (kW), stored energy (kWh, reportType
// storedEnergy) and state of charge (%, a customUnit with reportType
// x-stateOfCharge); and TELEMETRY_STATUS ("<resource>_telemetry_status"),
// whose oadrPayloadResourceStatus carries the state of charge in
// oadrCapacity and the power setpoint in oadrSetPoint. Samples are taken at
// the end of each granularity period, the periods aligned to the report
// interval's start (or to multiples of the granularity), with the battery's
// values at that instant, which is each interval's dtstart; a report goes
// out every reportBackDuration with the samples of the period, one interval
// per data point and sample, the last taken at the report time, so the VTN
// hears the battery as it is, not as it was a period earlier. A granularity
// of zero asks for one report at once.
//
// # XML signatures
//
// With WithSigning the VEN registers with oadrXmlSignature true, signs every
// message it sends, and takes only answers the VTN signed with the
// certificate it presented over TLS, or the one given with
// WithVTNCertificate; it acts on the message decoded from the bytes the
// signature covers. An answer that fails is an error wrapping the
// *oadrsig.Error, and energy.ErrUnauthorized when the signature is missing,
// bad, replayed, stale or not the VTN's. In push mode the same holds for
// the VTN's pushes (checked against WithVTNCertificate, or the certificate
// that verified the VTN's last answer), a refused push is answered with an
// oadrResponse of 454 or 463 and not acted on, and the answers to pushes
// are signed.
//
// # Events and signs
//
// The VEN follows, in order of preference, an event's LOAD_DISPATCH signal
// (power, kW when the signal gives no unit: a setpoint is the power itself;
// a delta, as 2.0b defines it, a change from the baseline, which is the
// event's eiEventBaseline where it covers the interval and otherwise what
// the battery would do without the event: the next event's power, or idle;
// see Step.Relative), its
// CHARGE_STATE signal (setpoint: the stored energy to reach by the end of
// each interval; kWh without a unit), or its SIMPLE signal (level 0 idles;
// 1 discharges at half power; 2 and 3 at full power). Events it cannot
// follow are opted out with a reason: 460 for signals it does not support,
// 462 when the target names other VENs or resources. The rest go to the
// OptPolicy (WithOptPolicy), which opts in by default. Where events overlap,
// the one with the highest priority wins.
//
// CreateOpt sends the VTN an opt through EiOpt: a customer override of one
// event, or an availability schedule. An opt-out binds the battery too: it
// stops following the event, or every event during the schedule's windows,
// until CancelOpt withdraws it.
//
// OpenADR 2.0b does not fix the sign of a bidirectional resource. On the wire
// this VEN uses the convention of the sandbox samples and of 2.0b reports,
// which measure consumption: a positive LOAD_DISPATCH setpoint charges the
// battery (it draws from the grid) and a negative one discharges it, and the
// reported power, current and oadrSetPoint are positive while charging. In
// Go, gridwire's rule holds: State().Battery.Power and Current, Step.Power and
// State().Setpoint are positive while discharging.
//
// The battery's power is clamped to ±BatteryConfig.MaxPower, and to zero
// when it is full and asked to charge or empty and asked to discharge, so the
// state of charge stays within 0..100 %. Without an event it idles.
package ven
