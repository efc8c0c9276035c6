package alphaess

import (
	"context"
	"fmt"

	"github.com/gridwire/gridwire/energy"
)

// SystemInfo is one system bound to the developer account (getEssList).
// Ratings and capacities are converted from the wire's kW and kWh; a null
// on the wire is a nil here.
type SystemInfo struct {
	// SerialNumber is the system's serial number (sysSn), the key of every
	// per-system call.
	SerialNumber string
	// InverterModel is the inverter (minv), such as "SMILE5-INV".
	InverterModel string
	// BatteryModel is the battery (mbat), such as "SMILE-BAT-13.3P".
	BatteryModel string
	// BatteryCapacity is the installed battery capacity (cobat).
	BatteryCapacity *energy.WattHours
	// RemainingCapacity is the capacity the battery still has (surplusCobat).
	RemainingCapacity *energy.WattHours
	// UsableCapacity is the share of the capacity in use (usCapacity).
	UsableCapacity *energy.Fraction
	// InverterPower is the inverter's rating (poinv).
	InverterPower *energy.Watts
	// PVPower is the rating of the PV array (popv).
	PVPower *energy.Watts
	// EMSStatus is the energy management system's status (emsStatus), such
	// as "Normal" or "Fault"; AlphaESS does not document its values.
	EMSStatus string
}

// wireSystem is a getEssList item.
type wireSystem struct {
	SysSn        string `json:"sysSn"`
	Minv         string `json:"minv"`
	Mbat         string `json:"mbat"`
	Cobat        num    `json:"cobat"`
	SurplusCobat num    `json:"surplusCobat"`
	UsCapacity   num    `json:"usCapacity"`
	Poinv        num    `json:"poinv"`
	Popv         num    `json:"popv"`
	EmsStatus    string `json:"emsStatus"`
}

// ListSystems returns the systems bound to the developer account
// (getEssList). It needs no serial number.
func (c *Client) ListSystems(ctx context.Context) ([]SystemInfo, error) {
	raw, err := c.call(ctx, epEssList, nil, nil)
	if err != nil {
		return nil, err
	}
	// Older answers carry one object instead of an array; decodeList wraps it.
	ws, err := decodeList[wireSystem](epEssList, raw)
	if err != nil {
		return nil, err
	}
	out := make([]SystemInfo, len(ws))
	for i, w := range ws {
		if w.SysSn == "" {
			return nil, decodeError(epEssList, raw, fmt.Errorf("item %d has no sysSn", i))
		}
		out[i] = SystemInfo{
			SerialNumber:      w.SysSn,
			InverterModel:     w.Minv,
			BatteryModel:      w.Mbat,
			BatteryCapacity:   w.Cobat.kwh(),
			RemainingCapacity: w.SurplusCobat.kwh(),
			UsableCapacity:    w.UsCapacity.percent(),
			InverterPower:     w.Poinv.kilowatts(),
			PVPower:           w.Popv.kilowatts(),
			EMSStatus:         w.EmsStatus,
		}
	}
	return out, nil
}
