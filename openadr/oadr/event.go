package oadr

import (
	"fmt"
	"time"
)

// RequestEvent is oadrRequestEvent: a VEN asking for its current events; the
// answer is oadrDistributeEvent.
type RequestEvent struct {
	RequestID  string
	VenID      string
	ReplyLimit uint32 // optional; zero means absent
}

// MessageName returns "oadrRequestEvent".
func (*RequestEvent) MessageName() string { return "oadrRequestEvent" }

func (m *RequestEvent) encode(e *encoder) {
	e.open(pPyld, "eiRequestEvent")
	e.text(pPyld, "requestID", m.RequestID)
	e.text(pEI, "venID", m.VenID)
	if m.ReplyLimit != 0 {
		e.uint32(pPyld, "replyLimit", m.ReplyLimit)
	}
	e.close(pPyld, "eiRequestEvent")
}

func (m *RequestEvent) decode(d *decoder) error {
	var haveReq, haveVen bool
	return d.only(pyldN("eiRequestEvent"), func() error {
		err := d.children(func(se start) error {
			switch se.Name {
			case pyldN("requestID"):
				haveReq = true
				return d.str(&m.RequestID)
			case eiN("venID"):
				haveVen = true
				return d.str(&m.VenID)
			case pyldN("replyLimit"):
				return d.uint32(&m.ReplyLimit)
			}
			return d.skip()
		})
		switch {
		case err != nil:
			return err
		case !haveReq:
			return missing("requestID")
		case !haveVen:
			return missing("venID")
		}
		return nil
	})
}

// DistributeEvent is oadrDistributeEvent: the VTN's complete list of events for
// a VEN, sent in answer to oadrRequestEvent or through the poll queue.
type DistributeEvent struct {
	// Response is optional: it answers an oadrRequestEvent (its RequestID is
	// empty when the message is delivered by poll).
	Response  *EiResponse
	RequestID string // this message's own ID, echoed in eventResponses
	VtnID     string
	Events    []Event
}

// MessageName returns "oadrDistributeEvent".
func (*DistributeEvent) MessageName() string { return "oadrDistributeEvent" }

func (m *DistributeEvent) encode(e *encoder) {
	if m.Response != nil {
		m.Response.encode(e)
	}
	e.text(pPyld, "requestID", m.RequestID)
	e.text(pEI, "vtnID", m.VtnID)
	for i := range m.Events {
		m.Events[i].encode(e)
	}
}

func (m *DistributeEvent) decode(d *decoder) error {
	var haveReq, haveVtn bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eiResponse"):
			m.Response = &EiResponse{}
			return m.Response.decode(d)
		case pyldN("requestID"):
			haveReq = true
			return d.str(&m.RequestID)
		case eiN("vtnID"):
			haveVtn = true
			return d.str(&m.VtnID)
		case oadrN("oadrEvent"):
			m.Events = append(m.Events, Event{})
			return m.Events[len(m.Events)-1].decode(d)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveReq:
		return missing("requestID")
	case !haveVtn:
		return missing("vtnID")
	}
	return nil
}

// Event is oadr:oadrEvent, that is an ei:eiEvent and whether the VEN must answer
// it with oadrCreatedEvent.
type Event struct {
	Descriptor   EventDescriptor
	ActivePeriod Period // eiActivePeriod/xcal:properties
	Signals      []EventSignal
	Baseline     *Baseline // eiEventSignals/eiEventBaseline, optional
	Target       Target    // eiTarget; may be empty
	// ResponseRequired is oadrResponseRequired; written as "always" when empty.
	ResponseRequired ResponseRequired
}

// EventDescriptor is ei:eventDescriptor.
type EventDescriptor struct {
	EventID string
	// ModificationNumber starts at 0 and grows with every change to the event.
	ModificationNumber   uint32
	ModificationDateTime time.Time // optional
	ModificationReason   string    // optional
	// Priority: 1 is the highest; 0 (also written when absent) means none.
	Priority        uint32
	MarketContext   string // eiMarketContext/emix:marketContext, a URI
	CreatedDateTime time.Time
	Status          EventStatus
	// TestEvent is written only when true. The schema types it as a string;
	// "true" and "1" read as true, anything else as false.
	TestEvent  bool
	VtnComment string // optional
}

// EventSignal is ei:eiEventSignal.
type EventSignal struct {
	Intervals    []SignalInterval // at least one for valid output
	Target       *Target          // optional
	SignalName   SignalName
	SignalType   SignalType
	SignalID     string
	ItemBase     *ItemBase // the unit of the values, optional
	CurrentValue *float64  // the value of the interval in progress, optional
}

// SignalInterval is an ei:interval of an event signal or baseline. Intervals
// usually carry only a duration: they follow each other from the active
// period's start.
type SignalInterval struct {
	Start    time.Time     // xcal:dtstart, optional (zero = absent)
	Duration time.Duration // xcal:duration, optional (zero = absent)
	UID      string        // xcal:uid/xcal:text, usually "0", "1", …
	Value    float64       // signalPayload/payloadFloat/value
}

// Baseline is ei:eiEventBaseline.
type Baseline struct {
	Start        time.Time
	Duration     time.Duration
	Intervals    []SignalInterval
	BaselineID   string
	ResourceIDs  []string
	BaselineName string
	ItemBase     *ItemBase // optional
}

func (ev *Event) encode(e *encoder) {
	e.open(pOADR, "oadrEvent")
	e.open(pEI, "eiEvent")
	ev.Descriptor.encode(e)
	e.open(pEI, "eiActivePeriod")
	ev.ActivePeriod.encode(e)
	e.empty(pXCal, "components")
	e.close(pEI, "eiActivePeriod")
	e.open(pEI, "eiEventSignals")
	if len(ev.Signals) == 0 {
		e.fail("oadrEvent/eiEvent/eiEventSignals", "at least one eiEventSignal is required")
	}
	for i := range ev.Signals {
		ev.Signals[i].encode(e)
	}
	if ev.Baseline != nil {
		ev.Baseline.encode(e)
	}
	e.close(pEI, "eiEventSignals")
	ev.Target.encode(e, pEI, "eiTarget")
	e.close(pEI, "eiEvent")
	rr := ev.ResponseRequired
	if rr == "" {
		rr = ResponseAlways
	}
	e.text(pOADR, "oadrResponseRequired", string(rr))
	e.close(pOADR, "oadrEvent")
}

func (ev *Event) decode(d *decoder) error {
	var haveEvent, haveRR bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eiEvent"):
			haveEvent = true
			return ev.decodeEiEvent(d)
		case oadrN("oadrResponseRequired"):
			haveRR = true
			return enum(d, &ev.ResponseRequired)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveEvent:
		return missing("eiEvent")
	case !haveRR:
		return missing("oadrResponseRequired")
	}
	return nil
}

func (ev *Event) decodeEiEvent(d *decoder) error {
	var haveDesc, havePeriod, haveSignals, haveTarget bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eventDescriptor"):
			haveDesc = true
			return ev.Descriptor.decode(d)
		case eiN("eiActivePeriod"):
			havePeriod = true
			// xcal:components, always empty in 2.0b, is skipped.
			return d.only(xcalN("properties"), func() error { return ev.ActivePeriod.decode(d) })
		case eiN("eiEventSignals"):
			haveSignals = true
			err := d.children(func(se start) error {
				switch se.Name {
				case eiN("eiEventSignal"):
					ev.Signals = append(ev.Signals, EventSignal{})
					return ev.Signals[len(ev.Signals)-1].decode(d)
				case eiN("eiEventBaseline"):
					ev.Baseline = &Baseline{}
					return ev.Baseline.decode(d)
				}
				return d.skip()
			})
			if err == nil && len(ev.Signals) == 0 {
				err = missing("eiEventSignal")
			}
			return err
		case eiN("eiTarget"):
			haveTarget = true
			return ev.Target.decode(d)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveDesc:
		return missing("eventDescriptor")
	case !havePeriod:
		return missing("eiActivePeriod")
	case !haveSignals:
		return missing("eiEventSignals")
	case !haveTarget:
		return missing("eiTarget")
	}
	return nil
}

func (ed *EventDescriptor) encode(e *encoder) {
	e.open(pEI, "eventDescriptor")
	e.text(pEI, "eventID", ed.EventID)
	e.uint32(pEI, "modificationNumber", ed.ModificationNumber)
	if !ed.ModificationDateTime.IsZero() {
		e.dateTime(pEI, "modificationDateTime", ed.ModificationDateTime)
	}
	e.optText(pEI, "modificationReason", ed.ModificationReason)
	e.uint32(pEI, "priority", ed.Priority)
	e.open(pEI, "eiMarketContext")
	e.text(pEMIX, "marketContext", ed.MarketContext)
	e.close(pEI, "eiMarketContext")
	e.requiredDateTime(pEI, "createdDateTime", ed.CreatedDateTime, "eventDescriptor/createdDateTime")
	e.enum(pEI, "eventStatus", string(ed.Status), "eventDescriptor/eventStatus")
	if ed.TestEvent {
		e.text(pEI, "testEvent", "true")
	}
	e.optText(pEI, "vtnComment", ed.VtnComment)
	e.close(pEI, "eventDescriptor")
}

func (ed *EventDescriptor) decode(d *decoder) error {
	var haveID, haveMod, haveMC, haveCreated, haveStatus bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eventID"):
			haveID = true
			return d.str(&ed.EventID)
		case eiN("modificationNumber"):
			haveMod = true
			return d.uint32(&ed.ModificationNumber)
		case eiN("modificationDateTime"):
			return d.dateTime(&ed.ModificationDateTime)
		case eiN("modificationReason"):
			return d.str(&ed.ModificationReason)
		case eiN("priority"):
			return d.uint32(&ed.Priority)
		case eiN("eiMarketContext"):
			haveMC = true
			return d.textChild(emixN("marketContext"), &ed.MarketContext)
		case eiN("createdDateTime"):
			haveCreated = true
			return d.dateTime(&ed.CreatedDateTime)
		case eiN("eventStatus"):
			haveStatus = true
			return enum(d, &ed.Status)
		case eiN("testEvent"):
			s, err := d.trimmed()
			ed.TestEvent = string(s) == "true" || string(s) == "1"
			return err
		case eiN("vtnComment"):
			return d.str(&ed.VtnComment)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveID:
		return missing("eventID")
	case !haveMod:
		return missing("modificationNumber")
	case !haveMC:
		return missing("eiMarketContext")
	case !haveCreated:
		return missing("createdDateTime")
	case !haveStatus:
		return missing("eventStatus")
	}
	return nil
}

func (s *EventSignal) encode(e *encoder) {
	e.open(pEI, "eiEventSignal")
	encodeSignalIntervals(e, s.Intervals)
	if s.Target != nil {
		s.Target.encode(e, pEI, "eiTarget")
	}
	e.enum(pEI, "signalName", string(s.SignalName), "eiEventSignal/signalName")
	e.enum(pEI, "signalType", string(s.SignalType), "eiEventSignal/signalType")
	e.text(pEI, "signalID", s.SignalID)
	if s.ItemBase != nil {
		s.ItemBase.encode(e)
	}
	if s.CurrentValue != nil {
		e.open(pEI, "currentValue")
		e.payloadFloat(*s.CurrentValue)
		e.close(pEI, "currentValue")
	}
	e.close(pEI, "eiEventSignal")
}

func (s *EventSignal) decode(d *decoder) error {
	var haveIntervals, haveName, haveType, haveID bool
	err := d.children(func(se start) error {
		switch se.Name {
		case strmN("intervals"):
			haveIntervals = true
			return decodeSignalIntervals(d, &s.Intervals)
		case eiN("eiTarget"):
			s.Target = &Target{}
			return s.Target.decode(d)
		case eiN("signalName"):
			haveName = true
			return enum(d, &s.SignalName)
		case eiN("signalType"):
			haveType = true
			return enum(d, &s.SignalType)
		case eiN("signalID"):
			haveID = true
			return d.str(&s.SignalID)
		case eiN("currentValue"):
			var v float64
			err := d.only(eiN("payloadFloat"), func() error { return d.payloadFloat(&v) })
			s.CurrentValue = &v
			return err
		}
		if k := itemKindOf(se.Name); k != "" {
			var err error
			s.ItemBase, err = d.item(k, se.Name.Space)
			return err
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveIntervals:
		return missing("intervals")
	case !haveName:
		return missing("signalName")
	case !haveType:
		return missing("signalType")
	case !haveID:
		return missing("signalID")
	}
	return nil
}

func encodeSignalIntervals(e *encoder, ivs []SignalInterval) {
	e.open(pStrm, "intervals")
	if len(ivs) == 0 {
		e.fail("intervals", "at least one interval is required")
	}
	for _, iv := range ivs {
		e.open(pEI, "interval")
		if !iv.Start.IsZero() {
			e.xcalDateTime(pXCal, "dtstart", iv.Start)
		}
		if iv.Duration != 0 {
			e.durationProp(pXCal, "duration", iv.Duration)
		}
		if iv.UID != "" {
			e.open(pXCal, "uid")
			e.text(pXCal, "text", iv.UID)
			e.close(pXCal, "uid")
		}
		e.open(pEI, "signalPayload")
		e.payloadFloat(iv.Value)
		e.close(pEI, "signalPayload")
		e.close(pEI, "interval")
	}
	e.close(pStrm, "intervals")
}

// decodeSignalIntervals decodes strm:intervals of an event signal or baseline.
func decodeSignalIntervals(d *decoder, ivs *[]SignalInterval) error {
	return d.each(eiN("interval"), func() error {
		var iv SignalInterval
		payloads := 0
		err := d.children(func(se start) error {
			switch se.Name {
			case xcalN("dtstart"):
				return d.xcalDateTime(&iv.Start)
			case xcalN("duration"):
				return d.durationProp(&iv.Duration)
			case xcalN("uid"):
				return d.textChild(xcalN("text"), &iv.UID)
			case eiN("signalPayload"):
				payloads++
				if payloads > 1 {
					return fmt.Errorf("%w: more than one signalPayload in an interval is not supported", ErrInvalidValue)
				}
				return d.only(eiN("payloadFloat"), func() error { return d.payloadFloat(&iv.Value) })
			}
			return d.skip()
		})
		if err == nil && payloads == 0 {
			err = missing("signalPayload")
		}
		*ivs = append(*ivs, iv)
		return err
	})
}

func (b *Baseline) encode(e *encoder) {
	e.open(pEI, "eiEventBaseline")
	e.xcalDateTime(pXCal, "dtstart", b.Start)
	e.durationProp(pXCal, "duration", b.Duration)
	encodeSignalIntervals(e, b.Intervals)
	e.text(pEI, "baselineID", b.BaselineID)
	e.texts(pEI, "resourceID", b.ResourceIDs)
	e.text(pEI, "baselineName", b.BaselineName)
	if b.ItemBase != nil {
		b.ItemBase.encode(e)
	}
	e.close(pEI, "eiEventBaseline")
}

func (b *Baseline) decode(d *decoder) error {
	var haveStart, haveDur, haveIntervals, haveID, haveName bool
	err := d.children(func(se start) error {
		switch se.Name {
		case xcalN("dtstart"):
			haveStart = true
			return d.xcalDateTime(&b.Start)
		case xcalN("duration"):
			haveDur = true
			return d.durationProp(&b.Duration)
		case strmN("intervals"):
			haveIntervals = true
			return decodeSignalIntervals(d, &b.Intervals)
		case eiN("baselineID"):
			haveID = true
			return d.str(&b.BaselineID)
		case eiN("resourceID"):
			return d.appendStr(&b.ResourceIDs)
		case eiN("baselineName"):
			haveName = true
			return d.str(&b.BaselineName)
		}
		if k := itemKindOf(se.Name); k != "" {
			var err error
			b.ItemBase, err = d.item(k, se.Name.Space)
			return err
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveStart:
		return missing("dtstart")
	case !haveDur:
		return missing("duration")
	case !haveIntervals:
		return missing("intervals")
	case !haveID:
		return missing("baselineID")
	case !haveName:
		return missing("baselineName")
	}
	return nil
}

// CreatedEvent is oadrCreatedEvent (pyld:eiCreatedEvent): a VEN's opt-in or
// opt-out for events. EventResponses may be empty (EPRI's VEN sends an empty
// eventResponses once it has answered every event).
type CreatedEvent struct {
	Response       EiResponse
	EventResponses []EventResponse
	VenID          string
}

// EventResponse is one ei:eventResponse.
type EventResponse struct {
	Code             ResponseCode
	Description      string // optional
	RequestID        string // the requestID of the oadrDistributeEvent answered
	QualifiedEventID QualifiedEventID
	OptType          OptType
}

// QualifiedEventID is ei:qualifiedEventID: an event at one modification.
type QualifiedEventID struct {
	EventID            string
	ModificationNumber uint32
}

// MessageName returns "oadrCreatedEvent".
func (*CreatedEvent) MessageName() string { return "oadrCreatedEvent" }

func (m *CreatedEvent) encode(e *encoder) {
	e.open(pPyld, "eiCreatedEvent")
	m.Response.encode(e)
	if len(m.EventResponses) > 0 {
		e.open(pEI, "eventResponses")
		for _, r := range m.EventResponses {
			e.open(pEI, "eventResponse")
			e.responseCode(r.Code, "eiCreatedEvent/eventResponses/eventResponse/responseCode")
			e.optText(pEI, "responseDescription", r.Description)
			e.text(pPyld, "requestID", r.RequestID)
			r.QualifiedEventID.encode(e)
			e.enum(pEI, "optType", string(r.OptType), "eventResponse/optType")
			e.close(pEI, "eventResponse")
		}
		e.close(pEI, "eventResponses")
	}
	e.text(pEI, "venID", m.VenID)
	e.close(pPyld, "eiCreatedEvent")
}

func (m *CreatedEvent) decode(d *decoder) error {
	var haveResp, haveVen bool
	return d.only(pyldN("eiCreatedEvent"), func() error {
		err := d.children(func(se start) error {
			switch se.Name {
			case eiN("eiResponse"):
				haveResp = true
				return m.Response.decode(d)
			case eiN("eventResponses"):
				return d.each(eiN("eventResponse"), func() error {
					m.EventResponses = append(m.EventResponses, EventResponse{})
					return m.EventResponses[len(m.EventResponses)-1].decode(d)
				})
			case eiN("venID"):
				haveVen = true
				return d.str(&m.VenID)
			}
			return d.skip()
		})
		switch {
		case err != nil:
			return err
		case !haveResp:
			return missing("eiResponse")
		case !haveVen:
			return missing("venID")
		}
		return nil
	})
}

func (r *EventResponse) decode(d *decoder) error {
	var haveCode, haveReq, haveQID, haveOpt bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("responseCode"):
			haveCode = true
			return d.responseCode(&r.Code)
		case eiN("responseDescription"):
			return d.str(&r.Description)
		case pyldN("requestID"):
			haveReq = true
			return d.str(&r.RequestID)
		case eiN("qualifiedEventID"):
			haveQID = true
			return r.QualifiedEventID.decode(d)
		case eiN("optType"):
			haveOpt = true
			return enum(d, &r.OptType)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveCode:
		return missing("responseCode")
	case !haveReq:
		return missing("requestID")
	case !haveQID:
		return missing("qualifiedEventID")
	case !haveOpt:
		return missing("optType")
	}
	return nil
}

func (q *QualifiedEventID) encode(e *encoder) {
	e.open(pEI, "qualifiedEventID")
	e.text(pEI, "eventID", q.EventID)
	e.uint32(pEI, "modificationNumber", q.ModificationNumber)
	e.close(pEI, "qualifiedEventID")
}

func (q *QualifiedEventID) decode(d *decoder) error {
	var haveID, haveMod bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eventID"):
			haveID = true
			return d.str(&q.EventID)
		case eiN("modificationNumber"):
			haveMod = true
			return d.uint32(&q.ModificationNumber)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveID:
		return missing("eventID")
	case !haveMod:
		return missing("modificationNumber")
	}
	return nil
}
