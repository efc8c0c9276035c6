// Package co is the Capacity Optimizer side of OSCP 2.0, as SolarNetwork's
// Flexibility Provider (FP) speaks it: once a Capacity Optimizer is
// registered in SolarNetwork (oscp.Client.CreateCapacityOptimizer), the FP
// calls the optimizer's endpoint with forecasts, and the optimizer calls the
// FP with measurements.
//
// Handler is that endpoint, an http.Handler: it checks the "Token" the FP
// presents (in constant time) and X-Request-ID, decodes each message
// strictly (an invalid one is answered 400 and never reaches the
// application), hands it to a hook and answers 204. Forecasts keeps the
// forecasts received and answers what a group may draw at a given time.
//
//	fc := co.NewForecasts()
//	h, err := co.NewHandler(myToken, co.Hooks{}, co.WithForecasts(fc))
//	http.Handle("/oscp/co/2.0/", h)
//	…
//	limit, ok := fc.MayDraw("my-group", time.Now()) // per phase, in the forecast's unit
//
// Client sends the optimizer's own messages to the FP (register,
// handshake_acknowledge, heartbeat, adjust_group_capacity_forecast, and
// measurements for FPs that take them). It starts no goroutine:
// call Heartbeat yourself or run RunHeartbeat(ctx), which blocks.
package co
