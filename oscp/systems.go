package oscp

import (
	"context"
)

// SystemInput is the body of a Capacity Provider or Capacity Optimizer
// create or update. An update replaces the whole entity, service
// properties included.
type SystemInput struct {
	// Name is a display name, at most 64 characters. Required.
	Name string `json:"name"`
	// Enabled says whether SolarNetwork may use the system.
	Enabled bool `json:"enabled"`
	// BaseURL is the absolute URL of the system's OSCP API, such as
	// "https://oscp.example.com/oscp/cp/2.0". Required.
	BaseURL string `json:"baseUrl"`
	// OSCPVersion is the OSCP version to use, such as "2.0". Required.
	OSCPVersion string `json:"oscpVersion"`
	// RegistrationStatus optionally sets the registration status.
	RegistrationStatus RegistrationStatus `json:"registrationStatus,omitempty"`
	// ServiceProps are optional settings (OAuth, headers, URL paths).
	ServiceProps ServiceProps `json:"serviceProps,omitzero"`
}

// Validate checks the input as SolarNetwork would, naming the first bad
// field.
func (in SystemInput) Validate() error {
	if err := text("Name", in.Name, MaxNameLength); err != nil {
		return err
	}
	if err := absoluteURL("BaseURL", in.BaseURL); err != nil {
		return err
	}
	if err := text("OSCPVersion", in.OSCPVersion, 0); err != nil {
		return err
	}
	if in.RegistrationStatus != "" {
		if err := enum("RegistrationStatus", in.RegistrationStatus); err != nil {
			return err
		}
	}
	return in.ServiceProps.validate("ServiceProps")
}

// System is a Capacity Provider or a Capacity Optimizer: SolarNetwork
// keeps both with the same shape.
type System struct {
	// UserID is the account.
	UserID int64 `json:"userId"`
	// ConfigID is the entity's id, used in paths and groups.
	ConfigID int64 `json:"configId"`
	// Created and Modified are when the entity was created and last
	// changed.
	Created  Timestamp `json:"created,omitzero"`
	Modified Timestamp `json:"modified,omitzero"`
	// Enabled, Name, BaseURL and OSCPVersion are as in SystemInput.
	Enabled     bool   `json:"enabled"`
	Name        string `json:"name"`
	BaseURL     string `json:"baseUrl"`
	OSCPVersion string `json:"oscpVersion,omitempty"`
	// FlexibilityProviderID is SolarNetwork's Flexibility Provider entry
	// for the system.
	FlexibilityProviderID int64 `json:"flexibilityProviderId,omitempty"`
	// RegistrationStatus says whether OSCP registration has completed.
	RegistrationStatus RegistrationStatus `json:"registrationStatus,omitempty"`
	// Settings are what the system asked for in its OSCP handshake.
	Settings SystemSettings `json:"settings,omitzero"`
	// HeartbeatDate is when the system's last heartbeat arrived, or zero.
	HeartbeatDate Timestamp `json:"heartbeatDate,omitzero"`
	// OfflineDate is when SolarNetwork will consider the system offline,
	// or zero.
	OfflineDate Timestamp `json:"offlineDate,omitzero"`
	// ServiceProps are the service properties; an OAuth client secret is
	// never returned.
	ServiceProps ServiceProps `json:"serviceProps,omitzero"`
}

// SystemSettings are the OSCP behaviour a system asked for.
type SystemSettings struct {
	// HeartbeatSeconds is the heartbeat interval, or 0 when not set.
	HeartbeatSeconds int `json:"heartbeatSeconds,omitempty"`
	// MeasurementStyles are the measurement configurations asked for.
	MeasurementStyles []MeasurementStyle `json:"measurementStyles,omitempty"`
}

// systemWithToken is the create answer, the only one carrying the token.
type systemWithToken struct {
	System
	Token string `json:"token"`
}

// systemKind is the path of providers or optimizers.
type systemKind string

const (
	providers  systemKind = "/capacity-providers"
	optimizers systemKind = "/capacity-optimizers"
)

func (c *Client) createSystem(ctx context.Context, k systemKind, in SystemInput) (System, Secret, error) {
	out, err := create(ctx, c, string(k), in, func(s *systemWithToken) *int64 { return &s.ConfigID })
	if err != nil {
		return System{}, Secret{}, err
	}
	return out.System, NewSecret(out.Token), nil
}

// CapacityProviders lists the account's Capacity Providers.
func (c *Client) CapacityProviders(ctx context.Context) ([]System, error) {
	return list[System](ctx, c, string(providers))
}

// CreateCapacityProvider creates a Capacity Provider and returns it with
// the OSCP token the provider must use to call SolarNetwork. SolarNetwork
// returns the token in this answer only: store it now (token.Reveal()) and
// give it to the provider's organisation. With OAuth configured it may be
// ignored.
func (c *Client) CreateCapacityProvider(ctx context.Context, in SystemInput) (provider System, token Secret, err error) {
	return c.createSystem(ctx, providers, in)
}

// CapacityProvider returns one Capacity Provider.
func (c *Client) CapacityProvider(ctx context.Context, providerID int64) (System, error) {
	return get[System](ctx, c, "providerID", providerID, string(providers), "")
}

// UpdateCapacityProvider replaces a Capacity Provider with in — the whole
// entity, service properties included (an OAuth client secret must be sent
// again) — and returns it as saved.
func (c *Client) UpdateCapacityProvider(ctx context.Context, providerID int64, in SystemInput) (System, error) {
	return put[System](ctx, c, "providerID", providerID, string(providers), "", in)
}

// DeleteCapacityProvider deletes a Capacity Provider.
func (c *Client) DeleteCapacityProvider(ctx context.Context, providerID int64) error {
	return remove(ctx, c, "providerID", providerID, string(providers), "")
}

// CapacityOptimizers lists the account's Capacity Optimizers.
func (c *Client) CapacityOptimizers(ctx context.Context) ([]System, error) {
	return list[System](ctx, c, string(optimizers))
}

// CreateCapacityOptimizer creates a Capacity Optimizer and returns it with
// the OSCP token the optimizer must use to call SolarNetwork. SolarNetwork
// returns the token in this answer only: store it now (token.Reveal()) and
// give it to the optimizer's organisation. With OAuth configured it may be
// ignored.
func (c *Client) CreateCapacityOptimizer(ctx context.Context, in SystemInput) (optimizer System, token Secret, err error) {
	return c.createSystem(ctx, optimizers, in)
}

// CapacityOptimizer returns one Capacity Optimizer.
func (c *Client) CapacityOptimizer(ctx context.Context, optimizerID int64) (System, error) {
	return get[System](ctx, c, "optimizerID", optimizerID, string(optimizers), "")
}

// UpdateCapacityOptimizer replaces a Capacity Optimizer with in — the
// whole entity, service properties included (an OAuth client secret must be
// sent again) — and returns it as saved.
func (c *Client) UpdateCapacityOptimizer(ctx context.Context, optimizerID int64, in SystemInput) (System, error) {
	return put[System](ctx, c, "optimizerID", optimizerID, string(optimizers), "", in)
}

// DeleteCapacityOptimizer deletes a Capacity Optimizer.
func (c *Client) DeleteCapacityOptimizer(ctx context.Context, optimizerID int64) error {
	return remove(ctx, c, "optimizerID", optimizerID, string(optimizers), "")
}

// serviceProps returns the service properties sent, for redaction.
func (in SystemInput) serviceProps() ServiceProps { return in.ServiceProps }
