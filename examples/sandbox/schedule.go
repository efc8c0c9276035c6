package main

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/plan"
)

// scheduleForm is a way of writing a plan as an energy.Schedule. Vendors
// take different subsets of what a Schedule can say and refuse the rest
// with energy.ErrUnsupported; the controller tries the forms in order, from
// the most faithful to the simplest, and keeps to the first one taken.
type scheduleForm int

const (
	// formPlanned is the plan's own schedule: once, with idle windows,
	// powers and target states of charge.
	formPlanned scheduleForm = iota
	// formNoTargets drops the target states of charge, for vendors that
	// cannot stop a window at one (the window's length carries it).
	formNoTargets
	// formDaily is the simplest common form, for vendors whose windows
	// repeat daily: charge windows only, at the device's own power, on the
	// 15-minute grid, at most two with one target in whole percent.
	// Discharging is left to the device's default (self-consumption):
	// such devices discharge only inside daily discharge windows once any
	// is set, so a plan's few discharge windows would stop the battery
	// from covering the house at every other hour.
	formDaily
	numForms
)

func (f scheduleForm) String() string {
	switch f {
	case formPlanned:
		return "as planned (once)"
	case formNoTargets:
		return "without targets (once)"
	case formDaily:
		return "daily, two charge windows"
	}
	return "unknown"
}

// dailyGrid is the grid daily windows are rounded to.
const dailyGrid = 15 * time.Minute

// dailyPerMode is how many windows of each mode the daily form keeps.
const dailyPerMode = 2

// shape writes r's plan in form f.
func shape(r plan.Result, f scheduleForm) energy.Schedule {
	switch f {
	case formPlanned:
		return r.Schedule
	case formNoTargets:
		s := r.Schedule
		s.Windows = slices.Clone(s.Windows)
		for i := range s.Windows {
			s.Windows[i].TargetSoC = 0
		}
		return s
	}
	return daily(r.Active())
}

// daily fits s to formDaily. Windows are kept by the energy they move (the
// largest first), so the two that matter most survive.
func daily(s energy.Schedule) energy.Schedule {
	var merged []energy.Window
	for _, w := range s.Sorted().Windows {
		w.Start, w.End = w.Start.Round(dailyGrid), w.End.Round(dailyGrid)
		if !w.End.After(w.Start) {
			continue
		}
		if n := len(merged); n > 0 && merged[n-1].Mode == w.Mode && !merged[n-1].End.Before(w.Start) {
			last := &merged[n-1]
			last.Power = energy.Watts((float64(last.Power)*last.Duration().Hours() + float64(w.Power)*w.Duration().Hours()) /
				w.End.Sub(last.Start).Hours())
			last.End = w.End
			last.TargetSoC = w.TargetSoC
			continue
		}
		merged = append(merged, w)
	}
	out := energy.Schedule{Repeat: energy.RepeatDaily}
	for _, mode := range []energy.Mode{energy.ModeCharge} {
		var ws []energy.Window
		for _, w := range merged {
			if w.Mode == mode {
				ws = append(ws, w)
			}
		}
		slices.SortStableFunc(ws, func(a, b energy.Window) int {
			return cmp.Compare(float64(b.Power)*b.Duration().Hours(), float64(a.Power)*a.Duration().Hours())
		})
		ws = ws[:min(len(ws), dailyPerMode)]
		var target energy.Fraction
		for i, w := range ws {
			if i == 0 || (mode == energy.ModeCharge && w.TargetSoC > target) ||
				(mode == energy.ModeDischarge && w.TargetSoC < target) {
				target = w.TargetSoC
			}
		}
		// Whole percent: what devices with daily windows take.
		target = energy.FromPercent(math.Round(target.Percent()))
		for _, w := range ws {
			w.Power, w.TargetSoC = 0, target
			if w.Duration() >= 24*time.Hour {
				w.End = w.Start.Add(24*time.Hour - dailyGrid)
			}
			out.Windows = append(out.Windows, w)
		}
	}
	out.Windows = out.Sorted().Windows
	return out
}
