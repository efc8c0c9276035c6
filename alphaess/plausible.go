package alphaess

import (
	"math"
	"strconv"

	"github.com/gridwire/gridwire/energy"
)

// Bounds beyond which a value from AlphaESS cannot be true. They are far
// above the largest AlphaESS systems (commercial cabinets of a few hundred
// kW and kWh), so that only garbage trips them: the adapters refuse such a
// reading with a *ValueError instead of passing on 10^305 kW.
const (
	maxPlausiblePower    energy.Watts     = 10e6 // 10 MW
	maxPlausibleCapacity energy.WattHours = 50e6 // 50 MWh
)

// plausible collects the first implausible value of a reading.
type plausible struct {
	endpoint string
	err      *ValueError
}

func (p *plausible) fail(field string, v float64, reason string) {
	if p.err == nil {
		p.err = &ValueError{Endpoint: p.endpoint, Field: field, Value: strconv.FormatFloat(v, 'g', -1, 64), Reason: reason}
	}
}

// power checks a power in W: finite and within ±maxPlausiblePower, and not
// negative when nonNeg.
func (p *plausible) power(field string, w energy.Watts, nonNeg bool) {
	v := float64(w)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		p.fail(field, v, "not a finite number")
	case math.Abs(v) > float64(maxPlausiblePower):
		p.fail(field, v, "beyond any AlphaESS system (W)")
	case nonNeg && v < 0:
		p.fail(field, v, "negative, and it cannot be")
	}
}

// fraction checks a state of charge (percent on the wire).
func (p *plausible) fraction(field string, f energy.Fraction) {
	if v := float64(f); math.IsNaN(v) || !f.Valid() {
		p.fail(field, f.Percent(), "outside 0..100 %")
	}
}

// capacity checks a battery capacity in Wh.
func (p *plausible) capacity(field string, c energy.WattHours) {
	v := float64(c)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		p.fail(field, v, "not a finite number")
	case v < 0 || c > maxPlausibleCapacity:
		p.fail(field, v, "not a battery capacity (Wh)")
	}
}

func (p *plausible) error() error {
	if p.err == nil {
		return nil
	}
	return p.err
}
