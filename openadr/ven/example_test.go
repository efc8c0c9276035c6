package ven_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// A battery VEN against a VTN (package openadr, served by httptest), both on
// a fake clock stepped by hand: the VEN registers, the VTN asks for its
// telemetry and sends it a schedule through energy.Battery (charge at 3 kW
// from 13:00 for an hour, hold, discharge at 5 kW from 15:00 to 17:00), and
// the VEN opts in and follows it.
func Example() {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	vtn, err := openadr.NewVTN("VTN_EXAMPLE", openadr.WithClock(clk),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(5*time.Minute, 5*time.Minute)))
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
	s := v.State()
	fmt.Println("registered with", s.VTNID, "polling every", s.PollInterval)
	for _, r := range s.Reports {
		fmt.Println("report of", len(r.RIDs), "data points every", r.ReportBack)
	}

	at := func(h int) time.Time { return time.Date(2025, 6, 1, h, 0, 0, 0, time.UTC) }
	bat := vtn.Battery(s.VENID, openadr.WithoutWaiting())
	err = bat.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{
		{Start: at(13), End: at(14), Mode: energy.ModeCharge, Power: 3000},
		{Start: at(14), End: at(15), Mode: energy.ModeIdle},
		{Start: at(15), End: at(17), Mode: energy.ModeDischarge, Power: 5000},
	}})
	if err != nil {
		log.Fatal(err)
	}
	poll()
	for _, e := range v.State().Events {
		fmt.Println("event", e.Opt, e.Start.Format("15:04"), "to", e.End.Format("15:04"))
	}
	for _, hour := range []int{13, 14, 15, 17} {
		clk.Set(at(hour))
		if err := v.Tick(ctx); err != nil { // sends the reports due
			log.Fatal(err)
		}
		b := v.State().Battery
		fmt.Printf("%02d:00 SoC %v, power %v (+ discharging)\n", hour, b.StateOfCharge, b.Power)
	}
	// Output:
	// registered with VTN_EXAMPLE polling every 10s
	// report of 6 data points every 5m0s
	// report of 1 data points every 5m0s
	// event optIn 13:00 to 17:00
	// 13:00 SoC 50.0 %, power -3000 W (+ discharging)
	// 14:00 SoC 65.6 %, power 0 W (+ discharging)
	// 15:00 SoC 65.6 %, power 5000 W (+ discharging)
	// 17:00 SoC 13.5 %, power 0 W (+ discharging)
}

// Running a VEN against a real VTN until interrupted, with a TLS client
// certificate and logs of what it does.
func ExampleVEN_Run() {
	cert, err := tls.LoadX509KeyPair("ven.crt", "ven.key")
	if err != nil {
		log.Fatal(err)
	}
	hc := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			MinVersion:   tls.VersionTLS12,
		}},
	}
	battery := ven.DefaultBattery()
	battery.InitialSoC = 0.8
	v, err := ven.New("https://vtn.example.com",
		ven.WithHTTPClient(hc),
		ven.WithVENName("fortress-battery-7"),
		ven.WithBattery(battery),
		ven.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := v.Run(ctx); err != nil {
		log.Fatal(err) // the VTN cancelled the registration
	}
}

// An opt policy: keep test events off a household battery.
func ExampleWithOptPolicy() {
	policy := func(e ven.Event) (oadr.OptType, string) {
		if e.Test {
			return oadr.OptOut, "no test events on this site"
		}
		return oadr.OptIn, ""
	}
	v, err := ven.New("https://vtn.example.com", ven.WithOptPolicy(policy))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.State().Registered)
	// Output: false
}
