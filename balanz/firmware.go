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
