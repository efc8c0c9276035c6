package oscp

import (
	"context"
	"net/http"
)

// SettingsInput is the body of a user or group settings update. An update
// replaces the whole entity: every field is sent, so a false
// PublishToSolarIn or PublishToSolarFlux is sent as false (SolarNetwork's
// default of true applies only to a field left out of the JSON).
type SettingsInput struct {
	// NodeID is the node (owned by the account) that generated datum
	// streams are published under. Required.
	NodeID int64 `json:"nodeId"`
	// PublishToSolarIn publishes OSCP datum to SolarIn.
	PublishToSolarIn bool `json:"publishToSolarIn"`
	// PublishToSolarFlux publishes OSCP datum to SolarFlux.
	PublishToSolarFlux bool `json:"publishToSolarFlux"`
	// SourceIDTemplate is the datum source id template, such as
	// DefaultSourceIDTemplate; "" lets SolarNetwork use its default.
	SourceIDTemplate string `json:"sourceIdTemplate,omitempty"`
}

// DefaultSourceIDTemplate is SolarNetwork's default source id template.
const DefaultSourceIDTemplate = "/oscp/{role}/{action}/{cp}/{co}/{cgIdentifier}"

// Validate checks the input as SolarNetwork would, naming the first bad
// field.
func (in SettingsInput) Validate() error { return positive("NodeID", in.NodeID) }

// UserSettings are the account-wide OSCP settings.
type UserSettings struct {
	// UserID is the account.
	UserID int64 `json:"userId"`
	// Created and Modified are when the settings were created and last
	// changed.
	Created  Timestamp `json:"created,omitzero"`
	Modified Timestamp `json:"modified,omitzero"`
	// PublishToSolarIn, PublishToSolarFlux, NodeID and SourceIDTemplate
	// are as in SettingsInput.
	PublishToSolarIn   bool   `json:"publishToSolarIn"`
	PublishToSolarFlux bool   `json:"publishToSolarFlux"`
	NodeID             int64  `json:"nodeId"`
	SourceIDTemplate   string `json:"sourceIdTemplate,omitempty"`
}

// GroupSettings are a Capacity Group's settings, overriding the user
// settings for that group.
type GroupSettings struct {
	// GroupID is the Capacity Group's configId.
	GroupID int64 `json:"groupId"`
	UserSettings
}

// Settings returns the account's OSCP settings.
func (c *Client) Settings(ctx context.Context) (UserSettings, error) {
	var out UserSettings
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/settings", out: &out})
	return out, err
}

// UpdateSettings saves the account's OSCP settings, replacing them whole,
// and returns them as saved.
func (c *Client) UpdateSettings(ctx context.Context, in SettingsInput) (UserSettings, error) {
	var out UserSettings
	if err := in.Validate(); err != nil {
		return out, err
	}
	_, err := c.do(ctx, call{method: http.MethodPut, path: "/settings", body: in, out: &out, optional: true})
	return out, err
}

// DeleteSettings deletes the account's OSCP settings.
func (c *Client) DeleteSettings(ctx context.Context) error {
	_, err := c.do(ctx, call{method: http.MethodDelete, path: "/settings"})
	return err
}

// AllCapacityGroupSettings returns the settings of every Capacity Group
// that has its own.
func (c *Client) AllCapacityGroupSettings(ctx context.Context) ([]GroupSettings, error) {
	return list[GroupSettings](ctx, c, groupsPath+"/settings")
}

// CapacityGroupSettings returns a Capacity Group's settings.
func (c *Client) CapacityGroupSettings(ctx context.Context, groupID int64) (GroupSettings, error) {
	return get[GroupSettings](ctx, c, "groupID", groupID, groupsPath, "/settings")
}

// UpdateCapacityGroupSettings creates or replaces (whole) a Capacity
// Group's settings and returns them as saved.
func (c *Client) UpdateCapacityGroupSettings(ctx context.Context, groupID int64, in SettingsInput) (GroupSettings, error) {
	return put[GroupSettings](ctx, c, "groupID", groupID, groupsPath, "/settings", in)
}

// DeleteCapacityGroupSettings deletes a Capacity Group's settings; the
// user settings then apply to it.
func (c *Client) DeleteCapacityGroupSettings(ctx context.Context, groupID int64) error {
	return remove(ctx, c, "groupID", groupID, groupsPath, "/settings")
}
