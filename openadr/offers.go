package openadr

import (
	"encoding/json"
	"reflect"

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
