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

// The bounds of WithLevels. More levels cost time in proportion.
const (
	DefaultLevels = 200
	MaxLevels     = 10_000
)

// WithLevels sets how many steps of the state-of-charge grid span the usable
// range MinSoC..MaxSoC (default DefaultLevels, at most MaxLevels). More
// levels track the power limits more closely and take longer: the work
// grows with the levels times the steps one interval can move.
func WithLevels(n int) Option { return func(o *options) { o.levels = n } }

// WithEndValue sets what energy left in the battery at the end of the
// horizon is worth, in currency per kWh stored in the cells (any finite
// value; 0 means leftover energy is worthless, so the plan empties the
// battery when that pays anything). By default it is the discharge
// efficiency times the horizon's lowest discharge price, or 0 if that is
// negative.
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
