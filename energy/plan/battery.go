package plan

import (
	"math"

	"github.com/gridwire/gridwire/energy"
)

// Limits are a battery's operating limits, the part of its description that
// a device's status does not give.
type Limits struct {
	// MinSoC and MaxSoC bound the state of charge the plan may use, as
	// fractions 0..1 (for example a 10 % backup reserve: MinSoC 0.1).
	MinSoC, MaxSoC energy.Fraction
	// MaxCharge and MaxDischarge are the largest charge and discharge
	// powers at the AC side, in W (≥ 0; 0 forbids that direction).
	MaxCharge, MaxDischarge energy.Watts
	// ChargeEfficiency is the share of AC energy that reaches the cells
	// when charging, DischargeEfficiency the share of the cells' energy
	// that reaches the AC side when discharging; each in (0, 1]. Their
	// product is the round-trip efficiency (see SplitRoundTrip).
	ChargeEfficiency, DischargeEfficiency float64
}

// Battery is the state and limits of the battery to plan for.
type Battery struct {
	// Capacity is the usable capacity in Wh (> 0).
	Capacity energy.WattHours
	// SoC is the state of charge at the start of the horizon, 0..1. A
	// battery outside MinSoC..MaxSoC (below its reserve after an outage,
	// say) is planned from where it is: the band widens to include SoC, so
	// the plan may hold or move towards the band, and never goes further
	// out than it started.
	SoC energy.Fraction
	Limits
}

// SplitRoundTrip splits a round-trip efficiency evenly into a charge and a
// discharge efficiency (each √roundTrip), for batteries whose data sheet
// gives only the round trip.
func SplitRoundTrip(roundTrip float64) (charge, discharge float64) {
	e := math.Sqrt(roundTrip)
	return e, e
}

// The physical range the planner takes: outside it no battery exists, and
// the arithmetic of a plan (steps of a fraction of a watt-hour, powers over
// an interval) would leave float64's range.
const (
	minCapacity   energy.WattHours = 1e-3 // 1 mWh
	maxCapacity   energy.WattHours = 1e12 // 1 TWh
	maxPower      energy.Watts     = 1e12 // 1 TW
	minEfficiency                  = 0.01 // 1 %
)

// Validate checks the limits and returns a *energy.FieldError naming the
// first bad field (such as "Limits.MaxSoC"), or nil.
func (l Limits) Validate() error { return l.validate("Limits.") }

// validate checks the limits; field names are prefixed with prefix.
func (l Limits) validate(prefix string) error {
	frac := func(name string, f energy.Fraction) error {
		if !finite(float64(f)) || !f.Valid() {
			return energy.Invalid(prefix+name, "%v is outside 0..1 (a fraction, not percent)", float64(f))
		}
		return nil
	}
	if err := frac("MinSoC", l.MinSoC); err != nil {
		return err
	}
	if err := frac("MaxSoC", l.MaxSoC); err != nil {
		return err
	}
	if l.MaxSoC < l.MinSoC {
		return energy.Invalid(prefix+"MaxSoC", "%v is below MinSoC %v", float64(l.MaxSoC), float64(l.MinSoC))
	}
	for _, p := range []struct {
		name string
		w    energy.Watts
	}{{"MaxCharge", l.MaxCharge}, {"MaxDischarge", l.MaxDischarge}} {
		if !finite(float64(p.w)) || p.w < 0 || p.w > maxPower {
			return energy.Invalid(prefix+p.name, "%v W must be ≥ 0 and at most %v W", float64(p.w), float64(maxPower))
		}
	}
	for _, e := range []struct {
		name string
		v    float64
	}{{"ChargeEfficiency", l.ChargeEfficiency}, {"DischargeEfficiency", l.DischargeEfficiency}} {
		if !finite(e.v) || e.v < minEfficiency || e.v > 1 {
			return energy.Invalid(prefix+e.name, "%v must be in [%v, 1]", e.v, minEfficiency)
		}
	}
	return nil
}

// Validate checks the battery and returns a *energy.FieldError naming the
// first bad field (such as "Battery.SoC"), or nil. Besides the obvious
// (fractions in 0..1, nothing negative or NaN), it takes the physical range
// only: a capacity from 1 mWh to 1 TWh, powers up to 1 TW, efficiencies of
// at least 1 %.
func (b Battery) Validate() error {
	if !finite(float64(b.Capacity)) || b.Capacity < minCapacity || b.Capacity > maxCapacity {
		return energy.Invalid("Battery.Capacity", "%v Wh must be in [%v, %v] Wh", float64(b.Capacity), float64(minCapacity), float64(maxCapacity))
	}
	if !finite(float64(b.SoC)) || !b.SoC.Valid() {
		return energy.Invalid("Battery.SoC", "%v is outside 0..1 (a fraction, not percent)", float64(b.SoC))
	}
	if err := b.Limits.validate("Battery."); err != nil {
		return err
	}
	return nil
}

// band returns the state of charge the plan may use: MinSoC..MaxSoC,
// widened to include SoC.
func (b Battery) band() (lo, hi energy.Fraction) {
	return min(b.MinSoC, b.SoC), max(b.MaxSoC, b.SoC)
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
