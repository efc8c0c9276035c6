package energy_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
)

func ExampleSchedule_Validate() {
	t0 := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	s := energy.Schedule{Windows: []energy.Window{
		{Start: t0, End: t0.Add(3 * time.Hour), Mode: energy.ModeCharge, Power: 5000, TargetSoC: 0.95},
		{Start: t0.Add(16 * time.Hour), End: t0.Add(19 * time.Hour), Mode: energy.ModeDischarge, TargetSoC: 80},
	}}
	err := s.Validate()
	var fe *energy.FieldError
	fmt.Println(errors.As(err, &fe), fe.Field)
	fmt.Println(err)
	// Output:
	// true Windows[1].TargetSoC
	// invalid Windows[1].TargetSoC: 80 is outside 0..1 (a fraction, not percent)
}

// A daily schedule's windows are times of day: 23:00–01:00 and 00:30–02:00
// collide every night, whatever dates they are given on.
func ExampleSchedule_Validate_daily() {
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	s := energy.Schedule{Repeat: energy.RepeatDaily, Windows: []energy.Window{
		{Start: day(22, 23), End: day(23, 1), Mode: energy.ModeCharge},
		{Start: day(22, 0).Add(30 * time.Minute), End: day(22, 2), Mode: energy.ModeDischarge},
	}}
	fmt.Println(s.Validate())

	s.Repeat = energy.RepeatOnce // once, 00:30–02:00 on the 22nd comes first
	fmt.Println(s.Validate())
	// Output:
	// invalid Windows[1].Start: 00:30–02:00 overlaps window 0 (23:00–01:00) by time of day; a daily schedule repeats them every day
	// <nil>
}
