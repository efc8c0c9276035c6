package openadr

import (
	"slices"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Deep copies of the oadr values the VTN hands out from a VEN's state, so
// that a caller changing what it got changes nothing stored (or, for shared
// offers, another VEN's state).

// cloneDescriptions returns a copy of descs that shares no memory with it
// that a caller could change: every pointer and slice is copied too.
func cloneDescriptions(descs []oadr.ReportDescription) []oadr.ReportDescription {
	out := slices.Clone(descs)
	for i := range out {
		d := &out[i]
		d.ReportSubject = cloneTarget(d.ReportSubject)
		d.DataSource = cloneTarget(d.DataSource)
		d.ItemBase = cloneItem(d.ItemBase)
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

// cloneItem returns a copy of an item base (a unit) and its power
// attributes; nil for nil.
func cloneItem(ib *oadr.ItemBase) *oadr.ItemBase {
	if ib == nil {
		return nil
	}
	c := *ib
	if c.PowerAttributes != nil {
		c.PowerAttributes = new(*c.PowerAttributes)
	}
	return &c
}
