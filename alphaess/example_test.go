package alphaess_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// List the account's systems and read each one's power flows. The fake
// stands in for the Open API: its clock is fixed at 20:10 on 4 August 2026
// in Sydney so the output does not change. A real program calls
// alphaess.New(appID, appSecret, alphaess.WithLocation(zone)) instead of
// srv.Client().
func Example() {
	sydney, _ := time.LoadLocation("Australia/Sydney")
	srv := alphaesstest.NewServer(
		alphaesstest.WithClock(clock.NewFake(time.Date(2026, 8, 4, 20, 10, 0, 0, sydney))),
		alphaesstest.WithLocation(sydney),
	)
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	systems, err := c.ListSystems(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range systems {
		fmt.Printf("%s %s, battery %v\n", s.SerialNumber, s.InverterModel, *s.BatteryCapacity)
		p, err := c.System(s.SerialNumber).LastPowerData(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("state of charge %v, PV %v, load %v\n", *p.StateOfCharge, *p.PV, *p.Load)
	}
	// Output:
	// AL7011023030600 SMILE5-INV, battery 13.34 kWh
	// state of charge 56.0 %, PV 0 W, load 916 W
}

// New checks its input before anything is sent: an empty credential or a
// bad option is a *energy.FieldError naming it.
func ExampleNew() {
	_, err := alphaess.New("alpha5f1c0e2d7a9b3c48", "")
	var fe *energy.FieldError
	fmt.Println(errors.As(err, &fe), fe.Field)

	_, err = alphaess.New("alpha5f1c0e2d7a9b3c48", "secret", alphaess.WithRetries(-1))
	fmt.Println(err)

	c, err := alphaess.New("alpha5f1c0e2d7a9b3c48", "secret", alphaess.WithSerialNumber("AL7011023030600"), alphaess.WithRetries(0))
	fmt.Println(c.SerialNumber(), err)
	// Output:
	// true appSecret
	// invalid WithRetries: -1 is negative (0 means never retry)
	// AL7011023030600 <nil>
}

// Read, patch and write the grid-charge settings in one call; the two
// periods are times of day in the system's zone.
func ExampleClient_UpdateChargeSettings() {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	c := srv.Client()

	err := c.UpdateChargeSettings(context.Background(), func(s *alphaess.ChargeSettings) error {
		s.GridCharge = true
		s.StopAt = 0.9
		s.Period1 = alphaess.Period{Start: alphaess.At(1, 0), End: alphaess.At(5, 0)}
		return nil
	})
	fmt.Println(err)
	s, err := c.ChargeSettings(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("grid charge %v until %v in %v and %v\n", s.GridCharge, s.StopAt, s.Period1, s.Period2)
	// Output:
	// <nil>
	// grid charge true until 90.0 % in 01:00–05:00 and 00:00–00:00
}

// Invalid settings are refused before anything is sent, naming the field.
func ExampleClient_SetChargeSettings() {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	c := srv.Client()

	err := c.SetChargeSettings(context.Background(), alphaess.ChargeSettings{
		GridCharge: true, StopAt: 1,
		Period1: alphaess.Period{Start: alphaess.At(10, 7), End: alphaess.At(12, 0)},
	})
	var fe *energy.FieldError
	fmt.Println(errors.As(err, &fe), fe.Field)
	fmt.Println(srv.Requests())
	// Output:
	// true Period1.Start
	// 0
}

// AlphaESS charge and discharge periods repeat every day, so the battery
// takes daily schedules; a one-off schedule, and what two periods of each
// kind cannot express, are refused with energy.ErrUnsupported saying why.
func ExampleBattery_SetSchedule() {
	sydney, _ := time.LoadLocation("Australia/Sydney")
	srv := alphaesstest.NewServer(alphaesstest.WithLocation(sydney))
	defer srv.Close()
	b := srv.Client().Battery()
	ctx := context.Background()
	night := time.Date(2026, 8, 4, 23, 0, 0, 0, sydney)

	err := b.SetSchedule(ctx, energy.Schedule{Repeat: energy.RepeatDaily, Windows: []energy.Window{
		{Start: night, End: night.Add(6 * time.Hour), Mode: energy.ModeCharge, TargetSoC: 0.95},
	}})
	fmt.Println(err, srv.ChargeConfig())

	err = b.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{ // Repeat: energy.RepeatOnce
		{Start: night, End: night.Add(time.Hour), Mode: energy.ModeCharge},
	}})
	fmt.Println(errors.Is(err, energy.ErrUnsupported))
	fmt.Println(err)

	err = b.SetSchedule(ctx, energy.Schedule{Repeat: energy.RepeatDaily, Windows: []energy.Window{
		{Start: night, End: night.Add(time.Hour), Mode: energy.ModeCharge},
		{Start: night.Add(2 * time.Hour), End: night.Add(3 * time.Hour), Mode: energy.ModeCharge},
		{Start: night.Add(4 * time.Hour), End: night.Add(5 * time.Hour), Mode: energy.ModeCharge},
	}})
	fmt.Println(err)
	// Output:
	// <nil> {1 95 23:00 05:00 00:00 00:00}
	// true
	// alphaess: SetSchedule: unsupported: a one-off schedule cannot be carried out: AlphaESS charge and discharge periods repeat every day until replaced; use Repeat energy.RepeatDaily
	// alphaess: SetSchedule: unsupported: window 2 is a third charge window: AlphaESS has 2 charge and 2 discharge periods
}

// Charge every day in the cheapest hour. The prices are those an
// energy.PriceSource (such as Amber's) returns; any energy.Battery takes
// the schedule, here an AlphaESS system on the fake.
func ExampleBattery_cheapestHour() {
	sydney, _ := time.LoadLocation("Australia/Sydney")
	srv := alphaesstest.NewServer(alphaesstest.WithLocation(sydney))
	defer srv.Close()
	var battery energy.Battery = srv.Client().Battery()

	midnight := time.Date(2026, 8, 5, 0, 0, 0, 0, sydney)
	var prices []energy.Price
	for h, perKWh := range []float64{0.31, 0.24, 0.12, 0.09, 0.14, 0.22} {
		start := midnight.Add(time.Duration(h) * time.Hour)
		prices = append(prices, energy.Price{Start: start, End: start.Add(time.Hour), PerKWh: perKWh, Currency: "AUD", Channel: energy.ChannelImport})
	}
	cheapest := prices[0]
	for _, p := range prices {
		if p.PerKWh < cheapest.PerKWh {
			cheapest = p
		}
	}
	err := battery.SetSchedule(context.Background(), energy.Schedule{Repeat: energy.RepeatDaily, Windows: []energy.Window{
		{Start: cheapest.Start, End: cheapest.End, Mode: energy.ModeCharge, TargetSoC: 0.9},
	}})
	fmt.Printf("charge %s–%s at %.2f AUD/kWh: %v\n", cheapest.Start.Format("15:04"), cheapest.End.Format("15:04"), cheapest.PerKWh, err)
	fmt.Println(srv.ChargeConfig())
	// Output:
	// charge 03:00–04:00 at 0.09 AUD/kWh: <nil>
	// {1 90 03:00 04:00 00:00 00:00}
}

// The battery refuses values no battery can have, as the fake is told to
// send here: an error wrapping energy.ErrUnavailable, never a state of
// charge of 250 %.
func ExampleValueError() {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	srv.SetFields("getLastPowerData", map[string]any{"soc": 250})
	b := srv.Client().Battery()

	_, err := b.BatteryStatus(context.Background())
	var ve *alphaess.ValueError
	fmt.Println(errors.Is(err, energy.ErrUnavailable), errors.As(err, &ve) && ve.Field == "soc")
	fmt.Println(err)
	// Output:
	// true true
	// alphaess: getLastPowerData: soc is 250: outside 0..100 %
}

// Errors wrap energy's sentinels, so callers classify them without
// importing this package; the code is there for those who do.
func ExampleAPIError() {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	srv.SetOffline(true)

	_, err := srv.Client().LastPowerData(context.Background())
	var ae *alphaess.APIError
	fmt.Println(errors.Is(err, energy.ErrUnavailable), errors.As(err, &ae) && ae.Code == alphaess.CodeSystemOffline)
	fmt.Println(err)
	// Output:
	// true true
	// alphaess: getLastPowerData: code 6042 (system offline): system offline
}

// The portal's worked example.
func ExampleSign() {
	fmt.Println(alphaess.Sign("alphaef7900ee81dbbce9", "c2d2ef6c047c49678e2c332fb2d74c3c", "1676353875")[:32])
	// Output: 0f023c2287b8f6b21b0994947465f8e9
}

func ExampleTimeCharge_Validate() {
	weekdays := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	tc := alphaess.TimeCharge{
		Cycle:     alphaess.CycleWeekly,
		Charge:    []alphaess.TimePeriod{{Start: alphaess.At(1, 0), End: alphaess.At(5, 0), Days: weekdays, Power: 3000, Limit: 0.9}},
		Discharge: []alphaess.TimePeriod{{Start: alphaess.At(4, 0), End: alphaess.At(8, 0), Days: weekdays, Power: 3000, Limit: 0.1}},
	}
	fmt.Println(tc.Validate())
	// Output: invalid Discharge[0].Start: 04:00–08:00 overlaps Charge[0] on Monday
}

// Dates are civil dates in the system's zone: at 20:10 in Sydney it is
// already 5 August in UTC+14 but still 4 August in Sydney.
func ExampleClient_Today() {
	sydney, _ := time.LoadLocation("Australia/Sydney")
	srv := alphaesstest.NewServer(
		alphaesstest.WithClock(clock.NewFake(time.Date(2026, 8, 4, 20, 10, 0, 0, sydney))),
		alphaesstest.WithLocation(sydney),
	)
	defer srv.Close()
	c := srv.Client()

	kiritimati, _ := time.LoadLocation("Pacific/Kiritimati")
	fmt.Println(c.Today(), c.In(kiritimati).Today())
	samples, err := c.OneDayPower(context.Background(), c.Today())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(samples), samples[0].Time.Format("2006-01-02 15:04:05 MST"))
	// Output:
	// 2026-08-04 2026-08-05
	// 243 2026-08-04 00:00:04 AEST
}
