package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/ven"
)

// The simulation loop plays the world around the controller: cars arrive,
// and meters are read, every simulated minute (less often at high speeds), from the devices' own truth
// (the VENs' simulated batteries, the AlphaESS fakes' meters, the chargers),
// so the bill does not depend on what the controller believes.

// carCurrent and carPhases describe the cars: 16 A on three phases, 11 kW.
const (
	carCurrent = 16
	carPhases  = 3
)

// sample is one reading of the whole site.
type sample struct {
	At time.Time
	// Batteries follow site.batteries: the AlphaESS house first, then the
	// VENs.
	Batteries []batterySample
	// Twin is the AlphaESS house left alone, for the baseline.
	Twin batterySample
	// HouseGrid and TwinGrid are the AlphaESS houses' grid power
	// (positive importing), controlled and left alone.
	HouseGrid, TwinGrid energy.Watts
	// Chargers follow site.chargers.
	Chargers []chargerSample
	// Capacity is what the OSCP forecast let the chargers draw together
	// per phase, when Limited.
	Capacity energy.Amperes
	Limited  bool
	// Volue is Volue's import price in force (NOK/kWh), as the site knew
	// it then; NaN when it had none.
	Volue float64
}

// drawn is the chargers' current per phase together.
func (s sample) drawn() energy.Amperes {
	var a energy.Amperes
	for _, c := range s.Chargers {
		a += c.Current
	}
	return a
}

// batterySample is a battery's state of charge, power (positive
// discharging) and capacity.
type batterySample struct {
	SoC      energy.Fraction
	Power    energy.Watts
	Capacity energy.WattHours
}

// chargerSample is a charger's power and current limit, and the current
// drawn per phase.
type chargerSample struct {
	Power   energy.Watts
	Current energy.Amperes
	Limit   energy.Amperes
	// Session is set while a charging session is on (the car charging, or
	// paused by itself or by the limit).
	Session bool
}

// Grid is the site's grid power, positive importing: the house, the cars,
// and the VENs' batteries (which exchange with the grid alone).
func (s sample) Grid() energy.Watts {
	g := s.HouseGrid
	for _, b := range s.Batteries[1:] {
		g -= b.Power
	}
	for _, c := range s.Chargers {
		g += c.Power
	}
	return g
}

// simulate runs the world from the clock's present to sc.End, reading the
// meters at the site's pace and printing a line per hour to w, with the
// import price of the hour from day. It returns the samples and how many
// readings failed (a device's answer lost or refused; logf is told why).
func simulate(ctx context.Context, s *site, sc scenario, day *dayPrices, loc *time.Location, w io.Writer, logf func(time.Time, string, ...any)) ([]sample, int, error) {
	var out []sample
	missed := 0
	plugged := make([]bool, len(sc.Cars))
	delta := false
	printHeader(w, s)
	nextLine := sc.Start
	for {
		now := s.clk.Now()
		if !now.Before(sc.End) {
			return out, missed, nil
		}
		for i, car := range sc.Cars {
			if !plugged[i] && !now.Before(car.Arrive) {
				v := balanztest.Vehicle{MaxCurrent: carCurrent, Phases: carPhases, Need: float64(car.Need)}
				if err := s.balanz.PlugIn(car.Charger, 1, v); err != nil {
					return out, missed, fmt.Errorf("plugging in the car at %s: %w", car.Name, err)
				}
				plugged[i] = true
			}
		}
		if !delta && !now.Before(sc.DeltaAt) {
			s.publishVolueDelta(sc)
			delta = true
		}
		if !now.Before(sc.Start) {
			smp, err := readMeters(ctx, s, now)
			switch {
			case ctx.Err() != nil:
				return out, missed, ctx.Err()
			case err != nil:
				// Billing holds the previous reading over the gap.
				missed++
				logf(now, "missed a meter reading: %v", err)
			default:
				out = append(out, smp)
			}
			if err == nil && !now.Before(nextLine) {
				printLine(w, smp, day, loc)
				nextLine = now.Truncate(time.Hour).Add(time.Hour)
			}
		}
		next := now.Truncate(s.pace.Meter).Add(s.pace.Meter)
		if err := s.clk.Sleep(ctx, next.Sub(s.clk.Now())); err != nil {
			return out, missed, err
		}
	}
}

// readMeters reads every device at now.
func readMeters(ctx context.Context, s *site, now time.Time) (sample, error) {
	smp := sample{At: now}
	house, err := s.home.MeterReading(ctx)
	if err != nil {
		return smp, fmt.Errorf("reading the AlphaESS meter: %w", err)
	}
	houseBat, err := s.batteries[0].Battery.BatteryStatus(ctx)
	if err != nil {
		return smp, fmt.Errorf("reading the AlphaESS battery: %w", err)
	}
	twin, err := s.twinM.MeterReading(ctx)
	if err != nil {
		return smp, fmt.Errorf("reading the baseline house's meter: %w", err)
	}
	twinBat, err := s.twinBattery.BatteryStatus(ctx)
	if err != nil {
		return smp, fmt.Errorf("reading the baseline house's battery: %w", err)
	}
	smp.HouseGrid, smp.TwinGrid = house.Grid, twin.Grid
	smp.Capacity, smp.Limited = s.capacity.MayDraw(now)
	smp.Volue = math.NaN()
	if ps, err := s.volueSource.Prices(ctx, now, now.Add(time.Minute)); err == nil && len(ps) > 0 {
		smp.Volue = ps[0].PerKWh
	}
	smp.Batteries = append(smp.Batteries, batterySample{houseBat.StateOfCharge, house.Battery, houseBat.Capacity})
	smp.Twin = batterySample{twinBat.StateOfCharge, twin.Battery, twinBat.Capacity}
	for _, v := range s.vens {
		smp.Batteries = append(smp.Batteries, venSample(v.State()))
	}
	for _, c := range s.chargers {
		st, err := c.Charger.ChargerStatus(ctx)
		if err != nil {
			return smp, fmt.Errorf("reading charger %s: %w", c.Name, err)
		}
		cs := chargerSample{Power: st.Power, Limit: st.CurrentLimit,
			Session: st.State == energy.ChargerCharging || st.State == energy.ChargerSuspended}
		if st.State == energy.ChargerCharging {
			cs.Current = energy.Amperes(float64(st.Power) / balanztest.Voltage / carPhases)
		}
		smp.Chargers = append(smp.Chargers, cs)
	}
	return smp, nil
}

// venSample reads a VEN's simulated battery.
func venSample(st ven.State) batterySample {
	return batterySample{st.Battery.StateOfCharge, st.Battery.Power, st.Battery.Capacity}
}

// printHeader prints the column heads of the hourly lines.
func printHeader(w io.Writer, s *site) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-5s %7s %7s", "time", "AUD/kWh", "NOK/kWh")
	for _, m := range s.batteries {
		fmt.Fprintf(&b, " │ %-12s", m.Name)
	}
	b.WriteString(" │")
	for _, c := range s.chargers {
		fmt.Fprintf(&b, " %8s", c.Name)
	}
	fmt.Fprintf(&b, " %6s │ %7s\n", "OSCP", "grid kW")
	fmt.Fprint(w, b.String())
}

// printLine prints one hourly line: the import prices of Amber and Volue,
// each battery's state of charge and power (kW, + discharging), each
// charger's current, what OSCP lets them draw together and the site's grid
// power.
func printLine(w io.Writer, smp sample, day *dayPrices, loc *time.Location) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-5s %7.3f %7.3f", smp.At.In(loc).Format("15:04"), day.importAt(smp.At), smp.Volue)
	for _, bat := range smp.Batteries {
		fmt.Fprintf(&b, " │ %3.0f%% %+6.2fkW", bat.SoC.Percent(), bat.Power.Kilowatts())
	}
	b.WriteString(" │")
	for _, c := range smp.Chargers {
		fmt.Fprintf(&b, " %6.1f A", float64(c.Current))
	}
	if smp.Limited {
		fmt.Fprintf(&b, " %4.0f A", float64(smp.Capacity))
	} else {
		fmt.Fprintf(&b, " %6s", "-")
	}
	fmt.Fprintf(&b, " │ %+7.2f\n", smp.Grid().Kilowatts())
	fmt.Fprint(w, b.String())
}
