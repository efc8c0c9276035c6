package plan

import (
	"slices"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// Result is a plan: the schedule to send, what it is expected to cost
// against doing nothing, and the interval-by-interval detail to print or
// plot.
type Result struct {
	// Schedule covers the horizon with charge, discharge and idle windows
	// (RepeatOnce), adjacent intervals of equal mode and power merged.
	// Power is the AC power in W; TargetSoC, on charge and discharge
	// windows, is the state of charge the window ends at (0, "none", when
	// that is an empty battery). Adapters refuse what their vendor cannot
	// carry out (energy.ErrUnsupported): send Active to a battery without
	// idle windows, WithoutTargets to one that cannot stop at a state of
	// charge (OpenADR). A vendor of daily periods only (AlphaESS) cannot
	// carry out a one-off plan at all.
	Schedule energy.Schedule
	// Intervals are the horizon's intervals, cut at every boundary of the
	// prices and the forecast, in order.
	Intervals []Interval
	// Currency is the prices' currency.
	Currency string
	// Cost is the expected cost of the site's grid exchange with the plan,
	// in Currency (negative when it earns), BaselineCost the same with the
	// battery idle throughout.
	Cost, BaselineCost float64
	// EndValue is what a kWh left stored at the end was counted as worth.
	EndValue float64
	// StartSoC and EndSoC are the state of charge at the horizon's edges.
	StartSoC, EndSoC energy.Fraction
	// StoredChange is the energy in the cells at the end minus at the start.
	StoredChange energy.WattHours
	// Step is the energy in the cells between two levels of the grid.
	Step energy.WattHours
}

// Interval is one interval of a plan.
type Interval struct {
	// Start and End bound the interval: [Start, End).
	Start, End time.Time
	// Import and Export are the prices per kWh in force (Export 0 without
	// export prices).
	Import, Export float64
	// Load and PV are the forecast's powers (0 without a forecast).
	Load, PV energy.Watts
	// Battery is the planned AC power, positive when discharging.
	Battery energy.Watts
	// Grid is the resulting grid power, positive when importing.
	Grid energy.Watts
	// StartSoC and EndSoC are the planned state of charge at the edges.
	StartSoC, EndSoC energy.Fraction
	// Cost and BaselineCost are the interval's cost in the prices'
	// currency, with the plan and with the battery idle.
	Cost, BaselineCost float64
}

// Saving is what the plan saves against doing nothing: BaselineCost − Cost,
// plus the worth (EndValue) of the energy it leaves in the battery beyond
// what it started with (minus, when it leaves less). The planner never
// returns a plan with a negative saving.
func (r Result) Saving() float64 {
	return r.BaselineCost - r.Cost + r.EndValue*r.StoredChange.KilowattHours()
}

// Plan computes the schedule that minimises the cost of energy over p's
// horizon. Invalid input returns a *energy.FieldError naming the field,
// before any work; so does a grid too large for the horizon (WithLevels:
// intervals times states above 2²⁵, for example 10 000 levels over more
// than three weeks at 5 minutes).
func Plan(p Problem, opts ...Option) (Result, error) {
	o, err := newOptions(opts)
	if err != nil {
		return Result{}, err
	}
	segs, currency, err := p.horizon()
	if err != nil {
		return Result{}, err
	}
	m := model{b: p.Battery, segs: segs}
	m.g = newGrid(p.Battery, segs, o.levels)
	if cells := len(segs) * m.g.n; cells > maxCells {
		return Result{}, energy.Invalid("WithLevels", "%d intervals × %d states of the grid (set by the levels and, for a slow charger, the charge power) are more than %d; plan a shorter horizon or with fewer levels",
			len(segs), m.g.n, maxCells)
	}
	endValue := o.endValue
	if !o.endSet {
		endValue = m.defaultEndValue()
	}
	moves := m.solve(endValue)
	stored := m.trace(moves)
	return m.result(moves, stored, currency, endValue), nil
}

// result assembles the Result from the moves and the stored energy at each
// interval boundary.
func (m model) result(moves []int, stored []float64, currency string, endValue float64) Result {
	c := float64(m.b.Capacity)
	lo, hi := m.b.band()
	soc := func(e float64) energy.Fraction {
		// Levels a rounding error past the band are at its edge.
		return energy.Fraction(min(max(e/c, float64(lo)), float64(hi)))
	}
	r := Result{
		Intervals: make([]Interval, len(m.segs)),
		Currency:  currency,
		EndValue:  endValue,
		StartSoC:  m.b.SoC,
		EndSoC:    soc(stored[len(stored)-1]),
		Step:      energy.WattHours(m.g.step),
	}
	r.StoredChange = energy.WattHours(stored[len(stored)-1] - stored[0])
	for t, seg := range m.segs {
		ac := m.flow(moves[t])
		iv := Interval{
			Start: seg.start, End: seg.end,
			Import: seg.imp, Export: seg.exp,
			Load: energy.Watts(seg.load), PV: energy.Watts(seg.pv),
			Battery:  energy.Watts(-ac / seg.hours),
			Grid:     energy.Watts((seg.load-seg.pv)*seg.hours+ac) / energy.Watts(seg.hours),
			StartSoC: soc(stored[t]), EndSoC: soc(stored[t+1]),
			Cost: m.cost(seg, moves[t]), BaselineCost: m.cost(seg, 0),
		}
		r.Intervals[t] = iv
		r.Cost += iv.Cost
		r.BaselineCost += iv.BaselineCost
	}
	r.Schedule = schedule(r.Intervals)
	return r
}

// At returns the interval that holds t, and false when t lies outside the
// horizon; a controller uses it to print what the plan does now.
func (r Result) At(t time.Time) (Interval, bool) {
	i, found := slices.BinarySearchFunc(r.Intervals, t, func(iv Interval, t time.Time) int {
		switch {
		case !iv.End.After(t):
			return -1
		case iv.Start.After(t):
			return 1
		}
		return 0
	})
	if !found {
		return Interval{}, false
	}
	return r.Intervals[i], true
}
