package main

import (
	"fmt"
	"io"
	"time"

	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/energy"
)

// deviceReport is one row of the final table.
type deviceReport struct {
	Name string
	// Charged and Discharged are the energy into and out of a battery
	// (AC side), or delivered by a charger (Charged).
	Charged, Discharged energy.WattHours
	// Stored and BaselineStored are the change of the energy stored in a
	// battery over the day, controlled and left alone.
	Stored, BaselineStored energy.WattHours
	// Cost and Baseline are the device's grid bill over the day,
	// controlled and left alone; negative when it earns.
	Cost, Baseline float64
	// Saving is Baseline − Cost plus the stored energy gained over the
	// baseline at the carry value.
	Saving float64
}

// report is the day's outcome.
type report struct {
	Devices []deviceReport
	Total   deviceReport
	// Carry is the value given to stored energy, per kWh.
	Carry    float64
	Currency string
}

// bill works out the report from the samples, billed at the day's settled
// prices. Batteries and the AlphaESS house are billed from their meters; the
// baseline of a charger is its car charging at full current from the moment
// it arrives, since a charger left alone starts at once.
func bill(s *site, sc scenario, samples []sample, day *dayPrices, carry float64) report {
	r := report{Carry: carry, Currency: day.Currency}
	if len(samples) == 0 {
		return r
	}
	dts := make([]time.Duration, len(samples))
	for i := range samples {
		end := sc.End
		if i+1 < len(samples) {
			end = samples[i+1].At
		}
		dts[i] = end.Sub(samples[i].At)
	}
	first, last := samples[0], samples[len(samples)-1]
	stored := func(b batterySample) energy.WattHours { return energy.WattHours(float64(b.SoC) * float64(b.Capacity)) }

	for j, m := range s.batteries {
		d := deviceReport{Name: m.Name}
		d.Stored = stored(last.Batteries[j]) - stored(first.Batteries[j])
		if j == 0 {
			d.BaselineStored = stored(last.Twin) - stored(first.Twin)
		}
		for i, smp := range samples {
			p, dt := smp.Batteries[j].Power, dts[i]
			if p < 0 {
				d.Charged += energy.WattHours(float64(-p) * dt.Hours())
			} else {
				d.Discharged += energy.WattHours(float64(p) * dt.Hours())
			}
			if j == 0 {
				// The AlphaESS house: its whole grid bill, against the
				// same house left alone.
				d.Cost += day.gridCost(smp.HouseGrid, smp.At, dt)
				d.Baseline += day.gridCost(smp.TwinGrid, smp.At, dt)
			} else {
				// A VEN's battery exchanges with the grid alone; left
				// alone it idles and costs nothing.
				d.Cost += day.gridCost(-p, smp.At, dt)
			}
		}
		d.Saving = d.Baseline - d.Cost + carry*(d.Stored-d.BaselineStored).KilowattHours()
		r.Devices = append(r.Devices, d)
	}
	for j, car := range sc.Cars {
		d := deviceReport{Name: s.chargers[j].Name}
		for i, smp := range samples {
			p := smp.Chargers[j].Power
			d.Charged += energy.WattHours(float64(p) * dts[i].Hours())
			d.Cost += day.gridCost(p, smp.At, dts[i])
		}
		d.Baseline = uncontrolledCost(car.Arrive, d.Charged, sc.End, day)
		d.Saving = d.Baseline - d.Cost
		r.Devices = append(r.Devices, d)
	}
	for _, d := range r.Devices {
		r.Total.Charged += d.Charged
		r.Total.Discharged += d.Discharged
		r.Total.Stored += d.Stored
		r.Total.BaselineStored += d.BaselineStored
		r.Total.Cost += d.Cost
		r.Total.Baseline += d.Baseline
		r.Total.Saving += d.Saving
	}
	r.Total.Name = "total"
	return r
}

// uncontrolledCost is what charging a car with energy e costs when it starts
// on arrival at full current (and, at the latest, stops when the day ends).
func uncontrolledCost(arrive time.Time, e energy.WattHours, end time.Time, day *dayPrices) float64 {
	power := energy.Watts(carCurrent * carPhases * balanztest.Voltage)
	left := float64(e)
	cost := 0.0
	for t := arrive; left > 0 && t.Before(end); t = t.Add(time.Minute) {
		dt := min(time.Minute, time.Duration(left/float64(power)*float64(time.Hour)))
		cost += day.gridCost(power, t, dt)
		left -= float64(power) * dt.Hours()
	}
	return cost
}

// print writes the table.
func (r report) print(w io.Writer) {
	fmt.Fprintf(w, "\n%-12s %9s %9s %9s %9s │ %9s %9s %9s\n", "device", "charged", "dischrgd", "stored Δ", "base Δ",
		"cost", "baseline", "saving")
	fmt.Fprintf(w, "%-12s %9s %9s %9s %9s │ %9s %9s %9s\n", "", "kWh", "kWh", "kWh", "kWh", r.Currency, r.Currency, r.Currency)
	row := func(d deviceReport) {
		fmt.Fprintf(w, "%-12s %9.2f %9.2f %+9.2f %+9.2f │ %9.2f %9.2f %+9.2f\n", d.Name,
			d.Charged.KilowattHours(), d.Discharged.KilowattHours(), d.Stored.KilowattHours(), d.BaselineStored.KilowattHours(),
			d.Cost, d.Baseline, d.Saving)
	}
	for _, d := range r.Devices {
		row(d)
	}
	fmt.Fprintln(w, "────────────")
	row(r.Total)
	fmt.Fprintf(w, "saving = baseline − cost + (stored Δ − base Δ) × %.3f %s/kWh, the day's lowest import price.\n",
		r.Carry, r.Currency)
	fmt.Fprintln(w, "Baselines: the AlphaESS house left in self-consumption (a second fake), VEN batteries idle,")
	fmt.Fprintln(w, "the same energy into each car at full current from the moment it plugs in.")
}
