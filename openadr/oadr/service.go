package oadr

// ServiceOf returns the simple-HTTP service a message belongs to: the endpoint
// ({base}/OpenADR2/Simple/2.0b/{service}) a VEN posts it to, or, for messages
// only a VTN sends, the service whose answers or poll replies carry it. A VEN
// sends oadrResponse only to acknowledge oadrRequestReregistration, so
// oadrResponse maps to EiRegisterParty. It returns "" for nil.
func ServiceOf(msg Message) ServiceName {
	switch msg.(type) {
	case *QueryRegistration, *CreatePartyRegistration, *CreatedPartyRegistration,
		*CancelPartyRegistration, *CanceledPartyRegistration, *RequestReregistration, *Response:
		return ServiceEiRegisterParty
	case *RegisterReport, *RegisteredReport, *CreateReport, *CreatedReport,
		*UpdateReport, *UpdatedReport, *CancelReport, *CanceledReport:
		return ServiceEiReport
	case *RequestEvent, *DistributeEvent, *CreatedEvent:
		return ServiceEiEvent
	case *CreateOpt, *CreatedOpt, *CancelOpt, *CanceledOpt:
		return ServiceEiOpt
	case *Poll:
		return ServiceOadrPoll
	}
	return ""
}
