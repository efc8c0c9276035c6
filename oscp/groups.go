package oscp

import (
	"context"
)

// CapacityGroupInput is the body of a Capacity Group create or update. An
// update replaces the whole entity.
type CapacityGroupInput struct {
	// Name is a display name, at most 64 characters. Required.
	Name string `json:"name"`
	// Identifier is the group's id in OSCP messages (group_id), at most
	// 128 characters. Required.
	Identifier string `json:"identifier"`
	// CapacityProviderID is the configId of the Capacity Provider the
	// group accepts forecasts from. Required.
	CapacityProviderID int64 `json:"capacityProviderId"`
	// CapacityProviderMeasurementPeriod is how often measurements go to
	// the provider. Required.
	CapacityProviderMeasurementPeriod MeasurementPeriod `json:"capacityProviderMeasurementPeriod"`
	// CapacityOptimizerID is the configId of the Capacity Optimizer
	// forecasts are forwarded to. Required.
	CapacityOptimizerID int64 `json:"capacityOptimizerId"`
	// CapacityOptimizerMeasurementPeriod is how often measurements go to
	// the optimizer. Required.
	CapacityOptimizerMeasurementPeriod MeasurementPeriod `json:"capacityOptimizerMeasurementPeriod"`
	// Enabled says whether the group may be used.
	Enabled bool `json:"enabled"`
	// ServiceProps are optional settings.
	ServiceProps ServiceProps `json:"serviceProps,omitzero"`
}

// Validate checks the input as SolarNetwork would, naming the first bad
// field.
func (in CapacityGroupInput) Validate() error {
	for _, err := range []error{
		text("Name", in.Name, MaxNameLength),
		text("Identifier", in.Identifier, MaxIdentifierLength),
		positive("CapacityProviderID", in.CapacityProviderID),
		enum("CapacityProviderMeasurementPeriod", in.CapacityProviderMeasurementPeriod),
		positive("CapacityOptimizerID", in.CapacityOptimizerID),
		enum("CapacityOptimizerMeasurementPeriod", in.CapacityOptimizerMeasurementPeriod),
		in.ServiceProps.validate("ServiceProps"),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// CapacityGroup pairs one Capacity Provider with one Capacity Optimizer
// and holds a set of assets.
type CapacityGroup struct {
	// UserID is the account.
	UserID int64 `json:"userId"`
	// ConfigID is the group's id, used in paths and by assets.
	ConfigID int64 `json:"configId"`
	// Created and Modified are when the group was created and last
	// changed.
	Created  Timestamp `json:"created,omitzero"`
	Modified Timestamp `json:"modified,omitzero"`
	// Name, Enabled, Identifier, the ids and periods are as in
	// CapacityGroupInput.
	Name                               string            `json:"name"`
	Enabled                            bool              `json:"enabled"`
	Identifier                         string            `json:"identifier"`
	CapacityProviderMeasurementPeriod  MeasurementPeriod `json:"capacityProviderMeasurementPeriod,omitempty"`
	CapacityOptimizerMeasurementPeriod MeasurementPeriod `json:"capacityOptimizerMeasurementPeriod,omitempty"`
	CapacityProviderID                 int64             `json:"capacityProviderId"`
	CapacityOptimizerID                int64             `json:"capacityOptimizerId"`
	// CapacityProviderMeasurementDate and CapacityOptimizerMeasurementDate
	// are when measurements were last sent, or zero.
	CapacityProviderMeasurementDate  Timestamp `json:"capacityProviderMeasurementDate,omitzero"`
	CapacityOptimizerMeasurementDate Timestamp `json:"capacityOptimizerMeasurementDate,omitzero"`
	// ServiceProps are the group's service properties.
	ServiceProps ServiceProps `json:"serviceProps,omitzero"`
}

const groupsPath = "/capacity-groups"

// CapacityGroups lists the account's Capacity Groups.
func (c *Client) CapacityGroups(ctx context.Context) ([]CapacityGroup, error) {
	return list[CapacityGroup](ctx, c, groupsPath)
}

// CreateCapacityGroup creates a Capacity Group and returns it with its
// configId.
func (c *Client) CreateCapacityGroup(ctx context.Context, in CapacityGroupInput) (CapacityGroup, error) {
	return create(ctx, c, groupsPath, in, func(g *CapacityGroup) *int64 { return &g.ConfigID })
}

// CapacityGroup returns one Capacity Group.
func (c *Client) CapacityGroup(ctx context.Context, groupID int64) (CapacityGroup, error) {
	return get[CapacityGroup](ctx, c, "groupID", groupID, groupsPath, "")
}

// UpdateCapacityGroup replaces a Capacity Group with in (the whole
// entity) and returns it as saved.
func (c *Client) UpdateCapacityGroup(ctx context.Context, groupID int64, in CapacityGroupInput) (CapacityGroup, error) {
	return put[CapacityGroup](ctx, c, "groupID", groupID, groupsPath, "", in)
}

// DeleteCapacityGroup deletes a Capacity Group.
func (c *Client) DeleteCapacityGroup(ctx context.Context, groupID int64) error {
	return remove(ctx, c, "groupID", groupID, groupsPath, "")
}

// CapacityGroupAssets lists a Capacity Group's assets (the API has no list
// of all assets).
func (c *Client) CapacityGroupAssets(ctx context.Context, groupID int64) ([]Asset, error) {
	return get[[]Asset](ctx, c, "groupID", groupID, groupsPath, "/assets")
}

// serviceProps returns the service properties sent, for redaction.
func (in CapacityGroupInput) serviceProps() ServiceProps { return in.ServiceProps }
