package plan

import (
	"math"

	"github.com/gridwire/gridwire/energy"
)

// schedule turns intervals into windows, merging neighbours of equal mode
// and power.
func schedule(ivs []Interval) energy.Schedule {
	var ws []energy.Window
	for _, iv := range ivs {
		mode, power := energy.ModeIdle, energy.Watts(0)
		switch p := roundMilliwatt(float64(iv.Battery)); {
		case p > 0:
			mode, power = energy.ModeDischarge, energy.Watts(p)
		case p < 0:
			mode, power = energy.ModeCharge, energy.Watts(-p)
		}
		if n := len(ws); n > 0 && ws[n-1].Mode == mode && ws[n-1].Power == power && ws[n-1].End.Equal(iv.Start) {
			ws[n-1].End = iv.End
		} else {
			ws = append(ws, energy.Window{Start: iv.Start, End: iv.End, Mode: mode, Power: power})
		}
		if mode != energy.ModeIdle {
			ws[len(ws)-1].TargetSoC = iv.EndSoC
		}
	}
	return energy.Schedule{Windows: ws, Repeat: energy.RepeatOnce}
}

// roundMilliwatt rounds w to the milliwatt, which merges windows that differ
// by float noise; a power too large for that to mean anything (where w×1000
// would overflow) is left as it is.
func roundMilliwatt(w float64) float64 {
	if r := math.Round(w*1000) / 1000; !math.IsInf(r, 0) {
		return r
	}
	return w
}

// Active returns the schedule without its idle windows, for a battery that
// should follow its vendor's default behaviour (usually self-consumption)
// where the plan holds, or whose vendor cannot carry out idle windows.
func (r Result) Active() energy.Schedule {
	var ws []energy.Window
	for _, w := range r.Schedule.Windows {
		if w.Mode != energy.ModeIdle {
			ws = append(ws, w)
		}
	}
	return energy.Schedule{Windows: ws, Repeat: r.Schedule.Repeat}
}

// WithoutTargets returns a copy of s with every window's TargetSoC cleared,
// for a battery whose vendor cannot stop at a state of charge (an OpenADR
// 2.0b VEN refuses a target with energy.ErrUnsupported). A plan loses
// nothing by it: each of its windows ends where its target is reached at
// its power. What it loses is the guard: a battery more efficient than
// Limits say no longer stops at the target, and one less efficient may pass
// MinSoC (or its reserve) at the end of a discharge window.
func WithoutTargets(s energy.Schedule) energy.Schedule {
	ws := make([]energy.Window, len(s.Windows))
	for i, w := range s.Windows {
		w.TargetSoC = 0
		ws[i] = w
	}
	return energy.Schedule{Windows: ws, Repeat: s.Repeat}
}
