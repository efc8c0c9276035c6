package alphaess

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/gridwire/gridwire/energy"
)

// Charger is one EV charger of a system as an energy.Charger. Make it with
// Client.Charger or Client.Chargers.
type Charger struct {
	c  *Client
	sn string

	mu    sync.Mutex
	index int // position among the system's chargers; -1 until known
	count int // how many chargers the system has; 0 until known
}

var _ energy.Charger = (*Charger)(nil)

// Charger returns the EV charger with serial number evSN of the handle's
// system as an energy.Charger.
func (c *Client) Charger(evSN string) *Charger {
	return &Charger{c: c, sn: strings.TrimSpace(evSN), index: -1}
}

// Chargers returns every EV charger of the handle's system
// (getEvChargerConfigList) as an energy.Charger.
func (c *Client) Chargers(ctx context.Context) ([]*Charger, error) {
	list, err := c.EVChargers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*Charger, len(list))
	for i, e := range list {
		out[i] = &Charger{c: c, sn: e.SerialNumber, index: i, count: len(list)}
	}
	return out, nil
}

// SerialNumber returns the charger's serial number.
func (ch *Charger) SerialNumber() string { return ch.sn }

// ChargerStatus returns the charger's state (getEvChargerStatusBySn, mapped
// by EVStatus.State), the system's current setting as CurrentLimit
// (getEvChargerCurrentsBySn) and, while charging, the charger's power from
// getLastPowerData (pevDetail, by the charger's position in the list, or pev
// when it is the only one). That is two calls, four while charging; each is
// paced. MeasuredAt is when the status answer arrived. AlphaESS gives no
// session energy, so SessionEnergy is 0.
func (ch *Charger) ChargerStatus(ctx context.Context) (energy.ChargerStatus, error) {
	if ch.sn == "" {
		return energy.ChargerStatus{}, energy.Invalid("evchargerSn", "is empty")
	}
	st, err := ch.c.EVChargerStatus(ctx, ch.sn)
	if err != nil {
		return energy.ChargerStatus{}, err
	}
	out := energy.ChargerStatus{MeasuredAt: ch.c.Now(), State: st.State()}
	if out.CurrentLimit, err = ch.c.EVChargerCurrent(ctx); err != nil {
		return energy.ChargerStatus{}, err
	}
	if st != EVCharging {
		return out, nil
	}
	i, n, err := ch.position(ctx)
	if err != nil {
		return energy.ChargerStatus{}, err
	}
	p, err := ch.c.LastPowerData(ctx)
	if err != nil {
		return energy.ChargerStatus{}, err
	}
	power := p.EVChargers[i]
	if power == nil && n == 1 {
		power = p.EV
	}
	if power == nil {
		return energy.ChargerStatus{}, &MissingDataError{Endpoint: epLastPower.name, Fields: []string{fmt.Sprintf("pevDetail.ev%dPower", i+1)}}
	}
	out.Power = max(*power, 0)
	return out, nil
}

// position returns the charger's index among the system's chargers (the
// list does not change, so it is read once) and how many there are. As in
// Battery, the lock is not held during the call.
func (ch *Charger) position(ctx context.Context) (index, count int, err error) {
	ch.mu.Lock()
	index, count = ch.index, ch.count
	ch.mu.Unlock()
	if index < 0 || count == 0 {
		list, err := ch.c.EVChargers(ctx)
		if err != nil {
			return 0, 0, err
		}
		index = slices.IndexFunc(list, func(e EVCharger) bool { return e.SerialNumber == ch.sn })
		count = len(list)
		ch.mu.Lock()
		ch.index, ch.count = index, count
		ch.mu.Unlock()
	}
	switch {
	case index < 0:
		return 0, 0, fmt.Errorf("alphaess: EV charger %s is not among system %s's chargers", ch.sn, ch.c.sn)
	case index >= 4:
		return 0, 0, fmt.Errorf("alphaess: EV charger %s is number %d; getLastPowerData reports 4", ch.sn, index+1)
	}
	return index, count, nil
}

// SetCurrentLimit sets the charging current (setEvChargerCurrentsBySn).
// AlphaESS keeps one current setting per system, so it applies to every
// charger of the system. limit must be finite and above 0.
func (ch *Charger) SetCurrentLimit(ctx context.Context, limit energy.Amperes) error {
	if v := float64(limit); math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return energy.Invalid("limit", "%v must be a finite current above 0 A", v)
	}
	return ch.c.SetEVChargerCurrent(ctx, limit)
}

// SetCharging starts or stops charging (remoteControlEvCharger).
func (ch *Charger) SetCharging(ctx context.Context, on bool) error {
	mode := ControlStop
	if on {
		mode = ControlStart
	}
	return ch.c.ControlEVCharger(ctx, ch.sn, mode)
}
