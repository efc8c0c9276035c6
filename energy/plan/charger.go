package plan

import (
	"context"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// Charger caps an EV charger's current while the import price is above a
// threshold: a price spike slows charging instead of paying for it.
type Charger struct {
	// Threshold is the import price per kWh above which the current is
	// capped (finite).
	Threshold float64
	// Normal is the current limit per phase at other times (> 0).
	Normal energy.Amperes
	// Capped is the current limit per phase during a spike, from 0 (which
	// most chargers take as a pause) to Normal.
	Capped energy.Amperes
}

// Validate checks c and returns a *energy.FieldError naming the first bad
// field (such as "Charger.Capped"), or nil.
func (c Charger) Validate() error {
	switch {
	case !finite(c.Threshold):
		return energy.Invalid("Charger.Threshold", "%v is not a finite price", c.Threshold)
	case !finite(float64(c.Normal)) || c.Normal <= 0:
		return energy.Invalid("Charger.Normal", "%v A must be finite and > 0", float64(c.Normal))
	case !finite(float64(c.Capped)) || c.Capped < 0 || c.Capped > c.Normal:
		return energy.Invalid("Charger.Capped", "%v A must be from 0 to Normal %v A", float64(c.Capped), float64(c.Normal))
	}
	return nil
}

// Limit returns the current limit for time t: Capped when the import price
// whose interval holds t is above Threshold, Normal otherwise, including
// when no import price holds t (an unknown price is not a spike).
func (c Charger) Limit(prices []energy.Price, t time.Time) energy.Amperes {
	for _, p := range prices {
		if p.Channel == energy.ChannelImport && !t.Before(p.Start) && t.Before(p.End) {
			if p.PerKWh > c.Threshold {
				return c.Capped
			}
			return c.Normal
		}
	}
	return c.Normal
}

// LimitChange is a time at which the charger's limit changes.
type LimitChange struct {
	// At is when the new limit takes effect.
	At time.Time
	// Limit is the current limit from At on.
	Limit energy.Amperes
}

// Changes returns, in time order, each time at which Limit differs from
// the limit just before it (the first import price always counts), so a
// controller knows when to call Apply again: the start of an import price,
// or the start of a gap between import prices or the end of the last, where
// Limit gives Normal.
// prices need be sorted by start only within the import channel.
func (c Charger) Changes(prices []energy.Price) []LimitChange {
	var out []LimitChange
	change := func(at time.Time, l energy.Amperes) {
		if len(out) == 0 || out[len(out)-1].Limit != l {
			out = append(out, LimitChange{At: at, Limit: l})
		}
	}
	var end time.Time
	for _, p := range prices {
		if p.Channel != energy.ChannelImport {
			continue
		}
		if !end.IsZero() && p.Start.After(end) {
			change(end, c.Normal)
		}
		l := c.Normal
		if p.PerKWh > c.Threshold {
			l = c.Capped
		}
		change(p.Start, l)
		end = p.End
	}
	if !end.IsZero() {
		change(end, c.Normal) // past the last price: unknown, not a spike
	}
	return out
}

// Apply sets ch's current limit to Limit(prices, t) and returns it. An
// invalid c returns a *energy.FieldError before any I/O.
func (c Charger) Apply(ctx context.Context, ch energy.Charger, prices []energy.Price, t time.Time) (energy.Amperes, error) {
	if err := c.Validate(); err != nil {
		return 0, err
	}
	if ch == nil {
		return 0, energy.Invalid("ch", "is nil")
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	l := c.Limit(prices, t)
	if err := ch.SetCurrentLimit(ctx, l); err != nil {
		return 0, fmt.Errorf("plan: set current limit %v: %w", l, err)
	}
	return l, nil
}
