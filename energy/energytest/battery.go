package energytest

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// BatteryHarness describes a battery under test.
type BatteryHarness struct {
	// Battery is the implementation under test. Required.
	Battery energy.Battery
	// Requests, when set, returns how many requests have reached the
	// vendor (or fake) so far; the contract then checks that invalid input
	// and cancelled contexts cause none.
	Requests func() int
	// Now is the clock of the system under test; nil means time.Now.
	Now func() time.Time
	// MaxAge, when set, is the oldest a fresh snapshot may be.
	MaxAge time.Duration
	// Schedule is a schedule the battery must accept (or refuse with
	// energy.ErrUnsupported). When nil the contract uses one charge window
	// over the next whole hour on the 15-minute grid.
	Schedule *energy.Schedule
	// Unsupported, when set, is a valid schedule the battery cannot carry
	// out; SetSchedule must return an error wrapping energy.ErrUnsupported.
	Unsupported *energy.Schedule
	// BadData, when set, are ways to make the battery's vendor send values
	// that cannot be true; BatteryStatus must refuse each with an error
	// wrapping energy.ErrUnavailable and must not keep them (see BadData).
	BadData []BadData
	// New, when set, returns a new Battery for the same system. Each bad
	// data step then runs on its own new one, so that values an
	// implementation reads once and keeps (such as a capacity) are read
	// while the bad data is primed, and must not be kept either.
	New func() energy.Battery
}

// TestBattery runs the Battery contract against h as subtests of t.
func TestBattery(t *testing.T, h BatteryHarness) {
	t.Helper()
	runTest(t, batterySteps(h))
}

// CheckBattery runs the Battery contract and returns every violation joined,
// or nil.
func CheckBattery(ctx context.Context, h BatteryHarness) error {
	return runCheck(ctx, batterySteps(h))
}

// InvalidSchedules returns schedules that every Battery must reject with a
// *energy.FieldError before any I/O, keyed by what is wrong with them.
func InvalidSchedules(now time.Time) map[string]energy.Schedule {
	start := now.Truncate(15 * time.Minute).Add(time.Hour)
	win := func(mut func(*energy.Window)) energy.Schedule {
		w := energy.Window{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge, Power: 2000}
		mut(&w)
		return energy.Schedule{Windows: []energy.Window{w}}
	}
	return map[string]energy.Schedule{
		"end before start":   win(func(w *energy.Window) { w.End = w.Start.Add(-time.Hour) }),
		"zero start":         win(func(w *energy.Window) { w.Start = time.Time{} }),
		"unknown mode":       win(func(w *energy.Window) { w.Mode = "boost" }),
		"negative power":     win(func(w *energy.Window) { w.Power = -1000 }),
		"NaN power":          win(func(w *energy.Window) { w.Power = energy.Watts(math.NaN()) }),
		"target SoC percent": win(func(w *energy.Window) { w.TargetSoC = 80 }),
		"overlapping windows": {Windows: []energy.Window{
			{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge},
			{Start: start.Add(30 * time.Minute), End: start.Add(2 * time.Hour), Mode: energy.ModeDischarge},
		}},
		"unknown repeat": {Repeat: "weekly", Windows: []energy.Window{
			{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge},
		}},
		// A day apart, but the same time of day: every day they collide.
		"daily windows overlapping by time of day": {Repeat: energy.RepeatDaily, Windows: []energy.Window{
			{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge},
			{Start: start.Add(24*time.Hour + 30*time.Minute), End: start.Add(26 * time.Hour), Mode: energy.ModeDischarge},
		}},
	}
}

func batterySteps(h BatteryHarness) []step {
	reqs := counter(h.Requests)
	readFrom := func(b energy.Battery) func(ctx context.Context, c *checker) error {
		return func(ctx context.Context, c *checker) error {
			st, err := b.BatteryStatus(ctx)
			if err == nil {
				checkBatteryStatus(c, st, nowFunc(h.Now), h.MaxAge)
			}
			return err
		}
	}
	// Each bad data step reads twice from one battery: a new one when the
	// harness can make them.
	badRead := func() func(ctx context.Context, c *checker) error {
		if h.New != nil {
			return readFrom(h.New())
		}
		return readFrom(h.Battery)
	}
	steps := []step{
		{"status", func(ctx context.Context, c *checker) {
			if err := readFrom(h.Battery)(ctx, c); err != nil {
				c.errorf("BatteryStatus: %v", err)
			}
		}},
		{"status/cancelled", func(ctx context.Context, c *checker) {
			reqs.noIO(c, "BatteryStatus(cancelled)", func() {
				_, err := h.Battery.BatteryStatus(cancelled(ctx))
				wantCanceled(c, "BatteryStatus", err)
			})
		}},
		{"schedule/invalid", func(ctx context.Context, c *checker) {
			for name, s := range InvalidSchedules(nowFunc(h.Now)) {
				reqs.noIO(c, "SetSchedule("+name+")", func() {
					wantInvalid(c, "SetSchedule("+name+")", h.Battery.SetSchedule(ctx, s))
				})
			}
		}},
		{"schedule/cancelled", func(ctx context.Context, c *checker) {
			reqs.noIO(c, "SetSchedule(cancelled)", func() {
				wantCanceled(c, "SetSchedule", h.Battery.SetSchedule(cancelled(ctx), validSchedule(h)))
			})
		}},
		{"schedule/valid", func(ctx context.Context, c *checker) {
			wantOKOrUnsupported(c, "SetSchedule(valid)", h.Battery.SetSchedule(ctx, validSchedule(h)))
		}},
		{"schedule/repeat", func(ctx context.Context, c *checker) {
			// Each kind is carried out or refused, saying why; never
			// another error, never a silent change of kind the contract
			// could see.
			for _, r := range []energy.Repeat{energy.RepeatOnce, energy.RepeatDaily} {
				s := validSchedule(h)
				s.Repeat = r
				wantOKOrUnsupported(c, fmt.Sprintf("SetSchedule(Repeat %q)", r), h.Battery.SetSchedule(ctx, s))
			}
		}},
		{"schedule/unsupported", func(ctx context.Context, c *checker) {
			if h.Unsupported == nil {
				return
			}
			wantUnsupported(c, "SetSchedule(unsupported)", h.Battery.SetSchedule(ctx, *h.Unsupported))
		}},
	}
	return append(steps, badDataSteps(h.BadData, "BatteryStatus", badRead)...)
}

// checkBatteryStatus reports every value of st that is out of range.
func checkBatteryStatus(c *checker, st energy.BatteryStatus, now time.Time, maxAge time.Duration) {
	checkMeasuredAt(c, st.MeasuredAt, now, maxAge)
	soc := float64(st.StateOfCharge)
	switch {
	case !finite(soc):
		c.errorf("StateOfCharge is %v", soc)
	case soc > 1 && soc <= 100:
		c.errorf("StateOfCharge %v is above 1: percent where a fraction is due", soc)
	case !st.StateOfCharge.Valid():
		c.errorf("StateOfCharge %v is outside 0..1", soc)
	}
	if !finite(float64(st.Power)) {
		c.errorf("Power is %v", float64(st.Power))
	}
	if cap := float64(st.Capacity); !finite(cap) || cap < 0 {
		c.errorf("Capacity %v must be finite and ≥ 0", cap)
	}
	if st.Voltage != nil && (!finite(float64(*st.Voltage)) || *st.Voltage < 0) {
		c.errorf("Voltage %v must be finite and ≥ 0", float64(*st.Voltage))
	}
	if st.Current != nil && !finite(float64(*st.Current)) {
		c.errorf("Current is %v", float64(*st.Current))
	}
	if st.Temperature != nil && (*st.Temperature < -60 || *st.Temperature > 150 || !finite(float64(*st.Temperature))) {
		c.errorf("Temperature %v °C is implausible (Kelvin or Fahrenheit?)", float64(*st.Temperature))
	}
}

func validSchedule(h BatteryHarness) energy.Schedule {
	if h.Schedule != nil {
		return *h.Schedule
	}
	start := nowFunc(h.Now).Truncate(15 * time.Minute).Add(time.Hour)
	return energy.Schedule{Windows: []energy.Window{
		{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge, TargetSoC: 0.9},
	}}
}
