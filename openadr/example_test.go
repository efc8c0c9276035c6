package openadr_test

import (
	"context"
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

// A VTN served over HTTP, a VEN (the battery simulator of package
// openadr/ven) that registers and polls, and an event for it. The clock is
// a fake one so that the output is fixed; a real VTN uses the system clock.
func ExampleVTN() {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	vtn, err := openadr.NewVTN("VTN_EXAMPLE",
		openadr.WithClock(clk),
		openadr.WithRegistrationHook(func(_ context.Context, r openadr.RegistrationRequest) (openadr.Decision, error) {
			return openadr.Decision{VenID: "VEN_" + r.VenName}, nil
		}))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(vtn) // in production: an http.Server with timeouts, over TLS
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()

	sim, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk), ven.WithVENName("battery"))
	if err != nil {
		log.Fatal(err)
	}
	if err := sim.Register(ctx); err != nil {
		log.Fatal(err)
	}
	venID := sim.State().VENID
	fmt.Println("registered:", venID)

	charge, err := openadr.LoadDispatch(
		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000},
		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeDischarge, Power: 5000})
	if err != nil {
		log.Fatal(err)
	}
	_, err = vtn.CreateEvent(ctx, venID, openadr.Event{
		ID: "EVT_1", Start: time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC), Signals: []openadr.Signal{charge},
	})
	if err != nil {
		log.Fatal(err)
	}
	q, err := vtn.Queue(ctx, venID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("queued:", q)
	for got := true; got; { // the VEN's polls, until its queue is empty
		if got, err = sim.PollOnce(ctx); err != nil {
			log.Fatal(err)
		}
	}
	for _, e := range sim.State().Events {
		fmt.Println("the VEN has", e.ID, e.Opt, e.Start.Format("15:04"), "to", e.End.Format("15:04"))
	}
	ev, err := vtn.Event(ctx, venID, "EVT_1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("the VTN has its answer:", ev.Response.OptType)
	// Output:
	// registered: VEN_battery
	// queued: [oadrRegisterReport oadrDistributeEvent]
	// the VEN has EVT_1 optIn 13:00 to 15:00
	// the VTN has its answer: optIn
}

// Telemetry arrives as typed measurements, converted with the units the VEN
// registered for each data point, in the VEN's sign (2.0b measures
// consumption: + charging).
func ExampleWithTelemetryHook() {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	vtn, err := openadr.NewVTN("VTN_EXAMPLE",
		openadr.WithClock(clk),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(time.Minute, time.Minute)),
		openadr.WithTelemetryHook(func(_ context.Context, venID string, ms []openadr.Measurement) {
			for _, m := range ms {
				switch m.Quantity {
				case openadr.QuantityStateOfCharge, openadr.QuantityPower, openadr.QuantityVoltage:
					fmt.Println(m.MeasuredAt.Format("15:04"), m.ResourceID, m.Quantity, m.Value, m.Unit)
				}
			}
		}))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	sim, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk))
	if err != nil {
		log.Fatal(err)
	}
	if err := sim.Register(ctx); err != nil {
		log.Fatal(err)
	}
	for got := true; got; { // the VTN's report requests
		if got, err = sim.PollOnce(ctx); err != nil {
			log.Fatal(err)
		}
	}
	clk.Advance(time.Minute)
	if err := sim.Tick(ctx); err != nil { // the reports due
		log.Fatal(err)
	}
	// Output:
	// 12:00 battery1 voltage 51.2 V
	// 12:00 battery1 power 0 W
	// 12:00 battery1 stateOfCharge 0.5
}

func ExampleRequestTelemetry() {
	hook := openadr.RequestTelemetry(10*time.Second, time.Minute)
	reqs, err := hook(context.Background(), "VEN_1", []oadr.Report{{
		ReportSpecifierID: "usage", ReportName: oadr.ReportMetadataTelemetryUsage,
		Descriptions: []oadr.ReportDescription{{RID: "v", SamplingRate: &oadr.SamplingRate{MinPeriod: time.Minute, MaxPeriod: 15 * time.Minute}}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reqs[0].ReportSpecifierID, reqs[0].Granularity, reqs[0].ReportBackDuration)
	// Output: usage 1m0s 1m0s
}

// A VEN offered as an energy.Battery: its status from its telemetry, a
// schedule sent as an event. The VEN is the battery simulator of package
// openadr/ven, stepped by hand on a fake clock.
func ExampleVTN_Battery() {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	vtn, err := openadr.NewVTN("VTN_EXAMPLE", openadr.WithClock(clk),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(10*time.Second, time.Minute)))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	sim, err := ven.New(srv.URL, ven.WithClock(clk), ven.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	poll := func() {
		for got := true; got; {
			if got, err = sim.PollOnce(ctx); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := sim.Register(ctx); err != nil {
		log.Fatal(err)
	}
	poll() // the VTN's report requests
	clk.Advance(time.Minute)
	if err := sim.Tick(ctx); err != nil { // the first minute's telemetry
		log.Fatal(err)
	}

	bat := vtn.Battery(sim.State().VENID, openadr.WithRatedPower(5000), openadr.WithoutWaiting())
	st, err := bat.BatteryStatus(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("measured at", st.MeasuredAt.Format(time.TimeOnly), "state of charge", st.StateOfCharge, "power", st.Power, "capacity", st.Capacity)

	start := time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC)
	err = bat.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{
		{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge, Power: 3000},
		{Start: start.Add(time.Hour), End: start.Add(2 * time.Hour), Mode: energy.ModeDischarge}, // at the rated power
	}})
	if err != nil {
		log.Fatal(err)
	}
	poll() // the VEN takes the event and opts in
	fmt.Println("answer:", bat.Await(ctx))
	evs, err := bat.ScheduleEvents(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range evs[0].Event.Signals {
		fmt.Print(s.Name)
		for _, iv := range s.Intervals {
			fmt.Print(" ", iv.Duration, ":", iv.Value)
		}
		fmt.Println()
	}
	// Output:
	// measured at 12:00:50 state of charge 50.0 % power 0 W capacity 19.20 kWh
	// answer: <nil>
	// LOAD_DISPATCH 1h0m0s:3 1h0m0s:-5
	// SIMPLE 1h0m0s:0 1h0m0s:2
}
