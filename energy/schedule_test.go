package energy_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

func TestScheduleValidate(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	ok := energy.Window{Start: t0, End: t0.Add(time.Hour), Mode: energy.ModeCharge, Power: 3000, TargetSoC: 0.9}
	with := func(mut func(*energy.Window)) energy.Schedule {
		w := ok
		mut(&w)
		return energy.Schedule{Windows: []energy.Window{w}}
	}
	tests := []struct {
		name      string
		s         energy.Schedule
		wantField string
	}{
		{"empty clears", energy.Schedule{}, ""},
		{"valid", with(func(*energy.Window) {}), ""},
		{"idle", with(func(w *energy.Window) { w.Mode, w.Power = energy.ModeIdle, 0 }), ""},
		{"zero start", with(func(w *energy.Window) { w.Start = time.Time{} }), "Windows[0].Start"},
		{"zero end", with(func(w *energy.Window) { w.End = time.Time{} }), "Windows[0].End"},
		{"end equals start", with(func(w *energy.Window) { w.End = w.Start }), "Windows[0].End"},
		{"bad mode", with(func(w *energy.Window) { w.Mode = "" }), "Windows[0].Mode"},
		{"negative power", with(func(w *energy.Window) { w.Power = -1 }), "Windows[0].Power"},
		{"inf power", with(func(w *energy.Window) { w.Power = energy.Watts(math.Inf(1)) }), "Windows[0].Power"},
		{"idle with power", with(func(w *energy.Window) { w.Mode = energy.ModeIdle }), "Windows[0].Power"},
		{"soc percent", with(func(w *energy.Window) { w.TargetSoC = 90 }), "Windows[0].TargetSoC"},
		{"soc negative", with(func(w *energy.Window) { w.TargetSoC = -0.1 }), "Windows[0].TargetSoC"},
		{"soc NaN", with(func(w *energy.Window) { w.TargetSoC = energy.Fraction(math.NaN()) }), "Windows[0].TargetSoC"},
		{"adjacent windows", energy.Schedule{Windows: []energy.Window{
			{Start: t0.Add(time.Hour), End: t0.Add(2 * time.Hour), Mode: energy.ModeDischarge},
			ok,
		}}, ""},
		{"overlap names the later window", energy.Schedule{Windows: []energy.Window{
			{Start: t0.Add(30 * time.Minute), End: t0.Add(2 * time.Hour), Mode: energy.ModeDischarge},
			ok,
		}}, "Windows[0].Start"},
		{"second window bad", energy.Schedule{Windows: []energy.Window{
			ok, {Start: t0.Add(2 * time.Hour), End: t0.Add(time.Hour), Mode: energy.ModeDischarge},
		}}, "Windows[1].End"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if tt.wantField == "" {
				require.NoError(t, err)
				return
			}
			var fe *energy.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.wantField, fe.Field, "%v", err)
			assert.ErrorIs(t, err, energy.ErrInvalid)
		})
	}
}

func TestSortedDoesNotMutate(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	s := energy.Schedule{Windows: []energy.Window{
		{Start: t0.Add(time.Hour), End: t0.Add(2 * time.Hour), Mode: energy.ModeIdle},
		{Start: t0, End: t0.Add(time.Hour), Mode: energy.ModeCharge},
	}}
	got := s.Sorted()
	assert.True(t, got.Windows[0].Start.Equal(t0), "Sorted = %v", got.Windows)
	assert.True(t, s.Windows[0].Start.Equal(t0.Add(time.Hour)), "original now %v", s.Windows)
}

func TestErrors(t *testing.T) {
	err := energy.Unsupported("SetSchedule", "at most %d charge windows", 2)
	assert.ErrorIs(t, err, energy.ErrUnsupported)
	assert.EqualError(t, err, "SetSchedule: unsupported: at most 2 charge windows")
	err = energy.Invalid("limit", "%v is negative", -1)
	assert.ErrorIs(t, err, energy.ErrInvalid)
	assert.EqualError(t, err, "invalid limit: -1 is negative")
}

func TestUnits(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{energy.Watts(1234).String(), "1234 W"},
		{energy.Watts(-12345).String(), "-12.35 kW"},
		{energy.WattHours(13500).String(), "13.50 kWh"},
		{energy.FromPercent(42).String(), "42.0 %"},
		{energy.Amperes(16).String(), "16.0 A"},
		{energy.Volts(230).String(), "230.0 V"},
		{energy.Celsius(21.5).String(), "21.5 °C"},
	} {
		assert.Equal(t, tt.want, tt.got)
	}
	assert.False(t, energy.Fraction(1.01).Valid(), "Fraction.Valid bounds")
	assert.True(t, energy.Fraction(1).Valid(), "Fraction.Valid bounds")
	assert.True(t, energy.ChargerCharging.Valid())
	assert.False(t, energy.ChargerState("plugged").Valid())
	assert.True(t, energy.ChannelExport.Valid())
	assert.False(t, energy.Channel("feedIn").Valid())
}

func TestScheduleRepeat(t *testing.T) {
	start := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	w := energy.Window{Start: start, End: start.Add(25 * time.Hour), Mode: energy.ModeCharge}
	require.NoError(t, energy.Schedule{Windows: []energy.Window{w}}.Validate(), "once, 25 h")
	var fe *energy.FieldError
	require.ErrorAs(t, energy.Schedule{Windows: []energy.Window{w}, Repeat: energy.RepeatDaily}.Validate(), &fe, "daily, 25 h")
	assert.Equal(t, "Windows[0].End", fe.Field)
	require.ErrorAs(t, energy.Schedule{Repeat: "weekly"}.Validate(), &fe, "weekly")
	assert.Equal(t, "Repeat", fe.Field)
	assert.Equal(t, energy.RepeatDaily, energy.Schedule{Windows: []energy.Window{w}, Repeat: energy.RepeatDaily}.Sorted().Repeat, "Sorted keeps Repeat")
}

// Daily windows are times of day: they overlap when their clock times do,
// on whatever dates they are given, across midnight too.
func TestScheduleDailyOverlap(t *testing.T) {
	aedt := time.FixedZone("AEDT", 11*3600)
	day := func(d int, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, time.UTC) }
	win := func(from, to time.Time, mode energy.Mode) energy.Window {
		return energy.Window{Start: from, End: to, Mode: mode}
	}
	tests := []struct {
		name      string
		ws        []energy.Window
		wantField string
	}{
		{"apart", []energy.Window{win(day(3, 1, 0), day(3, 5, 0), "charge"), win(day(3, 17, 0), day(3, 21, 0), "discharge")}, ""},
		{"adjacent across midnight", []energy.Window{win(day(3, 22, 0), day(4, 0, 0), "charge"), win(day(9, 0, 0), day(9, 2, 0), "charge")}, ""},
		{"same time, other day", []energy.Window{win(day(3, 1, 0), day(3, 5, 0), "charge"), win(day(10, 4, 0), day(10, 6, 0), "discharge")}, "Windows[1].Start"},
		{"across midnight", []energy.Window{win(day(3, 23, 0), day(4, 1, 0), "charge"), win(day(3, 0, 30), day(3, 2, 0), "discharge")}, "Windows[1].Start"},
		{"inside another, days apart", []energy.Window{win(day(1, 10, 0), day(1, 11, 0), "charge"), win(day(20, 9, 0), day(20, 12, 0), "charge")}, "Windows[1].Start"},
		{"a whole day and anything", []energy.Window{win(day(3, 6, 0), day(4, 6, 0), "charge"), win(day(5, 20, 0), day(5, 21, 0), "discharge")}, "Windows[1].Start"},
		{"in another zone, apart", []energy.Window{
			win(day(3, 1, 0), day(3, 2, 0), "charge"),
			win(time.Date(2026, 12, 3, 14, 0, 0, 0, aedt), time.Date(2026, 12, 3, 15, 0, 0, 0, aedt), "charge"), // 03:00 UTC
		}, ""},
		{"in another zone, same instants of day", []energy.Window{
			win(day(3, 1, 0), day(3, 2, 0), "charge"),
			win(time.Date(2026, 12, 10, 12, 30, 0, 0, aedt), time.Date(2026, 12, 10, 13, 30, 0, 0, aedt), "charge"), // 01:30 UTC
		}, "Windows[1].Start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := energy.Schedule{Repeat: energy.RepeatDaily, Windows: tt.ws}.Validate()
			if tt.wantField == "" {
				require.NoError(t, err)
				return
			}
			var fe *energy.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.wantField, fe.Field, "%v", err)
			assert.Contains(t, err.Error(), "by time of day")
			assert.NoError(t, energy.Schedule{Windows: tt.ws}.Validate(), "once, they do not overlap")
		})
	}
}
