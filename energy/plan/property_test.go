package plan

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

var resolutions = []time.Duration{5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour}

// checkPlan asserts what every plan must satisfy for p.
func checkPlan(t *testing.T, p Problem, r Result, msg string) {
	t.Helper()
	b := p.Battery
	const tol = 1e-6
	require.NotEmpty(t, r.Intervals, msg)
	assert.GreaterOrEqual(t, r.Saving(), -1e-9*(1+math.Abs(r.BaselineCost)), "%s: worse than doing nothing", msg)
	assert.Equal(t, b.SoC, r.StartSoC, msg)
	var cost, base float64
	for i, iv := range r.Intervals {
		h := iv.End.Sub(iv.Start).Hours()
		lo, hi := min(b.MinSoC, b.SoC), max(b.MaxSoC, b.SoC)
		for _, soc := range []energy.Fraction{iv.StartSoC, iv.EndSoC} {
			require.True(t, soc >= lo && soc <= hi, "%s: interval %d SoC %v outside %v..%v", msg, i, soc, lo, hi)
		}
		require.LessOrEqual(t, float64(iv.Battery), float64(b.MaxDischarge)+tol, "%s: interval %d", msg, i)
		require.GreaterOrEqual(t, float64(iv.Battery), -float64(b.MaxCharge)-tol, "%s: interval %d", msg, i)
		if i > 0 {
			require.Equal(t, r.Intervals[i-1].End, iv.Start, msg)
			require.InDelta(t, float64(r.Intervals[i-1].EndSoC), float64(iv.StartSoC), 1e-12, msg)
		}
		// The state of charge moves as the power and efficiencies say.
		ac := -float64(iv.Battery) * h
		moved := ac * b.ChargeEfficiency
		if ac < 0 {
			moved = ac / b.DischargeEfficiency
		}
		assert.InDelta(t, moved, float64(iv.EndSoC-iv.StartSoC)*float64(b.Capacity), 1e-6, "%s: interval %d", msg, i)
		assert.InDelta(t, float64(iv.Load-iv.PV-iv.Battery), float64(iv.Grid), 1e-6, msg)
		cost += iv.Cost
		base += iv.BaselineCost
	}
	assert.InDelta(t, cost, r.Cost, 1e-9, msg)
	assert.InDelta(t, base, r.BaselineCost, 1e-9, msg)
	// The schedule is valid, one-off, covers the horizon and is merged.
	s := r.Schedule
	require.NoError(t, s.Validate(), msg)
	assert.Equal(t, energy.RepeatOnce, s.Repeat, msg)
	require.NotEmpty(t, s.Windows, msg)
	assert.Equal(t, r.Intervals[0].Start, s.Windows[0].Start, msg)
	assert.Equal(t, r.Intervals[len(r.Intervals)-1].End, s.Windows[len(s.Windows)-1].End, msg)
	for i := 1; i < len(s.Windows); i++ {
		prev, w := s.Windows[i-1], s.Windows[i]
		assert.Equal(t, prev.End, w.Start, msg)
		assert.False(t, prev.Mode == w.Mode && prev.Power == w.Power, "%s: windows %d and %d not merged", msg, i-1, i)
	}
}

func TestPlanProperties(t *testing.T) {
	r := seeded(t)
	for i := range 150 {
		step := resolutions[r.IntN(len(resolutions))]
		n := 4 + r.IntN(96)
		p := randomProblem(r, n, step, r.IntN(4) != 0, r.IntN(2) == 0)
		if r.IntN(5) == 0 { // a battery outside its band
			p.Battery.SoC = energy.Fraction(r.Float64())
		}
		msg := fmt.Sprintf("case %d", i)
		res, err := Plan(p)
		require.NoError(t, err, msg)
		checkPlan(t, p, res, msg)
		again, err := Plan(p)
		require.NoError(t, err)
		assert.Equal(t, res, again, "%s: not deterministic", msg)
	}
}

// Flat prices leave nothing to gain: every move loses to the efficiencies
// or at best ties, and ties go to holding.
func TestFlatPricesGiveIdle(t *testing.T) {
	r := seeded(t)
	for i := range 100 {
		step := resolutions[r.IntN(len(resolutions))]
		n := 4 + r.IntN(60)
		forecast := r.IntN(2) == 0
		p := randomProblem(r, n, step, true, forecast)
		price := r.Float64() * 0.5
		exp := price
		if !forecast {
			exp = price * r.Float64() // without a forecast export may pay less
		}
		if r.IntN(4) == 0 {
			p.Battery.ChargeEfficiency, p.Battery.DischargeEfficiency = 1, 1
		}
		for j := range p.Prices {
			if p.Prices[j].Channel == energy.ChannelImport {
				p.Prices[j].PerKWh = price
			} else {
				p.Prices[j].PerKWh = exp
			}
		}
		res, err := Plan(p)
		require.NoError(t, err, "case %d", i)
		require.Len(t, res.Schedule.Windows, 1, "case %d: %+v", i, res.Schedule.Windows)
		assert.Equal(t, energy.ModeIdle, res.Schedule.Windows[0].Mode)
		assert.Empty(t, res.Active().Windows)
		assert.Equal(t, res.BaselineCost, res.Cost)
	}
}

// When no export price, after both conversions, pays what the cheapest
// import costs, charging from the grid can only lose: the plan never
// charges.
func TestNoGridChargingToExportAtALoss(t *testing.T) {
	r := seeded(t)
	for i := range 100 {
		p := randomProblem(r, 8+r.IntN(60), resolutions[r.IntN(len(resolutions))], true, false)
		eta := p.Battery.ChargeEfficiency * p.Battery.DischargeEfficiency
		minImp := math.Inf(1)
		for j := range p.Prices {
			if pr := &p.Prices[j]; pr.Channel == energy.ChannelImport {
				pr.PerKWh = math.Abs(pr.PerKWh) + 0.01
				minImp = min(minImp, pr.PerKWh)
			}
		}
		for j := range p.Prices {
			if pr := &p.Prices[j]; pr.Channel == energy.ChannelExport {
				// Up to just below break-even: export·ηc·ηd < import.
				pr.PerKWh = minImp / eta * (0.5 + 0.499*r.Float64())
			}
		}
		res, err := Plan(p)
		require.NoError(t, err, "case %d", i)
		checkPlan(t, p, res, fmt.Sprintf("case %d", i))
		for _, w := range res.Schedule.Windows {
			require.NotEqual(t, energy.ModeCharge, w.Mode, "case %d: charges %v..%v", i, w.Start, w.End)
		}
	}
}

// With a forecast, a kWh bought to store can only lose when no import
// price, after both conversions, pays back the cheapest one and no export
// price pays back any: then the battery charges only from PV surplus, and
// a charging interval draws from the grid at most the one step by which
// the grid can overshoot the surplus.
func TestNoGridChargingAtALossWithForecast(t *testing.T) {
	r := seeded(t)
	for i := range 100 {
		p := randomProblem(r, 8+r.IntN(60), resolutions[r.IntN(len(resolutions))], true, true)
		eta := p.Battery.ChargeEfficiency * p.Battery.DischargeEfficiency
		base := 0.05 + r.Float64()*0.4
		for j := range p.Prices {
			pr := &p.Prices[j]
			if pr.Channel == energy.ChannelImport {
				pr.PerKWh = base * (1 + (1/eta-1)*0.999*r.Float64()) // max·η < min
			} else {
				pr.PerKWh = base * r.Float64()
			}
		}
		msg := fmt.Sprintf("case %d", i)
		res, err := Plan(p)
		require.NoError(t, err, msg)
		checkPlan(t, p, res, msg)
		for j, iv := range res.Intervals {
			if iv.Battery < 0 {
				h := iv.End.Sub(iv.Start).Hours()
				assert.LessOrEqual(t, float64(iv.Grid)*h, float64(res.Step)/p.Battery.ChargeEfficiency+1e-6,
					"%s: interval %d charges %v from the grid (load %v, PV %v)", msg, j, iv.Battery, iv.Load, iv.PV)
			}
		}
	}
}
