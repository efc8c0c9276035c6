package balanz_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/energy"
)

func Example() {
	srv := balanztest.NewServer() // a fake balanz; use "ws://host:9999/api" for a real one
	defer srv.Close()
	ctx := context.Background()

	c, err := balanz.Dial(ctx, srv.URL, balanz.WithLocation(time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	userType, err := c.Login(ctx, balanztest.TokenAdmin)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("logged in as", userType)

	chargers, err := c.Chargers(ctx, balanz.ChargerFilter{GroupID: balanztest.SeedHomeGroup})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ch := range chargers {
		fmt.Println(ch.ChargerID, ch.Alias, ch.Connectors[1].Status)
	}
	// Output:
	// logged in as Admin
	// CP-HOME-1 garage Available
	// CP-HOME-2 driveway Available
}

func ExampleClient_EVCharger() {
	srv := balanztest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := srv.Client(ctx) // dialled and logged in
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	srv.PlugIn(balanztest.SeedHomeCharger1, 1, balanztest.Vehicle{MaxCurrent: 16})

	var ev energy.Charger
	ev, err = c.EVCharger(balanz.ByAlias("garage"), 1, balanz.WithIDTag(balanztest.SeedTag))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := ev.SetCharging(ctx, true); err != nil { // RemoteStartTransaction
		fmt.Println(err)
		return
	}
	if err := ev.SetCurrentLimit(ctx, 10); err != nil { // SetTxProfile
		fmt.Println(err)
		return
	}
	st, err := ev.ChargerStatus(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.State, st.CurrentLimit, st.Power)
	// Output: charging 10.0 A 6900 W
}

func ExampleError() {
	srv := balanztest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := balanz.Dial(ctx, srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	_, err = c.Login(ctx, "not-a-user")
	var be *balanz.Error
	if errors.As(err, &be) {
		fmt.Println(be.Command, be.Status, errors.Is(err, energy.ErrUnauthorized))
	}
	// Output: Login InvalidLogin true
}

func ExampleClient_Call() {
	srv := balanztest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := srv.Client(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	var groups []struct {
		GroupID string `json:"group_id"`
	}
	if err := c.Call(ctx, "GetGroups", map[string]any{}, &groups); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(groups), groups[0].GroupID)
	err = c.Call(ctx, "GetConfig", nil, nil) // documented, never implemented
	fmt.Println(err, errors.Is(err, energy.ErrUnsupported))
	// Output:
	// 2 HOME
	// balanz: GetConfig: Invalid Command GetConfig true
}
