package plan

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gridwire/gridwire/energy"
)

var t0 = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// curve returns contiguous prices on channel ch, one per value, each lasting
// step, from start.
func curve(ch energy.Channel, start time.Time, step time.Duration, perKWh ...float64) []energy.Price {
	out := make([]energy.Price, len(perKWh))
	for i, p := range perKWh {
		s := start.Add(time.Duration(i) * step)
		out[i] = energy.Price{Start: s, End: s.Add(step), PerKWh: p, Currency: "AUD", Channel: ch}
	}
	return out
}

// both returns import and export curves with the same intervals.
func both(step time.Duration, imp, exp []float64) []energy.Price {
	return append(curve(energy.ChannelImport, t0, step, imp...), curve(energy.ChannelExport, t0, step, exp...)...)
}

func home() Battery {
	return Battery{Capacity: 13500, SoC: 0.5, Limits: Limits{
		MinSoC: 0.1, MaxSoC: 1, MaxCharge: 5000, MaxDischarge: 5000,
		ChargeEfficiency: 0.95, DischargeEfficiency: 0.95,
	}}
}

// randomProblem returns a seeded random problem of n intervals of step,
// with export prices and a forecast when asked.
func randomProblem(r *rand.Rand, n int, step time.Duration, export, forecast bool) Problem {
	imp := make([]float64, n)
	exp := make([]float64, n)
	for i := range n {
		imp[i] = -0.05 + r.Float64()*0.6
		if r.IntN(10) == 0 {
			imp[i] += 2 // a spike
		}
		exp[i] = imp[i] * r.Float64()
	}
	p := Problem{Prices: curve(energy.ChannelImport, t0, step, imp...)}
	if export {
		p.Prices = append(p.Prices, curve(energy.ChannelExport, t0, step, exp...)...)
	}
	if forecast {
		for i := range n {
			s := t0.Add(time.Duration(i) * step)
			p.Forecast = append(p.Forecast, Forecast{Start: s, End: s.Add(step),
				Load: energy.Watts(r.Float64() * 4000), PV: energy.Watts(max(0, r.Float64()*8000-3000))})
		}
	}
	lo := energy.Fraction(r.Float64() * 0.3)
	hi := energy.Fraction(0.7 + r.Float64()*0.3)
	eff := 0.8 + r.Float64()*0.2
	p.Battery = Battery{
		Capacity: energy.WattHours(2000 + r.Float64()*15000),
		SoC:      lo + energy.Fraction(r.Float64())*(hi-lo),
		Limits: Limits{MinSoC: lo, MaxSoC: hi,
			MaxCharge: energy.Watts(500 + r.Float64()*6000), MaxDischarge: energy.Watts(500 + r.Float64()*6000),
			ChargeEfficiency: eff, DischargeEfficiency: 0.8 + r.Float64()*0.2},
	}
	return p
}

// fakeBattery is an energy.Battery in memory.
type fakeBattery struct {
	mu        sync.Mutex
	status    energy.BatteryStatus
	statusErr error
	setErr    error
	calls     int
	schedules []energy.Schedule
}

func (b *fakeBattery) BatteryStatus(ctx context.Context) (energy.BatteryStatus, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	if err := ctx.Err(); err != nil {
		return energy.BatteryStatus{}, err
	}
	return b.status, b.statusErr
}

func (b *fakeBattery) SetSchedule(ctx context.Context, s energy.Schedule) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	if b.setErr != nil {
		return b.setErr
	}
	b.schedules = append(b.schedules, s)
	return nil
}

// fakePrices is an energy.PriceSource in memory.
type fakePrices struct {
	mu     sync.Mutex
	prices []energy.Price
	err    error
	calls  int
}

func (p *fakePrices) Prices(ctx context.Context, from, to time.Time) ([]energy.Price, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.err != nil {
		return nil, p.err
	}
	var out []energy.Price
	for _, pr := range p.prices {
		if pr.End.After(from) && pr.Start.Before(to) {
			out = append(out, pr)
		}
	}
	return out, nil
}

// fakeCharger is an energy.Charger in memory.
type fakeCharger struct {
	mu     sync.Mutex
	limits []energy.Amperes
	err    error
	calls  int
}

func (c *fakeCharger) ChargerStatus(ctx context.Context) (energy.ChargerStatus, error) {
	return energy.ChargerStatus{MeasuredAt: t0, State: energy.ChargerCharging}, ctx.Err()
}

func (c *fakeCharger) SetCurrentLimit(ctx context.Context, l energy.Amperes) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.err != nil {
		return c.err
	}
	c.limits = append(c.limits, l)
	return nil
}

func (c *fakeCharger) SetCharging(ctx context.Context, on bool) error { return ctx.Err() }
