package plan

import (
	"github.com/gridwire/gridwire/energy"
)

// Option changes how Plan works.
type Option func(*options)

type options struct {
	levels   int
	endValue float64
	endSet   bool
}

const (
	// DefaultLevels is the grid's levels without WithLevels: a 48-hour
	// plan at 5-minute resolution takes a few milliseconds, and a finer
	// grid gains about 0.5 % of the saving.
	DefaultLevels = 200
	// MaxLevels is the most WithLevels accepts. The work grows with the
	// square of the levels (more states, each with more moves), so this
	// many over 48 hours at 5 minutes takes seconds.
	MaxLevels = 10_000
)

// WithLevels sets how many steps of the state-of-charge grid span the usable
// range MinSoC..MaxSoC (default DefaultLevels, at most MaxLevels). More
// levels track the power limits more closely and take longer: the work
// grows with the levels times the steps one interval can move.
//
// A battery that charges less than half a step in one interval at full
// power (a slow charger beside a fast discharge) gets a finer grid whatever
// the levels, one interval's charge per step, since otherwise it could not
// charge at all; the work then grows with the square of usable energy over
// that charge. 48 hours at 5 minutes on 13.5 kWh with 5 kW discharge take
// about 15 ms at 300 W charge, 0.25 s at 100 W and 2 s at 30 W.
func WithLevels(n int) Option { return func(o *options) { o.levels = n } }

// WithEndValue sets what energy left in the battery at the end of the
// horizon is worth, in currency per kWh stored in the cells (any finite
// value; 0 means leftover energy is worthless, so the plan empties the
// battery when that pays anything). By default it is the discharge
// efficiency times the horizon's lowest discharge price, or 0 if that is
// negative.
//
// The default is a floor, not a forecast, and it leans towards emptying the
// battery by the end of the horizon: one interval of zero or negative export
// price anywhere in it (a sunny midday) makes leftover energy worthless, so
// the plan sells what the horizon's peaks do not use at any positive price,
// however small, even if the next morning's peak just beyond the horizon
// would pay more. A controller that re-plans on a rolling horizon which ends
// before the next peak should set the value it expects that energy to fetch
// (for example ηd times the next peak's price, discounted for uncertainty).
func WithEndValue(perKWh float64) Option {
	return func(o *options) { o.endValue, o.endSet = perKWh, true }
}

func newOptions(opts []Option) (options, error) {
	o := options{levels: DefaultLevels}
	for _, opt := range opts {
		if opt == nil {
			return o, energy.Invalid("Option", "is nil")
		}
		opt(&o)
	}
	if o.levels < 1 || o.levels > MaxLevels {
		return o, energy.Invalid("WithLevels", "%d is outside 1..%d", o.levels, MaxLevels)
	}
	if o.endSet && !finite(o.endValue) {
		return o, energy.Invalid("WithEndValue", "%v is not a finite price", o.endValue)
	}
	return o, nil
}
