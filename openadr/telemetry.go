package openadr

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Quantity is what a Measurement measures, and so the unit of its Value.
type Quantity string

// Quantities, with the unit of Measurement.Value.
const (
	QuantityVoltage       Quantity = "voltage"       // V
	QuantityCurrent       Quantity = "current"       // A
	QuantityTemperature   Quantity = "temperature"   // °C
	QuantityPower         Quantity = "power"         // W (real power)
	QuantityEnergy        Quantity = "energy"        // Wh (real energy)
	QuantityStateOfCharge Quantity = "stateOfCharge" // fraction 0..1
	QuantityFrequency     Quantity = "frequency"     // Hz
	// QuantityStatus is a TELEMETRY_STATUS payload: Status is set, Value is 0.
	QuantityStatus Quantity = "status"
	// QuantityOther is any other unit (reactive power, a custom unit, …):
	// Value is the VEN's number with its SI scale applied, Unit says what it
	// is. It is also used for a data point the VEN never described, whose
	// Value is then the raw number and Unit is empty.
	QuantityOther Quantity = "other"
)

// Measurement is one value from an oadrUpdateReport, converted to a plain
// unit with the description the VEN registered for its rID.
type Measurement struct {
	VenID      string
	ResourceID string // the description's reportDataSource ("" if none)
	RID        string
	// ReportSpecifierID and ReportRequestID name the report it came in.
	ReportSpecifierID string
	ReportRequestID   string
	ReportType        oadr.ReportType // from the description
	Quantity          Quantity
	// Value is in the unit of Quantity. Signs are the VEN's: 2.0b reports
	// measure consumption, so a battery VEN reports charging power as
	// positive and discharging as negative (the opposite of
	// energy.BatteryStatus.Power).
	Value float64
	// Unit is the unit of Value: "V", "A", "°C", "W", "Wh", "" (a fraction),
	// "Hz", or for QuantityOther the VEN's itemUnits.
	Unit string
	// Status is the resource status of a TELEMETRY_STATUS payload.
	Status *oadr.ResourceStatus
	// MeasuredAt is the dtstart of the interval (or of the report, or its
	// creation time, when the interval has none).
	MeasuredAt time.Time
	// ReceivedAt is when the VTN received the report.
	ReceivedAt  time.Time
	DataQuality oadr.DataQuality // "" when the VEN gave none
}

// Volts returns the value of a voltage measurement.
func (m Measurement) Volts() (energy.Volts, bool) {
	return energy.Volts(m.Value), m.Quantity == QuantityVoltage
}

// Amperes returns the value of a current measurement.
func (m Measurement) Amperes() (energy.Amperes, bool) {
	return energy.Amperes(m.Value), m.Quantity == QuantityCurrent
}

// Celsius returns the value of a temperature measurement.
func (m Measurement) Celsius() (energy.Celsius, bool) {
	return energy.Celsius(m.Value), m.Quantity == QuantityTemperature
}

// Watts returns the value of a real-power measurement, with the VEN's sign.
func (m Measurement) Watts() (energy.Watts, bool) {
	return energy.Watts(m.Value), m.Quantity == QuantityPower
}

// WattHours returns the value of a real-energy measurement.
func (m Measurement) WattHours() (energy.WattHours, bool) {
	return energy.WattHours(m.Value), m.Quantity == QuantityEnergy
}

// StateOfCharge returns the value of a state-of-charge measurement.
func (m Measurement) StateOfCharge() (energy.Fraction, bool) {
	return energy.Fraction(m.Value), m.Quantity == QuantityStateOfCharge
}

// Measurements is a list of measurements, such as Telemetry returns.
type Measurements []Measurement

// Resource returns the measurements of one resource.
func (ms Measurements) Resource(resourceID string) Measurements {
	var out Measurements
	for _, m := range ms {
		if m.ResourceID == resourceID {
			out = append(out, m)
		}
	}
	return out
}

// Latest returns the most recently measured value of q, if any.
func (ms Measurements) Latest(q Quantity) (Measurement, bool) {
	var best Measurement
	found := false
	for _, m := range ms {
		if m.Quantity == q && (!found || m.MeasuredAt.After(best.MeasuredAt)) {
			best, found = m, true
		}
	}
	return best, found
}

// maxTelemetry bounds the latest values kept per VEN (one per resource and
// rID) for data points the VEN never described, so that it cannot grow the
// VTN's memory without bound by inventing rIDs. Described data points are
// always kept (their number is bounded by the offer); values not kept still
// reach the telemetry hook.
const maxTelemetry = 4096

// updateReport takes report data: every payload becomes a Measurement, the
// latest per data point is stored, and the telemetry hook gets them all.
func (v *VTN) updateReport(ctx context.Context, c Caller, m *oadr.UpdateReport) (oadr.Message, error) {
	var (
		ms     []Measurement
		unkept int
	)
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		now := v.clock.Now()
		descs := indexDescriptions(st.Reports)
		for i := range m.Reports {
			r := &m.Reports[i]
			ms = st.measure(ms, r, descs, now)
			if req := st.request(r.ReportRequestID); req != nil {
				req.LastUpdateAt = now
				if req.Status == ReportRequested {
					req.Status = ReportActive
				}
			}
		}
		unkept = st.keepLatest(ms)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if unkept > 0 {
		v.log.WarnContext(ctx, "openadr: too many data points to keep as latest", "venID", m.VenID, "notKept", unkept, "limit", maxTelemetry)
	}
	if v.hooks.telemetry != nil && len(ms) > 0 {
		v.hooks.telemetry(ctx, m.VenID, ms)
	}
	return &oadr.UpdatedReport{Response: oadr.OK(m.RequestID), VenID: m.VenID}, nil
}

// descriptions finds the description of a data point: in the offered report
// with the report's specifier, else in any offered report (first wins).
type descriptions struct {
	bySpec map[[2]string]*oadr.ReportDescription // {reportSpecifierID, rID}
	byRID  map[string]*oadr.ReportDescription
}

// indexDescriptions indexes the offered reports, so that a report with many
// payloads costs time in proportion to its size.
func indexDescriptions(reports []oadr.Report) descriptions {
	n := 0
	for i := range reports {
		n += len(reports[i].Descriptions)
	}
	d := descriptions{bySpec: make(map[[2]string]*oadr.ReportDescription, n), byRID: make(map[string]*oadr.ReportDescription, n)}
	for i := range reports {
		r := &reports[i]
		for j := range r.Descriptions {
			desc := &r.Descriptions[j]
			k := [2]string{r.ReportSpecifierID, desc.RID}
			if _, ok := d.bySpec[k]; !ok {
				d.bySpec[k] = desc
			}
			if _, ok := d.byRID[desc.RID]; !ok {
				d.byRID[desc.RID] = desc
			}
		}
	}
	return d
}

func (d descriptions) find(specifierID, rid string) *oadr.ReportDescription {
	if desc := d.bySpec[[2]string{specifierID, rid}]; desc != nil {
		return desc
	}
	return d.byRID[rid]
}

// measure appends the measurements of report r to ms. Data points the VEN
// never described are kept too (QuantityOther, raw value): OpenLEADR's VEN
// may report rIDs of an earlier registration.
func (st *VENState) measure(ms []Measurement, r *oadr.Report, descs descriptions, now time.Time) []Measurement {
	fallback := r.Start
	if fallback.IsZero() {
		fallback = r.CreatedDateTime
	}
	if fallback.IsZero() {
		fallback = now
	}
	for i := range r.Intervals {
		iv := &r.Intervals[i]
		at := iv.Start
		if at.IsZero() {
			at = fallback
		}
		for j := range iv.Payloads {
			p := &iv.Payloads[j]
			m := Measurement{
				VenID:             st.Registration.VenID,
				RID:               p.RID,
				ReportSpecifierID: r.ReportSpecifierID,
				ReportRequestID:   r.ReportRequestID,
				MeasuredAt:        at,
				ReceivedAt:        now,
				DataQuality:       p.DataQuality,
			}
			d := descs.find(r.ReportSpecifierID, p.RID)
			if d != nil {
				m.ReportType = d.ReportType
				if d.DataSource != nil && len(d.DataSource.ResourceIDs) > 0 {
					m.ResourceID = d.DataSource.ResourceIDs[0]
				}
			}
			if p.ResourceStatus != nil {
				s := *p.ResourceStatus
				m.Quantity, m.Status = QuantityStatus, &s
			} else {
				m.Quantity, m.Value, m.Unit = convert(d, p.Value)
			}
			ms = append(ms, m)
		}
	}
	return ms
}

// convert turns a payload value into a quantity in its plain unit. The scale
// code was checked when the report was registered.
func convert(d *oadr.ReportDescription, v float64) (Quantity, float64, string) {
	if d == nil || d.ItemBase == nil {
		return QuantityOther, v, ""
	}
	ib := d.ItemBase
	si, err := ib.SI(v)
	if err != nil {
		return QuantityOther, v, ib.Units
	}
	switch ib.Kind {
	case oadr.ItemVoltage:
		return QuantityVoltage, si, "V"
	case oadr.ItemCurrent:
		return QuantityCurrent, si, "A"
	case oadr.ItemTemperature:
		if c, err := ib.Celsius(v); err == nil {
			return QuantityTemperature, c, "°C"
		}
	case oadr.ItemPowerReal:
		return QuantityPower, si * unitFactor(ib.Units, "W"), "W"
	case oadr.ItemEnergyReal:
		return QuantityEnergy, si * unitFactor(ib.Units, "Wh"), "Wh"
	case oadr.ItemFrequency:
		return QuantityFrequency, si, "Hz"
	case oadr.ItemCustomUnit:
		if ib.Units == "%" && isStateOfCharge(d) {
			return QuantityStateOfCharge, si / 100, ""
		}
	}
	return QuantityOther, si, ib.Units
}

// unitFactor returns 1000 when a VEN writes the scale into itemUnits ("kW"
// with siScaleCode none, against the schema's fixed "W"), else 1.
func unitFactor(units, base string) float64 {
	if units == "k"+base {
		return 1000
	}
	return 1
}

// isStateOfCharge recognises a customUnit data point in percent as a state
// of charge: by the x-stateOfCharge report type of the battery samples, or by
// its description (OpenLEADR's VEN says "stateOfCharge" under reportType
// storedEnergy).
func isStateOfCharge(d *oadr.ReportDescription) bool {
	if d.ReportType == oadr.ReportTypeStateOfCharge {
		return true
	}
	desc := strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "").Replace(d.ItemBase.Description))
	return desc == "stateofcharge" || desc == "soc"
}

// keepLatest records ms as the latest of their data points, unless a newer
// measurement of the same (resource, rID) is already kept. It returns how
// many new data points it could not keep (see maxTelemetry).
func (st *VENState) keepLatest(ms []Measurement) int {
	at := make(map[[2]string]int, len(st.Telemetry))
	for i, t := range st.Telemetry {
		at[[2]string{t.ResourceID, t.RID}] = i
	}
	unkept := 0
	for _, m := range ms {
		k := [2]string{m.ResourceID, m.RID}
		i, ok := at[k]
		switch {
		case !ok && m.ReportType == "" && len(st.Telemetry) >= maxTelemetry: // undescribed
			unkept++
		case !ok:
			at[k] = len(st.Telemetry)
			st.Telemetry = append(st.Telemetry, m)
		case !m.MeasuredAt.Before(st.Telemetry[i].MeasuredAt):
			st.Telemetry[i] = m
		}
	}
	return unkept
}

// Telemetry returns the latest measurement of every data point the VEN has
// reported, ordered by resource and rID.
func (v *VTN) Telemetry(ctx context.Context, venID string) (Measurements, error) {
	var out Measurements
	err := v.store.View(ctx, venID, func(st *VENState) error {
		out = slices.Clone(st.Telemetry)
		return nil
	})
	slices.SortFunc(out, func(a, b Measurement) int {
		if c := strings.Compare(a.ResourceID, b.ResourceID); c != 0 {
			return c
		}
		return strings.Compare(a.RID, b.RID)
	})
	return out, err
}
