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
