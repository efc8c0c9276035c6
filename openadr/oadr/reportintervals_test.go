package oadr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// The payloads of a report's intervals share one array: each interval's
// slice is capped to its own, so appending to one never writes into the
// next, and a second report in the message gets arrays of its own.
func TestReportIntervalsDecodeApart(t *testing.T) {
	second := telemetryUsageData(3)
	second.ReportSpecifierID = "second"
	doc, err := oadr.Marshal(&oadr.UpdateReport{RequestID: "REQ", Reports: []oadr.Report{telemetryUsageData(12), second}, VenID: "VEN"})
	require.NoError(t, err)
	m, err := oadr.Unmarshal(doc)
	require.NoError(t, err)
	u := m.(*oadr.UpdateReport)
	require.Len(t, u.Reports, 2)
	assert.Equal(t, telemetryUsageData(12), u.Reports[0])
	assert.Equal(t, second, u.Reports[1])
	ivs := u.Reports[0].Intervals
	next := ivs[1].Payloads[0]
	ivs[0].Payloads = append(ivs[0].Payloads, oadr.ReportPayload{RID: "added"})
	assert.Equal(t, next, ivs[1].Payloads[0])
	assert.Equal(t, telemetryUsageData(3).Intervals[0].Payloads, u.Reports[1].Intervals[0].Payloads)
}
