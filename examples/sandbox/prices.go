package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// dayPrices are a day's import and export prices, for printing and billing.
type dayPrices struct {
	Import, Export []energy.Price
	Currency       string
	// Volue are the reference tariff's import prices, in VolueCurrency,
	// for the plot; they take no part in the bill.
	Volue         []energy.Price
	VolueCurrency string
}

// fetchDay reads the prices of [from, to) from ps.
func fetchDay(ctx context.Context, ps energy.PriceSource, from, to time.Time) (*dayPrices, error) {
	prices, err := ps.Prices(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("reading the day's prices: %w", err)
	}
	d := &dayPrices{}
	for _, p := range prices {
		switch p.Channel {
		case energy.ChannelImport:
			d.Import = append(d.Import, p)
		case energy.ChannelExport:
			d.Export = append(d.Export, p)
		}
		d.Currency = p.Currency
	}
	if len(d.Import) == 0 {
		return nil, fmt.Errorf("the price feed has no import prices for %s", from.Format(time.DateOnly))
	}
	return d, nil
}

// at returns the price of ps in force at t: the interval that holds t, or
// the nearest one when none does.
func at(ps []energy.Price, t time.Time) float64 {
	if len(ps) == 0 {
		return 0
	}
	i, _ := slices.BinarySearchFunc(ps, t, func(p energy.Price, t time.Time) int { return p.Start.Compare(t) })
	// ps[i] is the first interval starting at or after t.
	if i < len(ps) && ps[i].Start.Equal(t) {
		return ps[i].PerKWh
	}
	return ps[max(i-1, 0)].PerKWh
}

func (d *dayPrices) importAt(t time.Time) float64 { return at(d.Import, t) }
func (d *dayPrices) exportAt(t time.Time) float64 { return at(d.Export, t) }

// lowestImport is the day's lowest import price: what refilling a battery
// costs at best, the value the sandbox gives energy left in a battery.
func (d *dayPrices) lowestImport() float64 {
	low := d.Import[0].PerKWh
	for _, p := range d.Import {
		low = min(low, p.PerKWh)
	}
	return low
}

// gridCost is what exchanging power p (positive importing) with the grid
// over [t, t+dt) costs: bought at the import price, sold at the export
// price.
func (d *dayPrices) gridCost(p energy.Watts, t time.Time, dt time.Duration) float64 {
	kWh := p.Kilowatts() * dt.Hours()
	if kWh > 0 {
		return kWh * d.importAt(t)
	}
	return kWh * d.exportAt(t)
}
