package openadr

import (
	"os"
	"path/filepath"
	"reflect"
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
	want := offered(t) // what both VENs offered, decoded apart
	d := &got[0].Descriptions[0]
	require.NotNil(t, d.ItemBase, "the sample's first data point has a unit")
	d.RID = "changed"
	d.ItemBase.Units = "changed"
	if d.DataSource != nil && len(d.DataSource.ResourceIDs) > 0 {
		d.DataSource.ResourceIDs[0] = "changed"
	}
	for _, id := range []string{"VEN_A", "VEN_B"} {
		again, err := v.OfferedReports(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, again, id)
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

// TestCloneDescriptionsSharesNothing fills every field of a description,
// however deep, and checks that the clone shares no pointer or slice with
// it: a field added to oadr later that cloneDescriptions misses fails here.
func TestCloneDescriptionsSharesNothing(t *testing.T) {
	var d oadr.ReportDescription
	fill(reflect.ValueOf(&d).Elem())
	clone := cloneDescriptions([]oadr.ReportDescription{d})
	require.Len(t, clone, 1)
	assert.Equal(t, d, clone[0])
	assertNoSharing(t, reflect.ValueOf(d), reflect.ValueOf(clone[0]), "ReportDescription")
}

// fill sets every field reachable from v: one element in each slice, a
// value behind each pointer.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	}
}

func assertNoSharing(t *testing.T, a, b reflect.Value, path string) {
	t.Helper()
	switch a.Kind() {
	case reflect.Pointer:
		if !a.IsNil() {
			assert.NotEqual(t, a.Pointer(), b.Pointer(), "%s is shared", path)
			assertNoSharing(t, a.Elem(), b.Elem(), path)
		}
	case reflect.Slice:
		if a.Len() > 0 {
			assert.NotEqual(t, a.Pointer(), b.Pointer(), "%s is shared", path)
		}
		for i := range a.Len() {
			assertNoSharing(t, a.Index(i), b.Index(i), path+"[]")
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				assertNoSharing(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
			}
		}
	}
}
