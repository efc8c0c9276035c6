package plan

import (
	"context"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// ForBattery plans battery b over [from, to): it reads b's state of charge
// and capacity (BatteryStatus), fetches import and export prices from ps,
// and plans with limits, without a forecast (for a site with load and PV,
// call Plan with Problem.Forecast). It works with any energy.PriceSource and
// any energy.Battery that reports its capacity; send the result with Apply,
// or the part of it the battery's vendor takes (see Result.Schedule).
//
// Invalid input (nil source or battery, bad limits or options, to not after
// from) returns a *energy.FieldError before any I/O. A battery that does not
// report its capacity returns an error wrapping energy.ErrUnsupported (use
// Plan with Battery.Capacity set); one outside limits' MinSoC..MaxSoC is
// planned from where it is (see Battery.SoC). Errors of b and ps are
// returned wrapped, so errors.Is sees their sentinels.
//
// The state of charge is taken to hold at from, whatever the status's
// MeasuredAt: a vendor that reports every few minutes gives a plan that
// starts from where the battery was then (at 5 kW, 5 minutes is 3 % of a
// 13.5 kWh battery). Re-plan as fresh states arrive; the plan's windows
// carry TargetSoC, which stops a vendor that honours it at the planned
// level.
func ForBattery(ctx context.Context, ps energy.PriceSource, b energy.Battery, limits Limits, from, to time.Time, opts ...Option) (Result, error) {
	switch {
	case ps == nil:
		return Result{}, energy.Invalid("ps", "is nil")
	case b == nil:
		return Result{}, energy.Invalid("b", "is nil")
	case from.IsZero():
		return Result{}, energy.Invalid("from", "is not set")
	case !to.After(from):
		return Result{}, energy.Invalid("to", "%s is not after from %s", stamp(to), stamp(from))
	}
	if err := limits.Validate(); err != nil {
		return Result{}, err
	}
	if _, err := newOptions(opts); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	st, err := b.BatteryStatus(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("plan: battery status: %w", err)
	}
	if st.Capacity <= 0 {
		return Result{}, energy.Unsupported("plan: ForBattery",
			"the battery does not report its capacity; call Plan with Battery.Capacity set")
	}
	prices, err := ps.Prices(ctx, from, to)
	if err != nil {
		return Result{}, fmt.Errorf("plan: prices: %w", err)
	}
	return Plan(Problem{
		Prices:  prices,
		Battery: Battery{Capacity: st.Capacity, SoC: st.StateOfCharge, Limits: limits},
		From:    from,
		To:      to,
	}, opts...)
}

// Apply sends r's schedule to b. It checks the schedule first and returns a
// *energy.FieldError before any I/O if it is invalid. To let the vendor's
// default behaviour run where the plan holds, send r.Active() with
// b.SetSchedule instead; to a battery that refuses TargetSoC (OpenADR),
// send WithoutTargets(r.Schedule).
func Apply(ctx context.Context, b energy.Battery, r Result) error {
	if b == nil {
		return energy.Invalid("b", "is nil")
	}
	if err := r.Schedule.Validate(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.SetSchedule(ctx, r.Schedule); err != nil {
		return fmt.Errorf("plan: set schedule: %w", err)
	}
	return nil
}
