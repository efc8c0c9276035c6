package voluetest

import (
	"math"
	"time"

	"github.com/gridwire/gridwire/volue"
)

// Currency is the currency of the fake's prices.
const Currency = "NOK"

// PriceCurve returns a PriceCurveCreated event for the location with hourly
// prices from start (truncated to the hour) for hours hours, in NOK per
// kWh, on a deterministic daily shape: a night trough, a morning and an
// evening peak.
func PriceCurve(locationID string, start time.Time, hours int) volue.Event {
	start = start.UTC().Truncate(time.Hour)
	pts := make([]volue.PricePoint, hours)
	for i := range pts {
		t := start.Add(time.Duration(i) * time.Hour)
		pts[i] = volue.PricePoint{Start: t, Price: Price(t)}
	}
	return volue.Event{Type: volue.EventPriceCurveCreated, Operation: volue.OperationCreate,
		Payload: &volue.PriceCurveCreated{PriceCurve: volue.PriceCurve{LocationID: locationID, Currency: Currency,
			Resolution: volue.TimeSpan(time.Hour), Points: pts}}}
}

// PriceDelta returns a PriceDelta event setting the hour starting at start
// to price (NOK per kWh).
func PriceDelta(locationID string, start time.Time, price float64) volue.Event {
	return volue.Event{Type: volue.EventPriceDelta, Operation: volue.OperationUpdate,
		Payload: &volue.PriceDelta{PriceCurve: volue.PriceCurve{LocationID: locationID, Currency: Currency,
			Resolution: volue.TimeSpan(time.Hour), Points: []volue.PricePoint{{Start: start.UTC().Truncate(time.Hour), Price: price}}}}}
}

// Price is the fake's price for the hour containing t, in NOK per kWh.
func Price(t time.Time) float64 {
	h := float64(t.UTC().Hour()) + 1 // Norway is UTC+1 in winter
	p := 0.55 + 0.45*math.Exp(-(h-8)*(h-8)/4) + 0.6*math.Exp(-(h-18)*(h-18)/5) - 0.15*math.Exp(-(h-3)*(h-3)/6)
	return math.Round(p*10000) / 10000
}
