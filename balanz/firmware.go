package balanz

import (
	"context"

	"github.com/gridwire/gridwire/energy"
)

// Firmware returns the firmware images balanz knows (GetFirmware).
func (c *Client) Firmware(ctx context.Context) ([]Firmware, error) {
	return callList[Firmware](ctx, c, "GetFirmware", nil)
}

// CreateFirmware adds firmware metadata.
func (c *Client) CreateFirmware(ctx context.Context, f Firmware) error {
	if f.FirmwareID == "" {
		return energy.Invalid("FirmwareID", "empty")
	}
	return c.callAccepted(ctx, "CreateFirmware", f)
}

// ModifyFirmware changes firmware metadata. (balanz fails on unknown ids
// with an "Unexpected Error" answered as "007".)
func (c *Client) ModifyFirmware(ctx context.Context, f Firmware) error {
	if f.FirmwareID == "" {
		return energy.Invalid("FirmwareID", "empty")
	}
	return c.callAccepted(ctx, "ModifyFirmware", f)
}

// DeleteFirmware removes firmware metadata.
func (c *Client) DeleteFirmware(ctx context.Context, firmwareID string) error {
	if firmwareID == "" {
		return energy.Invalid("firmwareID", "empty")
	}
	return c.callAccepted(ctx, "DeleteFirmware", map[string]string{"firmware_id": firmwareID})
}

// ReloadFirmware rereads the firmware metadata from balanz's CSV file.
func (c *Client) ReloadFirmware(ctx context.Context) error {
	return c.callAccepted(ctx, "ReloadFirmware", nil)
}

// Firmware is the metadata of one firmware image chargers may be updated to.
type Firmware struct {
	FirmwareID        string `json:"firmware_id"`
	ChargePointVendor string `json:"charge_point_vendor"`
	ChargePointModel  string `json:"charge_point_model"`
	FirmwareVersion   string `json:"firmware_version"`
	MeterType         string `json:"meter_type"`
	URL               string `json:"url"`
	// UpgradeFromVersions lists the versions this image may replace, as
	// balanz holds it (a separated list in one string).
	UpgradeFromVersions string `json:"upgrade_from_versions"`
}

// FirmwareOption is a firmware image a charger may be updated to.
type FirmwareOption struct {
	FirmwareID string `json:"firmware_id"`
	URL        string `json:"url"`
}
