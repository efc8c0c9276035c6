package plan

import (
	"math"
	"slices"
	"time"
)

// maxStates bounds the states of the grid whatever the power limits ask,
// so that the work stays bounded and a move fits the int16 the recursion
// stores per state.
const maxStates = 30_000

// maxCells bounds intervals × states, the recursion's memory (two bytes a
// cell) and, times the moves of an interval, its work: maxIntervals and
// maxStates alone would allow gigabytes.
const maxCells = 1 << 25

// grid is the discretised stored energy: state s holds e0 + (s−lo)·step Wh.
type grid struct {
	step float64 // Wh per level
	lo   int     // the starting state, e0's index
	n    int     // number of states
}

func (g grid) energy(e0 float64, s int) float64 { return e0 + float64(s-g.lo)*g.step }

// newGrid chooses the grid for b over segs: usable/levels per step, adjusted
// so that full power over the commonest interval length is a whole number
// of steps (see align), and anchored at the present state of charge so that
// holding is always a plan on the grid.
func newGrid(b Battery, segs []segment, levels int) grid {
	c := float64(b.Capacity)
	minSoC, maxSoC := b.band()
	usable := float64(maxSoC-minSoC) * c
	if usable <= 0 || (b.MaxCharge == 0 && b.MaxDischarge == 0) {
		return grid{step: 1, n: 1}
	}
	h := commonest(segs).Hours()
	step := align(usable/float64(levels),
		float64(b.MaxCharge)*h*b.ChargeEfficiency, float64(b.MaxDischarge)*h/b.DischargeEfficiency)
	if usable/step > maxStates {
		step = usable / maxStates
	}
	e0 := float64(b.SoC) * c
	const slack = 1e-9 // a level a rounding error past a bound is still in
	lo := int(math.Floor((e0-float64(minSoC)*c)/step + slack))
	hi := int(math.Floor((float64(maxSoC)*c-e0)/step + slack))
	return grid{step: step, lo: lo, n: lo + hi + 1}
}

// align returns a step near step, with up to half as many again steps to
// the usable range, in which a full charge over one interval, ec Wh in the
// cells, is a whole number of steps and a full discharge, ed Wh out of the
// cells, falls short of a whole number by as little as that range allows.
// With 5-minute intervals one interval moves only a few steps, so aligning
// the charge alone could leave the discharge most of a step, a tenth of
// its power, short at the peak. Where the battery cannot charge, the
// discharge is aligned instead.
func align(step, ec, ed float64) float64 {
	if ec <= 0 {
		ec, ed = ed, 0
	}
	k0 := max(1, math.Round(ec/step))
	if ed <= 0 {
		return ec / k0
	}
	// shortfall is the share of ed lost to the floor in reach.
	shortfall := func(k float64) float64 {
		f := ed / (ec / k)
		return (f - math.Floor(f+1e-9)) / f
	}
	// At most 64 candidates: from k0 = 128 on, the floor loses under 1 %
	// anyway, and a huge power limit (k0 in the billions) must not loop.
	// The count is an int: past 2^53, k0+1 == k0 in floats.
	best := k0
	for i := 1; i <= 64 && k0+float64(i) <= math.Floor(k0*3/2); i++ {
		if k := k0 + float64(i); shortfall(k) < shortfall(best)-1e-9 {
			best = k
		}
	}
	return ec / best
}

// commonest returns the most frequent segment length (the shorter on a tie).
func commonest(segs []segment) time.Duration {
	count := map[time.Duration]int{}
	for _, s := range segs {
		count[s.end.Sub(s.start)]++
	}
	var best time.Duration
	for d, n := range count {
		if n > count[best] || (n == count[best] && d < best) {
			best = d
		}
	}
	return best
}

// model holds what the recursion needs about the battery and the interval.
type model struct {
	b    Battery
	g    grid
	segs []segment
}

// reach returns how many steps the battery can discharge (kd) and charge
// (kc) within seg.
func (m model) reach(seg segment) (kd, kc int) {
	const slack = 1e-9
	// Clamped as floats: a huge limit would overflow the conversion.
	most := float64(m.g.n - 1)
	kc = int(min(math.Floor(float64(m.b.MaxCharge)*seg.hours*m.b.ChargeEfficiency/m.g.step+slack), most))
	kd = int(min(math.Floor(float64(m.b.MaxDischarge)*seg.hours/m.b.DischargeEfficiency/m.g.step+slack), most))
	return kd, kc
}

// flow returns the battery's AC energy in Wh (positive when charging, drawn
// from the site) for a move of d steps.
func (m model) flow(d int) float64 {
	x := float64(d) * m.g.step
	if d > 0 {
		return x / m.b.ChargeEfficiency
	}
	return x * m.b.DischargeEfficiency
}

// cost returns the cost of seg's grid exchange when the battery moves by d
// steps.
func (m model) cost(seg segment, d int) float64 {
	g := (seg.load-seg.pv)*seg.hours + m.flow(d)
	if g > 0 {
		return seg.imp * g / 1000
	}
	return seg.exp * g / 1000
}

// defaultEndValue is ηd times the lowest discharge price of the horizon
// (the import price where the forecast site imports, the export price
// elsewhere), and never below 0: what a stored kWh is surely worth, since
// holding it costs nothing.
func (m model) defaultEndValue() float64 {
	low := math.Inf(1)
	for _, s := range m.segs {
		p := s.exp
		if s.load > s.pv {
			p = s.imp
		}
		low = min(low, p)
	}
	return m.b.DischargeEfficiency * max(0, low)
}

// epsilon is the margin within which two costs count as equal: 1e-9 of the
// largest cost an interval or the end value can reach.
func (m model) epsilon(endValue float64) float64 {
	maxPrice, maxWh := math.Abs(endValue), float64(m.b.Capacity)
	for _, s := range m.segs {
		maxPrice = max(maxPrice, math.Abs(s.imp), math.Abs(s.exp))
		e := (s.load+s.pv+float64(m.b.MaxCharge+m.b.MaxDischarge))*s.hours + float64(m.b.Capacity)
		maxWh = max(maxWh, e)
	}
	return max(1e-9*maxPrice*maxWh/1000, 1e-300)
}

// solve runs the backward recursion and returns each interval's move in
// steps along the optimal path from the starting state.
//
// V_T(s) = −endValue·(E(s)−E0)/1000, and for each interval t
// V_t(s) = min over allowed d of cost_t(d) + V_{t+1}(s+d), where the moves
// d are tried in the order 0, −1, +1, −2, +2, … and one replaces the best so
// far only if it is cheaper by more than eps.
func (m model) solve(endValue float64) []int {
	n, T := m.g.n, len(m.segs)
	next := make([]float64, n)
	cur := make([]float64, n)
	for s := range next {
		next[s] = -endValue * float64(s-m.g.lo) * m.g.step / 1000
	}
	choice := make([]int16, T*n)
	costs := make([]float64, 0, 2*n+1)
	eps := m.epsilon(endValue)
	for t := T - 1; t >= 0; t-- {
		seg := m.segs[t]
		kd, kc := m.reach(seg)
		costs = costs[:0]
		for d := -kd; d <= kc; d++ {
			costs = append(costs, m.cost(seg, d))
		}
		c := costs[kd:] // c[d] for d in −kd..kc, through the offset
		row := choice[t*n : (t+1)*n]
		for s := range n {
			dmin, dmax := max(-kd, -s), min(kc, n-1-s)
			best, bd := c[0]+next[s], 0
			for k := 1; k <= max(-dmin, dmax); k++ {
				if -k >= dmin {
					if v := costs[kd-k] + next[s-k]; v < best-eps {
						best, bd = v, -k
					}
				}
				if k <= dmax {
					if v := c[k] + next[s+k]; v < best-eps {
						best, bd = v, k
					}
				}
			}
			cur[s], row[s] = best, int16(bd)
		}
		next, cur = cur, next
	}
	moves := make([]int, T)
	s := m.g.lo
	for t := range T {
		moves[t] = int(choice[t*n+s])
		s += moves[t]
	}
	return moves
}

// trace walks moves from the starting state and returns the stored energy
// at each interval boundary.
func (m model) trace(moves []int) []float64 {
	e0 := float64(m.b.SoC) * float64(m.b.Capacity)
	out := slices.Grow([]float64(nil), len(moves)+1)
	s := m.g.lo
	out = append(out, e0)
	for _, d := range moves {
		s += d
		out = append(out, m.g.energy(e0, s))
	}
	return out
}
