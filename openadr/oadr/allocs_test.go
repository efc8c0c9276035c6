package oadr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// TestDecodeAllocations holds the decoder to the allocations it makes per
// message on the VTN's hot paths: 6 per poll, the figure the codec had before
// its decoders became tables, and 11 per 12-interval report, since intervals
// and payloads are copied out of the decoder's scratch at their final size
// and rIDs are shared (it was 40).
func TestDecodeAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	tests := []struct {
		name string
		msg  oadr.Message
		max  float64
	}{
		{"poll", &oadr.Poll{VenID: "VEN_FORTRESS_1"}, 6},
		{"update report, 12 intervals", &oadr.UpdateReport{RequestID: "REQ_UPD_REPORT_0001", Reports: []oadr.Report{telemetryUsageData(12)}, VenID: "VEN_FORTRESS_1"}, 11},
	}
	for _, tt := range tests {
		doc, err := oadr.Marshal(tt.msg)
		require.NoError(t, err)
		_, err = oadr.Unmarshal(doc) // warm the pools
		require.NoError(t, err)
		n := testing.AllocsPerRun(100, func() { _, _ = oadr.Unmarshal(doc) })
		assert.LessOrEqual(t, n, tt.max, tt.name)
	}
}
