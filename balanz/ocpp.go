package balanz

import (
	"context"
	"math"

	"github.com/gridwire/gridwire/energy"
)

// The OCPP pass-through commands: balanz forwards each as one OCPP call to
// the charger and answers with the charger's result, holding the API
// connection until the charger answers. A charger that refuses answers as
// an *Error with its OCPP status (StatusRejected …); an unknown charger is
// StatusNoSuchCharger, an offline one StatusChargerNotConnected. Admin only.
// A connector id of 0 means balanz's default, connector 1.

func checkLimit(field string, limit float64) error {
	if math.IsNaN(limit) || math.IsInf(limit, 0) || limit < 0 {
		return energy.Invalid(field, "%v A is not a current ≥ 0", limit)
	}
	return nil
}

// ClearDefaultProfiles clears every default charging profile of a charger.
func (c *Client) ClearDefaultProfiles(ctx context.Context, ref ChargerRef) error {
	if err := ref.check(); err != nil {
		return err
	}
	return c.callAccepted(ctx, "ClearDefaultProfiles", ref)
}

// ClearDefaultProfile clears one default charging profile.
func (c *Client) ClearDefaultProfile(ctx context.Context, ref ChargerRef, connectorID, profileID int) error {
	if err := ref.check(); err != nil {
		return err
	}
	return c.callAccepted(ctx, "ClearDefaultProfile", struct {
		ChargerRef
		ConnectorID       int `json:"connector_id,omitempty"`
		ChargingProfileID int `json:"charging_profile_id"`
	}{ref, connectorID, profileID})
}

// DefaultProfile is a default charging profile: a current limit that holds
// outside transaction profiles.
type DefaultProfile struct {
	ConnectorID       int     `json:"connector_id,omitempty"`
	ChargingProfileID int     `json:"charging_profile_id"`
	StackLevel        int     `json:"stack_level,omitempty"` // 0 means balanz's default, 1
	Limit             float64 `json:"limit"`                 // A
}

// SetDefaultProfile sets a default charging profile.
func (c *Client) SetDefaultProfile(ctx context.Context, ref ChargerRef, p DefaultProfile) error {
	if err := ref.check(); err != nil {
		return err
	}
	if err := checkLimit("Limit", p.Limit); err != nil {
		return err
	}
	return c.callAccepted(ctx, "SetDefaultProfile", struct {
		ChargerRef
		DefaultProfile
	}{ref, p})
}

// SetTxProfile limits the current of a live transaction to limit A (0
// pauses it: the charger goes SuspendedEVSE). Chargers accept 0 or at least
// 6 A.
func (c *Client) SetTxProfile(ctx context.Context, ref ChargerRef, connectorID, transactionID int, limit float64) error {
	if err := ref.check(); err != nil {
		return err
	}
	if err := checkLimit("limit", limit); err != nil {
		return err
	}
	return c.callAccepted(ctx, "SetTxProfile", struct {
		ChargerRef
		ConnectorID   int     `json:"connector_id,omitempty"`
		TransactionID int     `json:"transaction_id"`
		Limit         float64 `json:"limit"`
	}{ref, connectorID, transactionID, limit})
}

// ResetType is a soft or hard charger reset.
type ResetType string

// The reset types.
const (
	ResetSoft ResetType = "Soft"
	ResetHard ResetType = "Hard"
)

// Reset restarts a charger.
func (c *Client) Reset(ctx context.Context, ref ChargerRef, typ ResetType) error {
	if err := ref.check(); err != nil {
		return err
	}
	if typ != ResetSoft && typ != ResetHard {
		return energy.Invalid("typ", "%q is neither Soft nor Hard", typ)
	}
	return c.callAccepted(ctx, "Reset", struct {
		ChargerRef
		Type ResetType `json:"type"`
	}{ref, typ})
}

// RemoteStartTransaction asks a charger to start a transaction on a
// connector for an id tag.
func (c *Client) RemoteStartTransaction(ctx context.Context, ref ChargerRef, connectorID int, idTag string) error {
	if err := ref.check(); err != nil {
		return err
	}
	if idTag == "" {
		return energy.Invalid("idTag", "empty")
	}
	if connectorID <= 0 {
		connectorID = 1
	}
	return c.callAccepted(ctx, "RemoteStartTransaction", struct {
		ChargerRef
		ConnectorID int    `json:"connector_id"`
		IDTag       string `json:"id_tag"`
	}{ref, connectorID, idTag})
}

// RemoteStopTransaction asks a charger to stop a transaction.
func (c *Client) RemoteStopTransaction(ctx context.Context, ref ChargerRef, transactionID int) error {
	if err := ref.check(); err != nil {
		return err
	}
	return c.callAccepted(ctx, "RemoteStopTransaction", struct {
		ChargerRef
		TransactionID int `json:"transaction_id"`
	}{ref, transactionID})
}

// GetConfiguration returns a charger's OCPP configuration keys: the named
// ones, or all when none are named.
func (c *Client) GetConfiguration(ctx context.Context, ref ChargerRef, keys ...string) (*Configuration, error) {
	if err := ref.check(); err != nil {
		return nil, err
	}
	var out Configuration
	if err := c.Call(ctx, "GetConfiguration", struct {
		ChargerRef
		Key []string `json:"key,omitempty"`
	}{ref, keys}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ChangeConfiguration sets one OCPP configuration key of a charger.
func (c *Client) ChangeConfiguration(ctx context.Context, ref ChargerRef, key, value string) error {
	if err := ref.check(); err != nil {
		return err
	}
	if key == "" {
		return energy.Invalid("key", "empty")
	}
	return c.callAccepted(ctx, "ChangeConfiguration", struct {
		ChargerRef
		Key   string `json:"key"`
		Value string `json:"value"`
	}{ref, key, value})
}

// MessageTrigger is a message a charger can be asked to send.
type MessageTrigger string

// The messages TriggerMessage can ask for.
const (
	TriggerBootNotification              MessageTrigger = "BootNotification"
	TriggerDiagnosticsStatusNotification MessageTrigger = "DiagnosticsStatusNotification"
	TriggerFirmwareStatusNotification    MessageTrigger = "FirmwareStatusNotification"
	TriggerHeartbeat                     MessageTrigger = "Heartbeat"
	TriggerMeterValues                   MessageTrigger = "MeterValues"
	TriggerStatusNotification            MessageTrigger = "StatusNotification"
)

// TriggerMessage asks a charger to send a message now.
func (c *Client) TriggerMessage(ctx context.Context, ref ChargerRef, msg MessageTrigger, connectorID int) error {
	if err := ref.check(); err != nil {
		return err
	}
	if msg == "" {
		return energy.Invalid("msg", "empty")
	}
	return c.callAccepted(ctx, "TriggerMessage", struct {
		ChargerRef
		RequestedMessage MessageTrigger `json:"requested_message"`
		ConnectorID      int            `json:"connector_id,omitempty"`
	}{ref, msg, connectorID})
}

// UpdateFirmware asks a charger to fetch and install the firmware at
// location (a URL). balanz reports no result from the charger.
func (c *Client) UpdateFirmware(ctx context.Context, ref ChargerRef, location string) error {
	if err := ref.check(); err != nil {
		return err
	}
	if location == "" {
		return energy.Invalid("location", "empty")
	}
	return c.callAccepted(ctx, "UpdateFirmware", struct {
		ChargerRef
		Location string `json:"location"`
	}{ref, location})
}

// ConfigurationKey is one OCPP configuration key of a charger.
type ConfigurationKey struct {
	Key      string  `json:"key"`
	ReadOnly bool    `json:"readonly"`
	Value    *string `json:"value"`
}

// Configuration is a charger's answer to GetConfiguration.
type Configuration struct {
	Keys []ConfigurationKey `json:"configuration_key"`
	// UnknownKeys lists asked-for keys the charger does not know.
	UnknownKeys []string `json:"unknown_key"`
}
