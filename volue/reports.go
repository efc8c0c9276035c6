package volue

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// Report tells the API what a partner's resources did in answer to an
// event.
type Report struct {
	// EventID is the event the report answers. Required.
	EventID string `json:"eventId"`
	// Name describes the report, such as "Vehicle Started Charging".
	Name string `json:"name,omitempty"`
	// Payloads are the report's contents: *VehicleChargeAction,
	// *EnergyUsage or *LocationEnergyUsage. At least one is required.
	Payloads []ReportPayload `json:"payloads"`
}

// ReportPayload is one payload of a report.
type ReportPayload interface {
	// PayloadType returns the payload's payloadType on the wire.
	PayloadType() string
	validate(field string) error
}

// ChargeActionType says what a vehicle did.
type ChargeActionType string

// The charge actions.
const (
	ChargeStart ChargeActionType = "Start"
	ChargeStop  ChargeActionType = "Stop"
)

// VehicleChargeAction reports that a vehicle started or stopped charging.
type VehicleChargeAction struct {
	// ResourceID is the vehicle's resource id. Required.
	ResourceID string `json:"resourceId"`
	// Location is where the vehicle is.
	Location Coordinates `json:"location"`
	// ActionType is Start or Stop. Required.
	ActionType ChargeActionType `json:"actionType"`
	// Current is the charging current, when known.
	Current *energy.Amperes `json:"current,omitempty"`
	// Power is the charging power (≥ 0).
	Power energy.Watts `json:"power"`
	// StateOfCharge is the vehicle battery's charge level, 0..1.
	StateOfCharge energy.Fraction `json:"stateOfCharge"`
	// BatteryCapacity is the vehicle battery's capacity (≥ 0).
	BatteryCapacity energy.WattHours `json:"batteryCapacity"`
}

// PayloadType returns "VehicleChargeAction".
func (*VehicleChargeAction) PayloadType() string { return "VehicleChargeAction" }

// MarshalJSON adds the payloadType.
func (p *VehicleChargeAction) MarshalJSON() ([]byte, error) {
	type plain VehicleChargeAction
	return withType("payloadType", p.PayloadType(), (*plain)(p))
}

func (p *VehicleChargeAction) validate(f string) error {
	if p == nil {
		return energy.Invalid(f, "nil")
	}
	if err := required(f+".ResourceID", p.ResourceID); err != nil {
		return err
	}
	if p.ActionType == "" {
		return energy.Invalid(f+".ActionType", "required")
	}
	if err := p.Location.validate(f + ".Location"); err != nil {
		return err
	}
	if p.Current != nil {
		if err := nonNegative(f+".Current", *p.Current); err != nil {
			return err
		}
	}
	if err := nonNegative(f+".Power", p.Power); err != nil {
		return err
	}
	if !p.StateOfCharge.Valid() {
		return energy.Invalid(f+".StateOfCharge", "%v is not from 0 to 1", float64(p.StateOfCharge))
	}
	return nonNegative(f+".BatteryCapacity", p.BatteryCapacity)
}

// EnergyPoint is the energy used in the hour starting at Start.
type EnergyPoint struct {
	// Start is the start of the hour, in UTC on the wire.
	Start time.Time
	// Energy is the energy used in the hour (≥ 0); kWh on the wire.
	Energy energy.WattHours
}

type wirePoint struct {
	KiloWattHours float64   `json:"kiloWattHours"`
	Timestamp     time.Time `json:"timestamp"`
}

// MarshalJSON writes {"kiloWattHours", "timestamp"} with the time in UTC.
func (p EnergyPoint) MarshalJSON() ([]byte, error) {
	return json.Marshal(wirePoint{KiloWattHours: p.Energy.KilowattHours(), Timestamp: p.Start.UTC()})
}

// UnmarshalJSON reads {"kiloWattHours", "timestamp"}.
func (p *EnergyPoint) UnmarshalJSON(b []byte) error {
	var w wirePoint
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	p.Start, p.Energy = w.Timestamp, energy.WattHours(w.KiloWattHours*1000)
	return nil
}

// validatePoints checks hourly points: whole UTC hours, energy ≥ 0, no hour
// twice.
func validatePoints(field string, ps []EnergyPoint) error {
	if len(ps) == 0 {
		return energy.Invalid(field, "at least one point is required")
	}
	seen := make(map[time.Time]bool, len(ps))
	for i, p := range ps {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case p.Start.IsZero():
			return energy.Invalid(f+".Start", "required")
		case !p.Start.Equal(p.Start.Truncate(time.Hour)):
			return energy.Invalid(f+".Start", "%s is not the start of an hour", p.Start.UTC().Format(time.RFC3339))
		case seen[p.Start.UTC()]:
			return energy.Invalid(f+".Start", "%s appears twice", p.Start.UTC().Format(time.RFC3339))
		}
		seen[p.Start.UTC()] = true
		if err := nonNegative(f+".Energy", p.Energy); err != nil {
			return err
		}
	}
	return nil
}

// EnergyUsage reports a resource's hourly energy use.
type EnergyUsage struct {
	// ResourceID and LocationID identify the resource. Required.
	ResourceID string `json:"resourceId"`
	LocationID string `json:"locationId"`
	// MeterPointID is the metering point, or "".
	MeterPointID string `json:"meterPointId,omitempty"`
	// CurvePoints are the hourly energies.
	CurvePoints []EnergyPoint `json:"curvePoints"`
}

// PayloadType returns "EnergyUsage".
func (*EnergyUsage) PayloadType() string { return "EnergyUsage" }

// MarshalJSON adds the payloadType.
func (p *EnergyUsage) MarshalJSON() ([]byte, error) {
	type plain EnergyUsage
	return withType("payloadType", p.PayloadType(), (*plain)(p))
}

func (p *EnergyUsage) validate(f string) error {
	if p == nil {
		return energy.Invalid(f, "nil")
	}
	if err := required(f+".ResourceID", p.ResourceID); err != nil {
		return err
	}
	if err := required(f+".LocationID", p.LocationID); err != nil {
		return err
	}
	return validatePoints(f+".CurvePoints", p.CurvePoints)
}

// LocationEnergyUsage reports a location's hourly energy use at a metering
// point.
type LocationEnergyUsage struct {
	// LocationID and MeterPointID identify the metering point. Required.
	LocationID   string `json:"locationId"`
	MeterPointID string `json:"meterPointId"`
	// Points are the hourly energies.
	Points []EnergyPoint `json:"points"`
}

// PayloadType returns "LocationEnergyUsage".
func (*LocationEnergyUsage) PayloadType() string { return "LocationEnergyUsage" }

// MarshalJSON adds the payloadType and the resolution, always one hour.
func (p *LocationEnergyUsage) MarshalJSON() ([]byte, error) {
	type plain LocationEnergyUsage
	v := struct {
		*plain
		Resolution TimeSpan `json:"resolution"`
	}{(*plain)(p), TimeSpan(time.Hour)}
	return withType("payloadType", p.PayloadType(), v)
}

func (p *LocationEnergyUsage) validate(f string) error {
	if p == nil {
		return energy.Invalid(f, "nil")
	}
	if err := required(f+".LocationID", p.LocationID); err != nil {
		return err
	}
	if err := required(f+".MeterPointID", p.MeterPointID); err != nil {
		return err
	}
	return validatePoints(f+".Points", p.Points)
}

func (r Report) validate() error {
	if err := required("Report.EventID", r.EventID); err != nil {
		return err
	}
	if len(r.Payloads) == 0 {
		return energy.Invalid("Report.Payloads", "at least one payload is required")
	}
	for i, p := range r.Payloads {
		f := fmt.Sprintf("Report.Payloads[%d]", i)
		if p == nil {
			return energy.Invalid(f, "nil")
		}
		if err := p.validate(f); err != nil {
			return err
		}
	}
	return nil
}

// ReportReceipt is the API's record of a report.
type ReportReceipt struct {
	// ID identifies the report.
	ID string
	// EventID is the event it answers.
	EventID string
	// ProgramID and Name are set by the older generation of the API.
	ProgramID, Name string
	// CreatedAt is when the API stored the report.
	CreatedAt time.Time
	// ModifiedAt is when it last changed, when the API says.
	ModifiedAt time.Time
}

// UnmarshalJSON accepts both generations' field names.
func (r *ReportReceipt) UnmarshalJSON(b []byte) error {
	var w struct {
		ID          string     `json:"id"`
		EventID     string     `json:"eventId"`
		ProgramID   string     `json:"programId"`
		Name        string     `json:"name"`
		CreatedAt   *time.Time `json:"createdAt"`
		CreatedDate *time.Time `json:"createdDateTime"`
		Modified    *time.Time `json:"modificationDateTime"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = ReportReceipt{ID: w.ID, EventID: w.EventID, ProgramID: w.ProgramID, Name: w.Name}
	for _, t := range []*time.Time{w.CreatedAt, w.CreatedDate} {
		if t != nil && r.CreatedAt.IsZero() {
			r.CreatedAt = *t
		}
	}
	if w.Modified != nil {
		r.ModifiedAt = *w.Modified
	}
	return nil
}

// SendReport sends a report (POST /reports). Reports are not repeated after
// a failure, since the API may have stored the first.
func (c *Client) SendReport(ctx context.Context, r Report) (*ReportReceipt, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	var rr ReportReceipt
	if err := c.call(ctx, http.MethodPost, "/reports", nil, r, &rr); err != nil {
		return nil, err
	}
	return &rr, nil
}
