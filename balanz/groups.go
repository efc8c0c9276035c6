package balanz

import (
	"context"

	"github.com/gridwire/gridwire/energy"
)

// Groups returns every group (GetGroups); details fills Group.Chargers with
// the chargers in full.
func (c *Client) Groups(ctx context.Context, details bool) ([]Group, error) {
	return callList[Group](ctx, c, "GetGroups", map[string]bool{"charger_details": details})
}

// ReloadGroups rereads the groups from balanz's CSV file.
func (c *Client) ReloadGroups(ctx context.Context) error {
	return c.callAccepted(ctx, "ReloadGroups", nil)
}

// GroupUpdate changes a group; nil fields are left as they are.
type GroupUpdate struct {
	GroupID     string  `json:"group_id"`
	Description *string `json:"description,omitempty"`
	// MaxAllocation is the allocation schedule in balanz's syntax.
	MaxAllocation *string `json:"max_allocation,omitempty"`
}

// UpdateGroup changes a group's description or allocation schedule.
func (c *Client) UpdateGroup(ctx context.Context, u GroupUpdate) error {
	if u.GroupID == "" {
		return energy.Invalid("GroupID", "empty")
	}
	return c.callAccepted(ctx, "UpdateGroup", u)
}

// SetBalanzState suspends (true) or resumes balanz's allocation in an
// allocation group.
func (c *Client) SetBalanzState(ctx context.Context, groupID string, suspend bool) error {
	if groupID == "" {
		return energy.Invalid("groupID", "empty")
	}
	return c.callAccepted(ctx, "SetBalanzState", struct {
		GroupID string `json:"group_id"`
		Suspend bool   `json:"suspend"`
	}{groupID, suspend})
}
