package amber_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/gridwire/gridwire/amber"
	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

func ExampleNew() {
	c, err := amber.New(os.Getenv("AMBER_TOKEN"))
	if err != nil {
		log.Fatal(err) // no token: set AMBER_TOKEN
	}
	sites, err := c.Sites(context.Background())
	if errors.Is(err, energy.ErrUnauthorized) {
		log.Fatal("check AMBER_TOKEN")
	} else if err != nil {
		log.Fatal(err)
	}
	site, ok := amber.ActiveSite(sites)
	if !ok {
		log.Fatal("no active site")
	}
	fmt.Println(site.ID, site.Network)
}

func ExampleClient_CurrentPrices() {
	// A fake Amber API on a fixed clock (16:47 on 28 January 2026, NEM
	// time), so the output is the same every run. Against the real API:
	// c, err := amber.New(os.Getenv("AMBER_TOKEN")).
	fc := clock.NewFake(time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC))
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	c, err := amber.New(srv.Token, amber.WithBaseURL(srv.URL), amber.WithClock(fc))
	if err != nil {
		log.Fatal(err)
	}

	ivs, err := c.CurrentPrices(context.Background(), srv.SiteID, amber.CurrentPricesParams{Previous: 1, Next: 3})
	if err != nil {
		log.Fatal(err)
	}
	for _, iv := range ivs.ByChannel(amber.ChannelGeneral) {
		b := iv.Base()
		var kind string
		switch iv := iv.(type) {
		case *amber.ActualInterval:
			kind = "actual"
		case *amber.CurrentInterval:
			kind = fmt.Sprintf("current, estimate: %v", iv.Estimate)
		case *amber.ForecastInterval:
			kind = fmt.Sprintf("forecast, Amber predicts %.2f", iv.AdvancedPrice.Predicted)
		}
		fmt.Printf("%s–%s %6.2f c/kWh %-8s %s\n", b.Start().In(amber.NEM).Format("15:04"), b.End().In(amber.NEM).Format("15:04"),
			b.PerKWh, b.Descriptor, kind)
	}
	// Output:
	// 16:00–16:30  28.42 c/kWh neutral  actual
	// 16:30–17:00  32.07 c/kWh neutral  current, estimate: true
	// 17:00–17:30  36.53 c/kWh high     forecast, Amber predicts 36.83
	// 17:30–18:00  41.42 c/kWh high     forecast, Amber predicts 41.75
	// 18:00–18:30  45.76 c/kWh high     forecast, Amber predicts 46.12
}

func ExampleSiteClient_PriceSource() {
	// A fake Amber API on a fixed clock (16:47 on 28 January 2026, NEM
	// time), so the output is the same every run. Against the real API:
	// c, err := amber.New(os.Getenv("AMBER_TOKEN")).
	fc := clock.NewFake(time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC))
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	c, err := amber.New(srv.Token, amber.WithBaseURL(srv.URL), amber.WithClock(fc))
	if err != nil {
		log.Fatal(err)
	}

	var src energy.PriceSource = c.Site(srv.SiteID).PriceSource()
	from := time.Date(2026, 1, 28, 18, 0, 0, 0, amber.NEM)
	prices, err := src.Prices(context.Background(), from, from.Add(90*time.Minute))
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range prices {
		fmt.Printf("%s %-6s %.4f %s/kWh forecast=%v\n", p.Start.In(amber.NEM).Format("15:04"), p.Channel, p.PerKWh, p.Currency, p.Forecast)
	}
	// Output:
	// 18:00 import 0.4612 AUD/kWh forecast=true
	// 18:00 export 0.2503 AUD/kWh forecast=true
	// 18:30 import 0.4873 AUD/kWh forecast=true
	// 18:30 export 0.2725 AUD/kWh forecast=true
	// 19:00 import 0.4875 AUD/kWh forecast=true
	// 19:00 export 0.2727 AUD/kWh forecast=true
}

func ExampleClient_Prices() {
	// A fake Amber API on a fixed clock (16:47 on 28 January 2026, NEM
	// time), so the output is the same every run. Against the real API:
	// c, err := amber.New(os.Getenv("AMBER_TOKEN")).
	fc := clock.NewFake(time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC))
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	c, err := amber.New(srv.Token, amber.WithBaseURL(srv.URL), amber.WithClock(fc))
	if err != nil {
		log.Fatal(err)
	}

	// Two weeks of history: two requests of at most 7 days, merged.
	ivs, err := c.Site(srv.SiteID).Prices(context.Background(), amber.PricesParams{
		StartDate: amber.NewDate(2026, 1, 1), EndDate: amber.NewDate(2026, 1, 14), Resolution: amber.Resolution30,
	})
	if err != nil {
		log.Fatal(err)
	}
	general := ivs.ByChannel(amber.ChannelGeneral)
	fmt.Println(len(general), "general intervals from", general[0].Base().Start().In(amber.NEM), "to", general[len(general)-1].Base().End().In(amber.NEM))
	fmt.Println(srv.Requests(), "requests")
	// Output:
	// 672 general intervals from 2026-01-01 00:00:00 +1000 AEST to 2026-01-15 00:00:00 +1000 AEST
	// 2 requests
}

func ExampleClient_Usage() {
	// A fake Amber API on a fixed clock (16:47 on 28 January 2026, NEM
	// time), so the output is the same every run. Against the real API:
	// c, err := amber.New(os.Getenv("AMBER_TOKEN")).
	fc := clock.NewFake(time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC))
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	c, err := amber.New(srv.Token, amber.WithBaseURL(srv.URL), amber.WithClock(fc))
	if err != nil {
		log.Fatal(err)
	}

	us, err := c.Usage(context.Background(), srv.SiteID, amber.UsageParams{StartDate: amber.NewDate(2026, 1, 27)})
	if err != nil {
		log.Fatal(err)
	}
	var kwh, cost float64
	for _, u := range us {
		if u.ChannelType == amber.ChannelGeneral {
			kwh += u.KWh
			cost += u.Cost.Dollars()
		}
	}
	fmt.Printf("27 January: bought %.1f kWh for $%.2f\n", kwh, cost)
	// Output:
	// 27 January: bought 16.1 kWh for $5.50
}

func ExampleClient_CurrentRenewables() {
	// A fake Amber API on a fixed clock (16:47 on 28 January 2026, NEM
	// time), so the output is the same every run. Against the real API:
	// c, err := amber.New(os.Getenv("AMBER_TOKEN")).
	fc := clock.NewFake(time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC))
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	c, err := amber.New(srv.Token, amber.WithBaseURL(srv.URL), amber.WithClock(fc))
	if err != nil {
		log.Fatal(err)
	}

	rs, err := c.CurrentRenewables(context.Background(), amber.SA, amber.RenewablesParams{Next: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rs {
		fmt.Printf("%s %-17s %5.1f%% %s\n", r.Start().In(amber.NEM).Format("15:04"), r.Kind, r.Renewables, r.Descriptor)
	}
	// Output:
	// 16:30 CurrentRenewable   53.5% great
	// 17:00 ForecastRenewable  52.8% great
	// 17:30 ForecastRenewable  50.8% great
}

func ExampleClient_RateLimit() {
	// A fake Amber API on a fixed clock (16:47 on 28 January 2026, NEM
	// time), so the output is the same every run. Against the real API:
	// c, err := amber.New(os.Getenv("AMBER_TOKEN")).
	fc := clock.NewFake(time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC))
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	c, err := amber.New(srv.Token, amber.WithBaseURL(srv.URL), amber.WithClock(fc))
	if err != nil {
		log.Fatal(err)
	}

	if _, err := c.Sites(context.Background()); err != nil {
		log.Fatal(err)
	}
	st, _ := c.RateLimit()
	fmt.Printf("%d of %d left; window %v; resets %s\n", st.Remaining, st.Limit, st.Window, st.ResetAt.In(amber.NEM).Format("15:04:05"))
	// Output:
	// 49 of 50 left; window 5m0s; resets 16:52:00
}

// ExamplePriceSource_Prices finds the cheapest two hours to charge a battery
// in the next day, through energy.PriceSource alone: the same code works
// with any vendor's prices.
func ExamplePriceSource_Prices() {
	// A fake Amber API on a fixed clock (16:47 on 28 January 2026, NEM
	// time), so the output is the same every run. Against the real API:
	// c, err := amber.New(os.Getenv("AMBER_TOKEN")).
	fc := clock.NewFake(time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC))
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	c, err := amber.New(srv.Token, amber.WithBaseURL(srv.URL), amber.WithClock(fc))
	if err != nil {
		log.Fatal(err)
	}

	var src energy.PriceSource = c.Site(srv.SiteID).PriceSource(amber.WithChannels(amber.ChannelGeneral))
	now := fc.Now()
	prices, err := src.Prices(context.Background(), now, now.Add(24*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	const window = 4 // four 30-minute intervals
	best, bestSum := -1, 0.0
	for i := 0; i+window <= len(prices); i++ {
		sum := 0.0
		for _, p := range prices[i : i+window] {
			sum += p.PerKWh
		}
		if best < 0 || sum < bestSum {
			best, bestSum = i, sum
		}
	}
	start, end := prices[best].Start, prices[best+window-1].End
	fmt.Printf("charge %s–%s at %.4f AUD/kWh on average\n",
		start.In(amber.NEM).Format("Mon 15:04"), end.In(amber.NEM).Format("15:04"), bestSum/window)
	// Output:
	// charge Thu 11:30–13:30 at 0.1230 AUD/kWh on average
}
