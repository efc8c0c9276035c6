package plan

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// day48h5min is a 48-hour horizon at 5-minute resolution: a daily curve
// with a morning shoulder, a solar trough and an evening spike, plus noise,
// import and export, and a home's load and PV.
func day48h5min() Problem {
	r := rand.New(rand.NewPCG(48, 5))
	const n = 48 * 12
	imp, exp := make([]float64, n), make([]float64, n)
	var fc []Forecast
	for i := range n {
		h := math.Mod(float64(i)/12, 24)
		base := 0.25 + 0.1*math.Sin((h-7)/24*2*math.Pi)
		if h >= 10 && h < 15 {
			base -= 0.2
		}
		if h >= 17 && h < 20 {
			base += 0.9
		}
		imp[i] = base + r.Float64()*0.05
		exp[i] = max(0, imp[i]-0.12)
		s := t0.Add(time.Duration(i) * 5 * time.Minute)
		pv := max(0, 6000*math.Sin((h-6)/12*math.Pi))
		fc = append(fc, Forecast{Start: s, End: s.Add(5 * time.Minute), Load: energy.Watts(600 + 1500*r.Float64()), PV: energy.Watts(pv)})
	}
	return Problem{
		Prices:   both(5*time.Minute, imp, exp),
		Battery:  home(),
		Forecast: fc,
	}
}

// BenchmarkPlan48h5min plans 48 hours at 5-minute resolution with the
// default grid.
func BenchmarkPlan48h5min(b *testing.B) {
	p := day48h5min()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Plan(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan48h5minLevels1000 is the same with a five times finer grid.
func BenchmarkPlan48h5minLevels1000(b *testing.B) {
	p := day48h5min()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Plan(p, WithLevels(1000)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan48h5minSlowCharge is the same with a 300 W charger beside
// the 5 kW discharge: one interval's charge is less than half a step of the
// default grid, so the grid is refined to one interval's charge per step
// and the discharge spans many steps. The work grows with the square of
// that refinement (about 0.25 s at 100 W).
func BenchmarkPlan48h5minSlowCharge(b *testing.B) {
	p := day48h5min()
	p.Battery.MaxCharge = 300
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Plan(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaseline48h5min is the trivial baseline in the same run: the
// do-nothing cost of the same horizon (validate, cut, one pass).
func BenchmarkBaseline48h5min(b *testing.B) {
	p := day48h5min()
	b.ReportAllocs()
	for b.Loop() {
		segs, _, err := p.horizon()
		if err != nil {
			b.Fatal(err)
		}
		m := model{b: p.Battery, segs: segs}
		var cost float64
		for _, s := range segs {
			cost += m.cost(s, 0)
		}
		if math.IsNaN(cost) {
			b.Fatal("NaN")
		}
	}
}
