package energy_test

import (
	"errors"
	"math"
	"testing"
	"time"

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
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var fe *energy.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate() = %v, want *FieldError", err)
			}
			if fe.Field != tt.wantField {
				t.Errorf("Field = %q, want %q (%v)", fe.Field, tt.wantField, err)
			}
			if !errors.Is(err, energy.ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid")
			}
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
	if !got.Windows[0].Start.Equal(t0) || !s.Windows[0].Start.Equal(t0.Add(time.Hour)) {
		t.Fatalf("Sorted = %v; original now %v", got.Windows, s.Windows)
	}
}

func TestErrors(t *testing.T) {
	err := energy.Unsupported("SetSchedule", "at most %d charge windows", 2)
	if !errors.Is(err, energy.ErrUnsupported) || err.Error() != "SetSchedule: unsupported: at most 2 charge windows" {
		t.Errorf("Unsupported = %q", err)
	}
	err = energy.Invalid("limit", "%v is negative", -1)
	if !errors.Is(err, energy.ErrInvalid) || err.Error() != "invalid limit: -1 is negative" {
		t.Errorf("Invalid = %q", err)
	}
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
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if energy.Fraction(1.01).Valid() || !energy.Fraction(1).Valid() {
		t.Error("Fraction.Valid bounds wrong")
	}
	if !energy.ChargerCharging.Valid() || energy.ChargerState("plugged").Valid() {
		t.Error("ChargerState.Valid wrong")
	}
	if !energy.ChannelExport.Valid() || energy.Channel("feedIn").Valid() {
		t.Error("Channel.Valid wrong")
	}
}

func TestScheduleRepeat(t *testing.T) {
	start := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	w := energy.Window{Start: start, End: start.Add(25 * time.Hour), Mode: energy.ModeCharge}
	if err := (energy.Schedule{Windows: []energy.Window{w}}).Validate(); err != nil {
		t.Fatalf("once, 25 h: %v", err)
	}
	var fe *energy.FieldError
	if err := (energy.Schedule{Windows: []energy.Window{w}, Repeat: energy.RepeatDaily}).Validate(); !errors.As(err, &fe) || fe.Field != "Windows[0].End" {
		t.Fatalf("daily, 25 h: %v", err)
	}
	if err := (energy.Schedule{Repeat: "weekly"}).Validate(); !errors.As(err, &fe) || fe.Field != "Repeat" {
		t.Fatalf("weekly: %v", err)
	}
	if got := (energy.Schedule{Windows: []energy.Window{w}, Repeat: energy.RepeatDaily}).Sorted().Repeat; got != energy.RepeatDaily {
		t.Fatalf("Sorted dropped Repeat: %q", got)
	}
}
