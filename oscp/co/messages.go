package co

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/oscp"
)

// Version is the OSCP version this package speaks.
const Version = "2.0"

// Message is an OSCP 2.0 message: it checks itself as the OSCP schema
// does, naming the first bad field.
type Message interface {
	// Validate returns a *energy.FieldError naming the first field the
	// message may not carry as it is, or nil.
	Validate() error
}

// Register is the register message: the sender's token (which the
// receiver must present when calling it) and where it can be reached.
type Register struct {
	// Token is the token the receiver must send in "Authorization: Token …"
	// when calling the sender. Required.
	Token oscp.Secret
	// VersionURLs say where each OSCP version is served. At least one is
	// required.
	VersionURLs []VersionURL
}

// VersionURL is a version and its base URL.
type VersionURL struct {
	// Version is the OSCP version, such as "2.0".
	Version string `json:"version"`
	// BaseURL is the absolute base URL the messages are posted under.
	BaseURL string `json:"base_url"`
}

type registerWire struct {
	Token      string       `json:"token"`
	VersionURL []VersionURL `json:"version_url"`
}

// MarshalJSON implements json.Marshaler; it is the one place the token is
// revealed, to go on the wire.
func (m Register) MarshalJSON() ([]byte, error) {
	return json.Marshal(registerWire{Token: m.Token.Reveal(), VersionURL: m.VersionURLs})
}

// UnmarshalJSON implements json.Unmarshaler.
func (m *Register) UnmarshalJSON(b []byte) error {
	var w registerWire
	if err := strict(b, &w); err != nil {
		return err
	}
	*m = Register{Token: oscp.NewSecret(w.Token), VersionURLs: w.VersionURL}
	return nil
}

// Validate implements Message.
func (m Register) Validate() error {
	if m.Token.IsZero() {
		return energy.Invalid("token", "required")
	}
	if len(m.VersionURLs) == 0 {
		return energy.Invalid("version_url", "at least one required")
	}
	for i, v := range m.VersionURLs {
		if v.Version == "" {
			return energy.Invalid(fmt.Sprintf("version_url[%d].version", i), "required")
		}
		if v.BaseURL == "" {
			return energy.Invalid(fmt.Sprintf("version_url[%d].base_url", i), "required")
		}
	}
	return nil
}

// BaseURL returns the base URL registered for version, if any.
func (m Register) BaseURL(version string) (string, bool) {
	for _, v := range m.VersionURLs {
		if v.Version == version {
			return v.BaseURL, true
		}
	}
	return "", false
}

// RequiredBehaviour is what a party asks of the other in a handshake.
type RequiredBehaviour struct {
	// HeartbeatInterval is how often, in seconds, heartbeats are expected;
	// 0 means not asked.
	HeartbeatInterval float64 `json:"heartbeat_interval,omitempty"`
	// MeasurementConfiguration are the measurement styles accepted.
	// Required, unique.
	MeasurementConfiguration []MeasurementConfiguration `json:"measurement_configuration"`
}

func (r *RequiredBehaviour) validate() error {
	if r == nil {
		return nil
	}
	if r.HeartbeatInterval < 0 {
		return energy.Invalid("required_behaviour.heartbeat_interval", "negative")
	}
	if r.MeasurementConfiguration == nil {
		return energy.Invalid("required_behaviour.measurement_configuration", "required")
	}
	seen := map[MeasurementConfiguration]bool{}
	for i, c := range r.MeasurementConfiguration {
		if err := check(fmt.Sprintf("required_behaviour.measurement_configuration[%d]", i), c); err != nil {
			return err
		}
		if seen[c] {
			return energy.Invalid("required_behaviour.measurement_configuration", "%s given twice", c)
		}
		seen[c] = true
	}
	return nil
}

// Handshake asks the receiver for a handshake acknowledgement.
type Handshake struct {
	// RequiredBehaviour is what the sender asks for, if anything.
	RequiredBehaviour *RequiredBehaviour `json:"required_behaviour,omitempty"`
}

// Validate implements Message.
func (m Handshake) Validate() error { return m.RequiredBehaviour.validate() }

// HandshakeAcknowledge answers a Handshake.
type HandshakeAcknowledge struct {
	// RequiredBehaviour is what the sender asks for in turn, if anything.
	RequiredBehaviour *RequiredBehaviour `json:"required_behaviour,omitempty"`
}

// Validate implements Message.
func (m HandshakeAcknowledge) Validate() error { return m.RequiredBehaviour.validate() }

// Heartbeat tells the receiver the sender is alive until OfflineModeAt.
type Heartbeat struct {
	// OfflineModeAt is when the receiver should consider the sender
	// offline if no other heartbeat arrives. Required.
	OfflineModeAt time.Time `json:"offline_mode_at"`
}

// Validate implements Message.
func (m Heartbeat) Validate() error {
	if m.OfflineModeAt.IsZero() {
		return energy.Invalid("offline_mode_at", "required")
	}
	return nil
}

// CapacityForecast is the body of update_group_capacity_forecast and of
// adjust_group_capacity_forecast: the capacity a group may use, in blocks.
type CapacityForecast struct {
	// GroupID is the capacity group's identifier. Required.
	GroupID string `json:"group_id"`
	// Type is the kind of forecast. Required.
	Type ForecastType `json:"type"`
	// ForecastedBlocks are the blocks. At least one is required.
	ForecastedBlocks []ForecastedBlock `json:"forecasted_blocks"`
}

// Validate implements Message.
func (m CapacityForecast) Validate() error {
	if m.GroupID == "" {
		return energy.Invalid("group_id", "required")
	}
	if err := check("type", m.Type); err != nil {
		return err
	}
	if len(m.ForecastedBlocks) == 0 {
		return energy.Invalid("forecasted_blocks", "at least one required")
	}
	return validateBlocks(m.ForecastedBlocks)
}

// ComplianceError is the body of group_capacity_compliance_error: the
// receiver did not keep to a forecast.
type ComplianceError struct {
	// Message says what went wrong. Required.
	Message string `json:"message"`
	// ForecastedBlocks are the blocks concerned, if given (at least one
	// then).
	ForecastedBlocks []ForecastedBlock `json:"forecasted_blocks,omitempty"`
}

// Validate implements Message.
func (m ComplianceError) Validate() error {
	if m.Message == "" {
		return energy.Invalid("message", "required")
	}
	if m.ForecastedBlocks != nil && len(m.ForecastedBlocks) == 0 {
		return energy.Invalid("forecasted_blocks", "at least one required when given")
	}
	return validateBlocks(m.ForecastedBlocks)
}

// ForecastedBlock is a capacity over a time range, on a phase.
type ForecastedBlock struct {
	// Capacity is the capacity, ≥ 0, in Unit. Required.
	Capacity float64 `json:"capacity"`
	// Phase is the phase it applies to. Required.
	Phase Phase `json:"phase"`
	// Unit is Capacity's unit. Required.
	Unit Unit `json:"unit"`
	// StartTime and EndTime bound the block, [StartTime, EndTime); EndTime
	// is after StartTime. Required.
	StartTime time.Time `json:"start_time"`
	EndTime   time.Time `json:"end_time"`
}

// UnmarshalJSON implements json.Unmarshaler, strictly: capacity must be
// present (0 is a capacity; missing is an error).
func (b *ForecastedBlock) UnmarshalJSON(data []byte) error {
	var w struct {
		Capacity  *float64  `json:"capacity"`
		Phase     Phase     `json:"phase"`
		Unit      Unit      `json:"unit"`
		StartTime time.Time `json:"start_time"`
		EndTime   time.Time `json:"end_time"`
	}
	if err := strict(data, &w); err != nil {
		return err
	}
	if w.Capacity == nil {
		return energy.Invalid("capacity", "required")
	}
	*b = ForecastedBlock{Capacity: *w.Capacity, Phase: w.Phase, Unit: w.Unit, StartTime: w.StartTime, EndTime: w.EndTime}
	return nil
}

func validateBlocks(blocks []ForecastedBlock) error {
	for i, b := range blocks {
		f := fmt.Sprintf("forecasted_blocks[%d].", i)
		switch {
		case b.Capacity < 0:
			return energy.Invalid(f+"capacity", "%v is negative", b.Capacity)
		case b.StartTime.IsZero():
			return energy.Invalid(f+"start_time", "required")
		case b.EndTime.IsZero():
			return energy.Invalid(f+"end_time", "required")
		case !b.EndTime.After(b.StartTime):
			return energy.Invalid(f+"end_time", "not after start_time")
		}
		if err := check(f+"phase", b.Phase); err != nil {
			return err
		}
		if err := check(f+"unit", b.Unit); err != nil {
			return err
		}
	}
	return nil
}

// GroupMeasurements is the body of update_group_measurements.
type GroupMeasurements struct {
	// GroupID is the capacity group's identifier. Required.
	GroupID string `json:"group_id"`
	// Measurements are the group's energy measurements. At least one.
	Measurements []EnergyMeasurement `json:"measurements"`
}

// Validate implements Message.
func (m GroupMeasurements) Validate() error {
	if m.GroupID == "" {
		return energy.Invalid("group_id", "required")
	}
	if len(m.Measurements) == 0 {
		return energy.Invalid("measurements", "at least one required")
	}
	for i, e := range m.Measurements {
		if err := e.validate(fmt.Sprintf("measurements[%d].", i)); err != nil {
			return err
		}
	}
	return nil
}

// AssetMeasurements is the body of update_asset_measurements.
type AssetMeasurements struct {
	// GroupID is the capacity group's identifier. Required.
	GroupID string `json:"group_id"`
	// Measurements are the assets' measurements. At least one.
	Measurements []AssetMeasurement `json:"measurements"`
}

// Validate implements Message.
func (m AssetMeasurements) Validate() error {
	if m.GroupID == "" {
		return energy.Invalid("group_id", "required")
	}
	if len(m.Measurements) == 0 {
		return energy.Invalid("measurements", "at least one required")
	}
	for i, a := range m.Measurements {
		f := fmt.Sprintf("measurements[%d].", i)
		if a.AssetID == "" {
			return energy.Invalid(f+"asset_id", "required")
		}
		if err := check(f+"asset_category", a.AssetCategory); err != nil {
			return err
		}
		if a.EnergyMeasurement != nil {
			if err := a.EnergyMeasurement.validate(f + "energy_measurement."); err != nil {
				return err
			}
		}
		if im := a.InstantaneousMeasurement; im != nil {
			if err := check(f+"instantaneous_measurement.phase", im.Phase); err != nil {
				return err
			}
			if err := check(f+"instantaneous_measurement.unit", im.Unit); err != nil {
				return err
			}
			if im.MeasureTime.IsZero() {
				return energy.Invalid(f+"instantaneous_measurement.measure_time", "required")
			}
		}
	}
	return nil
}

// AssetMeasurement is one asset's measurements.
type AssetMeasurement struct {
	// AssetID is the asset's identifier. Required.
	AssetID string `json:"asset_id"`
	// AssetCategory is the kind of asset. Required.
	AssetCategory AssetCategory `json:"asset_category"`
	// EnergyMeasurement is an energy reading, if any.
	EnergyMeasurement *EnergyMeasurement `json:"energy_measurement,omitempty"`
	// InstantaneousMeasurement is an instantaneous reading, if any.
	InstantaneousMeasurement *InstantaneousMeasurement `json:"instantaneous_measurement,omitempty"`
}

// EnergyMeasurement is an energy reading.
type EnergyMeasurement struct {
	// Value is the reading, in Unit.
	Value float64 `json:"value"`
	// Phase is the phase measured. Required.
	Phase Phase `json:"phase"`
	// Unit is Value's unit. Required.
	Unit EnergyUnit `json:"unit"`
	// Direction is the energy's direction. Required.
	Direction Direction `json:"direction"`
	// EnergyType is the energy counted; "" means TOTAL.
	EnergyType EnergyType `json:"energy_type,omitempty"`
	// MeasureTime is when the reading was taken. Required.
	MeasureTime time.Time `json:"measure_time"`
	// InitialMeasureTime is the start of the reading's period; required
	// when the receiver asked for INTERMITTENT measurements.
	InitialMeasureTime *time.Time `json:"initial_measure_time,omitempty"`
}

func (e EnergyMeasurement) validate(f string) error {
	for _, err := range []error{check(f+"phase", e.Phase), check(f+"unit", e.Unit), check(f+"direction", e.Direction)} {
		if err != nil {
			return err
		}
	}
	if e.EnergyType != "" {
		if err := check(f+"energy_type", e.EnergyType); err != nil {
			return err
		}
	}
	if e.MeasureTime.IsZero() {
		return energy.Invalid(f+"measure_time", "required")
	}
	return nil
}

// InstantaneousMeasurement is an instantaneous reading.
type InstantaneousMeasurement struct {
	// Value is the reading, in Unit.
	Value float64 `json:"value"`
	// Phase is the phase measured. Required.
	Phase Phase `json:"phase"`
	// Unit is Value's unit. Required.
	Unit Unit `json:"unit"`
	// MeasureTime is when the reading was taken. Required.
	MeasureTime time.Time `json:"measure_time"`
}
