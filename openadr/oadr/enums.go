package oadr

import "strings"

// EventStatus is ei:eventStatus.
type EventStatus string

// Event statuses.
const (
	StatusNone      EventStatus = "none"
	StatusFar       EventStatus = "far"
	StatusNear      EventStatus = "near"
	StatusActive    EventStatus = "active"
	StatusCompleted EventStatus = "completed"
	StatusCancelled EventStatus = "cancelled"
)

// ResponseRequired is oadr:oadrResponseRequired.
type ResponseRequired string

// Response requirements.
const (
	ResponseAlways ResponseRequired = "always"
	ResponseNever  ResponseRequired = "never"
)

// OptType is ei:optType.
type OptType string

// Opt types.
const (
	OptIn  OptType = "optIn"
	OptOut OptType = "optOut"
)

// OptReason is ei:optReason; values outside the list must start with "x-".
type OptReason string

// Opt reasons.
const (
	OptReasonEconomic         OptReason = "economic"
	OptReasonEmergency        OptReason = "emergency"
	OptReasonMustRun          OptReason = "mustRun"
	OptReasonNotParticipating OptReason = "notParticipating"
	OptReasonOutageRunStatus  OptReason = "outageRunStatus"
	OptReasonOverrideStatus   OptReason = "overrideStatus"
	OptReasonParticipating    OptReason = "participating"
	OptReasonSchedule         OptReason = "x-schedule"
)

// SignalName is ei:signalName; values outside the list must start with "x-".
type SignalName string

// Signal names of the 2.0b schema.
const (
	SignalSimple           SignalName = "SIMPLE" // level 0 normal, 1 moderate, 2 high, 3 special
	SignalSimpleLegacy     SignalName = "simple" // 2.0a spelling, still allowed
	SignalElectricityPrice SignalName = "ELECTRICITY_PRICE"
	SignalEnergyPrice      SignalName = "ENERGY_PRICE"
	SignalDemandCharge     SignalName = "DEMAND_CHARGE"
	SignalBidPrice         SignalName = "BID_PRICE"
	SignalBidLoad          SignalName = "BID_LOAD"
	SignalBidEnergy        SignalName = "BID_ENERGY"
	SignalChargeState      SignalName = "CHARGE_STATE"  // setpoint|delta with an energy item
	SignalLoadDispatch     SignalName = "LOAD_DISPATCH" // setpoint|delta with a power item
	SignalLoadControl      SignalName = "LOAD_CONTROL"
)

// SignalType is ei:signalType.
type SignalType string

// Signal types.
const (
	SignalTypeDelta                    SignalType = "delta"
	SignalTypeLevel                    SignalType = "level"
	SignalTypeMultiplier               SignalType = "multiplier"
	SignalTypePrice                    SignalType = "price"
	SignalTypePriceMultiplier          SignalType = "priceMultiplier"
	SignalTypePriceRelative            SignalType = "priceRelative"
	SignalTypeSetpoint                 SignalType = "setpoint"
	SignalTypeLoadControlCapacity      SignalType = "x-loadControlCapacity"
	SignalTypeLoadControlLevelOffset   SignalType = "x-loadControlLevelOffset"
	SignalTypeLoadControlPercentOffset SignalType = "x-loadControlPercentOffset"
	SignalTypeLoadControlSetpoint      SignalType = "x-loadControlSetpoint"
)

// ReportName is ei:reportName; values outside the list must start with "x-".
type ReportName string

// Report names.
const (
	ReportMetadataHistoryUsage       ReportName = "METADATA_HISTORY_USAGE"
	ReportHistoryUsage               ReportName = "HISTORY_USAGE"
	ReportMetadataHistoryGreenButton ReportName = "METADATA_HISTORY_GREENBUTTON"
	ReportHistoryGreenButton         ReportName = "HISTORY_GREENBUTTON"
	ReportMetadataTelemetryUsage     ReportName = "METADATA_TELEMETRY_USAGE"
	ReportTelemetryUsage             ReportName = "TELEMETRY_USAGE"
	ReportMetadataTelemetryStatus    ReportName = "METADATA_TELEMETRY_STATUS"
	ReportTelemetryStatus            ReportName = "TELEMETRY_STATUS"
)

const metadataPrefix = "METADATA_"

// IsMetadata reports a METADATA_… name, used in oadrRegisterReport.
func (n ReportName) IsMetadata() bool { return strings.HasPrefix(string(n), metadataPrefix) }

// Data returns the name of the data reports a metadata report announces
// (METADATA_TELEMETRY_USAGE → TELEMETRY_USAGE); other names are returned as is.
func (n ReportName) Data() ReportName {
	return ReportName(strings.TrimPrefix(string(n), metadataPrefix))
}

// Metadata returns the metadata name for a data report name
// (TELEMETRY_STATUS → METADATA_TELEMETRY_STATUS); extension names ("x-…") and
// names that already are metadata are returned as is.
func (n ReportName) Metadata() ReportName {
	if n.IsMetadata() || strings.HasPrefix(string(n), "x-") || n == "" {
		return n
	}
	return metadataPrefix + n
}

// ReportType is ei:reportType; values outside the list must start with "x-".
type ReportType string

// Report types.
const (
	ReportTypeReading                         ReportType = "reading"
	ReportTypeUsage                           ReportType = "usage"
	ReportTypeDemand                          ReportType = "demand"
	ReportTypeSetPoint                        ReportType = "setPoint"
	ReportTypeDeltaUsage                      ReportType = "deltaUsage"
	ReportTypeDeltaSetPoint                   ReportType = "deltaSetPoint"
	ReportTypeDeltaDemand                     ReportType = "deltaDemand"
	ReportTypeBaseline                        ReportType = "baseline"
	ReportTypeDeviation                       ReportType = "deviation"
	ReportTypeAvgUsage                        ReportType = "avgUsage"
	ReportTypeAvgDemand                       ReportType = "avgDemand"
	ReportTypeOperatingState                  ReportType = "operatingState"
	ReportTypeUpRegulationCapacityAvailable   ReportType = "upRegulationCapacityAvailable"
	ReportTypeDownRegulationCapacityAvailable ReportType = "downRegulationCapacityAvailable"
	ReportTypeRegulationSetpoint              ReportType = "regulationSetpoint"
	ReportTypeStoredEnergy                    ReportType = "storedEnergy"
	ReportTypeTargetEnergyStorage             ReportType = "targetEnergyStorage"
	ReportTypeAvailableEnergyStorage          ReportType = "availableEnergyStorage"
	ReportTypePrice                           ReportType = "price"
	ReportTypeLevel                           ReportType = "level"
	ReportTypePowerFactor                     ReportType = "powerFactor"
	ReportTypePercentUsage                    ReportType = "percentUsage"
	ReportTypePercentDemand                   ReportType = "percentDemand"
	ReportTypeResourceStatus                  ReportType = "x-resourceStatus"
	// ReportTypeStateOfCharge is the extension the battery samples use for a
	// state of charge in percent (with a customUnit item); not in the schema's list.
	ReportTypeStateOfCharge ReportType = "x-stateOfCharge"
)

// ReadingType is ei:readingType; values outside the list must start with "x-".
type ReadingType string

// Reading types (note the space in "Direct Read").
const (
	ReadingDirectRead    ReadingType = "Direct Read"
	ReadingNet           ReadingType = "Net"
	ReadingAllocated     ReadingType = "Allocated"
	ReadingEstimated     ReadingType = "Estimated"
	ReadingSummed        ReadingType = "Summed"
	ReadingDerived       ReadingType = "Derived"
	ReadingMean          ReadingType = "Mean"
	ReadingPeak          ReadingType = "Peak"
	ReadingHybrid        ReadingType = "Hybrid"
	ReadingContract      ReadingType = "Contract"
	ReadingProjected     ReadingType = "Projected"
	ReadingRMS           ReadingType = "x-RMS"
	ReadingNotApplicable ReadingType = "x-notApplicable"
)

// DataQuality is oadr:oadrDataQuality; values outside the list must start
// with "x-".
type DataQuality string

// Data qualities.
const (
	QualityNoValue                    DataQuality = "No Quality - No Value"
	QualityPreviousValueUsed          DataQuality = "No New Value - Previous Value Used"
	QualityBadNonSpecific             DataQuality = "Quality Bad - Non Specific"
	QualityBadConfigurationError      DataQuality = "Quality Bad - Configuration Error"
	QualityBadNotConnected            DataQuality = "Quality Bad - Not Connected"
	QualityBadDeviceFailure           DataQuality = "Quality Bad - Device Failure"
	QualityBadSensorFailure           DataQuality = "Quality Bad - Sensor Failure"
	QualityBadLastKnownValue          DataQuality = "Quality Bad - Last Known Value"
	QualityBadCommFailure             DataQuality = "Quality Bad - Comm Failure"
	QualityBadOutOfService            DataQuality = "Quality Bad - Out of Service"
	QualityUncertainNonSpecific       DataQuality = "Quality Uncertain - Non Specific"
	QualityUncertainLastUsableValue   DataQuality = "Quality Uncertain - Last Usable Value"
	QualityUncertainSensorNotAccurate DataQuality = "Quality Uncertain - Sensor Not Accurate"
	QualityUncertainEUUnitsExceeded   DataQuality = "Quality Uncertain - EU Units Exceeded"
	QualityUncertainSubNormal         DataQuality = "Quality Uncertain - Sub Normal"
	QualityGoodNonSpecific            DataQuality = "Quality Good - Non Specific"
	QualityGoodLocalOverride          DataQuality = "Quality Good - Local Override"
	QualityLimitFieldNot              DataQuality = "Quality Limit - Field/Not"
	QualityLimitFieldLow              DataQuality = "Quality Limit - Field/Low"
	QualityLimitFieldHigh             DataQuality = "Quality Limit - Field/High"
	QualityLimitFieldConstant         DataQuality = "Quality Limit - Field/Constant"
)
