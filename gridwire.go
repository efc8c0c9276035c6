// Package gridwire watches and steers batteries, EV chargers and electricity
// prices across vendors from one Go program.
//
// The module has one package per vendor, each speaking that vendor's complete
// wire API, and a shared vocabulary in package energy (Battery, Charger,
// PriceSource, Meter) that every vendor's devices are offered through:
//
//	amber     Amber Electric prices                      energy.PriceSource
//	alphaess  AlphaESS Open API systems                   energy.Battery, energy.Meter, energy.Charger
//	openadr   an OpenADR 2.0b VTN; each VEN a battery     energy.Battery
//	balanz    the balanz OCPP load balancer's chargers    energy.Charger
//	oscp      SolarNetwork's OSCP API and an OSCP 2.0 Capacity Optimizer
//	volue     Volue's Energy Coordination API and webhooks energy.PriceSource
//
// energy/plan computes the battery schedule that costs least for a price
// curve, for any energy.PriceSource and energy.Battery.
//
// This package itself only carries the module's version.
package gridwire

// Version is the version of the gridwire module, sent in the User-Agent
// header of every request as "gridwire/<Version>".
const Version = "0.1.0"
