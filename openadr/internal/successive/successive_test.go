package successive_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/successive"
	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestReports(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	u := &oadr.UpdateReport{RequestID: "REQ", VenID: "VEN", Reports: []oadr.Report{{
		CreatedDateTime: t0, ReportRequestID: "RR", ReportSpecifierID: "RS",
		Intervals: []oadr.ReportInterval{
			{Start: t0, Payloads: []oadr.ReportPayload{{RID: "soc", Value: 58.1}}},
			{Payloads: []oadr.ReportPayload{{RID: "power", Value: -2.5}}},
		},
	}}}
	ms := successive.Reports(u, 3)
	require.Len(t, ms, 3)
	assert.Same(t, u, ms[0])
	assert.Equal(t, 58.1, u.Reports[0].Intervals[0].Payloads[0].Value, "u is not modified")
	m := ms[2]
	assert.Equal(t, "REQ_2", m.RequestID)
	r := m.Reports[0]
	assert.Equal(t, t0.Add(4*time.Minute), r.CreatedDateTime)
	assert.True(t, r.Start.IsZero(), "no dtstart stays none")
	assert.Equal(t, t0.Add(4*time.Minute), r.Intervals[0].Start)
	assert.True(t, r.Intervals[1].Start.IsZero())
	assert.Equal(t, 58.12, r.Intervals[0].Payloads[0].Value)
	assert.Equal(t, -2.48, r.Intervals[1].Payloads[0].Value)

	bodies, err := successive.Bodies(u, 3)
	require.NoError(t, err)
	require.Len(t, bodies, 3)
	back, err := oadr.Unmarshal(bodies[2])
	require.NoError(t, err)
	assert.Equal(t, m, back)
}
