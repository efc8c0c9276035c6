package volue_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/gridwire/gridwire/volue"
	"github.com/gridwire/gridwire/volue/voluetest"
)

// Register a user with a vehicle and a meter.
func ExampleClient_CreateUser() {
	srv := voluetest.NewServer()
	defer srv.Close()
	c, err := volue.New(srv.ClientID, srv.ClientSecret, volue.WithBaseURL(srv.URL), volue.WithTokenURL(srv.TokenURL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	user, err := c.CreateUser(ctx)
	if err != nil {
		log.Fatal(err)
	}
	err = c.AddVehicle(ctx, user.ID, volue.Vehicle{ID: "car-1",
		Metadata: volue.VehicleMetadata{Brand: "Tesla", Model: "Model 3", Year: 2022}})
	if err != nil {
		log.Fatal(err)
	}
	meterID, err := c.AddMeter(ctx, user.ID, volue.Meter{MeterPointID: "707057500012345678",
		Location: volue.Coordinates{Latitude: 63.43, Longitude: 10.39}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.ID, meterID)
	// Output: usr-000001 mtr-000002
}

// Receive Volue's webhook deliveries: register the webhook, mount the
// Receiver at its URL, and ask for a test delivery.
func ExampleReceiver() {
	srv := voluetest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	got := make(chan volue.Event, 1)
	r, err := volue.NewReceiver(func(ctx context.Context, e volue.Event) error {
		got <- e
		return nil
	}, []string{"my-webhook-secret"})
	if err != nil {
		log.Fatal(err)
	}
	app := httptest.NewServer(r) // in production: your HTTPS server's mux
	defer app.Close()

	hook, err := c.CreateWebhook(ctx, volue.NewWebhook{URL: app.URL, Secret: "my-webhook-secret",
		Operations: []volue.Operation{volue.OperationCreate}, EventTypes: []volue.EventType{volue.EventPriceCurveCreated}})
	if err != nil {
		log.Fatal(err)
	}
	if err := c.TestWebhook(ctx, hook.ID); err != nil {
		log.Fatal(err)
	}
	e := <-got
	fmt.Println(e.Type)
	// Output: WebhookTest
}

// Keep a location's prices from price events, starting from the events the
// API still holds.
func ExamplePriceSource() {
	start := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	srv := voluetest.NewServer()
	defer srv.Close()
	srv.Publish(voluetest.PriceCurve("home", start, 24))
	srv.Publish(voluetest.PriceDelta("home", start.Add(17*time.Hour), 2.5))

	ps, err := volue.NewPriceSource("home")
	if err != nil {
		log.Fatal(err)
	}
	// Load catches up; afterwards pass ps.Handle to NewReceiver (or call
	// it from your hook) to follow new events.
	if err := ps.Load(context.Background(), srv.Client()); err != nil {
		log.Fatal(err)
	}
	prices, err := ps.Prices(context.Background(), start.Add(16*time.Hour), start.Add(19*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range prices {
		fmt.Printf("%s %.4f %s/kWh\n", p.Start.Format("15:04"), p.PerKWh, p.Currency)
	}
	// Output:
	// 16:00 1.0412 NOK/kWh
	// 17:00 2.5000 NOK/kWh
	// 18:00 1.0412 NOK/kWh
}
