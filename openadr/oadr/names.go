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

// knownLocalNames are the local names the decoding code matches.
var knownLocalNames = [...]string{
	"FeatureCollection", "LinearRing", "Polygon", "Signature", "Therm", "ac", "accuracy",
	"aggregatedPnode", "available", "baselineID", "baselineName", "components", "confidence",
	"createdDateTime", "currency", "currencyPerKW", "currencyPerKWh", "currencyPerThm", "current",
	"currentValue", "customUnit", "date-time", "dtstart", "duration", "eiActivePeriod",
	"eiCreatedEvent", "eiEvent", "eiEventBaseline", "eiEventSignal", "eiEventSignals",
	"eiMarketContext", "eiReportID", "eiRequestEvent", "eiResponse", "eiTarget", "endDeviceAsset",
	"energyApparent", "energyReactive", "energyReal", "eventDescriptor", "eventID",
	"eventResponse", "eventResponses", "eventStatus", "exterior", "frequency", "granularity",
	"groupID", "groupName", "hertz", "interval", "intervals", "itemDescription", "itemUnits",
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
	if s, ok := localNames[string(b)]; ok {
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
