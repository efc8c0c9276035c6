package alphaess

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gridwire/gridwire/energy"
)

// EVCharger is an EV charger attached to a system (getEvChargerConfigList).
type EVCharger struct {
	// SerialNumber is the charger's serial number (evchargerSn).
	SerialNumber string
	// Model is the charger's model (evchargerModel).
	Model string
}

// EVChargers returns the system's EV chargers (getEvChargerConfigList), in
// the order of PowerData.EVChargers; none is an empty list.
func (c *Client) EVChargers(ctx context.Context) ([]EVCharger, error) {
	q, err := c.snQuery()
	if err != nil {
		return nil, err
	}
	raw, err := c.call(ctx, epEVChargerList, q, nil)
	if err != nil {
		return nil, err
	}
	ws, err := decodeList[struct {
		EvchargerSn    string `json:"evchargerSn"`
		EvchargerModel string `json:"evchargerModel"`
	}](epEVChargerList, raw)
	if err != nil {
		return nil, err
	}
	out := make([]EVCharger, len(ws))
	for i, w := range ws {
		out[i] = EVCharger{SerialNumber: w.EvchargerSn, Model: w.EvchargerModel}
	}
	return out, nil
}

// EVChargerCurrent returns the system's EV charging current setting
// (getEvChargerCurrentsBySn, currentsetting). AlphaESS calls it the
// "household current setting": one value per system, not per charger.
func (c *Client) EVChargerCurrent(ctx context.Context) (energy.Amperes, error) {
	q, err := c.snQuery()
	if err != nil {
		return 0, err
	}
	raw, err := c.call(ctx, epEVCurrent, q, nil)
	if err != nil {
		return 0, err
	}
	var w struct {
		Currentsetting num `json:"currentsetting"`
	}
	if err := decodeData(epEVCurrent, raw, &w); err != nil {
		return 0, err
	}
	if !w.Currentsetting.ok {
		return 0, &MissingDataError{Endpoint: epEVCurrent.name, Fields: []string{"currentsetting"}}
	}
	return energy.Amperes(w.Currentsetting.v), nil
}

// SetEVChargerCurrent sets the system's EV charging current
// (setEvChargerCurrentsBySn). a must be a finite number of amperes above 0;
// stop charging with ControlEVCharger instead. With WithVerifyWrites the
// setting is read back and a difference is a *NotAppliedError.
func (c *Client) SetEVChargerCurrent(ctx context.Context, a energy.Amperes) error {
	if err := c.needSN(); err != nil {
		return err
	}
	if v := float64(a); math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return energy.Invalid("currentsetting", "%v must be a finite current above 0 A (stop with ControlEVCharger)", v)
	}
	body := struct {
		SysSn          string  `json:"sysSn"`
		Currentsetting float64 `json:"currentsetting"` // all lower-case on the wire
	}{c.sn, float64(a)}
	if _, err := c.call(ctx, epSetEVCurrent, nil, body); err != nil {
		return err
	}
	if !c.core.verify {
		return nil
	}
	got, err := c.EVChargerCurrent(ctx)
	if err != nil {
		return fmt.Errorf("alphaess: reading back %s: %w", epSetEVCurrent.name, err)
	}
	if got != a {
		return notApplied(epSetEVCurrent, []FieldDiff{{"currentsetting", a.String(), got.String()}})
	}
	return nil
}

// EVStatus is an EV charger's status (evchargerStatus). AlphaESS uses OCPP
// 1.6's status set, numbered in OCPP's order.
type EVStatus int

// The EV charger statuses. AlphaESS documents 1–6 and 9; 7 and 8 are OCPP's
// Reserved and Unavailable in that order, undocumented by AlphaESS.
const (
	EVAvailable     EVStatus = 1 // no vehicle plugged in
	EVPreparing     EVStatus = 2 // plugged in, not charging yet
	EVCharging      EVStatus = 3 // charging
	EVSuspendedEVSE EVStatus = 4 // paused by the charger
	EVSuspendedEV   EVStatus = 5 // paused by the vehicle
	EVFinishing     EVStatus = 6 // session ended, still plugged in
	EVReserved      EVStatus = 7 // undocumented (OCPP Reserved)
	EVUnavailable   EVStatus = 8 // undocumented (OCPP Unavailable)
	EVFaulted       EVStatus = 9 // the charger reports a fault
)

var evStatusNames = [...]string{"", "Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV",
	"Finishing", "Reserved", "Unavailable", "Faulted"}

// String returns OCPP's name of s, such as "SuspendedEV".
func (s EVStatus) String() string {
	if s >= 1 && int(s) < len(evStatusNames) {
		return evStatusNames[s]
	}
	return "EVStatus(" + strconv.Itoa(int(s)) + ")"
}

// State maps s onto energy's charger states the way evcc maps OCPP: 1
// unplugged; 2 and 6 connected; 3 charging; 4 and 5 suspended; 9 faulted.
// The undocumented 7 and 8 and anything else are ChargerUnknown.
func (s EVStatus) State() energy.ChargerState {
	switch s {
	case EVAvailable:
		return energy.ChargerUnplugged
	case EVPreparing, EVFinishing:
		return energy.ChargerConnected
	case EVCharging:
		return energy.ChargerCharging
	case EVSuspendedEVSE, EVSuspendedEV:
		return energy.ChargerSuspended
	case EVFaulted:
		return energy.ChargerFaulted
	}
	return energy.ChargerUnknown
}

// EVChargerStatus returns the status of the EV charger with serial number
// evSN (getEvChargerStatusBySn).
func (c *Client) EVChargerStatus(ctx context.Context, evSN string) (EVStatus, error) {
	q, err := c.snQuery()
	if err != nil {
		return 0, err
	}
	if evSN = strings.TrimSpace(evSN); evSN == "" {
		return 0, energy.Invalid("evchargerSn", "is empty")
	}
	q.Set("evchargerSn", evSN)
	raw, err := c.call(ctx, epEVStatus, q, nil)
	if err != nil {
		return 0, err
	}
	var w struct {
		EvchargerStatus num `json:"evchargerStatus"`
	}
	if err := decodeData(epEVStatus, raw, &w); err != nil {
		return 0, err
	}
	if !w.EvchargerStatus.ok {
		return 0, &MissingDataError{Endpoint: epEVStatus.name, Fields: []string{"evchargerStatus"}}
	}
	if v := w.EvchargerStatus.v; v != math.Trunc(v) {
		return 0, decodeError(epEVStatus, raw, fmt.Errorf("evchargerStatus %v is not a status number", v))
	}
	return EVStatus(w.EvchargerStatus.v), nil
}

// ControlMode is a remote command to an EV charger (controlMode).
type ControlMode int

// The control modes.
const (
	ControlStop  ControlMode = 0 // stop charging
	ControlStart ControlMode = 1 // start charging
)

// ControlEVCharger starts or stops charging on the EV charger with serial
// number evSN (remoteControlEvCharger). The server may refuse a start when
// no vehicle is plugged in (see EVChargerStatus).
func (c *Client) ControlEVCharger(ctx context.Context, evSN string, mode ControlMode) error {
	if err := c.needSN(); err != nil {
		return err
	}
	if evSN = strings.TrimSpace(evSN); evSN == "" {
		return energy.Invalid("evchargerSn", "is empty")
	}
	if mode != ControlStop && mode != ControlStart {
		return energy.Invalid("controlMode", "%d is not ControlStop (0) or ControlStart (1)", int(mode))
	}
	body := struct {
		SysSn       string `json:"sysSn"`
		EvchargerSn string `json:"evchargerSn"`
		ControlMode int    `json:"controlMode"`
	}{c.sn, evSN, int(mode)}
	_, err := c.call(ctx, epRemoteControlEV, nil, body)
	return err
}
