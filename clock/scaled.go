package clock

import (
	"context"
	"errors"
	"math"
	"time"
)

// Scaled is a Clock whose time runs speed times faster than real time,
// starting at a given instant: a simulation shares one among its fakes and
// clients so a day passes in a minute, with every sleep shortened to match.
// It is safe for concurrent use; its time never goes backwards.
type Scaled struct {
	origin time.Time // simulated time at start
	start  time.Time // real time (with its monotonic reading) at creation
	speed  float64
}

// NewScaled returns a Scaled clock that reads origin now and then runs speed
// times as fast as real time. speed must be a finite number ≥ 1 (1 is real
// time, offset to origin).
func NewScaled(origin time.Time, speed float64) (*Scaled, error) {
	if math.IsNaN(speed) || math.IsInf(speed, 0) || speed < 1 {
		return nil, errors.New("clock: speed must be a finite number ≥ 1")
	}
	return &Scaled{origin: origin, start: time.Now(), speed: speed}, nil
}

// Speed returns how many times faster than real time the clock runs.
func (s *Scaled) Speed() float64 { return s.speed }

// Now returns the scaled time: origin plus the real time since creation
// times the speed. It carries no monotonic reading, as a time built from a
// date would not.
func (s *Scaled) Now() time.Time {
	return s.origin.Add(time.Duration(float64(time.Since(s.start)) * s.speed))
}

// Real returns the real duration in which d of scaled time passes, rounded
// up, so that sleeping it lets at least d pass on the clock.
func (s *Scaled) Real(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(float64(d) / s.speed))
}

// Sleep waits until d of scaled time has passed (d divided by the speed in
// real time), or until ctx is done, in which case it returns ctx.Err().
func (s *Scaled) Sleep(ctx context.Context, d time.Duration) error {
	return system{}.Sleep(ctx, s.Real(d))
}
