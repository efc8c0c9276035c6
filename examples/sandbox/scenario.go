package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/gridwire/gridwire/volue/voluetest"
)

// firstDay is where the search for a day with an evening spike starts: an
// Australian summer, when sunny middays push prices down and hot evenings
// spike them.
var firstDay = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// maxSearch bounds the search for spike days, so a price model without
// spikes ends in an error rather than a hang.
const maxSearch = 2000

// scenario is what a seed decides: the day, the batteries' starting charge
// and when the cars arrive.
type scenario struct {
	// Day is local midnight of the simulated day, End the next; the run
	// covers [Start, End), Start being Day unless told otherwise.
	Day, Start, End time.Time
	// Spike is the start of the day's first price spike.
	Spike time.Time
	// VENs are the three Fortress-style batteries behind the VTN.
	VENs []venSpec
	// Cars are the vehicles that arrive at the balanz chargers.
	Cars []carSpec
	// At DeltaAt Volue announces that the hour from DeltaHour costs
	// DeltaPrice (NOK/kWh) instead.
	DeltaAt, DeltaHour time.Time
	DeltaPrice         float64
	// The OSCP forecast limits both chargers together to Limit per phase
	// over [LimitFrom, LimitTo), and to their full current otherwise.
	LimitFrom, LimitTo time.Time
	Limit              energy.Amperes
}

// venSpec is one simulated Fortress-style battery.
type venSpec struct {
	Name    string
	Battery ven.BatteryConfig
}

// carSpec is a car that plugs into a balanz charger.
type carSpec struct {
	Charger string // balanz charger id
	Name    string // how the output names the charger
	Arrive  time.Time
	Need    energy.WattHours
}

// newScenario builds the scenario for seed in zone loc: the seed-th day from
// firstDay (in loc) on which the Amber fake's prices spike in the evening,
// and starting charges and arrival times drawn from the seed.
func newScenario(ctx context.Context, seed uint64, loc *time.Location) (scenario, error) {
	day, spike, err := spikeDay(ctx, int(seed), loc)
	if err != nil {
		return scenario{}, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x5a4db0c5))
	soc := func() energy.Fraction { return energy.Fraction(0.25 + 0.5*rng.Float64()) }
	minutes := func(n int) time.Duration { return time.Duration(rng.IntN(n)) * time.Minute }

	// Three Fortress models: eVault Max, eVault Classic and eFlex.
	specs := []struct {
		name     string
		kWh, kW  float64
		nominalV energy.Volts
	}{{"evault-max", 18.5, 6, 51.2}, {"evault", 10.8, 5, 51.2}, {"eflex", 5.4, 3, 51.2}}
	sc := scenario{Day: day, Start: day, End: day.AddDate(0, 0, 1), Spike: spike}
	for _, s := range specs {
		b := ven.DefaultBattery()
		b.Capacity = energy.WattHours(s.kWh * 1000)
		b.MaxPower = energy.Watts(s.kW * 1000)
		b.InitialSoC = soc()
		b.NominalVoltage = s.nominalV
		b.Efficiency = venEfficiency
		sc.VENs = append(sc.VENs, venSpec{Name: s.name, Battery: b})
	}
	// The first car comes home within the hour before the spike; the second
	// late in the evening.
	sc.Cars = []carSpec{
		{Charger: "CP-HOME-1", Name: "garage", Arrive: spike.Add(-time.Hour + minutes(45)), Need: 24000},
		{Charger: "CP-HOME-2", Name: "driveway", Arrive: day.Add(21*time.Hour + minutes(90)), Need: 14000},
	}
	// Volue raises the evening's dearest hour in the afternoon; the grid
	// holds both chargers together to 10 A per phase for the evening
	// (6.9 kW: less than one car alone would take).
	sc.DeltaAt, sc.DeltaHour = day.Add(15*time.Hour), day.Add(20*time.Hour)
	sc.DeltaPrice = voluetest.Price(sc.DeltaHour) + 0.8
	sc.LimitFrom, sc.LimitTo, sc.Limit = day.Add(19*time.Hour), day.Add(22*time.Hour), 10
	return sc, nil
}

// venEfficiency is the simulated batteries' one-way efficiency.
const venEfficiency = 0.95

// spikeDay returns the n-th day (n ≥ 1) from firstDay, as a local midnight
// in loc, whose import prices at the Amber fake include a spike, and the
// spike's start. It asks a fake of its own, whose clock it sets to each day
// in turn, through the same price source the controller uses.
func spikeDay(ctx context.Context, n int, loc *time.Location) (day, spike time.Time, err error) {
	if n < 1 {
		return day, spike, fmt.Errorf("seed %d: want 1 or more", n)
	}
	y, m, d := firstDay.Date()
	day = time.Date(y, m, d, 0, 0, 0, 0, loc)
	fake := clock.NewFake(day)
	srv := ambertest.NewServer(ambertest.WithClock(fake))
	defer srv.Close()
	ps := srv.Client().Site(srv.SiteID).PriceSource()
	for range maxSearch {
		fake.Set(day)
		prices, err := ps.Prices(ctx, day, day.AddDate(0, 0, 1))
		if err != nil {
			return day, spike, fmt.Errorf("looking for a spike day: %w", err)
		}
		for _, p := range prices {
			if p.Channel == energy.ChannelImport && p.Descriptor == "spike" && !p.Start.Before(day) {
				if n--; n == 0 {
					return day, p.Start, nil
				}
				break
			}
		}
		day = day.AddDate(0, 0, 1)
	}
	return day, spike, fmt.Errorf("no %d-th day with a price spike within %d days of %s", n, maxSearch, firstDay.Format(time.DateOnly))
}
