package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/plan"
)

// stubCharger is a charger whose status read and limit setting can be made
// to fail, to drive the controller's error paths.
type stubCharger struct {
	state        energy.ChargerState
	failRead     bool
	failSetLimit bool
	limit        energy.Amperes
}

func (s *stubCharger) ChargerStatus(context.Context) (energy.ChargerStatus, error) {
	if s.failRead {
		return energy.ChargerStatus{}, errors.New("read failed")
	}
	return energy.ChargerStatus{State: s.state}, nil
}

func (s *stubCharger) SetCurrentLimit(_ context.Context, l energy.Amperes) error {
	if s.failSetLimit {
		return errors.New("set failed")
	}
	s.limit = l
	return nil
}

func (s *stubCharger) SetCharging(context.Context, bool) error { return nil }

func twoChargerController(capacity energy.Amperes) (*controller, *stubCharger, *stubCharger) {
	a := &stubCharger{state: energy.ChargerCharging}
	b := &stubCharger{state: energy.ChargerCharging}
	c := &controller{
		Chargers: []managedCharger{{Name: "a", Charger: a, Least: 6}, {Name: "b", Charger: b, Least: 6}},
		Cap:      plan.Charger{Normal: 32, Capped: 6, Threshold: 1},
		Capacity: fixedCapacity(capacity),
		Step:     5 * time.Minute,
	}
	c.init()
	return c, a, b
}

// A charger the controller cannot read keeps the limit it has, and may draw
// it: the others share only what is left of Capacity.
func TestUnreadChargerKeepsItsShare(t *testing.T) {
	c, a, b := twoChargerController(32)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	c.charge(t.Context(), now)
	assert.Equal(t, energy.Amperes(32), a.limit+b.limit)
	a.failRead = true
	c.charge(t.Context(), now.Add(5*time.Minute))
	assert.LessOrEqual(t, a.limit+b.limit, energy.Amperes(32), "a=%v b=%v", a.limit, b.limit)
	a.state = energy.ChargerFaulted
	a.failRead = false
	c.charge(t.Context(), now.Add(10*time.Minute))
	assert.LessOrEqual(t, a.limit+b.limit, energy.Amperes(32), "a faulted charger: a=%v b=%v", a.limit, b.limit)
}

// When a limit that should fall cannot be set, no other limit rises in
// that look: at a change of turn under a limit for one car, the car whose
// turn ends keeps its current until its limit is lowered.
func TestNoRiseAfterAFailedFall(t *testing.T) {
	c, a, b := twoChargerController(10)
	t0 := time.Unix(0, 0).Add(rotation * 1000)
	c.charge(t.Context(), t0)
	assert.Equal(t, energy.Amperes(10), a.limit+b.limit, "one car at a time")
	falling := a
	if b.limit > 0 {
		falling = b
	}
	falling.failSetLimit = true
	c.charge(t.Context(), t0.Add(rotation))
	assert.LessOrEqual(t, a.limit+b.limit, energy.Amperes(10), "a=%v b=%v", a.limit, b.limit)
	falling.failSetLimit = false
	c.charge(t.Context(), t0.Add(rotation+5*time.Minute))
	assert.Equal(t, energy.Amperes(10), a.limit+b.limit, "the turn passes once the fall succeeds")
	assert.Zero(t, falling.limit)
}
