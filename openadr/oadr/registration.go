package oadr

import (
	"time"
)

// ProfileName is oadr:oadrProfileName.
type ProfileName string

// Profiles.
const (
	Profile20a ProfileName = "2.0a"
	Profile20b ProfileName = "2.0b"
)

// TransportName is oadr:oadrTransportName.
type TransportName string

// Transports.
const (
	TransportSimpleHTTP TransportName = "simpleHttp"
	TransportXMPP       TransportName = "xmpp"
)

// ServiceName is oadr:oadrServiceName: one of the 2.0b services, which are also
// the last path element of the simple-HTTP endpoints.
type ServiceName string

// Services.
const (
	ServiceEiEvent         ServiceName = "EiEvent"
	ServiceEiOpt           ServiceName = "EiOpt"
	ServiceEiReport        ServiceName = "EiReport"
	ServiceEiRegisterParty ServiceName = "EiRegisterParty"
	ServiceOadrPoll        ServiceName = "OadrPoll"
)

// QueryRegistration is oadrQueryRegistration: a VEN asking what the VTN supports
// before it registers.
type QueryRegistration struct {
	RequestID string
}

// MessageName returns "oadrQueryRegistration".
func (*QueryRegistration) MessageName() string { return "oadrQueryRegistration" }

func (m *QueryRegistration) encode(e *encoder) { e.text(pPyld, "requestID", m.RequestID) }

func (m *QueryRegistration) decode(d *decoder) error {
	var haveReq bool
	err := d.children(func(se start) error {
		if se.Name == pyldN("requestID") {
			haveReq = true
			return d.str(&m.RequestID)
		}
		return d.skip()
	})
	if err == nil && !haveReq {
		err = missing("requestID")
	}
	return err
}

// CreatePartyRegistration is oadrCreatePartyRegistration: a VEN registering, or
// re-registering with its RegistrationID and VenID.
type CreatePartyRegistration struct {
	RequestID        string
	RegistrationID   string // optional; set when re-registering
	VenID            string // optional
	ProfileName      ProfileName
	TransportName    TransportName
	TransportAddress string // optional; push VENs only (OpenLEADR sends "None")
	ReportOnly       bool
	XMLSignature     bool
	VenName          string // optional
	HTTPPullModel    *bool  // optional; true for a pull VEN
}

// MessageName returns "oadrCreatePartyRegistration".
func (*CreatePartyRegistration) MessageName() string { return "oadrCreatePartyRegistration" }

func (m *CreatePartyRegistration) encode(e *encoder) {
	e.text(pPyld, "requestID", m.RequestID)
	e.optText(pEI, "registrationID", m.RegistrationID)
	e.optText(pEI, "venID", m.VenID)
	e.enum(pOADR, "oadrProfileName", string(m.ProfileName), "oadrProfileName")
	e.enum(pOADR, "oadrTransportName", string(m.TransportName), "oadrTransportName")
	e.optText(pOADR, "oadrTransportAddress", m.TransportAddress)
	e.boolean(pOADR, "oadrReportOnly", m.ReportOnly)
	e.boolean(pOADR, "oadrXmlSignature", m.XMLSignature)
	e.optText(pOADR, "oadrVenName", m.VenName)
	if m.HTTPPullModel != nil {
		e.boolean(pOADR, "oadrHttpPullModel", *m.HTTPPullModel)
	}
}

func (m *CreatePartyRegistration) decode(d *decoder) error {
	var haveReq, haveProfile, haveTransport, haveReportOnly, haveSig bool
	err := d.children(func(se start) error {
		switch se.Name {
		case pyldN("requestID"):
			haveReq = true
			return d.str(&m.RequestID)
		case eiN("registrationID"):
			return d.str(&m.RegistrationID)
		case eiN("venID"):
			return d.str(&m.VenID)
		case oadrN("oadrProfileName"):
			haveProfile = true
			return enum(d, &m.ProfileName)
		case oadrN("oadrTransportName"):
			haveTransport = true
			return enum(d, &m.TransportName)
		case oadrN("oadrTransportAddress"):
			return d.str(&m.TransportAddress)
		case oadrN("oadrReportOnly"):
			haveReportOnly = true
			return d.boolean(&m.ReportOnly)
		case oadrN("oadrXmlSignature"):
			haveSig = true
			return d.boolean(&m.XMLSignature)
		case oadrN("oadrVenName"):
			return d.str(&m.VenName)
		case oadrN("oadrHttpPullModel"):
			return d.boolPtr(&m.HTTPPullModel)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveReq:
		return missing("requestID")
	case !haveProfile:
		return missing("oadrProfileName")
	case !haveTransport:
		return missing("oadrTransportName")
	case !haveReportOnly:
		return missing("oadrReportOnly")
	case !haveSig:
		return missing("oadrXmlSignature")
	}
	return nil
}

// Profile is one oadrProfile of oadrProfiles: a profile and the transports the
// VTN offers for it.
type Profile struct {
	Name       ProfileName
	Transports []TransportName
}

// Service is one oadrService of oadrServiceSpecificInfo.
type Service struct {
	Name ServiceName
	Info []KeyValue // at least one for valid output
}

// Extension is one oadrExtension of oadrExtensions.
type Extension struct {
	Name string
	Info []KeyValue
}

// KeyValue is oadr:oadrInfo.
type KeyValue struct {
	Key   string
	Value string
}

// CreatedPartyRegistration is oadrCreatedPartyRegistration: the VTN's answer to
// oadrQueryRegistration (no RegistrationID or VenID unless already registered)
// and to oadrCreatePartyRegistration.
type CreatedPartyRegistration struct {
	Response       EiResponse
	RegistrationID string // optional
	VenID          string // optional
	VtnID          string
	Profiles       []Profile // at least one for valid output
	// PollFreq is oadrRequestedOadrPollFreq, how often a pull VEN should poll;
	// zero means absent.
	PollFreq time.Duration
	// ServiceSpecificInfo is oadrServiceSpecificInfo; nil means absent.
	ServiceSpecificInfo []Service
	// Extensions is oadrExtensions; nil means absent.
	Extensions []Extension
}

// MessageName returns "oadrCreatedPartyRegistration".
func (*CreatedPartyRegistration) MessageName() string { return "oadrCreatedPartyRegistration" }

func (m *CreatedPartyRegistration) encode(e *encoder) {
	m.Response.encode(e)
	e.optText(pEI, "registrationID", m.RegistrationID)
	e.optText(pEI, "venID", m.VenID)
	e.text(pEI, "vtnID", m.VtnID)
	e.open(pOADR, "oadrProfiles")
	if len(m.Profiles) == 0 {
		e.fail("oadrProfiles", "at least one profile is required")
	}
	for _, p := range m.Profiles {
		e.open(pOADR, "oadrProfile")
		e.enum(pOADR, "oadrProfileName", string(p.Name), "oadrProfiles/oadrProfile/oadrProfileName")
		e.open(pOADR, "oadrTransports")
		if len(p.Transports) == 0 {
			e.fail("oadrProfiles/oadrProfile/oadrTransports", "at least one transport is required")
		}
		for _, t := range p.Transports {
			e.open(pOADR, "oadrTransport")
			e.enum(pOADR, "oadrTransportName", string(t), "oadrProfiles/oadrProfile/oadrTransports/oadrTransport/oadrTransportName")
			e.close(pOADR, "oadrTransport")
		}
		e.close(pOADR, "oadrTransports")
		e.close(pOADR, "oadrProfile")
	}
	e.close(pOADR, "oadrProfiles")
	if m.PollFreq != 0 {
		e.durationProp(pOADR, "oadrRequestedOadrPollFreq", m.PollFreq)
	}
	if m.ServiceSpecificInfo != nil {
		e.open(pOADR, "oadrServiceSpecificInfo")
		for _, s := range m.ServiceSpecificInfo {
			e.open(pOADR, "oadrService")
			e.enum(pOADR, "oadrServiceName", string(s.Name), "oadrServiceSpecificInfo/oadrService/oadrServiceName")
			if len(s.Info) == 0 {
				e.fail("oadrServiceSpecificInfo/oadrService/oadrInfo", "at least one oadrInfo is required")
			}
			encodeInfo(e, s.Info)
			e.close(pOADR, "oadrService")
		}
		e.close(pOADR, "oadrServiceSpecificInfo")
	}
	if m.Extensions != nil {
		e.open(pOADR, "oadrExtensions")
		for _, x := range m.Extensions {
			e.open(pOADR, "oadrExtension")
			e.text(pOADR, "oadrExtensionName", x.Name)
			encodeInfo(e, x.Info)
			e.close(pOADR, "oadrExtension")
		}
		e.close(pOADR, "oadrExtensions")
	}
}

func encodeInfo(e *encoder, kvs []KeyValue) {
	for _, kv := range kvs {
		e.open(pOADR, "oadrInfo")
		e.text(pOADR, "oadrKey", kv.Key)
		e.text(pOADR, "oadrValue", kv.Value)
		e.close(pOADR, "oadrInfo")
	}
}

func (m *CreatedPartyRegistration) decode(d *decoder) error {
	var haveResp, haveVtn, haveProfiles bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eiResponse"):
			haveResp = true
			return m.Response.decode(d)
		case eiN("registrationID"):
			return d.str(&m.RegistrationID)
		case eiN("venID"):
			return d.str(&m.VenID)
		case eiN("vtnID"):
			haveVtn = true
			return d.str(&m.VtnID)
		case oadrN("oadrProfiles"):
			haveProfiles = true
			return d.each(oadrN("oadrProfile"), func() error {
				var p Profile
				if err := p.decode(d); err != nil {
					return err
				}
				m.Profiles = append(m.Profiles, p)
				return nil
			})
		case oadrN("oadrRequestedOadrPollFreq"):
			return d.durationProp(&m.PollFreq)
		case oadrN("oadrServiceSpecificInfo"):
			m.ServiceSpecificInfo = []Service{}
			return d.each(oadrN("oadrService"), func() error {
				var s Service
				err := d.children(func(se start) error {
					switch se.Name {
					case oadrN("oadrServiceName"):
						return enum(d, &s.Name)
					case oadrN("oadrInfo"):
						return d.info(&s.Info)
					}
					return d.skip()
				})
				m.ServiceSpecificInfo = append(m.ServiceSpecificInfo, s)
				return err
			})
		case oadrN("oadrExtensions"):
			m.Extensions = []Extension{}
			return d.each(oadrN("oadrExtension"), func() error {
				var x Extension
				err := d.children(func(se start) error {
					switch se.Name {
					case oadrN("oadrExtensionName"):
						return d.str(&x.Name)
					case oadrN("oadrInfo"):
						return d.info(&x.Info)
					}
					return d.skip()
				})
				m.Extensions = append(m.Extensions, x)
				return err
			})
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveResp:
		return missing("eiResponse")
	case !haveVtn:
		return missing("vtnID")
	case !haveProfiles:
		return missing("oadrProfiles")
	}
	return nil
}

func (p *Profile) decode(d *decoder) error {
	var haveName bool
	err := d.children(func(se start) error {
		switch se.Name {
		case oadrN("oadrProfileName"):
			haveName = true
			return enum(d, &p.Name)
		case oadrN("oadrTransports"):
			return d.each(oadrN("oadrTransport"), func() error {
				var t TransportName
				err := d.children(func(se start) error {
					if se.Name == oadrN("oadrTransportName") {
						return enum(d, &t)
					}
					return d.skip()
				})
				p.Transports = append(p.Transports, t)
				return err
			})
		}
		return d.skip()
	})
	if err == nil && !haveName {
		err = missing("oadrProfileName")
	}
	return err
}

func (d *decoder) info(p *[]KeyValue) error {
	var kv KeyValue
	err := d.children(func(se start) error {
		switch se.Name {
		case oadrN("oadrKey"):
			return d.str(&kv.Key)
		case oadrN("oadrValue"):
			return d.str(&kv.Value)
		}
		return d.skip()
	})
	*p = append(*p, kv)
	return err
}

// CancelPartyRegistration is oadrCancelPartyRegistration, sent by either side.
type CancelPartyRegistration struct {
	RequestID      string
	RegistrationID string
	VenID          string // optional
}

// MessageName returns "oadrCancelPartyRegistration".
func (*CancelPartyRegistration) MessageName() string { return "oadrCancelPartyRegistration" }

func (m *CancelPartyRegistration) encode(e *encoder) {
	e.text(pPyld, "requestID", m.RequestID)
	e.text(pEI, "registrationID", m.RegistrationID)
	e.optText(pEI, "venID", m.VenID)
}

func (m *CancelPartyRegistration) decode(d *decoder) error {
	var haveReq, haveReg bool
	err := d.children(func(se start) error {
		switch se.Name {
		case pyldN("requestID"):
			haveReq = true
			return d.str(&m.RequestID)
		case eiN("registrationID"):
			haveReg = true
			return d.str(&m.RegistrationID)
		case eiN("venID"):
			return d.str(&m.VenID)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveReq:
		return missing("requestID")
	case !haveReg:
		return missing("registrationID")
	}
	return nil
}

// CanceledPartyRegistration is oadrCanceledPartyRegistration, the answer to
// oadrCancelPartyRegistration.
type CanceledPartyRegistration struct {
	Response       EiResponse
	RegistrationID string // optional
	VenID          string // optional
}

// MessageName returns "oadrCanceledPartyRegistration".
func (*CanceledPartyRegistration) MessageName() string { return "oadrCanceledPartyRegistration" }

func (m *CanceledPartyRegistration) encode(e *encoder) {
	m.Response.encode(e)
	e.optText(pEI, "registrationID", m.RegistrationID)
	e.optText(pEI, "venID", m.VenID)
}

func (m *CanceledPartyRegistration) decode(d *decoder) error {
	var haveResp bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eiResponse"):
			haveResp = true
			return m.Response.decode(d)
		case eiN("registrationID"):
			return d.str(&m.RegistrationID)
		case eiN("venID"):
			return d.str(&m.VenID)
		}
		return d.skip()
	})
	if err == nil && !haveResp {
		err = missing("eiResponse")
	}
	return err
}

// RequestReregistration is oadrRequestReregistration: the VTN asking a VEN to
// register again. The VEN acknowledges with oadrResponse.
type RequestReregistration struct {
	VenID string
}

// MessageName returns "oadrRequestReregistration".
func (*RequestReregistration) MessageName() string { return "oadrRequestReregistration" }

func (m *RequestReregistration) encode(e *encoder) { e.text(pEI, "venID", m.VenID) }

func (m *RequestReregistration) decode(d *decoder) error {
	var haveVen bool
	err := d.children(func(se start) error {
		if se.Name == eiN("venID") {
			haveVen = true
			return d.str(&m.VenID)
		}
		return d.skip()
	})
	if err == nil && !haveVen {
		err = missing("venID")
	}
	return err
}
