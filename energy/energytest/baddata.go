package energytest

import (
	"context"
	"errors"

	"github.com/gridwire/gridwire/energy"
)

// BadData is one way to make the system under test (usually a vendor's
// fake) send values that cannot be true, for the contracts' "bad data"
// steps. A harness lists them in its BadData field, for example with
// alphaesstest:
//
//	BadData: []energytest.BadData{{
//		Name:  "soc 250 %",
//		Prime: func() { srv.SetFields("getLastPowerData", map[string]any{"soc": 250}) },
//		Reset: srv.ResetData,
//	}}
//
// For each, the contract calls Prime, then the snapshot method once, which
// must return an error wrapping energy.ErrUnavailable (and must never
// return the bad values); then Reset, then the snapshot method again on
// the same implementation, which must succeed with good values, showing
// that nothing bad was kept. An implementation that reads some values once
// and keeps them (a battery's capacity) is given fresh by the harness's New
// field, where it has one, so that those values meet the bad data too.
type BadData struct {
	// Name says what is wrong, such as "soc 250 %" or "capacity -1e308".
	Name string
	// Prime makes the following answers carry the bad values. Required.
	Prime func()
	// Reset makes the answers good again. Required.
	Reset func()
}

// badDataSteps returns one step per BadData: read with the bad values
// primed, reset, read again. newRead returns the read of one step: it makes
// the snapshot call (on the same implementation each time), reports every
// out-of-range value of a snapshot it gets (as the main steps do) and
// returns the call's error; what names the call in messages.
func badDataSteps(list []BadData, what string, newRead func() func(ctx context.Context, c *checker) error) []step {
	var steps []step
	for _, bd := range list {
		steps = append(steps, step{"bad data/" + bd.Name, func(ctx context.Context, c *checker) {
			read := newRead()
			if bd.Prime == nil || bd.Reset == nil {
				c.errorf("BadData %q needs both Prime and Reset", bd.Name)
				return
			}
			bd.Prime()
			err := read(ctx, c)
			bd.Reset()
			switch {
			case err == nil:
				c.errorf("%s with bad data returned no error; want one wrapping energy.ErrUnavailable", what)
			case !errors.Is(err, energy.ErrUnavailable):
				c.errorf("%s with bad data returned %q; want an error wrapping energy.ErrUnavailable", what, err)
			}
			if err := read(ctx, c); err != nil {
				c.errorf("%s after Reset returned %q; was a bad value kept?", what, err)
			}
		}})
	}
	return steps
}
