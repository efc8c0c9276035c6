package openadr_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// The application sweeps for silent VENs once per poll period (here by
// hand, on a fake clock; in production from a time.Ticker in its own loop),
// and hears through the hook when a VEN goes silent and when it is back.
func ExampleVTN_CheckLiveness() {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	vtn, err := openadr.NewVTN("VTN_EXAMPLE", openadr.WithClock(clk),
		openadr.WithPollFrequency(10*time.Second), openadr.WithSilentAfter(3),
		openadr.WithRegistrationHook(func(_ context.Context, r openadr.RegistrationRequest) (openadr.Decision, error) {
			return openadr.Decision{VenID: "VEN_" + r.VenName}, nil
		}),
		openadr.WithLivenessHook(func(_ context.Context, c openadr.LivenessChange) {
			state := "back"
			if c.Silent {
				state = "silent"
			}
			fmt.Println(c.VenID, state, "- last heard at", c.LastContact.Format("15:04:05"))
		}))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	sim, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk), ven.WithVENName("battery"))
	if err != nil {
		log.Fatal(err)
	}
	if err := sim.Register(ctx); err != nil {
		log.Fatal(err)
	}

	for range 6 { // a minute without a poll
		clk.Advance(10 * time.Second)
		if _, err := vtn.CheckLiveness(ctx); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := sim.PollOnce(ctx); err != nil {
		log.Fatal(err)
	}

	// The VEN opts out of the afternoon; the Battery shows it.
	_, err = sim.CreateOpt(ctx, ven.Opt{Type: oadr.OptOut, Windows: []oadr.Period{
		{Start: time.Date(2025, 6, 1, 14, 0, 0, 0, time.UTC), Duration: 4 * time.Hour}}})
	if err != nil {
		log.Fatal(err)
	}
	opts, err := vtn.Battery("VEN_battery").Opts(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range opts {
		fmt.Println(o.Type, o.Reason, o.Availability[0].Start.Format("15:04"), o.Availability[0].Duration)
	}
	// Output:
	// VEN_battery silent - last heard at 12:00:00
	// VEN_battery back - last heard at 12:00:00
	// optOut notParticipating 14:00 4h0m0s
}
