package balanz

import (
	"context"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// ChargerFilter selects chargers; zero fields do not filter.
type ChargerFilter struct {
	GroupID string
	Charger ChargerRef
}

// Chargers returns the chargers matching f (GetChargers); an unknown group
// gives none.
func (c *Client) Chargers(ctx context.Context, f ChargerFilter) ([]Charger, error) {
	req := struct {
		GroupID string `json:"group_id,omitempty"`
		ChargerRef
	}{f.GroupID, f.Charger}
	return callList[Charger](ctx, c, "GetChargers", req)
}

// ReloadChargers rereads the chargers from balanz's CSV file.
func (c *Client) ReloadChargers(ctx context.Context) error {
	return c.callAccepted(ctx, "ReloadChargers", nil)
}

// NewCharger describes a charger to create.
type NewCharger struct {
	ChargerID   string `json:"charger_id"`
	Alias       string `json:"alias"`
	GroupID     string `json:"group_id"`
	Priority    *int   `json:"priority,omitempty"`
	Description string `json:"description,omitempty"`
	// ConnMax is the most current in A a connector may be offered; 0
	// means balanz's default.
	ConnMax float64 `json:"conn_max,omitempty"`
	// Connectors is the number of connectors; 0 means balanz's default, 1.
	Connectors int `json:"no_connectors,omitempty"`
}

// CreateCharger adds a charger to a group.
func (c *Client) CreateCharger(ctx context.Context, n NewCharger) error {
	switch {
	case n.ChargerID == "":
		return energy.Invalid("ChargerID", "empty")
	case n.GroupID == "":
		return energy.Invalid("GroupID", "empty")
	case n.ConnMax < 0:
		return energy.Invalid("ConnMax", "negative")
	}
	return c.callAccepted(ctx, "CreateCharger", n)
}

// ChargerUpdate changes a charger; nil fields are left as they are. The
// charger is named by id only, since Alias is one of the fields to change.
type ChargerUpdate struct {
	ChargerID   string  `json:"charger_id"`
	Alias       *string `json:"alias,omitempty"`
	Priority    *int    `json:"priority,omitempty"`
	Description *string `json:"description,omitempty"`
	// ConnMax is the most current in A a connector may be offered.
	ConnMax *float64 `json:"conn_max,omitempty"`
}

// UpdateCharger changes a charger's alias, priority, description or
// connector maximum.
func (c *Client) UpdateCharger(ctx context.Context, u ChargerUpdate) error {
	if u.ChargerID == "" {
		return energy.Invalid("ChargerID", "empty")
	}
	return c.callAccepted(ctx, "UpdateCharger", u)
}

// DeleteCharger removes a charger.
func (c *Client) DeleteCharger(ctx context.Context, ref ChargerRef) error {
	if err := ref.check(); err != nil {
		return err
	}
	return c.callAccepted(ctx, "DeleteCharger", ref)
}

// ResetChargerAuth resets the charger's AuthorizationKey.
func (c *Client) ResetChargerAuth(ctx context.Context, ref ChargerRef) error {
	if err := ref.check(); err != nil {
		return err
	}
	return c.callAccepted(ctx, "ResetChargerAuth", ref)
}

// SetChargePriority sets the priority of the session on a connector (0 means
// balanz's default connector, 1). In an allocation group this is how a
// session gets more or less current.
func (c *Client) SetChargePriority(ctx context.Context, ref ChargerRef, connectorID, priority int) error {
	if err := ref.check(); err != nil {
		return err
	}
	if connectorID < 0 {
		return energy.Invalid("connectorID", "negative")
	}
	return c.callAccepted(ctx, "SetChargePriority", struct {
		ChargerRef
		ConnectorID int `json:"connector_id,omitempty"`
		Priority    int `json:"priority"`
	}{ref, connectorID, priority})
}

// Charger is a charger in balanz's model. The boot-notification fields
// (model, vendor, serial numbers, firmware, meter) are empty until the
// charger has booted.
type Charger struct {
	ChargerID   string `json:"charger_id"`
	Alias       string `json:"alias"`
	GroupID     string `json:"group_id"`
	Priority    Int    `json:"priority"`
	Description string `json:"description"`
	// ConnMax is the most current, in A, a connector may be offered.
	ConnMax                 Number           `json:"conn_max"`
	ChargePointModel        string           `json:"charge_point_model"`
	ChargePointVendor       string           `json:"charge_point_vendor"`
	ChargeBoxSerialNumber   string           `json:"charge_box_serial_number"`
	ChargePointSerialNumber string           `json:"charge_point_serial_number"`
	FirmwareVersion         string           `json:"firmware_version"`
	MeterType               string           `json:"meter_type"`
	FirmwareOptions         []FirmwareOption `json:"fw_options"`
	// Connectors maps connector ids (1, 2 …; sent as "1", "2") to their
	// state.
	Connectors map[int]Connector `json:"connectors"`
	// NetworkConnected is true while the charger is connected to balanz.
	NetworkConnected bool `json:"network_connected"`
}

func (c *Charger) localize(loc *time.Location) {
	for id, cn := range c.Connectors {
		if cn.SuspendUntil != nil {
			cn.SuspendUntil.in(loc)
		}
		if cn.Transaction != nil {
			cn.Transaction.localize(loc)
		}
		c.Connectors[id] = cn
	}
}

// ConnectorStatus is a connector's OCPP 1.6 status.
type ConnectorStatus string

// The OCPP 1.6 connector statuses, and balanz's "None" before the first
// StatusNotification.
const (
	ConnectorNone          ConnectorStatus = "None"
	ConnectorAvailable     ConnectorStatus = "Available"
	ConnectorPreparing     ConnectorStatus = "Preparing"
	ConnectorCharging      ConnectorStatus = "Charging"
	ConnectorSuspendedEVSE ConnectorStatus = "SuspendedEVSE"
	ConnectorSuspendedEV   ConnectorStatus = "SuspendedEV"
	ConnectorFinishing     ConnectorStatus = "Finishing"
	ConnectorReserved      ConnectorStatus = "Reserved"
	ConnectorUnavailable   ConnectorStatus = "Unavailable"
	ConnectorFaulted       ConnectorStatus = "Faulted"
)

// Connector is one connector of a charger.
type Connector struct {
	// TransactionID is the live transaction's id, or nil.
	TransactionID *Int `json:"transaction_id"`
	// Offered is the current in A balanz offers the connector, or nil.
	Offered *Number `json:"offered"`
	// Status is the connector's OCPP status.
	Status ConnectorStatus `json:"status"`
	// Priority is the session priority balanz allocates by.
	Priority Int `json:"priority"`
	// EVMaxUsage is the most current in A the vehicle has drawn, or nil.
	EVMaxUsage *Number `json:"ev_max_usage"`
	// SuspendUntil is when a suspension balanz imposed ends, or nil.
	SuspendUntil *Time `json:"suspend_until"`
	// Transaction is the live transaction, or nil.
	Transaction *Transaction `json:"transaction,omitempty"`
}

// Transaction is a live charging transaction.
type Transaction struct {
	IDTag     string `json:"id_tag"`
	StartTime Time   `json:"start_time"`
	// MeterStart is the meter reading in Wh when the transaction started.
	MeterStart Number `json:"meter_start"`
	UserName   string `json:"user_name"`
	// UsageMeter is the current in A the vehicle draws now, or nil.
	UsageMeter *Number `json:"usage_meter"`
	// EnergyMeter is the charger's meter reading in Wh: cumulative, so the
	// energy of the session is EnergyMeter - MeterStart. (A stored
	// Session's EnergyMeter is the session's energy itself.)
	EnergyMeter Number `json:"energy_meter"`
	// ChargingHistory samples offered and used current over the session.
	ChargingHistory []HistoryPoint `json:"charging_history"`
}

// SessionEnergy returns the energy of the transaction so far in Wh.
func (t *Transaction) SessionEnergy() float64 {
	return max(0, float64(t.EnergyMeter-t.MeterStart))
}

func (t *Transaction) localize(loc *time.Location) {
	t.StartTime.in(loc)
	for i := range t.ChargingHistory {
		t.ChargingHistory[i].Timestamp.in(loc)
	}
}

// HistoryPoint is one sample of a session's charging history.
type HistoryPoint struct {
	Timestamp Time `json:"timestamp"`
	// Offered and Usage are currents in A.
	Offered Number `json:"offered"`
	Usage   Number `json:"usage"`
}
