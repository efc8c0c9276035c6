package alphaess

import (
	"context"

	"github.com/gridwire/gridwire/energy"
)

// Meter is a system's power flows as an energy.Meter. Make it with
// Client.Meter.
type Meter struct {
	c *Client
}

var _ energy.Meter = (*Meter)(nil)

// Meter returns the handle's system as an energy.Meter.
func (c *Client) Meter() *Meter { return &Meter{c} }

// MeterReading returns the system's latest power flows from one
// getLastPowerData call: PV (ppv), Load (pload), Grid (pgrid, positive
// importing), Battery (pbat, positive discharging) and EV (pev, nil when
// AlphaESS sends null). MeasuredAt is as for Battery.BatteryStatus: the
// system's uploadTime when the answer carries one, else the arrival time.
// A null among PV, load, grid and battery is a *MissingDataError, never a
// zero; a value that cannot be true (not finite, beyond 10 MW, or a
// negative PV, load or EV power) is a *ValueError. Both wrap
// energy.ErrUnavailable.
func (m *Meter) MeterReading(ctx context.Context) (energy.MeterReading, error) {
	p, err := m.c.LastPowerData(ctx)
	if err != nil {
		return energy.MeterReading{}, err
	}
	var missing []string
	need := func(name string, v *energy.Watts) energy.Watts {
		if v == nil {
			missing = append(missing, name)
			return 0
		}
		return *v
	}
	r := energy.MeterReading{
		MeasuredAt: p.measuredAt(),
		PV:         need("ppv", p.PV),
		Load:       need("pload", p.Load),
		Grid:       need("pgrid", p.Grid),
		Battery:    need("pbat", p.Battery),
		EV:         p.EV,
	}
	if missing != nil {
		return energy.MeterReading{}, &MissingDataError{Endpoint: epLastPower.name, Fields: missing}
	}
	check := plausible{endpoint: epLastPower.name}
	check.power("ppv", r.PV, true)
	check.power("pload", r.Load, true)
	check.power("pgrid", r.Grid, false)
	check.power("pbat", r.Battery, false)
	if r.EV != nil {
		check.power("pev", *r.EV, true)
	}
	if err := check.error(); err != nil {
		return energy.MeterReading{}, err
	}
	return r, nil
}
