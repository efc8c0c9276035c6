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
	return decodeFields(d, m, queryRegistrationFields)
}

var queryRegistrationFields = fields[QueryRegistration]{
	{pyldN("requestID"), required, func(d *decoder, m *QueryRegistration) error { return d.str(&m.RequestID) }},
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
	return decodeFields(d, m, createPartyRegistrationFields)
}

var createPartyRegistrationFields = fields[CreatePartyRegistration]{
	{pyldN("requestID"), required, func(d *decoder, m *CreatePartyRegistration) error { return d.str(&m.RequestID) }},
	{eiN("registrationID"), optional, func(d *decoder, m *CreatePartyRegistration) error { return d.str(&m.RegistrationID) }},
	{eiN("venID"), optional, func(d *decoder, m *CreatePartyRegistration) error { return d.str(&m.VenID) }},
	{oadrN("oadrProfileName"), required, func(d *decoder, m *CreatePartyRegistration) error { return enum(d, &m.ProfileName) }},
	{oadrN("oadrTransportName"), required, func(d *decoder, m *CreatePartyRegistration) error { return enum(d, &m.TransportName) }},
	{oadrN("oadrTransportAddress"), optional, func(d *decoder, m *CreatePartyRegistration) error {
		return d.str(&m.TransportAddress)
	}},
	{oadrN("oadrReportOnly"), required, func(d *decoder, m *CreatePartyRegistration) error { return d.boolean(&m.ReportOnly) }},
	{oadrN("oadrXmlSignature"), required, func(d *decoder, m *CreatePartyRegistration) error { return d.boolean(&m.XMLSignature) }},
	{oadrN("oadrVenName"), optional, func(d *decoder, m *CreatePartyRegistration) error { return d.str(&m.VenName) }},
	{oadrN("oadrHttpPullModel"), optional, func(d *decoder, m *CreatePartyRegistration) error { return d.boolPtr(&m.HTTPPullModel) }},
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
	return decodeFields(d, m, createdPartyRegistrationFields)
}

var createdPartyRegistrationFields = fields[CreatedPartyRegistration]{
	{eiN("eiResponse"), required, func(d *decoder, m *CreatedPartyRegistration) error { return m.Response.decode(d) }},
	{eiN("registrationID"), optional, func(d *decoder, m *CreatedPartyRegistration) error { return d.str(&m.RegistrationID) }},
	{eiN("venID"), optional, func(d *decoder, m *CreatedPartyRegistration) error { return d.str(&m.VenID) }},
	{eiN("vtnID"), required, func(d *decoder, m *CreatedPartyRegistration) error { return d.str(&m.VtnID) }},
	{oadrN("oadrProfiles"), required, func(d *decoder, m *CreatedPartyRegistration) error {
		return d.each(oadrN("oadrProfile"), func() error { return decodeAppend(d, &m.Profiles) })
	}},
	{oadrN("oadrRequestedOadrPollFreq"), optional, func(d *decoder, m *CreatedPartyRegistration) error {
		return d.durationProp(&m.PollFreq)
	}},
	{oadrN("oadrServiceSpecificInfo"), optional, func(d *decoder, m *CreatedPartyRegistration) error {
		m.ServiceSpecificInfo = []Service{}
		return d.each(oadrN("oadrService"), func() error { return decodeAppend(d, &m.ServiceSpecificInfo) })
	}},
	{oadrN("oadrExtensions"), optional, func(d *decoder, m *CreatedPartyRegistration) error {
		m.Extensions = []Extension{}
		return d.each(oadrN("oadrExtension"), func() error { return decodeAppend(d, &m.Extensions) })
	}},
}

func (s *Service) decode(d *decoder) error { return decodeFields(d, s, serviceFields) }

var serviceFields = fields[Service]{
	{oadrN("oadrServiceName"), optional, func(d *decoder, s *Service) error { return enum(d, &s.Name) }},
	{oadrN("oadrInfo"), optional, func(d *decoder, s *Service) error { return decodeAppend(d, &s.Info) }},
}

func (x *Extension) decode(d *decoder) error { return decodeFields(d, x, extensionFields) }

var extensionFields = fields[Extension]{
	{oadrN("oadrExtensionName"), optional, func(d *decoder, x *Extension) error { return d.str(&x.Name) }},
	{oadrN("oadrInfo"), optional, func(d *decoder, x *Extension) error { return decodeAppend(d, &x.Info) }},
}

func (p *Profile) decode(d *decoder) error { return decodeFields(d, p, profileFields) }

var profileFields = fields[Profile]{
	{oadrN("oadrProfileName"), required, func(d *decoder, p *Profile) error { return enum(d, &p.Name) }},
	{oadrN("oadrTransports"), optional, func(d *decoder, p *Profile) error {
		return d.each(oadrN("oadrTransport"), func() error {
			p.Transports = append(p.Transports, "")
			t := &p.Transports[len(p.Transports)-1]
			return d.each(oadrN("oadrTransportName"), func() error { return enum(d, t) })
		})
	}},
}

func (kv *KeyValue) decode(d *decoder) error { return decodeFields(d, kv, keyValueFields) }

var keyValueFields = fields[KeyValue]{
	{oadrN("oadrKey"), optional, func(d *decoder, kv *KeyValue) error { return d.str(&kv.Key) }},
	{oadrN("oadrValue"), optional, func(d *decoder, kv *KeyValue) error { return d.str(&kv.Value) }},
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
	return decodeFields(d, m, cancelPartyRegistrationFields)
}

var cancelPartyRegistrationFields = fields[CancelPartyRegistration]{
	{pyldN("requestID"), required, func(d *decoder, m *CancelPartyRegistration) error { return d.str(&m.RequestID) }},
	{eiN("registrationID"), required, func(d *decoder, m *CancelPartyRegistration) error { return d.str(&m.RegistrationID) }},
	{eiN("venID"), optional, func(d *decoder, m *CancelPartyRegistration) error { return d.str(&m.VenID) }},
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
	return decodeFields(d, m, canceledPartyRegistrationFields)
}

var canceledPartyRegistrationFields = fields[CanceledPartyRegistration]{
	{eiN("eiResponse"), required, func(d *decoder, m *CanceledPartyRegistration) error { return m.Response.decode(d) }},
	{eiN("registrationID"), optional, func(d *decoder, m *CanceledPartyRegistration) error { return d.str(&m.RegistrationID) }},
	{eiN("venID"), optional, func(d *decoder, m *CanceledPartyRegistration) error { return d.str(&m.VenID) }},
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
	return decodeFields(d, m, requestReregistrationFields)
}

var requestReregistrationFields = fields[RequestReregistration]{
	{eiN("venID"), required, func(d *decoder, m *RequestReregistration) error { return d.str(&m.VenID) }},
}
