package energytest

import (
	"context"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// MeterHarness describes a site meter under test.
type MeterHarness struct {
	// Meter is the implementation under test. Required.
	Meter energy.Meter
	// Requests, when set, returns how many requests have reached the
	// vendor (or fake) so far.
	Requests func() int
	// Now is the clock of the system under test; nil means time.Now.
	Now func() time.Time
	// MaxAge, when set, is the oldest a fresh snapshot may be.
	MaxAge time.Duration
	// BadData, when set, are ways to make the meter's vendor send values
	// that cannot be true; MeterReading must refuse each with an error
	// wrapping energy.ErrUnavailable and must not keep them (see BadData).
	BadData []BadData
}

// TestMeter runs the Meter contract against h as subtests of t.
func TestMeter(t *testing.T, h MeterHarness) {
	t.Helper()
	runTest(t, meterSteps(h))
}

// CheckMeter runs the Meter contract and returns every violation joined, or
// nil.
func CheckMeter(ctx context.Context, h MeterHarness) error {
	return runCheck(ctx, meterSteps(h))
}

func meterSteps(h MeterHarness) []step {
	reqs := counter(h.Requests)
	read := func(ctx context.Context, c *checker) error {
		r, err := h.Meter.MeterReading(ctx)
		if err == nil {
			checkMeterReading(c, r, nowFunc(h.Now), h.MaxAge)
		}
		return err
	}
	steps := []step{
		{"reading", func(ctx context.Context, c *checker) {
			if err := read(ctx, c); err != nil {
				c.errorf("MeterReading: %v", err)
			}
		}},
		{"cancelled", func(ctx context.Context, c *checker) {
			reqs.noIO(c, "MeterReading(cancelled)", func() {
				_, err := h.Meter.MeterReading(cancelled(ctx))
				wantCanceled(c, "MeterReading", err)
			})
		}},
	}
	return append(steps, badDataSteps(h.BadData, "MeterReading", func() func(context.Context, *checker) error { return read })...)
}

// checkMeterReading reports every value of r that is out of range.
func checkMeterReading(c *checker, r energy.MeterReading, now time.Time, maxAge time.Duration) {
	checkMeasuredAt(c, r.MeasuredAt, now, maxAge)
	for _, f := range []struct {
		name   string
		v      energy.Watts
		nonNeg bool
	}{{"PV", r.PV, true}, {"Load", r.Load, true}, {"Grid", r.Grid, false}, {"Battery", r.Battery, false}} {
		if !finite(float64(f.v)) {
			c.errorf("%s is %v", f.name, float64(f.v))
		} else if f.nonNeg && f.v < 0 {
			c.errorf("%s %v is negative; it must be ≥ 0", f.name, f.v)
		}
	}
	if r.EV != nil && (!finite(float64(*r.EV)) || *r.EV < 0) {
		c.errorf("EV %v must be finite and ≥ 0", float64(*r.EV))
	}
}
