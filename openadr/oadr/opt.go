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

func (m *CreateOpt) decode(d *decoder) error {
	var haveID, haveType, haveReason, haveVen, haveCreated, haveReq, haveTarget bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("optID"):
			haveID = true
			return d.str(&m.OptID)
		case eiN("optType"):
			haveType = true
			return enum(d, &m.OptType)
		case eiN("optReason"):
			haveReason = true
			return enum(d, &m.OptReason)
		case emixN("marketContext"):
			return enum(d, &m.MarketContext)
		case eiN("venID"):
			haveVen = true
			return d.str(&m.VenID)
		case xcalN("vavailability"):
			m.Availability = []Period{}
			return d.each(xcalN("components"), func() error {
				return d.each(xcalN("available"), func() error {
					return d.only(xcalN("properties"), func() error {
						m.Availability = append(m.Availability, Period{})
						return m.Availability[len(m.Availability)-1].decode(d)
					})
				})
			})
		case eiN("createdDateTime"):
			haveCreated = true
			return d.dateTime(&m.CreatedDateTime)
		case pyldN("requestID"):
			haveReq = true
			return d.str(&m.RequestID)
		case eiN("qualifiedEventID"):
			m.QualifiedEventID = &QualifiedEventID{}
			return m.QualifiedEventID.decode(d)
		case eiN("eiTarget"):
			haveTarget = true
			return m.Target.decode(d)
		case oadrN("oadrDeviceClass"):
			m.DeviceClass = &Target{}
			return m.DeviceClass.decode(d)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveID:
		return missing("optID")
	case !haveType:
		return missing("optType")
	case !haveReason:
		return missing("optReason")
	case !haveVen:
		return missing("venID")
	case !haveCreated:
		return missing("createdDateTime")
	case !haveReq:
		return missing("requestID")
	case !haveTarget:
		return missing("eiTarget")
	}
	return nil
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

func (m *CreatedOpt) decode(d *decoder) error {
	var haveResp, haveID bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eiResponse"):
			haveResp = true
			return m.Response.decode(d)
		case eiN("optID"):
			haveID = true
			return d.str(&m.OptID)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveResp:
		return missing("eiResponse")
	case !haveID:
		return missing("optID")
	}
	return nil
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

func (m *CancelOpt) decode(d *decoder) error {
	var haveReq, haveID, haveVen bool
	err := d.children(func(se start) error {
		switch se.Name {
		case pyldN("requestID"):
			haveReq = true
			return d.str(&m.RequestID)
		case eiN("optID"):
			haveID = true
			return d.str(&m.OptID)
		case eiN("venID"):
			haveVen = true
			return d.str(&m.VenID)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveReq:
		return missing("requestID")
	case !haveID:
		return missing("optID")
	case !haveVen:
		return missing("venID")
	}
	return nil
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

func (m *CanceledOpt) decode(d *decoder) error {
	var haveResp bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eiResponse"):
			haveResp = true
			return m.Response.decode(d)
		case eiN("optID"):
			return d.str(&m.OptID)
		}
		return d.skip()
	})
	if err == nil && !haveResp {
		err = missing("eiResponse")
	}
	return err
}
