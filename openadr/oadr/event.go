package oadr

import (
	"encoding/xml"
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
	return d.only(pyldN("eiRequestEvent"), func() error { return decodeFields(d, m, requestEventFields) })
}

var requestEventFields = fields[RequestEvent]{
	{pyldN("requestID"), required, func(d *decoder, m *RequestEvent) error { return d.str(&m.RequestID) }},
	{eiN("venID"), required, func(d *decoder, m *RequestEvent) error { return d.str(&m.VenID) }},
	{pyldN("replyLimit"), optional, func(d *decoder, m *RequestEvent) error { return d.uint32(&m.ReplyLimit) }},
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

func (m *DistributeEvent) decode(d *decoder) error { return decodeFields(d, m, distributeEventFields) }

var distributeEventFields = fields[DistributeEvent]{
	{eiN("eiResponse"), optional, func(d *decoder, m *DistributeEvent) error { return decodeNew(d, &m.Response) }},
	{pyldN("requestID"), required, func(d *decoder, m *DistributeEvent) error { return d.str(&m.RequestID) }},
	{eiN("vtnID"), required, func(d *decoder, m *DistributeEvent) error { return d.str(&m.VtnID) }},
	{oadrN("oadrEvent"), optional, func(d *decoder, m *DistributeEvent) error { return decodeAppend(d, &m.Events) }},
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

func (ev *Event) decode(d *decoder) error { return decodeFields(d, ev, eventFields) }

var eventFields = fields[Event]{
	{eiN("eiEvent"), required, func(d *decoder, ev *Event) error { return decodeFields(d, ev, eiEventFields) }},
	{oadrN("oadrResponseRequired"), required, func(d *decoder, ev *Event) error { return enum(d, &ev.ResponseRequired) }},
}

// eiEventFields are the children of ei:eiEvent, which Event flattens.
var eiEventFields = fields[Event]{
	{eiN("eventDescriptor"), required, func(d *decoder, ev *Event) error { return ev.Descriptor.decode(d) }},
	{eiN("eiActivePeriod"), required, func(d *decoder, ev *Event) error {
		// xcal:components, always empty in 2.0b, is skipped.
		return d.only(xcalN("properties"), func() error { return ev.ActivePeriod.decode(d) })
	}},
	{eiN("eiEventSignals"), required, func(d *decoder, ev *Event) error { return decodeFields(d, ev, eventSignalsFields) }},
	{eiN("eiTarget"), required, func(d *decoder, ev *Event) error { return ev.Target.decode(d) }},
}

// eventSignalsFields are the children of ei:eiEventSignals.
var eventSignalsFields = fields[Event]{
	{eiN("eiEventSignal"), required, func(d *decoder, ev *Event) error { return decodeAppend(d, &ev.Signals) }},
	{eiN("eiEventBaseline"), optional, func(d *decoder, ev *Event) error { return decodeNew(d, &ev.Baseline) }},
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
	return decodeFields(d, ed, eventDescriptorFields)
}

var eventDescriptorFields = fields[EventDescriptor]{
	{eiN("eventID"), required, func(d *decoder, ed *EventDescriptor) error { return d.str(&ed.EventID) }},
	{eiN("modificationNumber"), required, func(d *decoder, ed *EventDescriptor) error { return d.uint32(&ed.ModificationNumber) }},
	{eiN("modificationDateTime"), optional, func(d *decoder, ed *EventDescriptor) error { return d.dateTime(&ed.ModificationDateTime) }},
	{eiN("modificationReason"), optional, func(d *decoder, ed *EventDescriptor) error { return d.str(&ed.ModificationReason) }},
	{eiN("priority"), optional, func(d *decoder, ed *EventDescriptor) error { return d.uint32(&ed.Priority) }},
	{eiN("eiMarketContext"), required, func(d *decoder, ed *EventDescriptor) error {
		return d.textChild(emixN("marketContext"), &ed.MarketContext)
	}},
	{eiN("createdDateTime"), required, func(d *decoder, ed *EventDescriptor) error { return d.dateTime(&ed.CreatedDateTime) }},
	{eiN("eventStatus"), required, func(d *decoder, ed *EventDescriptor) error { return enum(d, &ed.Status) }},
	{eiN("testEvent"), optional, func(d *decoder, ed *EventDescriptor) error {
		s, err := d.trimmed()
		ed.TestEvent = string(s) == "true" || string(s) == "1"
		return err
	}},
	{eiN("vtnComment"), optional, func(d *decoder, ed *EventDescriptor) error { return d.str(&ed.VtnComment) }},
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
	return decodeFieldsOr(d, s, eventSignalFields, func(d *decoder, s *EventSignal, n xml.Name) (bool, error) {
		return d.itemBase(n, &s.ItemBase)
	})
}

var eventSignalFields = fields[EventSignal]{
	{strmN("intervals"), required, func(d *decoder, s *EventSignal) error { return decodeSignalIntervals(d, &s.Intervals) }},
	{eiN("eiTarget"), optional, func(d *decoder, s *EventSignal) error { return decodeNew(d, &s.Target) }},
	{eiN("signalName"), required, func(d *decoder, s *EventSignal) error { return enum(d, &s.SignalName) }},
	{eiN("signalType"), required, func(d *decoder, s *EventSignal) error { return enum(d, &s.SignalType) }},
	{eiN("signalID"), required, func(d *decoder, s *EventSignal) error { return d.str(&s.SignalID) }},
	{eiN("currentValue"), optional, func(d *decoder, s *EventSignal) error {
		var v float64
		err := d.only(eiN("payloadFloat"), func() error { return d.payloadFloat(&v) })
		s.CurrentValue = &v
		return err
	}},
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
	return d.each(eiN("interval"), func() error { return decodeAppend(d, ivs) })
}

func (iv *SignalInterval) decode(d *decoder) error { return decodeFields(d, iv, signalIntervalFields) }

var signalIntervalFields = fields[SignalInterval]{
	{xcalN("dtstart"), optional, func(d *decoder, iv *SignalInterval) error { return d.xcalDateTime(&iv.Start) }},
	{xcalN("duration"), optional, func(d *decoder, iv *SignalInterval) error { return d.durationProp(&iv.Duration) }},
	{xcalN("uid"), optional, func(d *decoder, iv *SignalInterval) error { return d.textChild(xcalN("text"), &iv.UID) }},
	{eiN("signalPayload"), single, func(d *decoder, iv *SignalInterval) error {
		return d.only(eiN("payloadFloat"), func() error { return d.payloadFloat(&iv.Value) })
	}},
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
	return decodeFieldsOr(d, b, baselineFields, func(d *decoder, b *Baseline, n xml.Name) (bool, error) {
		return d.itemBase(n, &b.ItemBase)
	})
}

var baselineFields = fields[Baseline]{
	{xcalN("dtstart"), required, func(d *decoder, b *Baseline) error { return d.xcalDateTime(&b.Start) }},
	{xcalN("duration"), required, func(d *decoder, b *Baseline) error { return d.durationProp(&b.Duration) }},
	{strmN("intervals"), required, func(d *decoder, b *Baseline) error { return decodeSignalIntervals(d, &b.Intervals) }},
	{eiN("baselineID"), required, func(d *decoder, b *Baseline) error { return d.str(&b.BaselineID) }},
	{eiN("resourceID"), optional, func(d *decoder, b *Baseline) error { return d.appendStr(&b.ResourceIDs) }},
	{eiN("baselineName"), required, func(d *decoder, b *Baseline) error { return d.str(&b.BaselineName) }},
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
	return d.only(pyldN("eiCreatedEvent"), func() error { return decodeFields(d, m, createdEventFields) })
}

var createdEventFields = fields[CreatedEvent]{
	{eiN("eiResponse"), required, func(d *decoder, m *CreatedEvent) error { return m.Response.decode(d) }},
	{eiN("eventResponses"), optional, func(d *decoder, m *CreatedEvent) error {
		return d.each(eiN("eventResponse"), func() error { return decodeAppend(d, &m.EventResponses) })
	}},
	{eiN("venID"), required, func(d *decoder, m *CreatedEvent) error { return d.str(&m.VenID) }},
}

func (r *EventResponse) decode(d *decoder) error { return decodeFields(d, r, eventResponseFields) }

var eventResponseFields = fields[EventResponse]{
	{eiN("responseCode"), required, func(d *decoder, r *EventResponse) error { return d.responseCode(&r.Code) }},
	{eiN("responseDescription"), optional, func(d *decoder, r *EventResponse) error { return d.str(&r.Description) }},
	{pyldN("requestID"), required, func(d *decoder, r *EventResponse) error { return d.str(&r.RequestID) }},
	{eiN("qualifiedEventID"), required, func(d *decoder, r *EventResponse) error { return r.QualifiedEventID.decode(d) }},
	{eiN("optType"), required, func(d *decoder, r *EventResponse) error { return enum(d, &r.OptType) }},
}

func (q *QualifiedEventID) encode(e *encoder) {
	e.open(pEI, "qualifiedEventID")
	e.text(pEI, "eventID", q.EventID)
	e.uint32(pEI, "modificationNumber", q.ModificationNumber)
	e.close(pEI, "qualifiedEventID")
}

func (q *QualifiedEventID) decode(d *decoder) error {
	return decodeFields(d, q, qualifiedEventIDFields)
}

var qualifiedEventIDFields = fields[QualifiedEventID]{
	{eiN("eventID"), required, func(d *decoder, q *QualifiedEventID) error { return d.str(&q.EventID) }},
	{eiN("modificationNumber"), required, func(d *decoder, q *QualifiedEventID) error { return d.uint32(&q.ModificationNumber) }},
}
