package plan

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

// modes returns the schedule's windows as "mode" strings, for compact
// assertions.
func modes(s energy.Schedule) []energy.Mode {
	var out []energy.Mode
	for _, w := range s.Windows {
		out = append(out, w.Mode)
	}
	return out
}

func TestPlanEdgeCases(t *testing.T) {
	h := time.Hour
	tests := []struct {
		name  string
		p     Problem
		opts  []Option
		modes []energy.Mode
		check func(t *testing.T, r Result)
	}{{
		name:  "cheap then dear: charge at full power, then discharge",
		p:     Problem{Prices: both(h, []float64{0.1, 0.1, 0.6, 0.6}, []float64{0.05, 0.05, 0.5, 0.5}), Battery: home()},
		modes: []energy.Mode{energy.ModeCharge, energy.ModeCharge, energy.ModeDischarge},
		check: func(t *testing.T, r Result) {
			// The grid is aligned so that full charge power is a whole number of steps.
			assert.Equal(t, energy.Watts(5000), r.Schedule.Windows[1].Power)
			assert.Equal(t, r.Intervals[1].EndSoC, r.Schedule.Windows[1].TargetSoC)
			assert.Greater(t, r.Saving(), 0.0)
		},
	}, {
		name:  "no usable range: idle",
		p:     Problem{Prices: both(h, []float64{0.1, 0.9}, []float64{0.05, 0.8}), Battery: func() Battery { b := home(); b.MinSoC, b.MaxSoC = 0.5, 0.5; return b }()},
		modes: []energy.Mode{energy.ModeIdle},
	}, {
		name:  "no charge power: only discharges",
		p:     Problem{Prices: both(h, []float64{0.1, 0.9}, []float64{0.05, 0.8}), Battery: func() Battery { b := home(); b.MaxCharge = 0; return b }()},
		modes: []energy.Mode{energy.ModeIdle, energy.ModeDischarge},
	}, {
		name: "negative import price: paid to charge",
		p: Problem{Prices: both(h, []float64{-0.1, 0.2}, []float64{-0.15, 0.1}),
			Battery: home()},
		modes: []energy.Mode{energy.ModeCharge, energy.ModeDischarge},
		check: func(t *testing.T, r Result) { assert.Less(t, r.Cost, 0.0) },
	}, {
		name: "loss-making arbitrage: export beats import but not after losses",
		p:    Problem{Prices: both(h, []float64{0.20, 0.30}, []float64{0.10, 0.21}), Battery: func() Battery { b := home(); b.SoC = b.MinSoC; return b }()},
		// 0.21·0.95·0.95 = 0.19 < 0.20
		modes: []energy.Mode{energy.ModeIdle},
	}, {
		name:  "no export prices, no forecast: exporting earns nothing, so idle",
		p:     Problem{Prices: curve(energy.ChannelImport, t0, h, 0.1, 0.5, 0.2), Battery: home()},
		modes: []energy.Mode{energy.ModeIdle},
		check: func(t *testing.T, r Result) { assert.Zero(t, r.Intervals[1].Export) },
	}, {
		name: "controlled-load prices are ignored",
		p: Problem{Prices: append(both(h, []float64{0.3, 0.3}, []float64{0.3, 0.3}),
			curve(energy.ChannelControlledLoad, t0.Add(-time.Hour), 90*time.Minute, 0.01, 5)...), Battery: home()},
		modes: []energy.Mode{energy.ModeIdle},
	}, {
		name: "From and To cut the first and last interval",
		p: Problem{Prices: both(15*time.Minute, []float64{0.1, 0.1, 0.5, 0.5}, []float64{0, 0, 0.4, 0.4}), Battery: home(),
			From: t0.Add(7 * time.Minute), To: t0.Add(53 * time.Minute)},
		check: func(t *testing.T, r Result) {
			require.Len(t, r.Intervals, 4)
			assert.Equal(t, t0.Add(7*time.Minute), r.Intervals[0].Start)
			assert.Equal(t, t0.Add(15*time.Minute), r.Intervals[0].End)
			assert.Equal(t, t0.Add(53*time.Minute), r.Intervals[3].End)
			assert.Equal(t, t0.Add(53*time.Minute), r.Schedule.Windows[len(r.Schedule.Windows)-1].End)
		},
	}, {
		name: "irregular intervals",
		p: Problem{Prices: []energy.Price{
			{Start: t0, End: t0.Add(7 * time.Minute), PerKWh: 0.1, Channel: energy.ChannelImport},
			{Start: t0.Add(7 * time.Minute), End: t0.Add(20 * time.Minute), PerKWh: 0.05, Channel: energy.ChannelImport},
			{Start: t0.Add(20 * time.Minute), End: t0.Add(60 * time.Minute), PerKWh: 0.9, Channel: energy.ChannelImport},
			{Start: t0, End: t0.Add(60 * time.Minute), PerKWh: 0.6, Channel: energy.ChannelExport},
		}, Battery: func() Battery { b := home(); b.SoC = b.MinSoC; return b }()},
		opts: []Option{WithEndValue(0)},
		check: func(t *testing.T, r Result) {
			require.Len(t, r.Intervals, 3)
			assert.Equal(t, energy.ModeCharge, r.Schedule.Windows[0].Mode)
			assert.Equal(t, energy.ModeDischarge, r.Schedule.Windows[len(r.Schedule.Windows)-1].Mode)
		},
	}, {
		name: "PV surplus with no export price is stored for the evening",
		// Buying to store pays 0.30/ηc = 0.316 per kWh stored, which the
		// evening's 0.31·ηd = 0.295 does not return.
		p: Problem{Prices: curve(energy.ChannelImport, t0, h, 0.3, 0.3, 0.31),
			Forecast: []Forecast{
				{Start: t0, End: t0.Add(2 * time.Hour), Load: 500, PV: 3500},
				{Start: t0.Add(2 * time.Hour), End: t0.Add(3 * time.Hour), Load: 4000},
			},
			Battery: func() Battery { b := home(); b.SoC = b.MinSoC; return b }()},
		check: func(t *testing.T, r Result) {
			// What the evening needs is stored from the surplus, without
			// buying more than one step of the grid for it; the evening
			// then buys (almost) nothing.
			for _, iv := range r.Intervals[:2] {
				assert.LessOrEqual(t, float64(iv.Grid), float64(r.Step)/0.95)
			}
			assert.LessOrEqual(t, float64(r.Intervals[2].Grid), float64(r.Step))
			assert.Equal(t, energy.ModeDischarge, r.Schedule.Windows[len(r.Schedule.Windows)-1].Mode)
			assert.Less(t, r.Cost, r.BaselineCost)
		},
	}, {
		name: "lossless flat prices tie, and ties go to holding",
		p: Problem{Prices: both(h, []float64{0.3, 0.3, 0.3}, []float64{0.3, 0.3, 0.3}),
			Battery: func() Battery { b := home(); b.ChargeEfficiency, b.DischargeEfficiency = 1, 1; return b }()},
		modes: []energy.Mode{energy.ModeIdle},
	}, {
		name: "end value 0 empties the battery when export pays",
		p:    Problem{Prices: both(h, []float64{0.3, 0.3}, []float64{0.1, 0.1}), Battery: home()},
		opts: []Option{WithEndValue(0)},
		check: func(t *testing.T, r Result) {
			// Down to MinSoC, to within a step of the grid anchored at SoC 0.5.
			assert.InDelta(t, 0.1, float64(r.EndSoC), float64(r.Step)/13500)
			assert.NotContains(t, modes(r.Schedule), energy.ModeCharge)
			assert.NotContains(t, modes(r.Schedule), energy.ModeIdle)
		},
	}, {
		name: "a high end value fills the battery when import is cheap",
		p:    Problem{Prices: both(h, []float64{0.1, 0.1}, []float64{0.0, 0.0}), Battery: home()},
		opts: []Option{WithEndValue(0.5)},
		// Equal prices tie; the smaller move comes first.
		modes: []energy.Mode{energy.ModeCharge, energy.ModeCharge},
		check: func(t *testing.T, r Result) {
			assert.Less(t, r.Schedule.Windows[0].Power, r.Schedule.Windows[1].Power)
			assert.InDelta(t, 1, float64(r.EndSoC), float64(r.Step)/13500)
		},
	}, {
		// The documented bias of the default end value: one export price
		// of 0 anywhere in the horizon makes leftover energy worthless, so
		// what the peak does not use is sold for 0.02 at 01:00.
		name:  "default end value: a zero export price anywhere makes leftover energy worthless",
		p:     Problem{Prices: both(h, []float64{0.3, 0.1, 0.3, 0.9, 0.3}, []float64{0, 0.02, 0, 0.8, 0}), Battery: home()},
		modes: []energy.Mode{energy.ModeIdle, energy.ModeDischarge, energy.ModeIdle, energy.ModeDischarge, energy.ModeIdle},
		check: func(t *testing.T, r Result) {
			assert.Zero(t, r.EndValue)
			assert.InDelta(t, 0.1, float64(r.EndSoC), float64(r.Step)/13500)
		},
	}, {
		name: "below the reserve: may charge, never goes lower",
		p: Problem{Prices: both(h, []float64{0.95, 0.1, 0.9}, []float64{0.9, 0.05, 0.85}),
			Battery: func() Battery { b := home(); b.SoC = 0.04; return b }()},
		modes: []energy.Mode{energy.ModeIdle, energy.ModeCharge, energy.ModeDischarge},
		check: func(t *testing.T, r Result) {
			for _, iv := range r.Intervals {
				assert.GreaterOrEqual(t, iv.EndSoC, energy.Fraction(0.04))
			}
			assert.Less(t, float64(r.EndSoC), 0.1, "back down to where it started, below the reserve")
		},
	}, {
		name: "above MaxSoC: may discharge, never goes higher",
		p: Problem{Prices: both(h, []float64{0.1, 0.9}, []float64{0.05, 0.85}),
			Battery: func() Battery { b := home(); b.MaxSoC, b.SoC = 0.8, 0.9; return b }()},
		modes: []energy.Mode{energy.ModeIdle, energy.ModeDischarge},
		check: func(t *testing.T, r Result) {
			for _, iv := range r.Intervals {
				assert.LessOrEqual(t, iv.EndSoC, energy.Fraction(0.9))
			}
		},
	}, {
		name: "5-minute prices merge into long windows",
		p: Problem{Prices: both(5*time.Minute,
			[]float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9},
			[]float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8}),
			Battery: func() Battery { b := home(); b.SoC = b.MinSoC; return b }()},
		check: func(t *testing.T, r Result) {
			assert.Equal(t, time.Hour, r.Schedule.Windows[0].Duration())
			assert.Equal(t, energy.Watts(5000), r.Schedule.Windows[0].Power)
			// The hour's charge does not last the whole spike at full
			// power, and equal prices leave it free where to fall short:
			// at most one short and one part-power interval besides.
			assert.LessOrEqual(t, len(r.Schedule.Windows), 4, "%+v", r.Schedule.Windows)
			assert.Equal(t, energy.ModeDischarge, r.Schedule.Windows[len(r.Schedule.Windows)-1].Mode)
			assert.Equal(t, time.Hour, r.Schedule.Windows[len(r.Schedule.Windows)-1].End.Sub(r.Schedule.Windows[1].Start))
			assert.NotContains(t, modes(r.Schedule)[1:], energy.ModeCharge)
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Plan(tt.p, tt.opts...)
			require.NoError(t, err)
			checkPlan(t, tt.p, r, tt.name)
			if tt.modes != nil {
				assert.Equal(t, tt.modes, modes(r.Schedule), "%+v", r.Schedule.Windows)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestResultAt(t *testing.T) {
	r, err := Plan(Problem{Prices: both(30*time.Minute, []float64{0.1, 0.2, 0.9}, []float64{0, 0.1, 0.8}), Battery: home(),
		From: t0.Add(5 * time.Minute)})
	require.NoError(t, err)
	for _, tt := range []struct {
		at    time.Time
		start time.Time
		ok    bool
	}{
		{t0, time.Time{}, false},
		{t0.Add(5 * time.Minute), t0.Add(5 * time.Minute), true},
		{t0.Add(30 * time.Minute), t0.Add(30 * time.Minute), true},
		{t0.Add(89 * time.Minute), t0.Add(time.Hour), true},
		{t0.Add(90 * time.Minute), time.Time{}, false},
	} {
		iv, ok := r.At(tt.at)
		assert.Equal(t, tt.ok, ok, "at %v", tt.at)
		assert.Equal(t, tt.start, iv.Start, "at %v", tt.at)
	}
}

// At 5-minute resolution one interval moves a battery only a few steps of
// the grid, so a grid aligned to the charge limit alone can leave the
// discharge limit most of a step (here 10 %) short at the very peak the plan
// exists for. The grid is chosen so that both limits are nearly whole.
func TestFiveMinutePowerLimitsAreNearlyReached(t *testing.T) {
	imp := make([]float64, 24)
	for i := range imp {
		imp[i] = 0.2
		if i >= 18 {
			imp[i] = 2
		}
	}
	for _, soc := range []energy.Fraction{0.1, 1} {
		b := home()
		b.SoC = soc
		r, err := Plan(Problem{Prices: both(5*time.Minute, imp, imp), Battery: b})
		require.NoError(t, err)
		var most, least energy.Watts
		for _, iv := range r.Intervals {
			most, least = max(most, iv.Battery), min(least, iv.Battery)
		}
		if soc == 1 {
			assert.GreaterOrEqual(t, float64(most), 0.98*float64(b.MaxDischarge), "SoC %v: most discharge", soc)
		} else {
			assert.InDelta(t, -float64(b.MaxCharge), float64(least), 1e-6, "SoC %v: most charge", soc)
			assert.GreaterOrEqual(t, float64(most), 0.98*float64(b.MaxDischarge), "SoC %v: most discharge", soc)
		}
	}
}
