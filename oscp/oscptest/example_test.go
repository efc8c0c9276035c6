package oscptest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/oscp/oscptest"
)

// Test code that uses the SolarUser OSCP API against the fake, including
// how it copes with an outage.
func ExampleNewServer() {
	srv := oscptest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	providers, err := c.CapacityProviders(ctx)
	fmt.Println(len(providers), err)

	srv.FailNext(1, oscptest.Fault{Endpoint: "DeleteAsset", Status: 503})
	err = c.DeleteAsset(ctx, 4)
	fmt.Println(errors.Is(err, energy.ErrUnavailable))
	// Output:
	// 1 <nil>
	// true
}
