package voluetest_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/volue/voluetest"
)

// A fake with short-lived tokens on a fake clock, a published price curve
// read back through the client.
func ExampleNewServer() {
	fc := clock.NewFake(time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC))
	srv := voluetest.NewServer(voluetest.WithClock(fc), voluetest.WithTokenLifetime(time.Minute))
	defer srv.Close()
	srv.Publish(voluetest.PriceCurve("home", fc.Now(), 24))

	c := srv.Client()
	events, err := c.ListEvents(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(events), events[0].Type, srv.Tokens())
	// Output: 1 PriceCurveCreated 1
}
