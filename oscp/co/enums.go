package co

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/gridwire/gridwire/energy"
)

// The OSCP 2.0 enumerations encode their exact (upper-case) names and
// refuse unknown values; they decode case-insensitively and keep an unknown
// value as is, which the messages' Validate then refuses.

// ForecastType is the kind of a capacity forecast.
type ForecastType string

// The forecast types.
const (
	Consumption         ForecastType = "CONSUMPTION"          // capacity for consumption
	Generation          ForecastType = "GENERATION"           // capacity for generation
	FallbackConsumption ForecastType = "FALLBACK_CONSUMPTION" // consumption capacity while offline
	FallbackGeneration  ForecastType = "FALLBACK_GENERATION"  // generation capacity while offline
	Optimum             ForecastType = "OPTIMUM"              // the optimum
)

// Phase is an OSCP phase indicator.
type Phase string

// The phases.
const (
	PhaseUnknown Phase = "UNKNOWN"
	PhaseOne     Phase = "ONE"
	PhaseTwo     Phase = "TWO"
	PhaseThree   Phase = "THREE"
	PhaseAll     Phase = "ALL"
)

// Unit is the unit of a forecasted block or an instantaneous measurement.
type Unit string

// The units.
const (
	UnitA   Unit = "A"
	UnitW   Unit = "W"
	UnitKW  Unit = "KW"
	UnitWH  Unit = "WH"
	UnitKWH Unit = "KWH"
)

// EnergyUnit is the unit of an energy measurement.
type EnergyUnit string

// The energy units.
const (
	EnergyWH  EnergyUnit = "WH"
	EnergyKWH EnergyUnit = "KWH"
)

// Direction is the direction of an energy flow.
type Direction string

// The directions.
const (
	DirectionNet    Direction = "NET"
	DirectionImport Direction = "IMPORT"
	DirectionExport Direction = "EXPORT"
)

// EnergyType says which energy a measurement counts.
type EnergyType string

// The energy types.
const (
	EnergyFlexible    EnergyType = "FLEXIBLE"
	EnergyNonFlexible EnergyType = "NONFLEXIBLE"
	EnergyTotal       EnergyType = "TOTAL"
)

// AssetCategory is the kind of an asset.
type AssetCategory string

// The asset categories.
const (
	CategoryCharging    AssetCategory = "CHARGING"
	CategoryConsumption AssetCategory = "CONSUMPTION"
	CategoryGeneration  AssetCategory = "GENERATION"
	CategoryStorage     AssetCategory = "STORAGE"
)

// MeasurementConfiguration is how a party wants measurements.
type MeasurementConfiguration string

// The measurement configurations.
const (
	Continuous   MeasurementConfiguration = "CONTINUOUS"
	Intermittent MeasurementConfiguration = "INTERMITTENT"
)

var (
	forecastTypes = []ForecastType{Consumption, Generation, FallbackConsumption, FallbackGeneration, Optimum}
	phases        = []Phase{PhaseUnknown, PhaseOne, PhaseTwo, PhaseThree, PhaseAll}
	units         = []Unit{UnitA, UnitW, UnitKW, UnitWH, UnitKWH}
	energyUnits   = []EnergyUnit{EnergyWH, EnergyKWH}
	directions    = []Direction{DirectionNet, DirectionImport, DirectionExport}
	energyTypes   = []EnergyType{EnergyFlexible, EnergyNonFlexible, EnergyTotal}
	categories    = []AssetCategory{CategoryCharging, CategoryConsumption, CategoryGeneration, CategoryStorage}
	configs       = []MeasurementConfiguration{Continuous, Intermittent}
)

// Known reports whether v is one of the values above.
func (v ForecastType) Known() bool { return slices.Contains(forecastTypes, v) }

// Known reports whether v is one of the values above.
func (v Phase) Known() bool { return slices.Contains(phases, v) }

// Known reports whether v is one of the values above.
func (v Unit) Known() bool { return slices.Contains(units, v) }

// Known reports whether v is one of the values above.
func (v EnergyUnit) Known() bool { return slices.Contains(energyUnits, v) }

// Known reports whether v is one of the values above.
func (v Direction) Known() bool { return slices.Contains(directions, v) }

// Known reports whether v is one of the values above.
func (v EnergyType) Known() bool { return slices.Contains(energyTypes, v) }

// Known reports whether v is one of the values above.
func (v AssetCategory) Known() bool { return slices.Contains(categories, v) }

// Known reports whether v is one of the values above.
func (v MeasurementConfiguration) Known() bool { return slices.Contains(configs, v) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v ForecastType) MarshalJSON() ([]byte, error) { return encode("ForecastType", v) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v Phase) MarshalJSON() ([]byte, error) { return encode("Phase", v) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v Unit) MarshalJSON() ([]byte, error) { return encode("Unit", v) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v EnergyUnit) MarshalJSON() ([]byte, error) { return encode("EnergyUnit", v) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v Direction) MarshalJSON() ([]byte, error) { return encode("Direction", v) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v EnergyType) MarshalJSON() ([]byte, error) { return encode("EnergyType", v) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v AssetCategory) MarshalJSON() ([]byte, error) { return encode("AssetCategory", v) }

// MarshalJSON implements json.Marshaler; an unknown value is an error.
func (v MeasurementConfiguration) MarshalJSON() ([]byte, error) {
	return encode("MeasurementConfiguration", v)
}

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *ForecastType) UnmarshalJSON(b []byte) error { return decode(b, v, forecastTypes) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *Phase) UnmarshalJSON(b []byte) error { return decode(b, v, phases) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *Unit) UnmarshalJSON(b []byte) error { return decode(b, v, units) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *EnergyUnit) UnmarshalJSON(b []byte) error { return decode(b, v, energyUnits) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *Direction) UnmarshalJSON(b []byte) error { return decode(b, v, directions) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *EnergyType) UnmarshalJSON(b []byte) error { return decode(b, v, energyTypes) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *AssetCategory) UnmarshalJSON(b []byte) error { return decode(b, v, categories) }

// UnmarshalJSON implements json.Unmarshaler, case-insensitively.
func (v *MeasurementConfiguration) UnmarshalJSON(b []byte) error { return decode(b, v, configs) }

type knowable interface {
	~string
	Known() bool
}

func encode[T knowable](typ string, v T) ([]byte, error) {
	if !v.Known() {
		return nil, fmt.Errorf("co: %s %q is not a known value: %w", typ, string(v), energy.ErrInvalid)
	}
	return json.Marshal(string(v))
}

func decode[T ~string](b []byte, v *T, values []T) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	for _, k := range values {
		if strings.EqualFold(s, string(k)) {
			*v = k
			return nil
		}
	}
	*v = T(s)
	return nil
}

// check names field when v is empty or unknown.
func check[T knowable](field string, v T) error {
	switch {
	case v == "":
		return energy.Invalid(field, "required")
	case !v.Known():
		return energy.Invalid(field, "%q is not a known value", string(v))
	}
	return nil
}
