package ambertest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/gridwire/gridwire/amber"
	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

func ExampleNewServer() {
	srv := ambertest.NewServer()
	defer srv.Close()

	c := srv.Client() // pointed at the fake, with its token
	sites, err := c.Sites(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	site, _ := amber.ActiveSite(sites)
	fmt.Println(site.ID == srv.SiteID, site.Network)
	// Output:
	// true Jemena
}

// ExampleServer_FailNext tests what a program does when Amber's prices
// come back broken: a null price is an error, never free power.
func ExampleServer_FailNext() {
	fc := clock.NewFake(time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC))
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	src := srv.Client().Site(srv.SiteID).PriceSource()

	srv.FailNext(1, ambertest.Fault{Endpoint: "/sites/{site}/prices/current", NullPrices: true})
	_, err := src.Prices(context.Background(), fc.Now(), fc.Now().Add(time.Hour))
	fmt.Println(errors.Is(err, energy.ErrUnavailable))

	srv.FailNext(3, ambertest.Fault{Status: 503}) // a lasting outage outlasts the retries
	_, err = src.Prices(context.Background(), fc.Now(), fc.Now().Add(time.Hour))
	var ae *amber.APIError
	fmt.Println(errors.As(err, &ae), ae.StatusCode)
	// Output:
	// true
	// true 503
}
