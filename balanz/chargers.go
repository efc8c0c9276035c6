package balanz

import (
	"context"

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
