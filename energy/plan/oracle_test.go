package plan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

// The brute force of brute_test.go checks the recursion only: it shares the
// model (grid, reach, cost, horizon cut, end value) with Plan. The oracle
// here shares none of it. It reads prices and forecast by time from the raw
// Problem, enumerates every sequence of stored-energy levels the documented
// model allows, and prices each slot's net grid flow itself.

// slot is the oracle's fixed interval length: every problem it builds has
// one input at this resolution, so that Plan's intervals are these slots.
const slot = 15 * time.Minute

// priceAt returns the price on channel ch whose interval holds t, and
// false when none does.
func priceAt(prices []energy.Price, ch energy.Channel, t time.Time) (float64, bool) {
	for _, p := range prices {
		if p.Channel == ch && !t.Before(p.Start) && t.Before(p.End) {
			return p.PerKWh, true
		}
	}
	return 0, false
}

// siteAt returns the forecast's load and PV at t (0 without a forecast).
func siteAt(fc []Forecast, t time.Time) (load, pv float64) {
	for _, f := range fc {
		if !t.Before(f.Start) && t.Before(f.End) {
			return float64(f.Load), float64(f.PV)
		}
	}
	return 0, 0
}

// slotCost is what the grid exchange of one slot costs when the cells gain
// dCells Wh: charging draws dCells/ηc from the AC side, discharging gives
// |dCells|·ηd to it; the site's net flow buys at the import price and sells
// at the export price.
func slotCost(p Problem, at time.Time, dCells float64) float64 {
	h := slot.Hours()
	imp, _ := priceAt(p.Prices, energy.ChannelImport, at)
	exp, _ := priceAt(p.Prices, energy.ChannelExport, at)
	load, pv := siteAt(p.Forecast, at)
	ac := dCells * p.Battery.DischargeEfficiency
	if dCells > 0 {
		ac = dCells / p.Battery.ChargeEfficiency
	}
	grid := (load-pv)*h + ac
	if grid > 0 {
		return imp * grid / 1000
	}
	return exp * grid / 1000
}

// oracleEndValue is the documented default: ηd times the lowest price a
// discharged kWh meets (import where the site imports, export elsewhere),
// never below 0.
func oracleEndValue(p Problem, slots int) float64 {
	low := math.Inf(1)
	for i := range slots {
		at := t0.Add(time.Duration(i) * slot)
		price, _ := priceAt(p.Prices, energy.ChannelExport, at)
		if load, pv := siteAt(p.Forecast, at); load > pv {
			price, _ = priceAt(p.Prices, energy.ChannelImport, at)
		}
		low = min(low, price)
	}
	return p.Battery.DischargeEfficiency * max(0, low)
}

// oracle returns the least objective (cost minus the end value of the
// energy gained) over every sequence of levels MinSoC·C + k·step,
// k = 0..levels, in which each slot's move keeps to the AC power limits.
func oracle(p Problem, slots, levels int, step, endValue float64) float64 {
	b := p.Battery
	h := slot.Hours()
	const tol = 1e-9
	allowed := func(d float64) bool {
		if d > 0 {
			return d/b.ChargeEfficiency <= float64(b.MaxCharge)*h*(1+tol)
		}
		return -d*b.DischargeEfficiency <= float64(b.MaxDischarge)*h*(1+tol)
	}
	k0 := int(math.Round((float64(b.SoC-b.MinSoC) * float64(b.Capacity)) / step))
	best := math.Inf(1)
	var walk func(i, k int, cost float64)
	walk = func(i, k int, cost float64) {
		if i == slots {
			best = min(best, cost-endValue*float64(k-k0)*step/1000)
			return
		}
		for next := 0; next <= levels; next++ {
			if d := float64(next-k) * step; allowed(d) {
				walk(i+1, next, cost+slotCost(p, t0.Add(time.Duration(i)*slot), d))
			}
		}
	}
	walk(0, k0, 0)
	return best
}

// oracleProblem builds a random problem on 15-minute slots whose grid is
// known: usable = levels·step, the starting state on a level, and full
// charge and discharge power over a slot whole numbers of steps (so Plan
// does not adjust the step). Inputs come at 15, 30 or 60 minutes, one of them at 15.
func oracleProblem(r *rand.Rand) (p Problem, slots, levels int, step float64) {
	slots = []int{4, 8}[r.IntN(2)]
	levels = 1 + r.IntN(6)
	if slots == 8 {
		levels = 1 + r.IntN(3)
	}
	res := []time.Duration{slot, 2 * slot, 4 * slot}
	forecast := r.IntN(3) != 0
	ri, re, rf := res[r.IntN(3)], res[r.IntN(3)], slot
	if !forecast || r.IntN(2) == 0 { // then a price is at 15 minutes
		ri, rf = slot, res[r.IntN(3)]
	}
	price := func(ch energy.Channel, step time.Duration, lo, span float64) []energy.Price {
		v := make([]float64, slots*int(slot)/int(step))
		for i := range v {
			v[i] = lo + r.Float64()*span
		}
		return curve(ch, t0, step, v...)
	}
	p.Prices = price(energy.ChannelImport, ri, -0.1, 0.8)
	if r.IntN(4) != 0 {
		p.Prices = append(p.Prices, price(energy.ChannelExport, re, -0.15, 0.6)...)
	}
	if forecast {
		for i := range slots * int(slot) / int(rf) {
			s := t0.Add(time.Duration(i) * rf)
			p.Forecast = append(p.Forecast, Forecast{Start: s, End: s.Add(rf),
				Load: energy.Watts(r.Float64() * 4000), PV: energy.Watts(max(0, r.Float64()*8000-3000))})
		}
	}
	step = 200 + r.Float64()*2000
	ce, de := 0.8+r.Float64()*0.2, 0.8+r.Float64()*0.2
	minSoC := energy.Fraction(r.Float64() * 0.2)
	capacity := float64(levels) * step / (0.5 + r.Float64()*0.3)
	maxSoC := minSoC + energy.Fraction(float64(levels)*step/capacity)
	p.Battery = Battery{
		Capacity: energy.WattHours(capacity),
		SoC:      minSoC + energy.Fraction(float64(r.IntN(levels+1))*step/capacity),
		Limits: Limits{MinSoC: minSoC, MaxSoC: maxSoC,
			MaxCharge: energy.Watts(float64(1+r.IntN(levels)) * step / slot.Hours() / ce),
			// A whole number of steps, as the charge, so that Plan keeps the step.
			MaxDischarge:     energy.Watts(float64(r.IntN(levels+1)) * step * de / slot.Hours()),
			ChargeEfficiency: ce, DischargeEfficiency: de},
	}
	return p, slots, levels, step
}

func TestPlanMatchesOracle(t *testing.T) {
	r := seeded(t)
	active := 0
	for i := range 300 {
		p, slots, levels, step := oracleProblem(r)
		msg := fmt.Sprintf("case %d: %+v", i, p.Battery)
		var opts []Option
		ev := oracleEndValue(p, slots)
		if r.IntN(2) == 0 {
			ev = r.Float64()*0.6 - 0.1
			opts = append(opts, WithEndValue(ev))
		}
		res, err := Plan(p, append(opts, WithLevels(levels))...)
		require.NoError(t, err, msg)
		require.Len(t, res.Intervals, slots, msg)
		require.InDelta(t, step, float64(res.Step), 1e-9*step, msg)
		require.InDelta(t, ev, res.EndValue, 1e-12, msg)
		want := oracle(p, slots, levels, step, ev)
		require.InDelta(t, want, objective(res), 1e-9*(1+math.Abs(want)), msg)
		// Each interval's cost is what its own grid flow costs at the
		// prices in force.
		for j, iv := range res.Intervals {
			cells := float64(iv.EndSoC-iv.StartSoC) * float64(p.Battery.Capacity)
			assert.InDelta(t, slotCost(p, iv.Start, cells), iv.Cost, 1e-9, "%s: interval %d", msg, j)
		}
		if len(res.Active().Windows) > 0 {
			active++
		}
	}
	// The cases must exercise the moves, not only idle plans.
	assert.Greater(t, active, 150)
}

// When the battery's move makes the site's net flow change sign within an
// interval, the part that offsets the site's own flow meets that flow's
// price and only the rest meets the other one. Worked by hand: 1 h, a
// 10 kWh battery on a 100 Wh grid, import 0.30, export 0.05.
func TestNetFlowChangesSignWithinAnInterval(t *testing.T) {
	prices := both(time.Hour, []float64{0.30}, []float64{0.05})
	// Full charge and discharge over the hour are whole steps, so the grid
	// keeps its 100 Wh step.
	battery := func(soc energy.Fraction, ce, de float64) Battery {
		return Battery{Capacity: 10000, SoC: soc, Limits: Limits{MaxSoC: 1, MaxCharge: 5000, MaxDischarge: energy.Watts(5000 * de),
			ChargeEfficiency: ce, DischargeEfficiency: de}}
	}
	t.Run("PV surplus is stored, import is not", func(t *testing.T) {
		// A stored kWh worth 0.20 pays for charging from the 2 kW surplus
		// (0.05/0.9 per kWh stored) but not from import (0.30/0.9).
		p := Problem{Prices: prices, Battery: battery(0, 0.9, 0.9),
			Forecast: []Forecast{{Start: t0, End: t0.Add(time.Hour), Load: 1000, PV: 3000}}}
		r, err := Plan(p, WithLevels(100), WithEndValue(0.20))
		require.NoError(t, err)
		require.InDelta(t, 100, float64(r.Step), 1e-9)
		iv := r.Intervals[0]
		assert.InDelta(t, -2000, float64(iv.Battery), 1e-6)
		assert.InDelta(t, 0, float64(iv.Grid), 1e-6)
		assert.InDelta(t, 0, iv.Cost, 1e-12)
		assert.InDelta(t, -0.05*2, iv.BaselineCost, 1e-12)
		assert.InDelta(t, 0.18, float64(iv.EndSoC), 1e-12, "1.8 kWh in the cells")
	})
	t.Run("discharge covers the load, does not export", func(t *testing.T) {
		// A stored kWh worth 0.10 is better spent offsetting import
		// (0.30·0.8) than kept, and better kept than exported (0.05·0.8).
		p := Problem{Prices: prices, Battery: battery(1, 0.9, 0.8),
			Forecast: []Forecast{{Start: t0, End: t0.Add(time.Hour), Load: 3000, PV: 1000}}}
		r, err := Plan(p, WithLevels(100), WithEndValue(0.10))
		require.NoError(t, err)
		iv := r.Intervals[0]
		assert.InDelta(t, 2000, float64(iv.Battery), 1e-6)
		assert.InDelta(t, 0, float64(iv.Grid), 1e-6)
		assert.InDelta(t, 0, iv.Cost, 1e-12)
		assert.InDelta(t, 0.75, float64(iv.EndSoC), 1e-12, "2.5 kWh out of the cells")
	})
}
