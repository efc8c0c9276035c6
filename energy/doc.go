// Package energy is gridwire's shared vocabulary: the interfaces through which
// every vendor package offers its devices, and the value types they speak in.
//
// An application written against these interfaces works with any vendor:
//
//	c, err := alphaess.New(appID, secret, alphaess.WithSerialNumber(sn))
//	…
//	var b energy.Battery = c.Battery()
//	st, err := b.BatteryStatus(ctx)
//	if errors.Is(err, energy.ErrUnavailable) { ... }
//	fmt.Printf("%.0f %% at %v, %v\n", st.StateOfCharge.Percent(), st.Power, st.MeasuredAt)
//
// # Units and signs
//
// Every quantity carries its unit in its type: [Watts], [WattHours],
// [Amperes], [Volts], [Celsius], and [Fraction] (0..1) for state of charge.
// Prices are in currency units per kWh (AUD, not cents).
//
//   - Battery power and current are positive when the battery discharges.
//   - Grid power is positive when the site imports from the grid.
//   - An export price is what the user is paid per kWh, positive when paid.
//
// # Behaviour every implementation shares
//
//   - Every call that does I/O takes a context.Context first and honours its
//     cancellation: a cancelled context returns an error for which
//     errors.Is(err, context.Canceled) holds, and no request is sent.
//   - Snapshots carry the time they were measured (MeasuredAt); stale data is
//     never presented as fresh. See MeasuredAt below.
//   - Values a vendor sends that cannot be true (a state of charge of 250 %,
//     a power of 10^308 W, NaN) are an error wrapping [ErrUnavailable], as
//     a missing value is; they are never returned, and never kept for
//     later calls.
//   - Invalid input is rejected before any I/O with a [*FieldError] that names
//     the field and wraps [ErrInvalid].
//   - What a vendor cannot do returns an error wrapping [ErrUnsupported] with
//     the reason.
//   - Errors wrap the sentinels [ErrUnauthorized], [ErrRateLimited] and
//     [ErrUnavailable] where they apply, so callers classify failures with
//     errors.Is without importing vendor packages.
//
// # MeasuredAt
//
// MeasuredAt is the vendor's own time for the values (a device timestamp,
// an upload time) when the vendor gives one, as long as it is not later
// than the moment the answer arrived. When the vendor gives none, or one
// ahead of the arrival, MeasuredAt is the time the answer arrived, by the
// adapter's clock. So MeasuredAt is never later than now, and a snapshot
// is never presented as fresher than it is: an adapter that returns values
// it read earlier (a cache) keeps the time they were read, never the time
// of the call.
//
// # Schedules run once or daily
//
// A [Schedule] says whether its windows run once ([RepeatOnce], the zero
// value) or every day ([RepeatDaily]). Vendors differ: some store daily
// windows that repeat until replaced, others run each window once. An
// adapter refuses the kind it cannot carry out with an error wrapping
// [ErrUnsupported], so a one-off 02:00 charge never silently becomes a
// nightly one.
//
// Optional capabilities beyond these interfaces are small extra interfaces,
// discovered with a type assertion in the manner of io.WriterTo.
//
// Package energytest checks all of this for any implementation.
package energy
