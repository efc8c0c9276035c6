package plan_test

import (
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/plan"
)

func ExamplePlan() {
	// Six hours of prices, import and export: cheap overnight, a peak at
	// 04:00.
	start := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	var prices []energy.Price
	for i, p := range []float64{0.12, 0.10, 0.11, 0.30, 0.85, 0.40} {
		s := start.Add(time.Duration(i) * time.Hour)
		prices = append(prices,
			energy.Price{Start: s, End: s.Add(time.Hour), PerKWh: p, Currency: "AUD", Channel: energy.ChannelImport},
			energy.Price{Start: s, End: s.Add(time.Hour), PerKWh: p - 0.08, Currency: "AUD", Channel: energy.ChannelExport})
	}
	ce, de := plan.SplitRoundTrip(0.9)
	res, err := plan.Plan(plan.Problem{
		Prices: prices,
		Battery: plan.Battery{Capacity: 10000, SoC: 0.2, Limits: plan.Limits{
			MinSoC: 0.1, MaxSoC: 1, MaxCharge: 5000, MaxDischarge: 5000,
			ChargeEfficiency: ce, DischargeEfficiency: de,
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range res.Schedule.Windows {
		fmt.Printf("%s–%s %-9s %v target %v\n", w.Start.Format("15:04"), w.End.Format("15:04"), w.Mode, w.Power, w.TargetSoC)
	}
	fmt.Printf("cost %.2f %s, doing nothing %.2f, saving %.2f\n", res.Cost, res.Currency, res.BaselineCost, res.Saving())
	// Output:
	// 00:00–01:00 idle      0 W target 0.0 %
	// 01:00–02:00 charge    5000 W target 67.4 %
	// 02:00–03:00 charge    3426 W target 99.9 %
	// 03:00–04:00 idle      0 W target 0.0 %
	// 04:00–05:00 discharge 5000 W target 47.2 %
	// 05:00–06:00 discharge 3500 W target 10.3 %
	// cost -4.09 AUD, doing nothing 0.00, saving 4.07
}

func ExampleCharger_Limit() {
	start := time.Date(2026, 11, 22, 17, 0, 0, 0, time.UTC)
	var prices []energy.Price
	for i, p := range []float64{0.30, 1.80, 2.40, 0.35} {
		s := start.Add(time.Duration(i) * 30 * time.Minute)
		prices = append(prices, energy.Price{Start: s, End: s.Add(30 * time.Minute), PerKWh: p, Currency: "AUD", Channel: energy.ChannelImport})
	}
	c := plan.Charger{Threshold: 1.00, Normal: 32, Capped: 6}
	for _, ch := range c.Changes(prices) {
		fmt.Println(ch.At.Format("15:04"), ch.Limit)
	}
	fmt.Println("at 18:10:", c.Limit(prices, start.Add(70*time.Minute)))
	// Output:
	// 17:00 32.0 A
	// 17:30 6.0 A
	// 18:30 32.0 A
	// at 18:10: 6.0 A
}
