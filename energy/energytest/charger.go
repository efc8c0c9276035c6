package energytest

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// ChargerHarness describes an EV charger under test.
type ChargerHarness struct {
	// Charger is the implementation under test. Required.
	Charger energy.Charger
	// Requests, when set, returns how many requests have reached the
	// vendor (or fake) so far.
	Requests func() int
	// Now is the clock of the system under test; nil means time.Now.
	Now func() time.Time
	// MaxAge, when set, is the oldest a fresh snapshot may be.
	MaxAge time.Duration
	// Limit is a current limit the charger must accept; 0 means 16 A.
	Limit energy.Amperes
}

// TestCharger runs the Charger contract against h as subtests of t.
func TestCharger(t *testing.T, h ChargerHarness) {
	t.Helper()
	runTest(t, chargerSteps(h))
}

// CheckCharger runs the Charger contract and returns every violation joined,
// or nil.
func CheckCharger(ctx context.Context, h ChargerHarness) error {
	return runCheck(ctx, chargerSteps(h))
}

func chargerSteps(h ChargerHarness) []step {
	reqs := counter(h.Requests)
	limit := h.Limit
	if limit == 0 {
		limit = 16
	}
	return []step{
		{"status", func(ctx context.Context, c *checker) {
			st, err := h.Charger.ChargerStatus(ctx)
			if err != nil {
				c.errorf("ChargerStatus: %v", err)
				return
			}
			checkMeasuredAt(c, st.MeasuredAt, nowFunc(h.Now), h.MaxAge)
			if !st.State.Valid() || st.State == "" {
				c.errorf("State %q is not one of the energy.Charger* states", st.State)
			}
			if p := float64(st.Power); !finite(p) || p < 0 {
				c.errorf("Power %v must be finite and ≥ 0", p)
			}
			if st.State != energy.ChargerCharging && st.Power > 50 {
				c.errorf("Power %v while State is %q", st.Power, st.State)
			}
			if l := float64(st.CurrentLimit); !finite(l) || l < 0 || l > 1000 {
				c.errorf("CurrentLimit %v A is implausible (mA?)", l)
			}
			if e := float64(st.SessionEnergy); !finite(e) || e < 0 {
				c.errorf("SessionEnergy %v must be finite and ≥ 0", e)
			}
		}},
		{"status/cancelled", func(ctx context.Context, c *checker) {
			reqs.noIO(c, "ChargerStatus(cancelled)", func() {
				_, err := h.Charger.ChargerStatus(cancelled(ctx))
				wantCanceled(c, "ChargerStatus", err)
			})
		}},
		{"limit/invalid", func(ctx context.Context, c *checker) {
			for _, bad := range []energy.Amperes{-6, energy.Amperes(math.NaN()), energy.Amperes(math.Inf(1))} {
				reqs.noIO(c, "SetCurrentLimit(bad)", func() {
					wantInvalid(c, "SetCurrentLimit("+bad.String()+")", h.Charger.SetCurrentLimit(ctx, bad))
				})
			}
		}},
		{"limit/cancelled", func(ctx context.Context, c *checker) {
			reqs.noIO(c, "SetCurrentLimit(cancelled)", func() {
				wantCanceled(c, "SetCurrentLimit", h.Charger.SetCurrentLimit(cancelled(ctx), limit))
			})
		}},
		{"limit/valid", func(ctx context.Context, c *checker) {
			wantOKOrUnsupported(c, "SetCurrentLimit("+limit.String()+")", h.Charger.SetCurrentLimit(ctx, limit))
		}},
		{"charging/cancelled", func(ctx context.Context, c *checker) {
			reqs.noIO(c, "SetCharging(cancelled)", func() {
				wantCanceled(c, "SetCharging", h.Charger.SetCharging(cancelled(ctx), true))
			})
		}},
		{"charging/on-off", func(ctx context.Context, c *checker) {
			wantOKOrUnsupported(c, "SetCharging(true)", h.Charger.SetCharging(ctx, true))
			wantOKOrUnsupported(c, "SetCharging(false)", h.Charger.SetCharging(ctx, false))
		}},
	}
}
