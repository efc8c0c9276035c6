package alphaesstest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/energy"
)

// A test (or an offline example) runs against the fake as against the Open
// API: Client returns a client with the fake's credentials and system,
// answering at once rather than 10 s apart.
func ExampleServer() {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	c := srv.Client()

	systems, err := c.ListSystems(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(systems), systems[0].SerialNumber == srv.SerialNumber, srv.Requests())
	// Output: 1 true 1
}

// FailNext makes the next requests fail as the real service does at times:
// a 502 from the gateway, here for the first try and both retries.
func ExampleServer_FailNext() {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	srv.FailNext(3, alphaesstest.Fault{Endpoint: "getLastPowerData", Status: http.StatusBadGateway})

	_, err := srv.Client().LastPowerData(context.Background())
	var he *alphaess.HTTPError
	fmt.Println(errors.Is(err, energy.ErrUnavailable), errors.As(err, &he) && he.StatusCode == 502, srv.Requests())

	_, err = srv.Client().LastPowerData(context.Background())
	fmt.Println(err)
	// Output:
	// true true 3
	// <nil>
}

// SetFields makes answers carry values no real system has, to show that
// code using the client refuses them.
func ExampleServer_SetFields() {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	srv.SetFields("getEssList", map[string]any{"cobat": -1e308})

	_, err := srv.Client().Battery().BatteryStatus(context.Background())
	fmt.Println(errors.Is(err, energy.ErrUnavailable))

	srv.ResetData()
	st, err := srv.Client().Battery().BatteryStatus(context.Background())
	fmt.Println(st.Capacity, err)
	// Output:
	// true
	// 13.34 kWh <nil>
}
