package plan_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/plan"
)

// memBattery stands in for any energy.Battery (an AlphaESS system, an
// OpenADR VEN …): it reports a state and records the schedule it is sent.
type memBattery struct {
	status energy.BatteryStatus
	sent   energy.Schedule
}

func (b *memBattery) BatteryStatus(ctx context.Context) (energy.BatteryStatus, error) {
	return b.status, ctx.Err()
}

func (b *memBattery) SetSchedule(ctx context.Context, s energy.Schedule) error {
	b.sent = s
	return ctx.Err()
}

// memPrices stands in for any energy.PriceSource (Amber, Volue …).
type memPrices []energy.Price

func (p memPrices) Prices(ctx context.Context, from, to time.Time) ([]energy.Price, error) {
	var out []energy.Price
	for _, pr := range p {
		if pr.End.After(from) && pr.Start.Before(to) {
			out = append(out, pr)
		}
	}
	return out, ctx.Err()
}

func ExampleForBattery() {
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

	// Half-hourly prices from 14:00 to 21:00 with an evening spike.
	var prices memPrices
	for i, p := range []float64{0.08, 0.05, 0.06, 0.10, 0.20, 0.30, 1.20, 1.60, 1.10, 0.45, 0.30, 0.25, 0.22, 0.20} {
		s := now.Add(time.Duration(i) * 30 * time.Minute)
		prices = append(prices,
			energy.Price{Start: s, End: s.Add(30 * time.Minute), PerKWh: p, Currency: "AUD", Channel: energy.ChannelImport},
			energy.Price{Start: s, End: s.Add(30 * time.Minute), PerKWh: p * 0.8, Currency: "AUD", Channel: energy.ChannelExport})
	}
	battery := &memBattery{status: energy.BatteryStatus{MeasuredAt: now, StateOfCharge: 0.25, Capacity: 13500}}

	limits := plan.Limits{MinSoC: 0.1, MaxSoC: 1, MaxCharge: 5000, MaxDischarge: 5000,
		ChargeEfficiency: 0.95, DischargeEfficiency: 0.95}
	res, err := plan.ForBattery(ctx, prices, battery, limits, now, now.Add(7*time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := plan.Apply(ctx, battery, res); err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range battery.sent.Windows {
		fmt.Printf("%s–%s %-9s %v\n", w.Start.Format("15:04"), w.End.Format("15:04"), w.Mode, w.Power)
	}
	fmt.Printf("SoC %v → %v, saving %.2f %s\n", res.StartSoC, res.EndSoC, res.Saving(), res.Currency)
	// Output:
	// 14:00–16:00 charge    5000 W
	// 16:00–16:30 charge    1250 W
	// 16:30–17:00 idle      0 W
	// 17:00–19:00 discharge 4996 W
	// 19:00–19:30 discharge 2981 W
	// 19:30–21:00 idle      0 W
	// SoC 25.0 % → 10.2 %, saving 8.13 AUD
}
