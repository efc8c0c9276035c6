package ven_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// The customer overrides an event the VEN had opted in to: the VEN sends an
// event opt-out through EiOpt, stops following the event, and the VTN's
// application sees the opt-out from Battery.Await.
func ExampleVEN_CreateOpt() {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	vtn, err := openadr.NewVTN("VTN_EXAMPLE", openadr.WithClock(clk))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk))
	if err != nil {
		log.Fatal(err)
	}
	poll := func() { // what Run does every poll period
		for got := true; got; {
			if got, err = v.PollOnce(ctx); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := v.Register(ctx); err != nil {
		log.Fatal(err)
	}
	poll()

	battery := vtn.Battery(v.State().VENID, openadr.WithoutWaiting())
	start := time.Date(2025, 6, 1, 12, 1, 0, 0, time.UTC)
	err = battery.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{
		{Start: start, End: start.Add(time.Hour), Mode: energy.ModeDischarge, Power: 4000}}})
	if err != nil {
		log.Fatal(err)
	}
	poll()
	fmt.Println("answer:", battery.Await(ctx))

	ev := v.State().Events[0]
	if _, err := v.CreateOpt(ctx, ven.Opt{Type: oadr.OptOut, EventID: ev.ID}); err != nil {
		log.Fatal(err)
	}
	clk.Set(start.Add(time.Minute))
	if err := v.Tick(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("setpoint during the event:", v.State().Setpoint)
	var oe *openadr.OptOutError
	if err := battery.Await(ctx); errors.As(err, &oe) {
		fmt.Println("opted out with", oe.Reason)
	}
	// Output:
	// answer: <nil>
	// setpoint during the event: 0 W
	// opted out with overrideStatus
}
