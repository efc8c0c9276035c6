package openadr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/randcache"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// offered decodes the battery sample's oadrRegisterReport afresh.
func offered(t *testing.T) []oadr.Report {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "battery", "oadrRegisterReport_battery_telemetry.xml"))
	require.NoError(t, err)
	msg, err := oadr.Unmarshal(body)
	require.NoError(t, err)
	reports := msg.(*oadr.RegisterReport).Reports
	require.NotEmpty(t, reports)
	require.NotEmpty(t, reports[0].Descriptions)
	return reports
}

func TestShareOffer(t *testing.T) {
	cache := randcache.New[[]oadr.ReportDescription](offerCacheLen)
	first, second := offered(t), offered(t)
	require.NotSame(t, &first[0].Descriptions[0], &second[0].Descriptions[0])
	shareOffer(cache, first)
	shareOffer(cache, second)
	for i := range first {
		assert.Same(t, &first[i].Descriptions[0], &second[i].Descriptions[0], "report %d: an equal offer was not shared", i)
	}

	// One data point differs: that report keeps its own descriptions.
	third := offered(t)
	third[0].Descriptions[0].RID += "-other"
	shareOffer(cache, third)
	assert.NotSame(t, &first[0].Descriptions[0], &third[0].Descriptions[0])
	assert.Equal(t, first[0].Descriptions[0].RID+"-other", third[0].Descriptions[0].RID)

	// Strings that are not UTF-8 encode alike in JSON but are not equal.
	a, b := offered(t), offered(t)
	a[0].Descriptions[0].RID = "\xff"
	b[0].Descriptions[0].RID = "\xfe"
	shareOffer(cache, a)
	shareOffer(cache, b)
	assert.Equal(t, "\xfe", b[0].Descriptions[0].RID)
}

// TestOfferedReportsAreCopies: a caller that changes what OfferedReports
// returned changes neither the VEN's offer nor another VEN's that shares it.
func TestOfferedReportsAreCopies(t *testing.T) {
	cache := randcache.New[[]oadr.ReportDescription](offerCacheLen)
	v, _ := newVTN(t)
	ctx := t.Context()
	for _, id := range []string{"VEN_A", "VEN_B"} {
		reports := offered(t)
		shareOffer(cache, reports)
		require.NoError(t, v.store.Create(ctx, &VENState{Registration: Registration{VenID: id}, Reports: reports}))
	}
	got, err := v.OfferedReports(ctx, "VEN_A")
	require.NoError(t, err)
	want := got[0].Descriptions[0].RID
	got[0].Descriptions[0].RID = "changed"
	for _, id := range []string{"VEN_A", "VEN_B"} {
		again, err := v.OfferedReports(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, again[0].Descriptions[0].RID, id)
	}
}

// TestMeasurementsKeepTheVENsStrings: a latest value holds the strings of
// the VEN's offer and report requests, not those of the report it came in.
func TestMeasurementsKeepTheVENsStrings(t *testing.T) {
	offer := offered(t)
	desc := offer[0].Descriptions[0]
	st := &VENState{
		Registration:   Registration{VenID: "VEN"},
		Reports:        offer,
		ReportRequests: []ReportRequestState{{Request: ReportRequest{ReportRequestID: "RR_1"}}},
	}
	fresh := strings.Clone // as the decoder makes them, each report anew
	r := &oadr.Report{
		ReportSpecifierID: fresh(offer[0].ReportSpecifierID),
		ReportRequestID:   fresh("RR_1"),
		Intervals: []oadr.ReportInterval{{
			Start:    time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC),
			Payloads: []oadr.ReportPayload{{RID: fresh(desc.RID), Value: 1}},
		}},
	}
	descs := newDescriptions(st.Reports)
	var got []Measurement
	st.measure(r, &descs, time.Now(), func(m Measurement) { got = append(got, m) })
	require.Len(t, got, 1)
	m := got[0]
	assert.Equal(t, desc.RID, m.RID)
	assert.Same(t, unsafe.StringData(desc.RID), unsafe.StringData(m.RID), "RID")
	assert.Same(t, unsafe.StringData(offer[0].ReportSpecifierID), unsafe.StringData(m.ReportSpecifierID), "ReportSpecifierID")
	assert.Same(t, unsafe.StringData(st.ReportRequests[0].Request.ReportRequestID), unsafe.StringData(m.ReportRequestID), "ReportRequestID")

	// A report the VEN never offered keeps its own strings.
	r.ReportSpecifierID, r.ReportRequestID = "OTHER", "RR_OTHER"
	got = nil
	st.measure(r, &descs, time.Now(), func(m Measurement) { got = append(got, m) })
	require.Len(t, got, 1)
	assert.Equal(t, "OTHER", got[0].ReportSpecifierID)
	assert.Equal(t, "RR_OTHER", got[0].ReportRequestID)
}
