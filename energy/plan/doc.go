// Package plan computes the charge/discharge schedule of a battery that
// minimises the cost of energy over a price curve, and caps an EV charger's
// current when prices spike.
//
// The shortest use, for a battery behind any energy.PriceSource:
//
//	limits := plan.Limits{MinSoC: 0.1, MaxSoC: 1, MaxCharge: 5000, MaxDischarge: 5000,
//		ChargeEfficiency: 0.95, DischargeEfficiency: 0.95}
//	res, err := plan.ForBattery(ctx, prices, battery, limits, now, now.Add(24*time.Hour))
//	if err != nil { ... }
//	err = plan.Apply(ctx, battery, res)
//
// or, with prices and state already at hand, [Plan] with a [Problem].
//
// Apply sends the plan as it is: one-off windows, idle ones included, with
// target states of charge. Vendors take different parts of that (see
// Result.Schedule): an OpenADR VEN takes WithoutTargets(res.Schedule), and
// AlphaESS, whose periods repeat every day, no one-off plan at all; its
// adapter refuses what it cannot carry out with energy.ErrUnsupported.
//
// # The model
//
// The horizon is cut into intervals at every boundary of the import prices,
// the export prices and the forecast, so prices at 5-, 15-, 30- or 60-minute
// resolution, and mixtures of them, need no resampling. In each interval the
// battery moves at one constant power (positive when discharging, as in
// package energy) and the site exchanges with the grid
//
//	grid energy = (Load − PV)·Δt + charged/ηc − discharged·ηd
//
// where charged and discharged are the energy into and out of the cells,
// ηc the charge efficiency and ηd the discharge efficiency (a round-trip
// efficiency η splits as ηc = ηd = √η; see [SplitRoundTrip]). Power limits
// apply at the AC side, where vendors take their set-points. Grid energy
// that is imported costs the import price; grid energy that is exported
// earns the export price. So with a forecast the site's net flow decides
// which price a kWh of the battery meets, and a battery never charges from
// the grid to export at a loss, because that loss is in the cost it
// minimises. Without a forecast the battery alone exchanges with the grid
// (a pure arbitrage model); pass a [Forecast] to value self-consumption.
//
// Without export prices, exported energy earns nothing. Controlled-load
// prices are ignored.
//
// # Exact on a grid
//
// The planner is a dynamic programme over the stored energy. The states are
// the levels E0 + k·ΔE that lie within [MinSoC, MaxSoC] of the capacity
// (widened to include E0 when the battery starts outside it),
// where E0 is the stored energy now, so doing nothing is always one of the
// plans considered (and the plan reaches MinSoC and MaxSoC to within one
// step). ΔE is the usable range divided by [WithLevels] (200 by
// default), made up to half again finer so that full charge power over the
// commonest interval length is a whole number of steps and full discharge
// power as nearly one as that allows. In each interval the battery may move
// by any whole number of steps its power limits allow (so the discharge
// power, and the charge power over other interval lengths, fall short of
// their limits by less than one step per interval). Because the cost of an interval depends
// only on the states at its two ends, Bellman's principle holds and the
// backward recursion finds a plan whose cost equals the minimum over every
// sequence of moves on that grid, not an approximation of it; tests check
// this against brute-force enumeration.
//
// Energy left in the battery at the end is worth, per kWh stored, ηd times
// the horizon's lowest discharge price (the import price where the forecast
// site would import, the export price elsewhere; never below 0): what it is
// surely worth. So the planner does not buy energy it will not use within
// the horizon, sells what it holds where that pays more than holding it,
// and flat prices give an idle plan (with a forecast, flat import and
// export prices that differ still pay for storing PV for the evening). The
// other side of that floor: a zero export price anywhere in the horizon
// makes leftover energy worthless, and the plan sells what it does not need
// at whatever the market pays. [WithEndValue] sets another value, for
// example to keep energy for a peak beyond the horizon.
//
// # Determinism
//
// The same input gives the same plan. Where two moves cost the same (to
// within 1e-9 of the problem's cost scale), the smaller move wins, and of
// two moves of one size the discharge: candidates are tried in the order
// 0, −1, +1, −2, +2, … steps and a later one replaces an earlier one only
// if it is cheaper by more than that margin. Since the plan is read forward
// from the first interval, among equally cheap plans the battery moves as
// late as it can: two equal cheap hours before a peak give a part-power
// charge in the first and a full-power charge in the second.
package plan
