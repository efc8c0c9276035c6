package openadr

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

// Values only a broken or hostile VEN reports never become a status: each
// is ErrUnavailable, naming what was wrong.
func TestBatteryStatusRefusesImpossibleValues(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	m := func(v float64) *Measurement { return &Measurement{Value: v, MeasuredAt: now} }
	for _, tc := range []struct {
		name       string
		soc, power float64
		says       string
	}{
		{"soc NaN", math.NaN(), 1000, "state of charge"},
		{"soc 250 %", 2.5, 1000, "outside 0..100"},
		{"power NaN", 0.5, math.NaN(), "not a number"},
		{"power +Inf", 0.5, math.Inf(1), "not a number"},
		{"power 1e308 W", 0.5, 1e308, "beyond any battery"},
		{"power -2 GW", 0.5, -2e9, "beyond any battery"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bt := batteryTelemetry{soc: m(tc.soc), power: m(tc.power)}
			_, err := bt.status("VEN", now, time.Minute, 10000)
			require.ErrorIs(t, err, energy.ErrUnavailable)
			assert.Contains(t, err.Error(), tc.says)
		})
	}
	bt := batteryTelemetry{soc: m(0.5), power: m(-5e6)} // a 5 MW battery discharging (the VEN counts charging as +)
	st, err := bt.status("VEN", now, time.Minute, 10000)
	require.NoError(t, err)
	assert.Equal(t, energy.Watts(5e6), st.Power)
}
