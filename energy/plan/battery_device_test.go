package plan

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

func fakes() (*fakePrices, *fakeBattery) {
	ps := &fakePrices{prices: both(30*time.Minute,
		[]float64{0.1, 0.1, 0.1, 0.1, 0.6, 0.6, 0.6, 0.6},
		[]float64{0.0, 0.0, 0.0, 0.0, 0.5, 0.5, 0.5, 0.5})}
	b := &fakeBattery{status: energy.BatteryStatus{MeasuredAt: t0, StateOfCharge: 0.3, Capacity: 10000}}
	return ps, b
}

func TestForBatteryPlansAndApplies(t *testing.T) {
	ps, b := fakes()
	ctx := context.Background()
	from, to := t0.Add(10*time.Minute), t0.Add(4*time.Hour)
	r, err := ForBattery(ctx, ps, b, home().Limits, from, to)
	require.NoError(t, err)
	assert.Equal(t, energy.Fraction(0.3), r.StartSoC)
	assert.Equal(t, from, r.Intervals[0].Start)
	assert.Equal(t, to, r.Intervals[len(r.Intervals)-1].End)
	assert.Contains(t, modes(r.Schedule), energy.ModeCharge)
	assert.Equal(t, energy.ModeDischarge, r.Schedule.Windows[len(r.Schedule.Windows)-1].Mode)
	assert.Greater(t, r.Saving(), 0.0)
	assert.Equal(t, "AUD", r.Currency)

	require.NoError(t, Apply(ctx, b, r))
	require.Len(t, b.schedules, 1)
	assert.Equal(t, r.Schedule, b.schedules[0])
}

func TestForBatteryRejectsBeforeIO(t *testing.T) {
	ps, b := fakes()
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	bad := home().Limits
	bad.ChargeEfficiency = 0
	tests := []struct {
		name   string
		ctx    context.Context
		ps     energy.PriceSource
		b      energy.Battery
		limits Limits
		to     time.Time
		opts   []Option
		field  string
		is     error
	}{
		{"nil price source", ctx, nil, b, home().Limits, t0.Add(time.Hour), nil, "ps", energy.ErrInvalid},
		{"nil battery", ctx, ps, nil, home().Limits, t0.Add(time.Hour), nil, "b", energy.ErrInvalid},
		{"bad limits", ctx, ps, b, bad, t0.Add(time.Hour), nil, "Limits.ChargeEfficiency", energy.ErrInvalid},
		{"to before from", ctx, ps, b, home().Limits, t0, nil, "to", energy.ErrInvalid},
		{"bad option", ctx, ps, b, home().Limits, t0.Add(time.Hour), []Option{WithLevels(-1)}, "WithLevels", energy.ErrInvalid},
		{"cancelled", cancelled, ps, b, home().Limits, t0.Add(time.Hour), nil, "", context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ForBattery(tt.ctx, tt.ps, tt.b, tt.limits, t0, tt.to, tt.opts...)
			require.ErrorIs(t, err, tt.is)
			if tt.field != "" {
				var fe *energy.FieldError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, tt.field, fe.Field)
			}
			assert.Zero(t, ps.calls)
			assert.Zero(t, b.calls)
		})
	}
	_, err := ForBattery(ctx, ps, b, home().Limits, time.Time{}, t0)
	var fe *energy.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "from", fe.Field)
}

func TestForBatteryDeviceErrors(t *testing.T) {
	ctx := context.Background()
	from, to := t0, t0.Add(4*time.Hour)

	ps, b := fakes()
	b.statusErr = fmt.Errorf("vendor down: %w", energy.ErrUnavailable)
	_, err := ForBattery(ctx, ps, b, home().Limits, from, to)
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Zero(t, ps.calls, "no prices fetched for a battery that cannot be read")

	ps, b = fakes()
	ps.err = fmt.Errorf("slow down: %w", energy.ErrRateLimited)
	_, err = ForBattery(ctx, ps, b, home().Limits, from, to)
	require.ErrorIs(t, err, energy.ErrRateLimited)

	ps, b = fakes()
	b.status.Capacity = 0
	_, err = ForBattery(ctx, ps, b, home().Limits, from, to)
	require.ErrorIs(t, err, energy.ErrUnsupported)

	ps, b = fakes()
	var fe *energy.FieldError
	_, err = ForBattery(ctx, ps, b, home().Limits, from, to.Add(time.Hour)) // beyond the prices
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Prices", fe.Field)
}

func TestApply(t *testing.T) {
	ps, b := fakes()
	ctx := context.Background()
	r, err := ForBattery(ctx, ps, b, home().Limits, t0, t0.Add(4*time.Hour))
	require.NoError(t, err)
	b.calls = 0

	require.ErrorIs(t, Apply(ctx, nil, r), energy.ErrInvalid)

	bad := r
	bad.Schedule.Windows = append([]energy.Window(nil), r.Schedule.Windows...)
	bad.Schedule.Windows[0].TargetSoC = 80
	var fe *energy.FieldError
	require.ErrorAs(t, Apply(ctx, b, bad), &fe)
	assert.Equal(t, "Windows[0].TargetSoC", fe.Field)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	require.ErrorIs(t, Apply(cancelled, b, r), context.Canceled)
	assert.Zero(t, b.calls)

	b.setErr = energy.Unsupported("SetSchedule", "at most 2 charge windows")
	err = Apply(ctx, b, r)
	require.ErrorIs(t, err, energy.ErrUnsupported)
	var ue *energy.UnsupportedError
	require.True(t, errors.As(err, &ue))

	b.setErr = nil
	require.NoError(t, b.SetSchedule(ctx, r.Active()))
	for _, w := range b.schedules[0].Windows {
		assert.NotEqual(t, energy.ModeIdle, w.Mode)
	}
}
