package plan

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

// bruteForce enumerates every sequence of moves on the grid Plan uses for p
// and returns the least objective: the cost of the grid exchange minus the
// worth of the energy gained in the battery.
func bruteForce(t *testing.T, p Problem, levels int, endValue *float64) float64 {
	t.Helper()
	segs, _, err := p.horizon()
	require.NoError(t, err)
	m := model{b: p.Battery, segs: segs}
	m.g = newGrid(p.Battery, segs, levels)
	ev := m.defaultEndValue()
	if endValue != nil {
		ev = *endValue
	}
	best := math.Inf(1)
	var walk func(t, s int, cost float64)
	walk = func(t, s int, cost float64) {
		if t == len(segs) {
			best = min(best, cost-ev*float64(s-m.g.lo)*m.g.step/1000)
			return
		}
		kd, kc := m.reach(segs[t])
		for d := -kd; d <= kc; d++ {
			if s+d >= 0 && s+d < m.g.n {
				walk(t+1, s+d, cost+m.cost(segs[t], d))
			}
		}
	}
	walk(0, m.g.lo, 0)
	return best
}

// objective is what Plan minimises, from its result.
func objective(r Result) float64 { return r.Cost - r.EndValue*r.StoredChange.KilowattHours() }

func TestPlanMatchesBruteForce(t *testing.T) {
	r := seeded(t)
	steps := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour}
	active := 0
	for i := range 500 {
		n := 1 + r.IntN(6)
		p := randomProblem(r, n, steps[r.IntN(len(steps))], r.IntN(4) != 0, r.IntN(2) == 0)
		levels := 1 + r.IntN(6)
		var opts []Option
		var ev *float64
		if r.IntN(3) == 0 {
			ev = new(r.Float64() * 0.5)
			opts = append(opts, WithEndValue(*ev))
		}
		opts = append(opts, WithLevels(levels))
		res, err := Plan(p, opts...)
		require.NoError(t, err, "case %d", i)
		want := bruteForce(t, p, levels, ev)
		require.InDelta(t, want, objective(res), 1e-9*(1+math.Abs(want)), "case %d: %d intervals, %d levels", i, n, levels)
		if len(res.Active().Windows) > 0 {
			active++
		}
	}
	// The cases must exercise the search, not only idle plans.
	assert.Greater(t, active, 250)
}

// Mixed resolutions are cut into one set of intervals; brute force on the
// same cut agrees.
func TestPlanMatchesBruteForceMixedResolution(t *testing.T) {
	p := Problem{
		Prices: append(curve(energy.ChannelImport, t0, 30*time.Minute, 0.1, 0.3, 0.05, 0.6),
			curve(energy.ChannelExport, t0, time.Hour, 0.02, 0.25)...),
		Forecast: []Forecast{
			{Start: t0, End: t0.Add(20 * time.Minute), Load: 500},
			{Start: t0.Add(20 * time.Minute), End: t0.Add(100 * time.Minute), Load: 300, PV: 2500},
			{Start: t0.Add(100 * time.Minute), End: t0.Add(2 * time.Hour), Load: 2000},
		},
		Battery: Battery{Capacity: 4000, SoC: 0.5, Limits: Limits{MaxSoC: 1, MaxCharge: 3000, MaxDischarge: 3000,
			ChargeEfficiency: 0.9, DischargeEfficiency: 0.9}},
	}
	res, err := Plan(p, WithLevels(4))
	require.NoError(t, err)
	// Cuts at :20, :30, 1:00, 1:30, 1:40.
	require.Len(t, res.Intervals, 6)
	assert.Equal(t, 20*time.Minute, res.Intervals[0].End.Sub(res.Intervals[0].Start))
	assert.InDelta(t, bruteForce(t, p, 4, nil), objective(res), 1e-12)
}
