package oscp

import (
	"context"

	"github.com/gridwire/gridwire/energy"
)

// AssetInput is the body of an Asset create or update. An update replaces
// the whole entity.
type AssetInput struct {
	// Name is a display name, at most 64 characters. Required.
	Name string `json:"name"`
	// CapacityGroupID is the configId of the asset's Capacity Group.
	// Required.
	CapacityGroupID int64 `json:"capacityGroupId"`
	// Identifier is the asset's id in OSCP messages, at most 128
	// characters. Required.
	Identifier string `json:"identifier"`
	// Enabled says whether the asset may be used.
	Enabled bool `json:"enabled"`
	// Audience is the system measurements are reported to. Required.
	Audience Audience `json:"audience"`
	// NodeID and SourceID name the datum stream measurements are read
	// from. Required; SourceID at most 64 characters.
	NodeID   int64  `json:"nodeId"`
	SourceID string `json:"sourceId"`
	// Category is the kind of asset. Required.
	Category AssetCategory `json:"category"`
	// Phase is the phase the asset is on. Required.
	Phase Phase `json:"phase"`
	// Instantaneous are the instantaneous measurement settings, if any.
	Instantaneous *InstantaneousSettings `json:"instantaneous,omitempty"`
	// Energy are the energy measurement settings, if any.
	Energy *EnergySettings `json:"energy,omitempty"`
	// ServiceProps are optional settings.
	ServiceProps ServiceProps `json:"serviceProps,omitzero"`
}

// InstantaneousSettings say how instantaneous measurements are read.
type InstantaneousSettings struct {
	// PropertyNames are the datum instantaneous property names. Required,
	// not empty.
	PropertyNames []string `json:"propertyNames"`
	// Unit is the unit of the values (after Multiplier). Required.
	Unit MeasurementUnit `json:"unit"`
	// Multiplier optionally converts raw values into Unit.
	Multiplier *float64 `json:"multiplier,omitempty"`
	// StatisticType is the statistic to take. Required.
	StatisticType StatisticType `json:"statisticType"`
}

// EnergySettings say how energy measurements are read.
type EnergySettings struct {
	InstantaneousSettings
	// Type is the energy type. Required.
	Type EnergyType `json:"type"`
	// Direction is the energy direction. Required.
	Direction EnergyDirection `json:"direction"`
}

// Validate checks the input as SolarNetwork would, naming the first bad
// field.
func (in AssetInput) Validate() error {
	for _, err := range []error{
		text("Name", in.Name, MaxNameLength),
		positive("CapacityGroupID", in.CapacityGroupID),
		text("Identifier", in.Identifier, MaxIdentifierLength),
		enum("Audience", in.Audience),
		positive("NodeID", in.NodeID),
		text("SourceID", in.SourceID, MaxSourceIDLength),
		enum("Category", in.Category),
		enum("Phase", in.Phase),
		in.ServiceProps.validate("ServiceProps"),
	} {
		if err != nil {
			return err
		}
	}
	if in.Instantaneous != nil {
		if err := in.Instantaneous.validate("Instantaneous"); err != nil {
			return err
		}
	}
	if in.Energy != nil {
		if err := in.Energy.validate("Energy"); err != nil {
			return err
		}
		if err := enum("Energy.Type", in.Energy.Type); err != nil {
			return err
		}
		if err := enum("Energy.Direction", in.Energy.Direction); err != nil {
			return err
		}
	}
	return nil
}

func (s InstantaneousSettings) validate(field string) error {
	if len(s.PropertyNames) == 0 {
		return energy.Invalid(field+".PropertyNames", "required (at least one)")
	}
	for i, n := range s.PropertyNames {
		if n == "" {
			return energy.Invalid(field+".PropertyNames", "name %d is empty", i)
		}
	}
	if err := enum(field+".Unit", s.Unit); err != nil {
		return err
	}
	return enum(field+".StatisticType", s.StatisticType)
}

// Asset is a measured device in a Capacity Group.
type Asset struct {
	// UserID is the account.
	UserID int64 `json:"userId"`
	// ConfigID is the asset's id.
	ConfigID int64 `json:"configId"`
	// Created and Modified are when the asset was created and last
	// changed.
	Created  Timestamp `json:"created,omitzero"`
	Modified Timestamp `json:"modified,omitzero"`
	// The other fields are as in AssetInput; Phase may be empty.
	Name            string                 `json:"name"`
	Enabled         bool                   `json:"enabled"`
	CapacityGroupID int64                  `json:"capacityGroupId"`
	Identifier      string                 `json:"identifier"`
	Audience        Audience               `json:"audience,omitempty"`
	NodeID          int64                  `json:"nodeId"`
	SourceID        string                 `json:"sourceId"`
	Category        AssetCategory          `json:"category,omitempty"`
	Phase           Phase                  `json:"phase,omitempty"`
	Instantaneous   *InstantaneousSettings `json:"instantaneous,omitempty"`
	Energy          *EnergySettings        `json:"energy,omitempty"`
	ServiceProps    ServiceProps           `json:"serviceProps,omitzero"`
}

const assetsPath = "/assets"

// CreateAsset creates an Asset and returns it with its configId.
func (c *Client) CreateAsset(ctx context.Context, in AssetInput) (Asset, error) {
	return create(ctx, c, assetsPath, in, func(a *Asset) *int64 { return &a.ConfigID })
}

// Asset returns one Asset.
func (c *Client) Asset(ctx context.Context, assetID int64) (Asset, error) {
	return get[Asset](ctx, c, "assetID", assetID, assetsPath, "")
}

// UpdateAsset replaces an Asset with in (the whole entity) and returns it
// as saved.
func (c *Client) UpdateAsset(ctx context.Context, assetID int64, in AssetInput) (Asset, error) {
	return put[Asset](ctx, c, "assetID", assetID, assetsPath, "", in)
}

// DeleteAsset deletes an Asset.
func (c *Client) DeleteAsset(ctx context.Context, assetID int64) error {
	return remove(ctx, c, "assetID", assetID, assetsPath, "")
}

// serviceProps returns the service properties sent, for redaction.
func (in AssetInput) serviceProps() ServiceProps { return in.ServiceProps }
