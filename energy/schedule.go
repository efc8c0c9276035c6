package energy

import (
	"fmt"
	"slices"
	"time"
)

// Mode is what a battery does during a schedule window.
type Mode string

// The modes of a schedule window.
const (
	ModeCharge    Mode = "charge"    // charge (from grid or PV, as the vendor allows)
	ModeDischarge Mode = "discharge" // discharge to the load or the grid
	ModeIdle      Mode = "idle"      // hold: neither charge nor discharge
)

// Valid reports whether m is one of the defined modes.
func (m Mode) Valid() bool { return m == ModeCharge || m == ModeDischarge || m == ModeIdle }

// Schedule is a battery's plan: windows of charging, discharging or holding.
// Outside its windows a battery follows the vendor's default behaviour
// (usually self-consumption). The zero Schedule clears any plan.
//
// A schedule runs once (the zero Repeat) or every day (RepeatDaily). Vendors
// differ here: AlphaESS stores daily charge windows that repeat until
// replaced, an OpenADR event runs once. An adapter refuses the kind it cannot
// carry out with an error wrapping ErrUnsupported, so that a one-off 02:00
// charge never silently becomes a nightly one.
type Schedule struct {
	// Windows are the schedule's periods, in any order; they must not
	// overlap. For a daily schedule only each window's time of day counts
	// (the clock time of Start in its location, and the Duration), no
	// window may be longer than a day, and windows must not overlap by
	// time of day, across midnight too: 23:00–01:00 and 00:30–02:00 on any
	// dates overlap. (Windows in different locations are compared in the
	// first window's.)
	Windows []Window
	// Repeat says whether the windows run once or every day. The zero
	// value, RepeatOnce, runs them once.
	Repeat Repeat
}

// Repeat says whether a Schedule runs once or repeats.
type Repeat string

// The repeat kinds of a Schedule.
const (
	// RepeatOnce: the windows run at the times given, once; the zero value.
	RepeatOnce Repeat = ""
	// RepeatDaily: the windows' times of day repeat every day until the
	// schedule is replaced or cleared.
	RepeatDaily Repeat = "daily"
)

// Valid reports whether r is one of the defined repeat kinds.
func (r Repeat) Valid() bool { return r == RepeatOnce || r == RepeatDaily }

// Window is one period of a Schedule.
type Window struct {
	// Start and End bound the window: [Start, End).
	Start, End time.Time
	// Mode is what the battery does in the window.
	Mode Mode
	// Power is the magnitude of the charge or discharge power; its direction
	// comes from Mode. 0 means the vendor's default (usually full power).
	Power Watts
	// TargetSoC is the state of charge at which to stop charging (or
	// discharging); 0 means none.
	TargetSoC Fraction
}

// Duration returns End - Start.
func (w Window) Duration() time.Duration { return w.End.Sub(w.Start) }

// Validate checks the schedule and returns a *FieldError naming the first
// bad field, or nil. Repeat must be a defined kind. Windows must each have a
// start, an end after it, a defined mode, a finite non-negative power and a
// target state of charge from 0 to 1, and must not overlap one another
// (they need not be sorted). Daily windows last at most 24 h and must not
// overlap by time of day, across midnight too.
func (s Schedule) Validate() error {
	if !s.Repeat.Valid() {
		return Invalid("Repeat", "%q is not once (\"\") or daily", s.Repeat)
	}
	for i, w := range s.Windows {
		f := func(name string) string { return fmt.Sprintf("Windows[%d].%s", i, name) }
		switch {
		case w.Start.IsZero():
			return Invalid(f("Start"), "is not set")
		case w.End.IsZero():
			return Invalid(f("End"), "is not set")
		case !w.End.After(w.Start):
			return Invalid(f("End"), "%s is not after Start %s", w.End.Format(time.RFC3339), w.Start.Format(time.RFC3339))
		case !w.Mode.Valid():
			return Invalid(f("Mode"), "%q is not charge, discharge or idle", w.Mode)
		case !finite(float64(w.Power)) || w.Power < 0:
			return Invalid(f("Power"), "%v must be a finite magnitude ≥ 0 (the direction comes from Mode)", float64(w.Power))
		case w.Mode == ModeIdle && w.Power != 0:
			return Invalid(f("Power"), "%v: an idle window has no power", float64(w.Power))
		case !finite(float64(w.TargetSoC)) || !w.TargetSoC.Valid():
			return Invalid(f("TargetSoC"), "%v is outside 0..1 (a fraction, not percent)", float64(w.TargetSoC))
		case s.Repeat == RepeatDaily && w.Duration() > 24*time.Hour:
			return Invalid(f("End"), "a daily window lasts at most 24h, this one %v", w.Duration())
		}
	}
	if s.Repeat == RepeatDaily {
		return s.validateDaily()
	}
	sorted := s.Sorted()
	for i := 1; i < len(sorted.Windows); i++ {
		prev, cur := sorted.Windows[i-1], sorted.Windows[i]
		if cur.Start.Before(prev.End) {
			j := slices.IndexFunc(s.Windows, func(w Window) bool { return w == cur })
			return Invalid(fmt.Sprintf("Windows[%d].Start", j), "%s overlaps the window ending %s",
				cur.Start.Format(time.RFC3339), prev.End.Format(time.RFC3339))
		}
	}
	return nil
}

// validateDaily checks that no two windows overlap by time of day: each
// window is an arc [start, start+duration) on a 24-hour circle, so one
// that crosses midnight is compared with the next day's copy of the other.
// Times of day are read in the first window's location, so that windows
// given in different zones compare as the instants they name.
func (s Schedule) validateDaily() error {
	const day = 24 * time.Hour
	if len(s.Windows) == 0 {
		return nil
	}
	loc := s.Windows[0].Start.Location()
	for j := 1; j < len(s.Windows); j++ {
		for i := range j {
			a, b := s.Windows[i], s.Windows[j]
			sa, sb := timeOfDay(a.Start.In(loc)), timeOfDay(b.Start.In(loc))
			for _, shift := range []time.Duration{-day, 0, day} {
				if sb+shift < sa+a.Duration() && sa < sb+shift+b.Duration() {
					return Invalid(fmt.Sprintf("Windows[%d].Start", j), "%s–%s overlaps window %d (%s–%s) by time of day; a daily schedule repeats them every day",
						b.Start.Format("15:04"), b.End.Format("15:04"), i, a.Start.Format("15:04"), a.End.Format("15:04"))
				}
			}
		}
	}
	return nil
}

// timeOfDay is how long after its day's 00:00 clock time t is, by the clock
// (in t's location).
func timeOfDay(t time.Time) time.Duration {
	h, m, sec := t.Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second + time.Duration(t.Nanosecond())
}

// Sorted returns a copy of s with its windows sorted by start time.
func (s Schedule) Sorted() Schedule {
	w := slices.Clone(s.Windows)
	slices.SortStableFunc(w, func(a, b Window) int { return a.Start.Compare(b.Start) })
	return Schedule{Windows: w, Repeat: s.Repeat}
}
