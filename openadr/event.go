package openadr

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Event is an event the VTN sends a VEN: signals of consecutive intervals
// from Start. Its status (far, near, active, completed, cancelled) is not
// part of it: the VTN computes it from the clock whenever it sends the event.
type Event struct {
	// ID is the eventID; empty means generated.
	ID string
	// MarketContext is a URI; empty means the VTN's (WithMarketContext).
	MarketContext string
	// Priority: 1 is the highest, 0 means none.
	Priority uint32
	// Start is when the first interval of every signal begins.
	Start time.Time
	// Signals carry the values; every signal's intervals must add up to the
	// same duration, the event's.
	Signals []Signal
	// Target is what the event applies to; empty means the whole VEN
	// (its venID is written).
	Target oadr.Target
	// ResponseRequired is "always" (the default when empty) or "never".
	ResponseRequired oadr.ResponseRequired
	Test             bool
	Comment          string // vtnComment
	// StartAfter lets the VEN randomise its start over that window.
	StartAfter time.Duration
	// Notification, RampUp and Recovery are the x-eiNotification,
	// x-eiRampUp and x-eiRecovery periods. The event is "near" during its
	// RampUp before Start; without one it goes from "far" to "active".
	Notification time.Duration
	RampUp       time.Duration
	Recovery     time.Duration
}

// Signal is one eiEventSignal.
type Signal struct {
	Name oadr.SignalName
	Type oadr.SignalType
	// ID is the signalID; empty means "SIG_<index>".
	ID string
	// Item is the unit of the values (nil for SIMPLE levels and
	// multipliers).
	Item      *oadr.ItemBase
	Intervals []Interval
}

// Interval is one step of a signal.
type Interval struct {
	Duration time.Duration
	Value    float64
}

// Duration returns the length of the event: the sum of its first signal's
// intervals.
func (e *Event) Duration() time.Duration {
	if len(e.Signals) == 0 {
		return 0
	}
	var d time.Duration
	for _, iv := range e.Signals[0].Intervals {
		d += iv.Duration
	}
	return d
}

// End returns Start plus Duration.
func (e *Event) End() time.Time { return e.Start.Add(e.Duration()) }

// Validate checks the event and returns a *energy.FieldError naming the
// first bad field, or nil.
func (e *Event) Validate() error {
	if e.ID != "" {
		if err := checkID("Event.ID", e.ID); err != nil {
			return err
		}
	}
	if e.Start.IsZero() {
		return energy.Invalid("Event.Start", "missing")
	}
	if y := e.Start.UTC().Year(); y < 1970 || y > 9999 {
		return energy.Invalid("Event.Start", "year %d is out of range", y)
	}
	if len(e.Signals) == 0 {
		return energy.Invalid("Event.Signals", "an event needs at least one signal")
	}
	for _, p := range []struct {
		name string
		d    time.Duration
	}{{"StartAfter", e.StartAfter}, {"Notification", e.Notification}, {"RampUp", e.RampUp}, {"Recovery", e.Recovery}} {
		if p.d < 0 || p.d%time.Second != 0 {
			return energy.Invalid("Event."+p.name, "%v is not a whole number of seconds ≥ 0", p.d)
		}
	}
	if e.ResponseRequired != "" && e.ResponseRequired != oadr.ResponseAlways && e.ResponseRequired != oadr.ResponseNever {
		return energy.Invalid("Event.ResponseRequired", "%q is neither always nor never", e.ResponseRequired)
	}
	total := e.Duration()
	for i, s := range e.Signals {
		f := fmt.Sprintf("Event.Signals[%d]", i)
		if err := s.validate(f); err != nil {
			return err
		}
		var d time.Duration
		for _, iv := range s.Intervals {
			d += iv.Duration
		}
		if d != total {
			return energy.Invalid(f+".Intervals", "they last %v, the first signal's last %v; every signal must span the event", d, total)
		}
	}
	if e.End().UTC().Year() > 9999 {
		return energy.Invalid("Event.Signals", "the event ends after year 9999")
	}
	return nil
}

func (s *Signal) validate(f string) error {
	switch {
	case !knownSignalName(s.Name):
		return energy.Invalid(f+".Name", "%q is not a 2.0b signal name (extensions start with x-)", s.Name)
	case !knownSignalType(s.Type):
		return energy.Invalid(f+".Type", "%q is not a 2.0b signal type", s.Type)
	case len(s.Intervals) == 0:
		return energy.Invalid(f+".Intervals", "a signal needs at least one interval")
	}
	if s.ID != "" {
		if err := checkID(f+".ID", s.ID); err != nil {
			return err
		}
	}
	for j, iv := range s.Intervals {
		g := fmt.Sprintf("%s.Intervals[%d]", f, j)
		switch {
		case iv.Duration <= 0 || iv.Duration%time.Second != 0:
			return energy.Invalid(g+".Duration", "%v is not a positive whole number of seconds", iv.Duration)
		case math.IsNaN(iv.Value) || math.IsInf(iv.Value, 0):
			return energy.Invalid(g+".Value", "not a finite number")
		case (s.Name == oadr.SignalSimple || s.Name == oadr.SignalSimpleLegacy) &&
			(iv.Value != 0 && iv.Value != 1 && iv.Value != 2 && iv.Value != 3):
			return energy.Invalid(g+".Value", "a SIMPLE level is 0, 1, 2 or 3, not %v", iv.Value)
		}
	}
	return nil
}

func knownSignalName(n oadr.SignalName) bool {
	switch n {
	case oadr.SignalSimple, oadr.SignalSimpleLegacy, oadr.SignalElectricityPrice, oadr.SignalEnergyPrice,
		oadr.SignalDemandCharge, oadr.SignalBidPrice, oadr.SignalBidLoad, oadr.SignalBidEnergy,
		oadr.SignalChargeState, oadr.SignalLoadDispatch, oadr.SignalLoadControl:
		return true
	}
	return strings.HasPrefix(string(n), "x-") && len(n) > 2
}

func knownSignalType(t oadr.SignalType) bool {
	switch t {
	case oadr.SignalTypeDelta, oadr.SignalTypeLevel, oadr.SignalTypeMultiplier, oadr.SignalTypePrice,
		oadr.SignalTypePriceMultiplier, oadr.SignalTypePriceRelative, oadr.SignalTypeSetpoint,
		oadr.SignalTypeLoadControlCapacity, oadr.SignalTypeLoadControlLevelOffset,
		oadr.SignalTypeLoadControlPercentOffset, oadr.SignalTypeLoadControlSetpoint:
		return true
	}
	return false
}

// DispatchStep is one step of a battery's charge/discharge schedule.
type DispatchStep struct {
	Duration time.Duration
	Mode     energy.Mode
	// Power is the magnitude of the charge or discharge power (ignored for
	// ModeIdle); its direction comes from Mode.
	Power energy.Watts
}

// LoadDispatch returns a LOAD_DISPATCH setpoint signal in kW for a battery
// schedule. 2.0b leaves the sign of a bidirectional resource to the peers;
// the signal uses the load convention of the battery samples the VEN side
// follows: positive charges (imports), negative discharges, zero holds.
// The power item's attributes (60 Hz, 240 V, AC) are the schema's required
// filler; change Signal.Item.PowerAttributes if the VEN cares.
func LoadDispatch(steps ...DispatchStep) (Signal, error) {
	s := Signal{
		Name: oadr.SignalLoadDispatch,
		Type: oadr.SignalTypeSetpoint,
		Item: oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true}),
	}
	if len(steps) == 0 {
		return Signal{}, energy.Invalid("steps", "no step")
	}
	for i, st := range steps {
		f := fmt.Sprintf("steps[%d]", i)
		if st.Power < 0 || math.IsNaN(float64(st.Power)) || math.IsInf(float64(st.Power), 0) {
			return Signal{}, energy.Invalid(f+".Power", "%v is not a finite magnitude ≥ 0", float64(st.Power))
		}
		var kw float64
		switch st.Mode {
		case energy.ModeCharge:
			kw = st.Power.Kilowatts()
		case energy.ModeDischarge:
			kw = -st.Power.Kilowatts()
		case energy.ModeIdle:
		default:
			return Signal{}, energy.Invalid(f+".Mode", "%q is not charge, discharge or idle", st.Mode)
		}
		s.Intervals = append(s.Intervals, Interval{Duration: st.Duration, Value: kw})
	}
	return s, nil
}

// EventState is an event as the VTN keeps it for one VEN.
type EventState struct {
	Event Event // with its ID
	// ModificationNumber starts at 0 and grows with every change.
	ModificationNumber uint32
	ModificationReason string
	CreatedAt          time.Time
	ModifiedAt         time.Time
	Cancelled          bool
	// Response is the VEN's latest answer (nil before it answers); it may
	// answer an earlier modification (see EventResponse.ModificationNumber).
	Response *EventResponse
}

// Status returns the event's status at now: cancelled, completed after its
// end, active from its start, near during its ramp-up, far before.
func (e *EventState) Status(now time.Time) oadr.EventStatus {
	start := e.Event.Start
	switch {
	case e.Cancelled:
		return oadr.StatusCancelled
	case !now.Before(e.Event.End()):
		return oadr.StatusCompleted
	case !now.Before(start):
		return oadr.StatusActive
	case e.Event.RampUp > 0 && !now.Before(start.Add(-e.Event.RampUp)):
		return oadr.StatusNear
	}
	return oadr.StatusFar
}

// EventResponse is a VEN's answer to an event, from oadrCreatedEvent.
type EventResponse struct {
	VenID              string
	EventID            string
	ModificationNumber uint32 // the modification answered
	OptType            oadr.OptType
	Code               oadr.ResponseCode
	Description        string
	ReceivedAt         time.Time
}
