package co_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/gridwire/gridwire/oscp/co"
	"github.com/gridwire/gridwire/oscp/oscptest"
)

// A Capacity Optimizer endpoint receives forecasts from the Flexibility
// Provider (here the fake) and answers what a group may draw.
func Example() {
	forecasts := co.NewForecasts()
	h, err := co.NewHandler("my-co-token", co.Hooks{}, co.WithForecasts(forecasts))
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	fp := oscptest.NewFP()
	defer fp.Close()
	ctx := context.Background()
	if err := fp.Connect(ctx, srv.URL+"/oscp/co/2.0", "my-co-token"); err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	err = fp.SendForecast(ctx, co.CapacityForecast{GroupID: "my-group", Type: co.Consumption,
		ForecastedBlocks: []co.ForecastedBlock{{Capacity: 32, Phase: co.PhaseAll, Unit: co.UnitA, StartTime: start, EndTime: start.Add(time.Hour)}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	limit, ok := forecasts.MayDraw("my-group", start.Add(10*time.Minute))
	fmt.Println(ok, limit[co.PhaseAll].Value, limit[co.PhaseAll].Unit)
	// Output: true 32 A
}

// The optimizer's own messages go to the Flexibility Provider through a
// Client; heartbeats are sent by RunHeartbeat, which blocks.
func ExampleClient() {
	fp := oscptest.NewFP()
	defer fp.Close()
	c, err := co.NewClient(fp.Token, co.WithBaseURL(fp.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = c.Heartbeat(context.Background(), time.Now().Add(2*time.Minute))
	fmt.Println(err, fp.Received()[0].Name)
	// Output: <nil> heartbeat
}
