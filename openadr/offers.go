package openadr

import (
	"encoding/json"
	"reflect"
	"slices"

	"github.com/gridwire/gridwire/openadr/internal/randcache"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// The offer cache (VTN.offers) lets VENs that offer the same data points
// share one decoded copy of their report descriptions. A fleet is mostly a
// few device models, each offering the same descriptions, and decoded
// descriptions (each with its data source and subject targets) are most of
// what a registered VEN costs the memory store: shared, a VEN keeps only its
// reports' headers.
//
// Stored descriptions are never modified (a new offer replaces them whole),
// so sharing them is safe; OfferedReports hands out deep copies
// (cloneDescriptions), so that no caller can change another VEN's offer.
const (
	offerCacheLen = 64       // distinct offers remembered
	offerCacheKey = 64 << 10 // larger offers are kept apart
)

// shareOffer replaces the descriptions of each report with an equal slice
// another VEN offered before, when there is one, and remembers them
// otherwise. The key is the descriptions' JSON; a match is checked with
// reflect.DeepEqual, so descriptions that encode alike but differ (strings
// that are not UTF-8) are never shared.
func shareOffer(cache *randcache.Cache[[]oadr.ReportDescription], reports []oadr.Report) {
	for i := range reports {
		descs := reports[i].Descriptions
		if len(descs) == 0 {
			continue
		}
		b, err := json.Marshal(descs)
		if err != nil || len(b) > offerCacheKey {
			continue
		}
		key := string(b)
		if shared, ok := cache.Get(key); ok && reflect.DeepEqual(shared, descs) {
			reports[i].Descriptions = shared
			continue
		}
		cache.Put(key, descs)
	}
}

// cloneDescriptions returns a copy of descs that shares no memory with it
// that a caller could change: every pointer and slice is copied too.
func cloneDescriptions(descs []oadr.ReportDescription) []oadr.ReportDescription {
	out := slices.Clone(descs)
	for i := range out {
		d := &out[i]
		d.ReportSubject = cloneTarget(d.ReportSubject)
		d.DataSource = cloneTarget(d.DataSource)
		if d.ItemBase != nil {
			ib := *d.ItemBase
			if ib.PowerAttributes != nil {
				pa := *ib.PowerAttributes
				ib.PowerAttributes = &pa
			}
			d.ItemBase = &ib
		}
		if d.SamplingRate != nil {
			sr := *d.SamplingRate
			d.SamplingRate = &sr
		}
	}
	return out
}

func cloneTarget(t *oadr.Target) *oadr.Target {
	if t == nil {
		return nil
	}
	c := *t
	for _, list := range []*[]string{
		&c.AggregatedPnodes, &c.EndDeviceAssets, &c.MeterAssets, &c.Pnodes, &c.ServiceDeliveryPoints,
		&c.GroupIDs, &c.GroupNames, &c.ResourceIDs, &c.VenIDs, &c.PartyIDs,
	} {
		*list = slices.Clone(*list)
	}
	c.ServiceAreas = cloneFeatures(c.ServiceAreas)
	c.ServiceLocations = cloneFeatures(c.ServiceLocations)
	c.TransportInterfaces = slices.Clone(c.TransportInterfaces)
	return &c
}

func cloneFeatures(fs []oadr.FeatureCollection) []oadr.FeatureCollection {
	out := slices.Clone(fs)
	for i := range out {
		out[i].PosList = slices.Clone(out[i].PosList)
	}
	return out
}
