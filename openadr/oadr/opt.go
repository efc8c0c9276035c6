package oadr

import (
	"time"
)

// CreateOpt is oadrCreateOpt: a VEN declaring availability (an opt schedule, with
// Availability) or opting an event in or out for some resources (with
// QualifiedEventID).
type CreateOpt struct {
	OptID         string
	OptType       OptType
	OptReason     OptReason
	MarketContext string // optional
	VenID         string
	// Availability is xcal:vavailability: the windows the opt applies to. nil
	// means absent.
	Availability    []Period
	CreatedDateTime time.Time
	RequestID       string
	// QualifiedEventID names the event for an event opt; nil for a schedule.
	QualifiedEventID *QualifiedEventID
	Target           Target  // eiTarget; may be empty
	DeviceClass      *Target // oadrDeviceClass (endDeviceAsset only), optional
}

// MessageName returns "oadrCreateOpt".
func (*CreateOpt) MessageName() string { return "oadrCreateOpt" }

func (m *CreateOpt) encode(e *encoder) {
	e.text(pEI, "optID", m.OptID)
	e.enum(pEI, "optType", string(m.OptType), "optType")
	e.enum(pEI, "optReason", string(m.OptReason), "optReason")
	e.optText(pEMIX, "marketContext", m.MarketContext)
	e.text(pEI, "venID", m.VenID)
	if m.Availability != nil {
		e.open(pXCal, "vavailability")
		if len(m.Availability) == 0 {
			e.empty(pXCal, "components")
		} else {
			e.open(pXCal, "components")
			for i := range m.Availability {
				e.open(pXCal, "available")
				m.Availability[i].encode(e)
				e.close(pXCal, "available")
			}
			e.close(pXCal, "components")
		}
		e.close(pXCal, "vavailability")
	}
	e.requiredDateTime(pEI, "createdDateTime", m.CreatedDateTime, "createdDateTime")
	e.text(pPyld, "requestID", m.RequestID)
	if m.QualifiedEventID != nil {
		m.QualifiedEventID.encode(e)
	}
	m.Target.encode(e, pEI, "eiTarget")
	if m.DeviceClass != nil {
		m.DeviceClass.encode(e, pOADR, "oadrDeviceClass")
	}
}

func (m *CreateOpt) decode(d *decoder) error { return decodeFields(d, m, createOptFields) }

var createOptFields = fields[CreateOpt]{
	{eiN("optID"), required, func(d *decoder, m *CreateOpt) error { return d.str(&m.OptID) }},
	{eiN("optType"), required, func(d *decoder, m *CreateOpt) error { return enum(d, &m.OptType) }},
	{eiN("optReason"), required, func(d *decoder, m *CreateOpt) error { return enum(d, &m.OptReason) }},
	{emixN("marketContext"), optional, func(d *decoder, m *CreateOpt) error { return enum(d, &m.MarketContext) }},
	{eiN("venID"), required, func(d *decoder, m *CreateOpt) error { return d.str(&m.VenID) }},
	{xcalN("vavailability"), optional, func(d *decoder, m *CreateOpt) error {
		m.Availability = []Period{}
		return d.each(xcalN("components"), func() error {
			return d.each(xcalN("available"), func() error {
				return d.only(xcalN("properties"), func() error { return decodeAppend(d, &m.Availability) })
			})
		})
	}},
	{eiN("createdDateTime"), required, func(d *decoder, m *CreateOpt) error { return d.dateTime(&m.CreatedDateTime) }},
	{pyldN("requestID"), required, func(d *decoder, m *CreateOpt) error { return d.str(&m.RequestID) }},
	{eiN("qualifiedEventID"), optional, func(d *decoder, m *CreateOpt) error { return decodeNew(d, &m.QualifiedEventID) }},
	{eiN("eiTarget"), required, func(d *decoder, m *CreateOpt) error { return m.Target.decode(d) }},
	{oadrN("oadrDeviceClass"), optional, func(d *decoder, m *CreateOpt) error { return decodeNew(d, &m.DeviceClass) }},
}

// CreatedOpt is oadrCreatedOpt: the VTN acknowledging oadrCreateOpt.
type CreatedOpt struct {
	Response EiResponse
	OptID    string
}

// MessageName returns "oadrCreatedOpt".
func (*CreatedOpt) MessageName() string { return "oadrCreatedOpt" }

func (m *CreatedOpt) encode(e *encoder) {
	m.Response.encode(e)
	e.text(pEI, "optID", m.OptID)
}

func (m *CreatedOpt) decode(d *decoder) error { return decodeFields(d, m, createdOptFields) }

var createdOptFields = fields[CreatedOpt]{
	{eiN("eiResponse"), required, func(d *decoder, m *CreatedOpt) error { return m.Response.decode(d) }},
	{eiN("optID"), required, func(d *decoder, m *CreatedOpt) error { return d.str(&m.OptID) }},
}

// CancelOpt is oadrCancelOpt: a VEN withdrawing an opt.
type CancelOpt struct {
	RequestID string
	OptID     string
	VenID     string
}

// MessageName returns "oadrCancelOpt".
func (*CancelOpt) MessageName() string { return "oadrCancelOpt" }

func (m *CancelOpt) encode(e *encoder) {
	e.text(pPyld, "requestID", m.RequestID)
	e.text(pEI, "optID", m.OptID)
	e.text(pEI, "venID", m.VenID)
}

func (m *CancelOpt) decode(d *decoder) error { return decodeFields(d, m, cancelOptFields) }

var cancelOptFields = fields[CancelOpt]{
	{pyldN("requestID"), required, func(d *decoder, m *CancelOpt) error { return d.str(&m.RequestID) }},
	{eiN("optID"), required, func(d *decoder, m *CancelOpt) error { return d.str(&m.OptID) }},
	{eiN("venID"), required, func(d *decoder, m *CancelOpt) error { return d.str(&m.VenID) }},
}

// CanceledOpt is oadrCanceledOpt: the VTN acknowledging oadrCancelOpt.
type CanceledOpt struct {
	Response EiResponse
	OptID    string // optional
}

// MessageName returns "oadrCanceledOpt".
func (*CanceledOpt) MessageName() string { return "oadrCanceledOpt" }

func (m *CanceledOpt) encode(e *encoder) {
	m.Response.encode(e)
	e.optText(pEI, "optID", m.OptID)
}

func (m *CanceledOpt) decode(d *decoder) error { return decodeFields(d, m, canceledOptFields) }

var canceledOptFields = fields[CanceledOpt]{
	{eiN("eiResponse"), required, func(d *decoder, m *CanceledOpt) error { return m.Response.decode(d) }},
	{eiN("optID"), optional, func(d *decoder, m *CanceledOpt) error { return d.str(&m.OptID) }},
}
