package oadr

import (
	"encoding/xml"
	"strings"
)

// Target is ei:EiTargetType: what an event, signal, opt or report applies to.
// It is used by eiTarget, reportSubject, reportDataSource and oadrDeviceClass.
// Every list is optional; an empty Target is valid and means "everything".
type Target struct {
	AggregatedPnodes      []string // power:aggregatedPnode/power:node
	EndDeviceAssets       []string // power:endDeviceAsset/power:mrid
	MeterAssets           []string // power:meterAsset/power:mrid
	Pnodes                []string // power:pnode/power:node
	ServiceAreas          []FeatureCollection
	ServiceDeliveryPoints []string // power:serviceDeliveryPoint/power:node
	ServiceLocations      []FeatureCollection
	TransportInterfaces   []TransportInterface
	GroupIDs              []string
	GroupNames            []string
	ResourceIDs           []string
	VenIDs                []string
	PartyIDs              []string
}

// TransportInterface is power:transportInterface.
type TransportInterface struct {
	PointOfReceipt  string
	PointOfDelivery string
}

// FeatureCollection is the gml:FeatureCollection of a service area or service
// location: one polygon given by its exterior ring.
type FeatureCollection struct {
	ID        string    // gml:id of the collection, optional
	PolygonID string    // gml:id of the polygon, optional
	PosList   []float64 // gml:posList of the exterior linear ring
}

// IsZero reports a target with no entries.
func (t *Target) IsZero() bool {
	return t == nil || len(t.AggregatedPnodes)+len(t.EndDeviceAssets)+len(t.MeterAssets)+
		len(t.Pnodes)+len(t.ServiceAreas)+len(t.ServiceDeliveryPoints)+len(t.ServiceLocations)+
		len(t.TransportInterfaces)+len(t.GroupIDs)+len(t.GroupNames)+len(t.ResourceIDs)+
		len(t.VenIDs)+len(t.PartyIDs) == 0
}

func (t *Target) encode(e *encoder, prefix nsID, local string) {
	e.open(prefix, local)
	wrapped := func(outer, inner string, vals []string) {
		for _, v := range vals {
			e.open(pPower, outer)
			e.text(pPower, inner, v)
			e.close(pPower, outer)
		}
	}
	wrapped("aggregatedPnode", "node", t.AggregatedPnodes)
	wrapped("endDeviceAsset", "mrid", t.EndDeviceAssets)
	wrapped("meterAsset", "mrid", t.MeterAssets)
	wrapped("pnode", "node", t.Pnodes)
	for i := range t.ServiceAreas {
		e.open(pEMIX, "serviceArea")
		t.ServiceAreas[i].encode(e)
		e.close(pEMIX, "serviceArea")
	}
	wrapped("serviceDeliveryPoint", "node", t.ServiceDeliveryPoints)
	for i := range t.ServiceLocations {
		e.open(pPower, "serviceLocation")
		t.ServiceLocations[i].encode(e)
		e.close(pPower, "serviceLocation")
	}
	for _, ti := range t.TransportInterfaces {
		e.open(pPower, "transportInterface")
		e.text(pPower, "pointOfReceipt", ti.PointOfReceipt)
		e.text(pPower, "pointOfDelivery", ti.PointOfDelivery)
		e.close(pPower, "transportInterface")
	}
	e.texts(pEI, "groupID", t.GroupIDs)
	e.texts(pEI, "groupName", t.GroupNames)
	e.texts(pEI, "resourceID", t.ResourceIDs)
	e.texts(pEI, "venID", t.VenIDs)
	e.texts(pEI, "partyID", t.PartyIDs)
	e.close(prefix, local)
}

func (t *Target) decode(d *decoder) error { return decodeFields(d, t, targetFields) }

var targetFields = fields[Target]{
	{powerN("aggregatedPnode"), optional, func(d *decoder, t *Target) error { return d.wrappedStr(powerN("node"), &t.AggregatedPnodes) }},
	{powerN("endDeviceAsset"), optional, func(d *decoder, t *Target) error { return d.wrappedStr(powerN("mrid"), &t.EndDeviceAssets) }},
	{powerN("meterAsset"), optional, func(d *decoder, t *Target) error { return d.wrappedStr(powerN("mrid"), &t.MeterAssets) }},
	{powerN("pnode"), optional, func(d *decoder, t *Target) error { return d.wrappedStr(powerN("node"), &t.Pnodes) }},
	{emixN("serviceArea"), optional, func(d *decoder, t *Target) error { return decodeAppend(d, &t.ServiceAreas) }},
	{powerN("serviceDeliveryPoint"), optional, func(d *decoder, t *Target) error {
		return d.wrappedStr(powerN("node"), &t.ServiceDeliveryPoints)
	}},
	{powerN("serviceLocation"), optional, func(d *decoder, t *Target) error { return decodeAppend(d, &t.ServiceLocations) }},
	{powerN("transportInterface"), optional, func(d *decoder, t *Target) error { return decodeAppend(d, &t.TransportInterfaces) }},
	{eiN("groupID"), optional, func(d *decoder, t *Target) error { return d.appendStr(&t.GroupIDs) }},
	{eiN("groupName"), optional, func(d *decoder, t *Target) error { return d.appendStr(&t.GroupNames) }},
	{eiN("resourceID"), optional, func(d *decoder, t *Target) error { return d.appendStr(&t.ResourceIDs) }},
	{eiN("venID"), optional, func(d *decoder, t *Target) error { return d.appendStr(&t.VenIDs) }},
	{eiN("partyID"), optional, func(d *decoder, t *Target) error { return d.appendStr(&t.PartyIDs) }},
}

func (ti *TransportInterface) decode(d *decoder) error {
	return decodeFields(d, ti, transportInterfaceFields)
}

var transportInterfaceFields = fields[TransportInterface]{
	{powerN("pointOfReceipt"), optional, func(d *decoder, ti *TransportInterface) error { return d.str(&ti.PointOfReceipt) }},
	{powerN("pointOfDelivery"), optional, func(d *decoder, ti *TransportInterface) error { return d.str(&ti.PointOfDelivery) }},
}

// wrappedStr decodes a wrapper with one required text child and appends it.
func (d *decoder) wrappedStr(child xml.Name, p *[]string) error {
	var s string
	if err := d.textChild(child, &s); err != nil {
		return err
	}
	*p = append(*p, s)
	return nil
}

func (fc *FeatureCollection) encode(e *encoder) {
	e.openWithAttr(pGML, "FeatureCollection", "id", fc.ID)
	e.open(pGML, "location")
	e.openWithAttr(pGML, "Polygon", "id", fc.PolygonID)
	e.open(pGML, "exterior")
	e.open(pGML, "LinearRing")
	e.open(pGML, "posList")
	for i, v := range fc.PosList {
		if i > 0 {
			e.b = append(e.b, ' ')
		}
		e.b = appendFloat(e.b, v)
	}
	e.close(pGML, "posList")
	e.close(pGML, "LinearRing")
	e.close(pGML, "exterior")
	e.close(pGML, "Polygon")
	e.close(pGML, "location")
	e.close(pGML, "FeatureCollection")
}

// decode reads the element that wraps a gml:FeatureCollection
// (emix:serviceArea, power:serviceLocation).
func (fc *FeatureCollection) decode(d *decoder) error {
	return d.only(gmlN("FeatureCollection"), func() error {
		fc.ID = gmlID(d.attributes())
		return d.each(gmlN("location"), func() error {
			return d.each(gmlN("Polygon"), func() error {
				fc.PolygonID = gmlID(d.attributes())
				return d.each(gmlN("exterior"), func() error {
					return d.each(gmlN("LinearRing"), func() error {
						return d.each(gmlN("posList"), func() error {
							s, err := d.text()
							if err != nil {
								return err
							}
							for _, f := range strings.Fields(s) {
								v, err := parseFloat(f)
								if err != nil {
									return err
								}
								fc.PosList = append(fc.PosList, v)
							}
							return nil
						})
					})
				})
			})
		})
	})
}

func gmlID(attrs []xml.Attr) string {
	for _, a := range attrs {
		if a.Name.Local == "id" && (a.Name.Space == NamespaceGML || a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
}
