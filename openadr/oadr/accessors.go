package oadr

// Code that handles any message (a VTN's error answers and logs, say) reads
// the few fields that many messages share through the small interfaces
// below, instead of a type switch over every message type. The methods are
// named apart from the fields they read (RequestID, VenID, Response), which
// stay as they are.

// Request is a message that carries its own pyld:requestID, which the answer
// to it echoes.
type Request interface {
	Message
	// RequestRef returns the message's own requestID.
	RequestRef() string
}

// Answer is a message whose ei:eiResponse answers an earlier request.
type Answer interface {
	Message
	// InResponseTo returns the requestID the eiResponse echoes: "" for an
	// answer to oadrPoll, and for an oadrDistributeEvent that carries no
	// eiResponse.
	InResponseTo() string
}

// VENNamed is a message that names a VEN (ei:venID).
type VENNamed interface {
	Message
	// VENID returns the venID the message names ("" when the optional
	// element is absent).
	VENID() string
}

// RequestRef returns the message's requestID.
func (m *QueryRegistration) RequestRef() string { return m.RequestID }

// RequestRef returns the message's requestID.
func (m *CreatePartyRegistration) RequestRef() string { return m.RequestID }

// RequestRef returns the message's requestID.
func (m *CancelPartyRegistration) RequestRef() string { return m.RequestID }

// RequestRef returns the message's requestID.
func (m *RegisterReport) RequestRef() string { return m.RequestID }

// RequestRef returns the message's requestID.
func (m *CreateReport) RequestRef() string { return m.RequestID }

// RequestRef returns the message's requestID.
func (m *UpdateReport) RequestRef() string { return m.RequestID }

// RequestRef returns the message's requestID.
func (m *CancelReport) RequestRef() string { return m.RequestID }

// RequestRef returns the message's requestID.
func (m *RequestEvent) RequestRef() string { return m.RequestID }

// RequestRef returns the message's own requestID (the one eventResponses
// echo), not the one its eiResponse answers.
func (m *DistributeEvent) RequestRef() string { return m.RequestID }

// RequestRef returns the message's requestID.
func (m *CreateOpt) RequestRef() string { return m.RequestID }

// RequestRef returns the message's requestID.
func (m *CancelOpt) RequestRef() string { return m.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *Response) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *CreatedPartyRegistration) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *CanceledPartyRegistration) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *RegisteredReport) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *CreatedReport) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *UpdatedReport) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *CanceledReport) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *CreatedEvent) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *CreatedOpt) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse.
func (m *CanceledOpt) InResponseTo() string { return m.Response.RequestID }

// InResponseTo returns the requestID of the eiResponse, "" without one (an
// event list delivered by poll).
func (m *DistributeEvent) InResponseTo() string {
	if m.Response == nil {
		return ""
	}
	return m.Response.RequestID
}

// VENID returns the message's venID.
func (m *Poll) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *Response) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CreatePartyRegistration) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CreatedPartyRegistration) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CancelPartyRegistration) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CanceledPartyRegistration) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *RequestReregistration) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *RegisterReport) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *RegisteredReport) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CreateReport) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CreatedReport) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *UpdateReport) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *UpdatedReport) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CancelReport) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CanceledReport) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *RequestEvent) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CreatedEvent) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CreateOpt) VENID() string { return m.VenID }

// VENID returns the message's venID.
func (m *CancelOpt) VENID() string { return m.VenID }

var (
	_ Request  = (*QueryRegistration)(nil)
	_ Answer   = (*DistributeEvent)(nil)
	_ VENNamed = (*Poll)(nil)
)
