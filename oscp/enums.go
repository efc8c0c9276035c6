package oscp

// Every enumeration in this file follows one pattern:
//   - encodes its exact SolarNetwork name and refuses a value it does not
//     know (an error wrapping energy.ErrInvalid), so nothing unknown is sent;
//   - decodes case-insensitively to the exact name, and keeps a value it
//     does not know as is (Known reports false), so a value SolarNetwork
//     adds later is visible instead of an error.

// RegistrationStatus is the state of a Capacity Provider's or Optimizer's OSCP registration.
type RegistrationStatus string

// The RegistrationStatus values.
const (
	RegistrationPending    RegistrationStatus = "Pending"    // registration has not completed
	RegistrationRegistered RegistrationStatus = "Registered" // the system is registered
	RegistrationFailed     RegistrationStatus = "Failed"     // registration failed
)

var registrationStatusValues = []RegistrationStatus{RegistrationPending, RegistrationRegistered, RegistrationFailed}

// RegistrationStatusValues returns the known values, in SolarNetwork's order.
func RegistrationStatusValues() []RegistrationStatus {
	return append([]RegistrationStatus(nil), registrationStatusValues...)
}

// Known reports whether v is one of the values above.
func (v RegistrationStatus) Known() bool { return known(v, registrationStatusValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v RegistrationStatus) MarshalJSON() ([]byte, error) {
	return encodeEnum("RegistrationStatus", v, registrationStatusValues)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *RegistrationStatus) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, v, registrationStatusValues)
}

// MeasurementPeriod is how often measurements are reported to a Capacity Provider or Optimizer.
type MeasurementPeriod string

// The MeasurementPeriod values.
const (
	PeriodMinute        MeasurementPeriod = "Minute"        // every 60 s
	PeriodFiveMinute    MeasurementPeriod = "FiveMinute"    // every 300 s
	PeriodTenMinute     MeasurementPeriod = "TenMinute"     // every 600 s
	PeriodFifteenMinute MeasurementPeriod = "FifteenMinute" // every 900 s (SolarNetwork's default)
	PeriodTwentyMinute  MeasurementPeriod = "TwentyMinute"  // every 1200 s
	PeriodThirtyMinute  MeasurementPeriod = "ThirtyMinute"  // every 1800 s
	PeriodHour          MeasurementPeriod = "Hour"          // every 3600 s
)

var measurementPeriodValues = []MeasurementPeriod{PeriodMinute, PeriodFiveMinute, PeriodTenMinute, PeriodFifteenMinute, PeriodTwentyMinute, PeriodThirtyMinute, PeriodHour}

// MeasurementPeriodValues returns the known values, in SolarNetwork's order.
func MeasurementPeriodValues() []MeasurementPeriod {
	return append([]MeasurementPeriod(nil), measurementPeriodValues...)
}

// Known reports whether v is one of the values above.
func (v MeasurementPeriod) Known() bool { return known(v, measurementPeriodValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v MeasurementPeriod) MarshalJSON() ([]byte, error) {
	return encodeEnum("MeasurementPeriod", v, measurementPeriodValues)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *MeasurementPeriod) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, v, measurementPeriodValues)
}

// MeasurementStyle is how a Capacity Provider or Optimizer wants measurements (OSCP measurement_configuration).
type MeasurementStyle string

// The MeasurementStyle values.
const (
	StyleContinuous   MeasurementStyle = "Continuous"   // OSCP CONTINUOUS
	StyleIntermittent MeasurementStyle = "Intermittent" // OSCP INTERMITTENT
)

var measurementStyleValues = []MeasurementStyle{StyleContinuous, StyleIntermittent}

// MeasurementStyleValues returns the known values, in SolarNetwork's order.
func MeasurementStyleValues() []MeasurementStyle {
	return append([]MeasurementStyle(nil), measurementStyleValues...)
}

// Known reports whether v is one of the values above.
func (v MeasurementStyle) Known() bool { return known(v, measurementStyleValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v MeasurementStyle) MarshalJSON() ([]byte, error) {
	return encodeEnum("MeasurementStyle", v, measurementStyleValues)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *MeasurementStyle) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, v, measurementStyleValues)
}

// AssetCategory is the kind of an asset.
type AssetCategory string

// The AssetCategory values.
const (
	CategoryCharging    AssetCategory = "Charging"    // EV charging (OSCP CHARGING)
	CategoryConsumption AssetCategory = "Consumption" // other consumption
	CategoryGeneration  AssetCategory = "Generation"  // generation, such as PV
	CategoryStorage     AssetCategory = "Storage"     // storage, such as a battery
)

var assetCategoryValues = []AssetCategory{CategoryCharging, CategoryConsumption, CategoryGeneration, CategoryStorage}

// AssetCategoryValues returns the known values, in SolarNetwork's order.
func AssetCategoryValues() []AssetCategory {
	return append([]AssetCategory(nil), assetCategoryValues...)
}

// Known reports whether v is one of the values above.
func (v AssetCategory) Known() bool { return known(v, assetCategoryValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v AssetCategory) MarshalJSON() ([]byte, error) {
	return encodeEnum("AssetCategory", v, assetCategoryValues)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *AssetCategory) UnmarshalJSON(b []byte) error { return decodeEnum(b, v, assetCategoryValues) }

// Phase is the electrical phase an asset is measured on.
type Phase string

// The Phase values.
const (
	PhaseUnknown Phase = "Unknown" // unknown (OSCP UNKNOWN)
	PhaseA       Phase = "A"       // phase A (OSCP ONE)
	PhaseB       Phase = "B"       // phase B (OSCP TWO)
	PhaseC       Phase = "C"       // phase C (OSCP THREE)
	PhaseAll     Phase = "All"     // all phases (OSCP ALL; SolarNetwork's default)
)

var phaseValues = []Phase{PhaseUnknown, PhaseA, PhaseB, PhaseC, PhaseAll}

// PhaseValues returns the known values, in SolarNetwork's order.
func PhaseValues() []Phase { return append([]Phase(nil), phaseValues...) }

// Known reports whether v is one of the values above.
func (v Phase) Known() bool { return known(v, phaseValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v Phase) MarshalJSON() ([]byte, error) { return encodeEnum("Phase", v, phaseValues) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *Phase) UnmarshalJSON(b []byte) error { return decodeEnum(b, v, phaseValues) }

// MeasurementUnit is the unit of measured values.
type MeasurementUnit string

// The MeasurementUnit values.
const (
	UnitA   MeasurementUnit = "A"   // amperes
	UnitW   MeasurementUnit = "W"   // watts
	UnitKW  MeasurementUnit = "kW"  // kilowatts
	UnitWh  MeasurementUnit = "Wh"  // watt-hours
	UnitKWh MeasurementUnit = "kWh" // kilowatt-hours
)

var measurementUnitValues = []MeasurementUnit{UnitA, UnitW, UnitKW, UnitWh, UnitKWh}

// MeasurementUnitValues returns the known values, in SolarNetwork's order.
func MeasurementUnitValues() []MeasurementUnit {
	return append([]MeasurementUnit(nil), measurementUnitValues...)
}

// Known reports whether v is one of the values above.
func (v MeasurementUnit) Known() bool { return known(v, measurementUnitValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v MeasurementUnit) MarshalJSON() ([]byte, error) {
	return encodeEnum("MeasurementUnit", v, measurementUnitValues)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *MeasurementUnit) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, v, measurementUnitValues)
}

// StatisticType is which statistic of a datum property is measured. SolarNetwork parses it by exact name only.
type StatisticType string

// The StatisticType values.
const (
	StatAverage    StatisticType = "Average"    // the average
	StatCount      StatisticType = "Count"      // the number of samples
	StatMinimum    StatisticType = "Minimum"    // the minimum
	StatMaximum    StatisticType = "Maximum"    // the maximum
	StatStart      StatisticType = "Start"      // the value at the start of the period
	StatEnd        StatisticType = "End"        // the value at the end of the period
	StatDifference StatisticType = "Difference" // end minus start (for energy readings)
)

var statisticTypeValues = []StatisticType{StatAverage, StatCount, StatMinimum, StatMaximum, StatStart, StatEnd, StatDifference}

// StatisticTypeValues returns the known values, in SolarNetwork's order.
func StatisticTypeValues() []StatisticType {
	return append([]StatisticType(nil), statisticTypeValues...)
}

// Known reports whether v is one of the values above.
func (v StatisticType) Known() bool { return known(v, statisticTypeValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v StatisticType) MarshalJSON() ([]byte, error) {
	return encodeEnum("StatisticType", v, statisticTypeValues)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *StatisticType) UnmarshalJSON(b []byte) error { return decodeEnum(b, v, statisticTypeValues) }

// EnergyType is which energy an asset's energy measurement counts.
type EnergyType string

// The EnergyType values.
const (
	EnergyFlexible    EnergyType = "Flexible"    // flexible energy
	EnergyNonFlexible EnergyType = "NonFlexible" // non-flexible energy
	EnergyTotal       EnergyType = "Total"       // all energy (SolarNetwork's default)
)

var energyTypeValues = []EnergyType{EnergyFlexible, EnergyNonFlexible, EnergyTotal}

// EnergyTypeValues returns the known values, in SolarNetwork's order.
func EnergyTypeValues() []EnergyType { return append([]EnergyType(nil), energyTypeValues...) }

// Known reports whether v is one of the values above.
func (v EnergyType) Known() bool { return known(v, energyTypeValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v EnergyType) MarshalJSON() ([]byte, error) {
	return encodeEnum("EnergyType", v, energyTypeValues)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *EnergyType) UnmarshalJSON(b []byte) error { return decodeEnum(b, v, energyTypeValues) }

// EnergyDirection is the direction of an asset's energy measurement.
type EnergyDirection string

// The EnergyDirection values.
const (
	DirectionNet    EnergyDirection = "Net"    // import minus export
	DirectionImport EnergyDirection = "Import" // imported energy (SolarNetwork's default)
	DirectionExport EnergyDirection = "Export" // exported energy
)

var energyDirectionValues = []EnergyDirection{DirectionNet, DirectionImport, DirectionExport}

// EnergyDirectionValues returns the known values, in SolarNetwork's order.
func EnergyDirectionValues() []EnergyDirection {
	return append([]EnergyDirection(nil), energyDirectionValues...)
}

// Known reports whether v is one of the values above.
func (v EnergyDirection) Known() bool { return known(v, energyDirectionValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v EnergyDirection) MarshalJSON() ([]byte, error) {
	return encodeEnum("EnergyDirection", v, energyDirectionValues)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *EnergyDirection) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, v, energyDirectionValues)
}

// ForecastType is the kind of a capacity forecast.
type ForecastType string

// The ForecastType values.
const (
	ForecastConsumption         ForecastType = "Consumption"         // capacity for consumption
	ForecastGeneration          ForecastType = "Generation"          // capacity for generation
	ForecastFallbackConsumption ForecastType = "FallbackConsumption" // consumption capacity to use when offline
	ForecastFallbackGeneration  ForecastType = "FallbackGeneration"  // generation capacity to use when offline
	ForecastOptimum             ForecastType = "Optimum"             // the optimum
)

var forecastTypeValues = []ForecastType{ForecastConsumption, ForecastGeneration, ForecastFallbackConsumption, ForecastFallbackGeneration, ForecastOptimum}

// ForecastTypeValues returns the known values, in SolarNetwork's order.
func ForecastTypeValues() []ForecastType { return append([]ForecastType(nil), forecastTypeValues...) }

// Known reports whether v is one of the values above.
func (v ForecastType) Known() bool { return known(v, forecastTypeValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v ForecastType) MarshalJSON() ([]byte, error) {
	return encodeEnum("ForecastType", v, forecastTypeValues)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *ForecastType) UnmarshalJSON(b []byte) error { return decodeEnum(b, v, forecastTypeValues) }

// Audience is the system an asset's measurements are reported to.
type Audience string

// The Audience values.
const (
	AudienceCapacityProvider    Audience = "CapacityProvider"    // the group's Capacity Provider
	AudienceCapacityOptimizer   Audience = "CapacityOptimizer"   // the group's Capacity Optimizer
	AudienceFlexibilityProvider Audience = "FlexibilityProvider" // exists in SolarNetwork's enumeration but is not a sensible audience
)

var audienceValues = []Audience{AudienceCapacityProvider, AudienceCapacityOptimizer, AudienceFlexibilityProvider}

// AudienceValues returns the known values, in SolarNetwork's order.
func AudienceValues() []Audience { return append([]Audience(nil), audienceValues...) }

// Known reports whether v is one of the values above.
func (v Audience) Known() bool { return known(v, audienceValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v Audience) MarshalJSON() ([]byte, error) { return encodeEnum("Audience", v, audienceValues) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *Audience) UnmarshalJSON(b []byte) error { return decodeEnum(b, v, audienceValues) }

// Action is an OSCP message whose URL path a Capacity Provider or Optimizer can override (ServiceProps.URLPaths).
type Action string

// The Action values.
const (
	ActionAdjustGroupCapacityForecast  Action = "AdjustGroupCapacityForecast"  // /adjust_group_capacity_forecast
	ActionGroupCapacityComplianceError Action = "GroupCapacityComplianceError" // /group_capacity_compliance_error
	ActionHandshakeAcknowledge         Action = "HandshakeAcknowledge"         // /handshake_acknowledge
	ActionHeartbeat                    Action = "Heartbeat"                    // /heartbeat
	ActionRegister                     Action = "Register"                     // /register
	ActionUpdateGroupCapacityForecast  Action = "UpdateGroupCapacityForecast"  // /update_group_capacity_forecast
	ActionUpdateAssetMeasurements      Action = "UpdateAssetMeasurements"      // /update_asset_measurements
	ActionUpdateGroupMeasurements      Action = "UpdateGroupMeasurements"      // /update_group_measurements
)

var actionValues = []Action{ActionAdjustGroupCapacityForecast, ActionGroupCapacityComplianceError, ActionHandshakeAcknowledge, ActionHeartbeat, ActionRegister, ActionUpdateGroupCapacityForecast, ActionUpdateAssetMeasurements, ActionUpdateGroupMeasurements}

// ActionValues returns the known values, in SolarNetwork's order.
func ActionValues() []Action { return append([]Action(nil), actionValues...) }

// Known reports whether v is one of the values above.
func (v Action) Known() bool { return known(v, actionValues) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v Action) MarshalJSON() ([]byte, error) { return encodeEnum("Action", v, actionValues) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *Action) UnmarshalJSON(b []byte) error { return decodeEnum(b, v, actionValues) }
