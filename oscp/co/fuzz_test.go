package co_test

import (
	"testing"

	"github.com/gridwire/gridwire/oscp/co"
	"github.com/stretchr/testify/require"
)

// FuzzDecode feeds arbitrary bodies to every message decoder: errors, never
// panics, and what is accepted re-encodes.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(forecastJSON))
	f.Add([]byte(`{"token":"t","version_url":[{"version":"2.0","base_url":"http://x"}]}`))
	f.Add([]byte(`{"offline_mode_at":"2026-03-01T10:05:00Z"}`))
	f.Add([]byte(`{"message":"m","forecasted_blocks":[]}`))
	f.Add([]byte(`{"required_behaviour":{"measurement_configuration":["CONTINUOUS","CONTINUOUS"]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, m := range []co.Message{new(co.Register), new(co.Handshake), new(co.HandshakeAcknowledge), new(co.Heartbeat),
			new(co.CapacityForecast), new(co.ComplianceError), new(co.GroupMeasurements), new(co.AssetMeasurements)} {
			if co.Decode(b, m) == nil {
				_, err := jsonMarshal(m)
				require.NoError(t, err, "accepted %s but cannot re-encode", b)
			}
		}
	})
}
