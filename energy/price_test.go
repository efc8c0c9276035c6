package energy_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gridwire/gridwire/energy"
)

// A Price prints its range's bounds, not their addresses.
func TestPriceString(t *testing.T) {
	zone := time.FixedZone("AEST", 10*3600)
	start := time.Date(2026, 1, 20, 10, 0, 0, 0, zone)
	p := energy.Price{Start: start, End: start.Add(30 * time.Minute), PerKWh: 0.2134, Currency: "AUD",
		Channel: energy.ChannelImport, Forecast: true, Low: new(0.18), High: new(0.25), Descriptor: "low"}
	want := "2026-01-20 10:00–10:30 +1000 import 0.2134 AUD/kWh forecast (0.1800–0.2500) low"
	assert.Equal(t, want, p.String())
	assert.Equal(t, want, fmt.Sprintf("%v", p))
	p.Forecast, p.Low, p.High, p.Descriptor = false, nil, nil, ""
	assert.Equal(t, "2026-01-20 10:00–10:30 +1000 import 0.2134 AUD/kWh", fmt.Sprint(p))
	p.High = new(0.3)
	assert.Contains(t, p.String(), "(?–0.3000)")
}
