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

// exampleFake starts the fake at 20:10 on 4 August 2026 in Sydney and
// returns a client for it. Real programs call alphaess.New(appID, secret).
func exampleFake() (*alphaess.Client, *alphaesstest.Server) {
	syd, _ := time.LoadLocation("Australia/Sydney")
	fc := clock.NewFake(time.Date(2026, 8, 4, 20, 10, 0, 0, syd))
	srv := alphaesstest.NewServer(alphaesstest.WithClock(fc), alphaesstest.WithLocation(syd))
	c, err := alphaess.New(srv.AppID, srv.AppSecret, alphaess.WithBaseURL(srv.URL), alphaess.WithClock(fc), alphaess.WithLocation(syd))
	if err != nil {
		panic(err)
	}
	return c, srv
}

func Example() {
	c, srv := exampleFake()
	defer srv.Close()
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
		fmt.Printf("state of charge %v, PV %v\n", *p.StateOfCharge, *p.PV)
	}
	// Output:
	// AL7011023030600 SMILE5-INV, battery 13.34 kWh
	// state of charge 56.0 %, PV 0 W
}

// Read, patch and write the grid-charge settings in one call; the two
// periods are times of day in the system's zone.
func ExampleClient_UpdateChargeSettings() {
	c, srv := exampleFake()
	defer srv.Close()
	sys := c.System(srv.SerialNumber)
	err := sys.UpdateChargeSettings(context.Background(), func(s *alphaess.ChargeSettings) error {
		s.GridCharge = true
		s.StopAt = 0.9
		s.Period1 = alphaess.Period{Start: alphaess.At(1, 0), End: alphaess.At(5, 0)}
		return nil
	})
	fmt.Println(err)
	s, _ := sys.ChargeSettings(context.Background())
	fmt.Printf("grid charge %v until %v in %v and %v\n", s.GridCharge, s.StopAt, s.Period1, s.Period2)
	// Output:
	// <nil>
	// grid charge true until 90.0 % in 01:00–05:00 and 00:00–00:00
}

// Invalid settings are refused before anything is sent, naming the field.
func ExampleClient_SetChargeSettings() {
	c, srv := exampleFake()
	defer srv.Close()
	err := c.System(srv.SerialNumber).SetChargeSettings(context.Background(), alphaess.ChargeSettings{
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

// A schedule maps onto the two charge and two discharge periods; what they
// cannot express is refused with energy.ErrUnsupported, saying why.
func ExampleBattery_SetSchedule() {
	c, srv := exampleFake()
	defer srv.Close()
	b := c.System(srv.SerialNumber).Battery()
	tonight := time.Date(2026, 8, 4, 23, 0, 0, 0, c.Location())
	err := b.SetSchedule(context.Background(), energy.Schedule{Repeat: energy.RepeatDaily, Windows: []energy.Window{
		{Start: tonight, End: tonight.Add(6 * time.Hour), Mode: energy.ModeCharge, TargetSoC: 0.95},
	}})
	fmt.Println(err, srv.ChargeConfig())

	err = b.SetSchedule(context.Background(), energy.Schedule{Repeat: energy.RepeatDaily, Windows: []energy.Window{
		{Start: tonight, End: tonight.Add(time.Hour), Mode: energy.ModeCharge},
		{Start: tonight.Add(2 * time.Hour), End: tonight.Add(3 * time.Hour), Mode: energy.ModeCharge},
		{Start: tonight.Add(4 * time.Hour), End: tonight.Add(5 * time.Hour), Mode: energy.ModeCharge},
	}})
	fmt.Println(errors.Is(err, energy.ErrUnsupported))
	fmt.Println(err)
	// Output:
	// <nil> {1 95 23:00 05:00 00:00 00:00}
	// true
	// alphaess: SetSchedule: unsupported: window 2 is a third charge window: AlphaESS has 2 charge and 2 discharge periods
}

// Errors wrap energy's sentinels, so callers classify them without
// importing this package; the code is there for those who do.
func ExampleAPIError() {
	c, srv := exampleFake()
	defer srv.Close()
	srv.SetOffline(true)
	_, err := c.System(srv.SerialNumber).LastPowerData(context.Background())
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
	c, srv := exampleFake()
	defer srv.Close()
	kiritimati, _ := time.LoadLocation("Pacific/Kiritimati")
	fmt.Println(c.Today(), c.In(kiritimati).Today())
	samples, err := c.System(srv.SerialNumber).OneDayPower(context.Background(), c.Today())
	fmt.Println(len(samples), err, samples[0].Time.Format("2006-01-02 15:04:05 MST"))
	// Output:
	// 2026-08-04 2026-08-05
	// 243 <nil> 2026-08-04 00:00:04 AEST
}
