package oadr

import "encoding/xml"

// Namespace URIs of the OpenADR 2.0b schema. Decoding matches elements by these
// URIs; encoding binds each to the conventional prefix shown in its comment.
const (
	NamespaceOADR  = "http://openadr.org/oadr-2.0b/2012/07"                        // oadr
	NamespaceEI    = "http://docs.oasis-open.org/ns/energyinterop/201110"          // ei
	NamespacePyld  = "http://docs.oasis-open.org/ns/energyinterop/201110/payloads" // pyld
	NamespaceEMIX  = "http://docs.oasis-open.org/ns/emix/2011/06"                  // emix
	NamespacePower = "http://docs.oasis-open.org/ns/emix/2011/06/power"            // power
	NamespaceScale = "http://docs.oasis-open.org/ns/emix/2011/06/siscale"          // scale
	NamespaceXCal  = "urn:ietf:params:xml:ns:icalendar-2.0"                        // xcal
	NamespaceStrm  = "urn:ietf:params:xml:ns:icalendar-2.0:stream"                 // strm
	NamespaceGML   = "http://www.opengis.net/gml/3.2"                              // gml
	NamespaceDS    = "http://www.w3.org/2000/09/xmldsig#"                          // ds
)

// SchemaVersion is the value of the ei:schemaVersion attribute written on every
// message.
const SchemaVersion = "2.0b"

// nsID identifies a namespace the encoder writes, with its conventional prefix.
// The root element declares exactly the namespaces a document uses.
type nsID uint8

const (
	pOADR nsID = iota
	pPyld
	pEI
	pEMIX
	pPower
	pScale
	pXCal
	pStrm
	pGML
	nsCount
)

var (
	nsPrefix = [nsCount]string{"oadr", "pyld", "ei", "emix", "power", "scale", "xcal", "strm", "gml"}
	nsURI    = [nsCount]string{NamespaceOADR, NamespacePyld, NamespaceEI, NamespaceEMIX, NamespacePower, NamespaceScale, NamespaceXCal, NamespaceStrm, NamespaceGML}
)

const xmlDecl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

const rootClose = `</oadr:oadrSignedObject></oadr:oadrPayload>` + "\n"

// Qualified names for decoding. Small functions rather than a table so that a
// switch reads like the schema.
func oadrN(local string) xml.Name  { return xml.Name{Space: NamespaceOADR, Local: local} }
func eiN(local string) xml.Name    { return xml.Name{Space: NamespaceEI, Local: local} }
func pyldN(local string) xml.Name  { return xml.Name{Space: NamespacePyld, Local: local} }
func emixN(local string) xml.Name  { return xml.Name{Space: NamespaceEMIX, Local: local} }
func powerN(local string) xml.Name { return xml.Name{Space: NamespacePower, Local: local} }
func scaleN(local string) xml.Name { return xml.Name{Space: NamespaceScale, Local: local} }
func xcalN(local string) xml.Name  { return xml.Name{Space: NamespaceXCal, Local: local} }
func strmN(local string) xml.Name  { return xml.Name{Space: NamespaceStrm, Local: local} }
func gmlN(local string) xml.Name   { return xml.Name{Space: NamespaceGML, Local: local} }
