package oadr

// RegisterReport is oadrRegisterReport: a party offering its reports (metadata
// reports, one oadrReport per report). VENs send it after registering; the VTN
// sends its own, possibly empty, through the poll queue.
type RegisterReport struct {
	RequestID string
	Reports   []Report
	VenID     string // optional
	// ReportRequestID is the optional message-level reportRequestID; conformant
	// VENs leave it empty and put "0" in every Report instead.
	ReportRequestID string
}

// MessageName returns "oadrRegisterReport".
func (*RegisterReport) MessageName() string { return "oadrRegisterReport" }

func (m *RegisterReport) encode(e *encoder) {
	e.text(pPyld, "requestID", m.RequestID)
	for i := range m.Reports {
		m.Reports[i].encode(e)
	}
	e.optText(pEI, "venID", m.VenID)
	e.optText(pEI, "reportRequestID", m.ReportRequestID)
}

func (m *RegisterReport) decode(d *decoder) error {
	var haveReq bool
	err := d.children(func(se start) error {
		switch se.Name {
		case pyldN("requestID"):
			haveReq = true
			return d.str(&m.RequestID)
		case oadrN("oadrReport"):
			m.Reports = append(m.Reports, Report{})
			return m.Reports[len(m.Reports)-1].decode(d)
		case eiN("venID"):
			return d.str(&m.VenID)
		case eiN("reportRequestID"):
			return d.str(&m.ReportRequestID)
		}
		return d.skip()
	})
	if err == nil && !haveReq {
		err = missing("requestID")
	}
	return err
}

// RegisteredReport is oadrRegisteredReport: the answer to oadrRegisterReport,
// optionally requesting some of the offered reports.
type RegisteredReport struct {
	Response       EiResponse
	ReportRequests []ReportRequest
	VenID          string // optional
}

// MessageName returns "oadrRegisteredReport".
func (*RegisteredReport) MessageName() string { return "oadrRegisteredReport" }

func (m *RegisteredReport) encode(e *encoder) {
	m.Response.encode(e)
	for i := range m.ReportRequests {
		m.ReportRequests[i].encode(e)
	}
	e.optText(pEI, "venID", m.VenID)
}

func (m *RegisteredReport) decode(d *decoder) error {
	var haveResp bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eiResponse"):
			haveResp = true
			return m.Response.decode(d)
		case oadrN("oadrReportRequest"):
			m.ReportRequests = append(m.ReportRequests, ReportRequest{})
			return m.ReportRequests[len(m.ReportRequests)-1].decode(d)
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

// CreateReport is oadrCreateReport: a request for reports outside registration
// (the VTN queues it for a pull VEN's next poll).
type CreateReport struct {
	RequestID      string
	ReportRequests []ReportRequest // at least one for valid output
	VenID          string          // optional
}

// MessageName returns "oadrCreateReport".
func (*CreateReport) MessageName() string { return "oadrCreateReport" }

func (m *CreateReport) encode(e *encoder) {
	e.text(pPyld, "requestID", m.RequestID)
	if len(m.ReportRequests) == 0 {
		e.fail("oadrReportRequest", "at least one report request is required")
	}
	for i := range m.ReportRequests {
		m.ReportRequests[i].encode(e)
	}
	e.optText(pEI, "venID", m.VenID)
}

func (m *CreateReport) decode(d *decoder) error {
	var haveReq bool
	err := d.children(func(se start) error {
		switch se.Name {
		case pyldN("requestID"):
			haveReq = true
			return d.str(&m.RequestID)
		case oadrN("oadrReportRequest"):
			m.ReportRequests = append(m.ReportRequests, ReportRequest{})
			return m.ReportRequests[len(m.ReportRequests)-1].decode(d)
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
	case len(m.ReportRequests) == 0:
		return missing("oadrReportRequest")
	}
	return nil
}

// CreatedReport is oadrCreatedReport: the answer to oadrCreateReport (or to
// report requests in oadrRegisteredReport), listing every report request the
// sender now has pending.
type CreatedReport struct {
	Response       EiResponse
	PendingReports []string // reportRequestIDs; empty is valid
	VenID          string   // optional
}

// MessageName returns "oadrCreatedReport".
func (*CreatedReport) MessageName() string { return "oadrCreatedReport" }

func (m *CreatedReport) encode(e *encoder) {
	m.Response.encode(e)
	encodePending(e, m.PendingReports)
	e.optText(pEI, "venID", m.VenID)
}

func (m *CreatedReport) decode(d *decoder) error {
	return decodeResponsePending(d, &m.Response, &m.PendingReports, &m.VenID)
}

// UpdateReport is oadrUpdateReport: report data.
type UpdateReport struct {
	RequestID string
	Reports   []Report
	VenID     string // optional
}

// MessageName returns "oadrUpdateReport".
func (*UpdateReport) MessageName() string { return "oadrUpdateReport" }

func (m *UpdateReport) encode(e *encoder) {
	e.text(pPyld, "requestID", m.RequestID)
	for i := range m.Reports {
		m.Reports[i].encode(e)
	}
	e.optText(pEI, "venID", m.VenID)
}

func (m *UpdateReport) decode(d *decoder) error {
	var haveReq bool
	err := d.children(func(se start) error {
		switch se.Name {
		case pyldN("requestID"):
			haveReq = true
			return d.str(&m.RequestID)
		case oadrN("oadrReport"):
			m.Reports = append(m.Reports, Report{})
			return m.Reports[len(m.Reports)-1].decode(d)
		case eiN("venID"):
			return d.str(&m.VenID)
		}
		return d.skip()
	})
	if err == nil && !haveReq {
		err = missing("requestID")
	}
	return err
}

// UpdatedReport is oadrUpdatedReport: the answer to oadrUpdateReport, which may
// carry an oadrCancelReport to stop reports.
type UpdatedReport struct {
	Response     EiResponse
	CancelReport *CancelReport // optional
	VenID        string        // optional
}

// MessageName returns "oadrUpdatedReport".
func (*UpdatedReport) MessageName() string { return "oadrUpdatedReport" }

func (m *UpdatedReport) encode(e *encoder) {
	m.Response.encode(e)
	if m.CancelReport != nil {
		e.open(pOADR, "oadrCancelReport")
		m.CancelReport.encode(e)
		e.close(pOADR, "oadrCancelReport")
	}
	e.optText(pEI, "venID", m.VenID)
}

func (m *UpdatedReport) decode(d *decoder) error {
	var haveResp bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eiResponse"):
			haveResp = true
			return m.Response.decode(d)
		case oadrN("oadrCancelReport"):
			m.CancelReport = &CancelReport{}
			return m.CancelReport.decode(d)
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

// CancelReport is oadrCancelReport: stop the listed report requests. With
// ReportToFollow the VEN sends one last report.
type CancelReport struct {
	RequestID        string
	ReportRequestIDs []string // at least one
	ReportToFollow   bool
	VenID            string // optional
}

// MessageName returns "oadrCancelReport".
func (*CancelReport) MessageName() string { return "oadrCancelReport" }

func (m *CancelReport) encode(e *encoder) {
	e.text(pPyld, "requestID", m.RequestID)
	if len(m.ReportRequestIDs) == 0 {
		e.fail("reportRequestID", "at least one reportRequestID is required")
	}
	e.texts(pEI, "reportRequestID", m.ReportRequestIDs)
	e.boolean(pPyld, "reportToFollow", m.ReportToFollow)
	e.optText(pEI, "venID", m.VenID)
}

func (m *CancelReport) decode(d *decoder) error {
	var haveReq, haveFollow bool
	err := d.children(func(se start) error {
		switch se.Name {
		case pyldN("requestID"):
			haveReq = true
			return d.str(&m.RequestID)
		case eiN("reportRequestID"):
			return d.appendStr(&m.ReportRequestIDs)
		case pyldN("reportToFollow"):
			haveFollow = true
			return d.boolean(&m.ReportToFollow)
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
	case len(m.ReportRequestIDs) == 0:
		return missing("reportRequestID")
	case !haveFollow:
		return missing("reportToFollow")
	}
	return nil
}

// CanceledReport is oadrCanceledReport: the answer to oadrCancelReport, listing
// the report requests still pending.
type CanceledReport struct {
	Response       EiResponse
	PendingReports []string
	VenID          string // optional
}

// MessageName returns "oadrCanceledReport".
func (*CanceledReport) MessageName() string { return "oadrCanceledReport" }

func (m *CanceledReport) encode(e *encoder) {
	m.Response.encode(e)
	encodePending(e, m.PendingReports)
	e.optText(pEI, "venID", m.VenID)
}

func (m *CanceledReport) decode(d *decoder) error {
	return decodeResponsePending(d, &m.Response, &m.PendingReports, &m.VenID)
}

func encodePending(e *encoder, ids []string) {
	if len(ids) == 0 {
		e.empty(pOADR, "oadrPendingReports")
		return
	}
	e.open(pOADR, "oadrPendingReports")
	e.texts(pEI, "reportRequestID", ids)
	e.close(pOADR, "oadrPendingReports")
}

// decodeResponsePending decodes the shared shape of oadrCreatedReport and
// oadrCanceledReport.
func decodeResponsePending(d *decoder, resp *EiResponse, pending *[]string, venID *string) error {
	var haveResp, havePending bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("eiResponse"):
			haveResp = true
			return resp.decode(d)
		case oadrN("oadrPendingReports"):
			havePending = true
			return d.children(func(se start) error {
				if se.Name == eiN("reportRequestID") {
					return d.appendStr(pending)
				}
				return d.skip()
			})
		case eiN("venID"):
			return d.str(venID)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveResp:
		return missing("eiResponse")
	case !havePending:
		return missing("oadrPendingReports")
	}
	return nil
}
