package plan

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

// A battery that cannot stop at a state of charge (OpenADR 2.0b refuses
// TargetSoC) can still carry out the plan: its windows already end where
// their targets are reached at their power.
func TestWithoutTargets(t *testing.T) {
	r, err := Plan(Problem{Prices: both(time.Hour, []float64{0.1, 0.1, 0.6, 0.6}, []float64{0.05, 0.05, 0.5, 0.5}), Battery: home()})
	require.NoError(t, err)
	require.NotEmpty(t, r.Active().Windows)
	for _, s := range []energy.Schedule{r.Schedule, r.Active()} {
		got := WithoutTargets(s)
		require.NoError(t, got.Validate())
		require.Len(t, got.Windows, len(s.Windows))
		assert.Equal(t, s.Repeat, got.Repeat)
		for i, w := range got.Windows {
			assert.Zero(t, w.TargetSoC)
			w.TargetSoC = s.Windows[i].TargetSoC
			assert.Equal(t, s.Windows[i], w)
		}
	}
	assert.NotZero(t, r.Schedule.Windows[0].TargetSoC, "the plan's own schedule is left as it was")
	assert.Empty(t, WithoutTargets(energy.Schedule{}).Windows)
}

// Active is the schedule without its idle windows, and nothing else.
func TestActive(t *testing.T) {
	r, err := Plan(Problem{Prices: both(time.Hour, []float64{0.3, 0.1, 0.3, 0.9, 0.3}, []float64{0, 0.02, 0, 0.8, 0}), Battery: home()}, WithEndValue(0.2))
	require.NoError(t, err)
	require.Equal(t, []energy.Mode{energy.ModeIdle, energy.ModeCharge, energy.ModeIdle, energy.ModeDischarge, energy.ModeIdle}, modes(r.Schedule))
	assert.Equal(t, energy.Schedule{Windows: []energy.Window{r.Schedule.Windows[1], r.Schedule.Windows[3]}}, r.Active())
}
