package gridwire_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/amber"
	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// cheapestWindow returns the cheapest run of n consecutive import prices.
func cheapestWindow(prices []energy.Price, n int) (start, end time.Time, avg float64) {
	var imports []energy.Price
	for _, p := range prices {
		if p.Channel == energy.ChannelImport {
			imports = append(imports, p)
		}
	}
	best := -1.0
	for i := 0; i+n <= len(imports); i++ {
		sum := 0.0
		for _, p := range imports[i : i+n] {
			sum += p.PerKWh
		}
		if best < 0 || sum < best {
			best, start, end = sum, imports[i].Start, imports[i+n-1].End
		}
	}
	return start, end, best / float64(n)
}

// Charge a battery in the cheapest two hours of the next twelve: prices
// from Amber, the battery an AlphaESS system, joined only through the
// energy interfaces. Here both vendors are the fakes gridwire ships, on one
// fixed clock; Example_accounts shows the same against the real services.
func Example() {
	ctx := context.Background()
	fc := clock.NewFake(time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC)) // 17:47 in Sydney
	sydney, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		log.Fatal(err)
	}
	amberFake := ambertest.NewServer(ambertest.WithClock(fc))
	defer amberFake.Close()
	essFake := alphaesstest.NewServer(alphaesstest.WithClock(fc), alphaesstest.WithLocation(sydney))
	defer essFake.Close()

	var prices energy.PriceSource = amberFake.Client().Site(amberFake.SiteID).PriceSource()
	var battery energy.Battery = essFake.Client().Battery()

	now := fc.Now()
	ps, err := prices.Prices(ctx, now, now.Add(12*time.Hour)) // AUD/kWh
	if err != nil {
		log.Fatal(err)
	}
	start, end, avg := cheapestWindow(ps, 4) // four 30-minute intervals
	err = battery.SetSchedule(ctx, energy.Schedule{
		Repeat:  energy.RepeatDaily, // AlphaESS keeps charge windows daily; a one-off is refused
		Windows: []energy.Window{{Start: start.In(sydney), End: end.In(sydney), Mode: energy.ModeCharge, TargetSoC: 0.9}},
	})
	fmt.Printf("charge %s–%s at %.3f AUD/kWh on average: %v\n", start.In(sydney).Format("15:04"), end.In(sydney).Format("15:04"), avg, err)

	st, err := battery.BatteryStatus(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("battery now at %.0f %%\n", st.StateOfCharge*100)
	// Output:
	// charge 01:00–03:00 at 0.270 AUD/kWh on average: <nil>
	// battery now at 56 %
}

// The same against the real services: the Amber site ID comes from the
// account's sites, the AlphaESS serial number from the systems bound to the
// developer account (AMBER_TOKEN from app.amber.com.au/developers,
// ALPHAESS_APP_ID and ALPHAESS_APP_SECRET from open.alphaess.com).
func Example_accounts() {
	ctx := context.Background()
	ac, err := amber.New(os.Getenv("AMBER_TOKEN"))
	if err != nil {
		log.Fatal(err)
	}
	sites, err := ac.Sites(ctx)
	if err != nil {
		log.Fatal(err)
	}
	site, ok := amber.ActiveSite(sites)
	if !ok {
		log.Fatal("no active Amber site")
	}
	var prices energy.PriceSource = ac.Site(site.ID).PriceSource()

	ec, err := alphaess.New(os.Getenv("ALPHAESS_APP_ID"), os.Getenv("ALPHAESS_APP_SECRET"))
	if err != nil {
		log.Fatal(err)
	}
	systems, err := ec.ListSystems(ctx)
	if err != nil || len(systems) == 0 {
		log.Fatal("no AlphaESS system: ", err)
	}
	var battery energy.Battery = ec.System(systems[0].SerialNumber).Battery()

	ps, err := prices.Prices(ctx, time.Now(), time.Now().Add(12*time.Hour)) // AUD/kWh, export positive = paid
	if errors.Is(err, energy.ErrRateLimited) {
		log.Fatal("Amber's quota is spent; try again in a few minutes")
	} else if err != nil {
		log.Fatal(err)
	}
	st, err := battery.BatteryStatus(ctx) // StateOfCharge 0..1, Power W (+ discharging), MeasuredAt
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(ps), "prices; battery at", st.StateOfCharge)
}
