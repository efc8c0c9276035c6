package oadr

// Interning. A decoded element name must be a string that owns its bytes
// (names end up in error paths and in ItemBase.Kind), but allocating one per
// element would be most of the decoder's garbage. Names the decoder knows are
// looked up instead (a map index with a converted []byte key does not
// allocate); only unknown names are copied. TestInternedNames checks that
// every name the decoding code compares against is listed.

var localNames = func() map[string]string {
	m := make(map[string]string, len(knownLocalNames))
	for _, n := range knownLocalNames {
		m[n] = n
	}
	return m
}()

// knownLocalNames are the local names the decoding code matches: of
// elements, and of the attributes Id (oadrSignedObject) and id (gml).
var knownLocalNames = [...]string{
	"FeatureCollection", "Id", "LinearRing", "Polygon", "Signature", "Therm", "ac", "accuracy",
	"aggregatedPnode", "available", "baselineID", "baselineName", "components", "confidence",
	"createdDateTime", "currency", "currencyPerKW", "currencyPerKWh", "currencyPerThm", "current",
	"currentValue", "customUnit", "date-time", "dtstart", "duration", "eiActivePeriod",
	"eiCreatedEvent", "eiEvent", "eiEventBaseline", "eiEventSignal", "eiEventSignals",
	"eiMarketContext", "eiReportID", "eiRequestEvent", "eiResponse", "eiTarget", "endDeviceAsset",
	"energyApparent", "energyReactive", "energyReal", "eventDescriptor", "eventID",
	"eventResponse", "eventResponses", "eventStatus", "exterior", "frequency", "granularity",
	"groupID", "groupName", "hertz", "id", "interval", "intervals", "itemDescription", "itemUnits",
	"location", "marketContext", "meterAsset", "modificationDateTime", "modificationNumber",
	"modificationReason", "mrid", "node", "oadrCancelOpt", "oadrCancelPartyRegistration",
	"oadrCancelReport", "oadrCanceledOpt", "oadrCanceledPartyRegistration", "oadrCanceledReport",
	"oadrCapacity", "oadrCreateOpt", "oadrCreatePartyRegistration", "oadrCreateReport",
	"oadrCreatedEvent", "oadrCreatedOpt", "oadrCreatedPartyRegistration", "oadrCreatedReport",
	"oadrCurrent", "oadrDataQuality", "oadrDeviceClass", "oadrDistributeEvent", "oadrEvent",
	"oadrExtension", "oadrExtensionName", "oadrExtensions", "oadrGBDataDescription",
	"oadrHttpPullModel", "oadrInfo", "oadrKey", "oadrLevelOffset", "oadrLoadControlState",
	"oadrManualOverride", "oadrMax", "oadrMaxPeriod", "oadrMin", "oadrMinPeriod", "oadrNormal",
	"oadrOnChange", "oadrOnline", "oadrPayload", "oadrPayloadResourceStatus",
	"oadrPendingReports", "oadrPercentOffset", "oadrPoll", "oadrProfile", "oadrProfileName",
	"oadrProfiles", "oadrQueryRegistration", "oadrRegisterReport", "oadrRegisteredReport",
	"oadrReport", "oadrReportDescription", "oadrReportOnly", "oadrReportPayload",
	"oadrReportRequest", "oadrRequestEvent", "oadrRequestReregistration",
	"oadrRequestedOadrPollFreq", "oadrResponse", "oadrResponseRequired", "oadrSamplingRate",
	"oadrService", "oadrServiceName", "oadrServiceSpecificInfo", "oadrSetPoint",
	"oadrSignedObject", "oadrTransport", "oadrTransportAddress", "oadrTransportName",
	"oadrTransports", "oadrUpdateReport", "oadrUpdatedReport", "oadrValue", "oadrVenName",
	"oadrXmlSignature", "optID", "optReason", "optType", "partyID", "payloadFloat", "pnode",
	"pointOfDelivery", "pointOfReceipt", "posList", "powerApparent", "powerAttributes",
	"powerReactive", "powerReal", "priority", "properties", "pulseCount", "pulseFactor",
	"qualifiedEventID", "rID", "readingType", "registrationID", "replyLimit",
	"reportBackDuration", "reportDataSource", "reportInterval", "reportName", "reportRequestID",
	"reportSpecifier", "reportSpecifierID", "reportSubject", "reportToFollow", "reportType",
	"requestID", "resourceID", "responseCode", "responseDescription", "serviceArea",
	"serviceDeliveryPoint", "serviceLocation", "siScaleCode", "signalID", "signalName",
	"signalPayload", "signalType", "specifierPayload", "startafter", "temperature", "testEvent",
	"text", "tolerance", "tolerate", "transportInterface", "uid", "value", "vavailability",
	"venID", "voltage", "vtnComment", "vtnID", "x-eiNotification", "x-eiRampUp", "x-eiRecovery",
}

// localName returns b as a string, shared when it is a known name.
func localName(b []byte) string {
	if s, ok := nameTable.get(b, localNames); ok {
		return s
	}
	return string(b)
}

// internSlots is the size of an internTable.
const internSlots = 1024

// internTable finds the known strings of a set by their bytes, faster than
// a map: each is held at the first free of its two places in a small hash
// table, and the few left out are found in the set's map.
type internTable [internSlots]string

// newInternTable makes the table of the strings known.
func newInternTable(known []string) *internTable {
	var t internTable
	for _, n := range known {
		h := nameHash([]byte(n))
		if i := h % internSlots; t[i] == "" {
			t[i] = n
		} else if i := h >> 16 % internSlots; t[i] == "" {
			t[i] = n
		}
	}
	return &t
}

// get returns the known string equal to b; all is the map of all of them.
// (An empty b is found too: as the empty string of a free place.)
func (t *internTable) get(b []byte, all map[string]string) (string, bool) {
	h := nameHash(b)
	if s := t[h%internSlots]; s == string(b) {
		return s, true
	}
	if s := t[h>>16%internSlots]; s == string(b) {
		return s, true
	}
	s, ok := all[string(b)]
	return s, ok
}

// nameTable holds the known local names.
var nameTable = newInternTable(knownLocalNames[:])

// nameHash mixes the length and four bytes of a name: cheap, and enough to
// tell most of the schema's names apart.
func nameHash(b []byte) uint32 {
	n := len(b)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9E3779B1 ^ uint32(b[0])*0x85EBCA77 ^ uint32(b[n-1])*0xC2B2AE3D ^
		uint32(b[n/2])*0x27D4EB2F ^ uint32(b[n*3/4])*0x165667B1
	return h ^ h>>15
}

// knownValues are the values of the schema's enumerations (and the units of
// the ItemBase constructors), which come back in every report and event.
var knownValues = func() map[string]string {
	m := make(map[string]string, len(enumValues)+len(unitValues))
	for _, v := range enumValues {
		m[v] = v
	}
	for _, v := range unitValues {
		m[v] = v
	}
	return m
}()

// enumValues are the constants of the enumerated types decoded with enum.
var enumValues = [...]string{
	"2.0a", "2.0b", "Allocated", "BID_ENERGY", "BID_LOAD", "BID_PRICE", "CHARGE_STATE",
	"Contract", "DEMAND_CHARGE", "Derived", "Direct Read", "ELECTRICITY_PRICE", "ENERGY_PRICE",
	"Estimated", "G", "HISTORY_GREENBUTTON", "HISTORY_USAGE", "Hybrid", "LOAD_CONTROL",
	"LOAD_DISPATCH", "M", "METADATA_HISTORY_GREENBUTTON", "METADATA_HISTORY_USAGE",
	"METADATA_TELEMETRY_STATUS", "METADATA_TELEMETRY_USAGE", "Mean", "Net",
	"No New Value - Previous Value Used", "No Quality - No Value", "Peak", "Projected",
	"Quality Bad - Comm Failure", "Quality Bad - Configuration Error",
	"Quality Bad - Device Failure", "Quality Bad - Last Known Value",
	"Quality Bad - Non Specific", "Quality Bad - Not Connected", "Quality Bad - Out of Service",
	"Quality Bad - Sensor Failure", "Quality Good - Local Override",
	"Quality Good - Non Specific", "Quality Limit - Field/Constant", "Quality Limit - Field/High",
	"Quality Limit - Field/Low", "Quality Limit - Field/Not",
	"Quality Uncertain - EU Units Exceeded", "Quality Uncertain - Last Usable Value",
	"Quality Uncertain - Non Specific", "Quality Uncertain - Sensor Not Accurate",
	"Quality Uncertain - Sub Normal", "SIMPLE", "Summed", "T", "TELEMETRY_STATUS",
	"TELEMETRY_USAGE", "active", "always", "availableEnergyStorage", "avgDemand", "avgUsage",
	"baseline", "c", "cancelled", "celsius", "completed", "d", "delta", "deltaDemand",
	"deltaSetPoint", "deltaUsage", "demand", "deviation", "downRegulationCapacityAvailable",
	"economic", "emergency", "fahrenheit", "far", "k", "level", "m", "micro", "multiplier",
	"mustRun", "n", "near", "never", "none", "notParticipating", "operatingState", "optIn",
	"optOut", "outageRunStatus", "overrideStatus", "p", "participating", "percentDemand",
	"percentUsage", "powerFactor", "price", "priceMultiplier", "priceRelative", "reading",
	"regulationSetpoint", "setPoint", "setpoint", "simple", "simpleHttp", "storedEnergy",
	"targetEnergyStorage", "upRegulationCapacityAvailable", "usage", "x-RMS",
	"x-loadControlCapacity", "x-loadControlLevelOffset", "x-loadControlPercentOffset",
	"x-loadControlSetpoint", "x-notApplicable", "x-resourceStatus", "x-schedule",
	"x-stateOfCharge", "xmpp",
}

var unitValues = [...]string{"V", "A", "W", "Wh", "Hz", "VA", "VAR", "VAh", "VARh", "%"}

// valueTable holds the known values.
var valueTable = newInternTable(append(enumValues[:], unitValues[:]...))

// value returns b as a string, shared when it is a known value.
func value(b []byte) string {
	if s, ok := valueTable.get(b, knownValues); ok {
		return s
	}
	return string(b)
}

// namespaceURI returns b as a string, shared when it is a namespace the
// decoder knows.
func namespaceURI(b []byte) string {
	switch string(b) {
	case NamespaceOADR:
		return NamespaceOADR
	case NamespaceEI:
		return NamespaceEI
	case NamespacePyld:
		return NamespacePyld
	case NamespaceEMIX:
		return NamespaceEMIX
	case NamespacePower:
		return NamespacePower
	case NamespaceScale:
		return NamespaceScale
	case NamespaceXCal:
		return NamespaceXCal
	case NamespaceStrm:
		return NamespaceStrm
	case NamespaceGML:
		return NamespaceGML
	case NamespaceDS:
		return NamespaceDS
	case namespaceXSI:
		return namespaceXSI
	}
	return string(b)
}

// namespaceXSI is declared by many JAXB-written documents.
const namespaceXSI = "http://www.w3.org/2001/XMLSchema-instance"
