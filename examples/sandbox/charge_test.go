package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/plan"
)

// TestChargersTakeTurns drives what `-from 21:00` once failed at: two cars
// charging at balanz chargers while the OSCP limit, 10 A, cannot give each
// the 6 A balanz takes at least. The controller used to send 5 A each,
// which balanz refuses. Now no limit balanz refuses is sent, the limits
// and the current drawn keep within 10 A together (but in a car's first
// look, before its limit reaches it), and the cars take turns: both get
// current within the two hours.
func TestChargersTakeTurns(t *testing.T) {
	const capacity = 10
	t0 := time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	srv := balanztest.NewServer(balanztest.WithClock(clk))
	defer srv.Close()
	client, err := srv.Client(t.Context())
	require.NoError(t, err)
	defer client.Close()

	log := &limitLog{t: t, capacity: capacity}
	c := &controller{
		Cap:      plan.Charger{Threshold: 1, Normal: carCurrent},
		Capacity: fixedCapacity(capacity),
		Clock:    clk, End: t0.Add(2 * time.Hour), Step: controlStep,
	}
	ids := []string{balanztest.SeedHomeCharger1, balanztest.SeedHomeCharger2}
	for i, id := range ids {
		ch, err := client.EVCharger(balanz.ByID(id), 1, balanz.WithIDTag(balanztest.SeedTag))
		require.NoError(t, err)
		c.Chargers = append(c.Chargers, managedCharger{Name: id, Charger: log.charger(i, ch), Least: balanz.MinChargingCurrent})
		// Need 0: the cars never fill, so neither gives way by itself.
		require.NoError(t, srv.PlugIn(id, 1, balanztest.Vehicle{MaxCurrent: carCurrent, Phases: carPhases}))
	}
	c.init()

	drew := make([]bool, len(ids))
	for look := 0; clk.Now().Before(c.End); look++ {
		c.charge(t.Context(), clk.Now())
		var drawn energy.Amperes
		for i, m := range c.Chargers {
			st, err := m.Charger.ChargerStatus(t.Context())
			require.NoError(t, err)
			amps := energy.Amperes(float64(st.Power) / (float64(balanz.DefaultVoltage) * carPhases))
			drawn += amps
			drew[i] = drew[i] || amps > 0
		}
		if look > 0 {
			assert.LessOrEqual(t, float64(drawn), float64(capacity)+0.5, "at %s the chargers drew %v", clk.Now().Format("15:04"), drawn)
		}
		clk.Advance(controlStep)
	}
	s := c.Stats()
	assert.Empty(t, s.Errors, "the controller failed")
	assert.Empty(t, s.Glitches, "the controller glitched")
	assert.Positive(t, s.Shared, "the limit never bound")
	assert.Equal(t, []bool{true, true}, drew, "a car never charged")
	assert.Empty(t, log.refused(), "limits balanz refuses")
}

// fixedCapacity lets the chargers draw the same current together always.
type fixedCapacity energy.Amperes

func (f fixedCapacity) MayDraw(time.Time) (energy.Amperes, bool) { return energy.Amperes(f), true }

// limitLog watches the limits a controller sets: those a charger refuses,
// and that those in force never sum to more than capacity, even between
// two chargers' changes.
type limitLog struct {
	t        *testing.T
	capacity energy.Amperes

	mu     sync.Mutex
	limits map[int]energy.Amperes // by charger: in force; none before the first
	bad    []energy.Amperes       // limits that failed (balanz refused them)
}

func (l *limitLog) charger(i int, ch energy.Charger) energy.Charger {
	return loggedCharger{Charger: ch, log: l, i: i}
}

func (l *limitLog) refused() []energy.Amperes {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bad
}

type loggedCharger struct {
	energy.Charger
	log *limitLog
	i   int
}

func (c loggedCharger) SetCurrentLimit(ctx context.Context, limit energy.Amperes) error {
	err := c.Charger.SetCurrentLimit(ctx, limit)
	l := c.log
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.bad = append(l.bad, limit)
		return err
	}
	if l.limits == nil {
		l.limits = map[int]energy.Amperes{}
	}
	l.limits[c.i] = limit
	var sum energy.Amperes
	for _, a := range l.limits {
		sum += a
	}
	assert.LessOrEqual(l.t, sum, l.capacity, "limits in force %v", l.limits)
	return nil
}
