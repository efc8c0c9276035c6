package openadr_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// A push VEN: it registers with oadrHttpPullModel false and the address of
// its own server, and the VTN posts the event to it (DeliverTo, right after
// CreateEvent) instead of waiting for a poll. The target check allows only
// loopback addresses, as a production VTN would allow only its VENs'
// networks.
func ExampleVTN_DeliverTo() {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	loopbackOnly := func(_ context.Context, _ string, u *url.URL) error {
		if ip, err := netip.ParseAddr(u.Hostname()); err != nil || !ip.IsLoopback() {
			return errors.New("not a VEN of ours")
		}
		return nil
	}
	vtn, err := openadr.NewVTN("VTN_EXAMPLE", openadr.WithClock(clk), openadr.WithPushTargetCheck(loopbackOnly))
	if err != nil {
		log.Fatal(err)
	}
	vtnSrv := httptest.NewServer(vtn)
	defer vtnSrv.Close()
	defer vtnSrv.Client().CloseIdleConnections()

	// The VEN's server exists before the VEN, which must know its address.
	var pushes http.Handler
	venSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { pushes.ServeHTTP(w, r) }))
	defer venSrv.Close()
	sim, err := ven.New(vtnSrv.URL, ven.WithHTTPClient(vtnSrv.Client()), ven.WithClock(clk), ven.WithPushAddress(venSrv.URL))
	if err != nil {
		log.Fatal(err)
	}
	pushes = sim.PushHandler()
	if err := sim.Register(ctx); err != nil {
		log.Fatal(err)
	}
	venID := sim.State().VENID

	charge, err := openadr.LoadDispatch(openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000})
	if err != nil {
		log.Fatal(err)
	}
	_, err = vtn.CreateEvent(ctx, venID, openadr.Event{
		ID: "EVT_1", Start: time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC), Signals: []openadr.Signal{charge},
	})
	if err != nil {
		log.Fatal(err)
	}
	stats, err := vtn.DeliverTo(ctx, venID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("pushed %d, failed %d\n", stats.Pushed, stats.Failed)
	q, _ := vtn.Queue(ctx, venID)
	fmt.Println("left for polls:", len(q))
	ev, err := vtn.Event(ctx, venID, "EVT_1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("the VTN has its answer:", ev.Response.OptType)
	// Output:
	// pushed 2, failed 0
	// left for polls: 0
	// the VTN has its answer: optIn
}
