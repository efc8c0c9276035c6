package oscp_test

import (
	"context"
	"fmt"

	"github.com/gridwire/gridwire/oscp"
	"github.com/gridwire/gridwire/oscp/oscptest"
)

// List the Capacity Groups of an account and their assets. Against the
// real service, pass the token from SolarNetwork instead of the fake's and
// leave out WithBaseURL.
func Example() {
	srv := oscptest.NewServer()
	defer srv.Close()

	c, err := oscp.New(srv.TokenID, srv.TokenSecret, oscp.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	groups, err := c.CapacityGroups(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range groups {
		assets, err := c.CapacityGroupAssets(ctx, g.ConfigID)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s (%s): %d assets, measured every %d s for the provider\n",
			g.Name, g.Identifier, len(assets), g.CapacityProviderMeasurementPeriod.Seconds())
	}
	// Output: My Group (my-group): 2 assets, measured every 900 s for the provider
}

// Creating a Capacity Optimizer returns its OSCP token, which SolarNetwork
// shows only in this answer.
func ExampleClient_CreateCapacityOptimizer() {
	srv := oscptest.NewServer()
	defer srv.Close()
	c := srv.Client()

	optimizer, token, err := c.CreateCapacityOptimizer(context.Background(), oscp.SystemInput{
		Name:        "My optimizer",
		Enabled:     true,
		BaseURL:     "https://co.example.com/oscp/co/2.0",
		OSCPVersion: "2.0",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Store token.Reveal() now; it prints redacted.
	fmt.Println(optimizer.Name, optimizer.RegistrationStatus, token, len(token.Reveal()))
	// Output: My optimizer Pending [redacted] 64
}
