// Package energy is gridwire's shared vocabulary: the interfaces through which
// every vendor package offers its devices, and the value types they speak in.
//
// An application written against these interfaces works with any vendor:
//
//	var b energy.Battery = alphaess.New(appID, secret).System(sn).Battery()
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
//     never presented as fresh.
//   - Invalid input is rejected before any I/O with a [*FieldError] that names
//     the field and wraps [ErrInvalid].
//   - What a vendor cannot do returns an error wrapping [ErrUnsupported] with
//     the reason.
//   - Errors wrap the sentinels [ErrUnauthorized], [ErrRateLimited] and
//     [ErrUnavailable] where they apply, so callers classify failures with
//     errors.Is without importing vendor packages.
//
// Optional capabilities beyond these interfaces are small extra interfaces,
// discovered with a type assertion in the manner of io.WriterTo.
//
// Package energytest checks all of this for any implementation.
package energy
