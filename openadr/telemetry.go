package openadr

import (
	"context"
	"slices"
	"sort"
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
// Measurements are kept as they are made; the list for the hook is only
// built when there is a hook.
func (v *VTN) updateReport(ctx context.Context, c Caller, m *oadr.UpdateReport) (oadr.Message, error) {
	// What the store's callback hands back, in one variable: each one it
	// sets costs an allocation per report.
	var out struct {
		ms     []Measurement
		unkept int
		answer oadr.UpdatedReport // the answer, in the same allocation
	}
	hook := v.hooks.telemetry
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		now := v.clock.Now()
		descs := newDescriptions(st.Reports)
		if hook != nil {
			out.ms = make([]Measurement, 0, payloads(m.Reports))
		}
		st.sortTelemetry()
		had := len(st.Telemetry)
		for i := range m.Reports {
			r := &m.Reports[i]
			st.measure(r, &descs, now, func(meas Measurement) {
				if !st.keepLatest(meas) {
					out.unkept++
				}
				if hook != nil {
					out.ms = append(out.ms, meas)
				}
			})
			if req := st.request(r.ReportRequestID); req != nil {
				req.LastUpdateAt = now
				if req.Status == ReportRequested {
					req.Status = ReportActive
				}
			}
		}
		if len(st.Telemetry) > had {
			// New data points: drop the room append left, which every VEN
			// would carry for good (a VTN keeps many of them).
			st.Telemetry = slices.Clone(st.Telemetry)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.unkept > 0 {
		v.log.WarnContext(ctx, "openadr: too many data points to keep as latest", "venID", m.VenID, "notKept", out.unkept, "limit", maxTelemetry)
	}
	if hook != nil && len(out.ms) > 0 {
		hook(ctx, m.VenID, out.ms)
	}
	out.answer = oadr.UpdatedReport{Response: oadr.OK(m.RequestID), VenID: m.VenID}
	return &out.answer, nil
}

// payloads counts the payloads of reports.
func payloads(reports []oadr.Report) int {
	n := 0
	for i := range reports {
		for j := range reports[i].Intervals {
			n += len(reports[i].Intervals[j].Payloads)
		}
	}
	return n
}

// descriptions finds the description of a data point: in the offered report
// with the report's specifier, else in any offered report (first wins).
// An offer is usually a handful of data points, which a scan finds faster
// than a map is built; a large one is indexed on first use, so that a report
// with many payloads costs time in proportion to its size.
type descriptions struct {
	offered []oadr.Report
	n       int                                   // descriptions offered
	bySpec  map[[2]string]*oadr.ReportDescription // {reportSpecifierID, rID}; built on first use when n > maxScanned
	byRID   map[string]*oadr.ReportDescription
}

// maxScanned is the largest offer searched by a scan.
const maxScanned = 32

func newDescriptions(offered []oadr.Report) descriptions {
	d := descriptions{offered: offered}
	for i := range offered {
		d.n += len(offered[i].Descriptions)
	}
	return d
}

func (d *descriptions) find(specifierID, rid string) *oadr.ReportDescription {
	if d.n <= maxScanned {
		return d.scan(specifierID, rid)
	}
	if d.bySpec == nil {
		d.index()
	}
	if desc := d.bySpec[[2]string{specifierID, rid}]; desc != nil {
		return desc
	}
	return d.byRID[rid]
}

func (d *descriptions) scan(specifierID, rid string) *oadr.ReportDescription {
	var inAny *oadr.ReportDescription
	for i := range d.offered {
		r := &d.offered[i]
		for j := range r.Descriptions {
			desc := &r.Descriptions[j]
			switch {
			case desc.RID != rid:
			case r.ReportSpecifierID == specifierID:
				return desc
			case inAny == nil:
				inAny = desc
			}
		}
	}
	return inAny
}

func (d *descriptions) index() {
	d.bySpec = make(map[[2]string]*oadr.ReportDescription, d.n)
	d.byRID = make(map[string]*oadr.ReportDescription, d.n)
	for i := range d.offered {
		r := &d.offered[i]
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
}

// measure calls fn with the measurement of every payload of report r. Data
// points the VEN never described are measured too (QuantityOther, raw
// value): OpenLEADR's VEN may report rIDs of an earlier registration.
func (st *VENState) measure(r *oadr.Report, descs *descriptions, now time.Time, fn func(Measurement)) {
	// The strings a measurement keeps are the VEN's own where it has them
	// (its offer, its report requests), not the ones just decoded: a
	// latest value then holds no memory of the report it came in, and a
	// VTN of many VENs has fewer objects for the collector to visit.
	specifierID, requestID := r.ReportSpecifierID, r.ReportRequestID
	if o := st.offered(specifierID); o != nil {
		specifierID = o.ReportSpecifierID
	}
	if q := st.request(requestID); q != nil {
		requestID = q.Request.ReportRequestID
	}
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
				ReportSpecifierID: specifierID,
				ReportRequestID:   requestID,
				MeasuredAt:        at,
				ReceivedAt:        now,
				DataQuality:       p.DataQuality,
			}
			d := descs.find(r.ReportSpecifierID, p.RID)
			if d != nil {
				m.RID = d.RID // the same, shared with the offer
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
			fn(m)
		}
	}
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

// dataPoint is what a kept measurement is the latest of. st.Telemetry is
// kept in dataPoint order, so that keepLatest finds one by binary search
// and Telemetry returns them sorted.
type dataPoint struct{ resourceID, rid string }

func (m *Measurement) dataPoint() dataPoint { return dataPoint{m.ResourceID, m.RID} }

func (p dataPoint) compare(q dataPoint) int {
	if c := strings.Compare(p.resourceID, q.resourceID); c != 0 {
		return c
	}
	return strings.Compare(p.rid, q.rid)
}

func byDataPoint(a, b Measurement) int { return a.dataPoint().compare(b.dataPoint()) }

// sortTelemetry puts st.Telemetry in dataPoint order, should a store have
// kept it in another (such as that of an earlier version).
func (st *VENState) sortTelemetry() {
	if !slices.IsSortedFunc(st.Telemetry, byDataPoint) {
		slices.SortFunc(st.Telemetry, byDataPoint)
	}
}

// keepLatest records m as the latest of its data point, unless a newer
// measurement of the same (resource, rID) is already kept. It reports false
// when m is of a new, undescribed data point it could not keep (see
// maxTelemetry).
func (st *VENState) keepLatest(m Measurement) bool {
	p := m.dataPoint()
	// sort.Search rather than slices.BinarySearchFunc, which would copy
	// each measurement it compares.
	i := sort.Search(len(st.Telemetry), func(i int) bool { return st.Telemetry[i].dataPoint().compare(p) >= 0 })
	found := i < len(st.Telemetry) && st.Telemetry[i].dataPoint() == p
	switch {
	case found:
		if !m.MeasuredAt.Before(st.Telemetry[i].MeasuredAt) {
			st.Telemetry[i] = m
		}
	case m.ReportType == "" && len(st.Telemetry) >= maxTelemetry: // undescribed
		return false
	default:
		st.Telemetry = slices.Insert(st.Telemetry, i, m)
	}
	return true
}

// Telemetry returns the latest measurement of every data point the VEN has
// reported, ordered by resource and rID.
func (v *VTN) Telemetry(ctx context.Context, venID string) (Measurements, error) {
	var out Measurements
	err := v.store.View(ctx, venID, func(st *VENState) error {
		out = slices.Clone(st.Telemetry)
		return nil
	})
	// Kept in this order by keepLatest; sorted here too for a state that
	// has not taken a report since a store loaded it.
	slices.SortFunc(out, byDataPoint)
	return out, err
}
