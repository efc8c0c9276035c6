package balanz

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

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

// Group is a balanz group of chargers. A group with a MaxAllocation is an
// allocation group: balanz shares the allowed current among its chargers by
// session priority, so set priorities there, not current limits.
type Group struct {
	GroupID     string `json:"group_id"`
	Description string `json:"description"`
	// ChargerIDs lists the group's chargers.
	ChargerIDs []string `json:"-"`
	// Chargers holds the chargers in full, when asked for with details.
	Chargers []Charger `json:"-"`
	// MaxAllocation is the allocation schedule, or nil for a group that
	// balanz does not allocate.
	MaxAllocation *string `json:"max_allocation"`
	// MaxAllocationNow is the allocation in force: amps per priority.
	MaxAllocationNow []Allocation `json:"max_allocation_now"`
	// Offered and Usage are the group's offered and used current in A.
	Offered Number `json:"offered"`
	Usage   Number `json:"usage"`
}

// IsAllocation reports whether balanz allocates the group's current.
func (g *Group) IsAllocation() bool { return g.MaxAllocation != nil }

// UnmarshalJSON reads chargers as ids or as full chargers.
func (g *Group) UnmarshalJSON(b []byte) error {
	type plain Group
	var w struct {
		*plain
		Chargers []json.RawMessage `json:"chargers"`
	}
	w.plain = (*plain)(g)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	g.ChargerIDs, g.Chargers = nil, nil
	for _, raw := range w.Chargers {
		if len(raw) > 0 && raw[0] == '{' {
			var ch Charger
			if err := json.Unmarshal(raw, &ch); err != nil {
				return err
			}
			g.Chargers = append(g.Chargers, ch)
			g.ChargerIDs = append(g.ChargerIDs, ch.ChargerID)
			continue
		}
		var id string
		if err := json.Unmarshal(raw, &id); err != nil {
			return fmt.Errorf("balanz: group charger %s is neither an id nor a charger", raw)
		}
		g.ChargerIDs = append(g.ChargerIDs, id)
	}
	return nil
}

// MarshalJSON writes the chargers in full when present, else their ids.
func (g Group) MarshalJSON() ([]byte, error) {
	type plain Group
	w := struct {
		plain
		Chargers any `json:"chargers"`
	}{plain: plain(g), Chargers: g.ChargerIDs}
	if g.Chargers != nil {
		w.Chargers = g.Chargers
	}
	if w.Chargers == nil {
		w.Chargers = []string{}
	}
	return json.Marshal(w)
}

func (g *Group) localize(loc *time.Location) {
	for i := range g.Chargers {
		g.Chargers[i].localize(loc)
	}
}

// Allocation is one step of a group's allocation: the current given to
// sessions of a priority. It is sent as [priority, amps].
type Allocation struct {
	Priority int
	Amps     float64
}

// UnmarshalJSON implements json.Unmarshaler.
func (a *Allocation) UnmarshalJSON(b []byte) error {
	var pair [2]Number
	if err := json.Unmarshal(b, &pair); err != nil {
		return fmt.Errorf("balanz: allocation %s is not [priority, amps]", b)
	}
	a.Priority, a.Amps = int(pair[0]), float64(pair[1])
	return nil
}

// MarshalJSON implements json.Marshaler.
func (a Allocation) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]float64{float64(a.Priority), a.Amps})
}
