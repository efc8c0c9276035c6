package energytest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// skew is how far a measured-at time may lie in the future of the harness's
// clock before it counts as wrong (vendor clocks drift a little).
const skew = 2 * time.Minute

// checker collects violations; each check runs in a named step so that
// TestX can show them as subtests and CheckX can join them.
type checker struct {
	errs []error
	step string
}

func (c *checker) errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", c.step, fmt.Sprintf(format, args...)))
}

type step struct {
	name string
	run  func(ctx context.Context, c *checker)
}

// run executes steps, each with its own checker, and reports per step.
func run(ctx context.Context, steps []step, report func(name string, errs []error)) {
	for _, s := range steps {
		c := &checker{step: s.name}
		s.run(ctx, c)
		report(s.name, c.errs)
	}
}

func runTest(t *testing.T, steps []step) {
	t.Helper()
	run(t.Context(), steps, func(name string, errs []error) {
		t.Run(name, func(t *testing.T) {
			for _, err := range errs {
				t.Error(err)
			}
		})
	})
}

func runCheck(ctx context.Context, steps []step) error {
	var all []error
	run(ctx, steps, func(_ string, errs []error) { all = append(all, errs...) })
	return errors.Join(all...)
}

// counter wraps an optional request counter.
type counter func() int

func (f counter) get() int {
	if f == nil {
		return 0
	}
	return f()
}

// noIO runs call and reports if it caused requests.
func (f counter) noIO(c *checker, what string, call func()) {
	before := f.get()
	call()
	if n := f.get() - before; n != 0 {
		c.errorf("%s made %d request(s); it must fail before any I/O", what, n)
	}
}

func cancelled(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	return ctx
}

// wantCanceled checks the result of a call made with a cancelled context.
func wantCanceled(c *checker, what string, err error) {
	if err == nil {
		c.errorf("%s with a cancelled context returned nil; want an error wrapping context.Canceled", what)
	} else if !errors.Is(err, context.Canceled) {
		c.errorf("%s with a cancelled context returned %q; want an error wrapping context.Canceled", what, err)
	}
}

// wantInvalid checks that err is a *energy.FieldError naming a field.
func wantInvalid(c *checker, what string, err error) {
	var fe *energy.FieldError
	switch {
	case err == nil:
		c.errorf("%s returned nil; want a *energy.FieldError", what)
	case !errors.As(err, &fe):
		c.errorf("%s returned %q (%T); want a *energy.FieldError naming the field", what, err, err)
	case fe.Field == "":
		c.errorf("%s returned a FieldError with no Field", what)
	case !errors.Is(err, energy.ErrInvalid):
		c.errorf("%s returned %q, which does not wrap energy.ErrInvalid", what, err)
	}
}

// wantOKOrUnsupported accepts nil or an error wrapping ErrUnsupported with a
// reason; anything else is a violation.
func wantOKOrUnsupported(c *checker, what string, err error) {
	if err == nil {
		return
	}
	if !errors.Is(err, energy.ErrUnsupported) {
		c.errorf("%s returned %q; want nil or an error wrapping energy.ErrUnsupported", what, err)
		return
	}
	if err.Error() == energy.ErrUnsupported.Error() {
		c.errorf("%s returned a bare energy.ErrUnsupported; say why", what)
	}
}

func wantUnsupported(c *checker, what string, err error) {
	if err == nil || !errors.Is(err, energy.ErrUnsupported) {
		c.errorf("%s returned %v; want an error wrapping energy.ErrUnsupported", what, err)
		return
	}
	wantOKOrUnsupported(c, what, err)
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// checkMeasuredAt checks a snapshot's time against the harness clock.
func checkMeasuredAt(c *checker, at time.Time, now time.Time, maxAge time.Duration) {
	switch {
	case at.IsZero():
		c.errorf("MeasuredAt is not set")
	case at.After(now.Add(skew)):
		c.errorf("MeasuredAt %s is in the future of now %s", at.Format(time.RFC3339), now.Format(time.RFC3339))
	case maxAge > 0 && now.Sub(at) > maxAge:
		c.errorf("MeasuredAt %s is older than MaxAge %s: stale data presented as fresh", at.Format(time.RFC3339), maxAge)
	}
}

func nowFunc(f func() time.Time) time.Time {
	if f == nil {
		return time.Now()
	}
	return f()
}
