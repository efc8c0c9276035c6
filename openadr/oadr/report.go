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

func (m *RegisterReport) decode(d *decoder) error { return decodeFields(d, m, registerReportFields) }

var registerReportFields = fields[RegisterReport]{
	{pyldN("requestID"), required, func(d *decoder, m *RegisterReport) error { return d.str(&m.RequestID) }},
	{oadrN("oadrReport"), optional, func(d *decoder, m *RegisterReport) error { return decodeAppend(d, &m.Reports) }},
	{eiN("venID"), optional, func(d *decoder, m *RegisterReport) error { return d.str(&m.VenID) }},
	{eiN("reportRequestID"), optional, func(d *decoder, m *RegisterReport) error { return d.str(&m.ReportRequestID) }},
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
	return decodeFields(d, m, registeredReportFields)
}

var registeredReportFields = fields[RegisteredReport]{
	{eiN("eiResponse"), required, func(d *decoder, m *RegisteredReport) error { return m.Response.decode(d) }},
	{oadrN("oadrReportRequest"), optional, func(d *decoder, m *RegisteredReport) error { return decodeAppend(d, &m.ReportRequests) }},
	{eiN("venID"), optional, func(d *decoder, m *RegisteredReport) error { return d.str(&m.VenID) }},
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

func (m *CreateReport) decode(d *decoder) error { return decodeFields(d, m, createReportFields) }

var createReportFields = fields[CreateReport]{
	{pyldN("requestID"), required, func(d *decoder, m *CreateReport) error { return d.str(&m.RequestID) }},
	{oadrN("oadrReportRequest"), required, func(d *decoder, m *CreateReport) error { return decodeAppend(d, &m.ReportRequests) }},
	{eiN("venID"), optional, func(d *decoder, m *CreateReport) error { return d.str(&m.VenID) }},
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
	if len(m.PendingReports) == 0 {
		e.empty(pOADR, "oadrPendingReports")
	} else {
		e.open(pOADR, "oadrPendingReports")
		e.texts(pEI, "reportRequestID", m.PendingReports)
		e.close(pOADR, "oadrPendingReports")
	}
	e.optText(pEI, "venID", m.VenID)
}

func (m *CreatedReport) decode(d *decoder) error { return decodeFields(d, m, createdReportFields) }

var createdReportFields = fields[CreatedReport]{
	{eiN("eiResponse"), required, func(d *decoder, m *CreatedReport) error { return m.Response.decode(d) }},
	{oadrN("oadrPendingReports"), required, func(d *decoder, m *CreatedReport) error {
		return d.each(eiN("reportRequestID"), func() error { return d.appendStr(&m.PendingReports) })
	}},
	{eiN("venID"), optional, func(d *decoder, m *CreatedReport) error { return d.str(&m.VenID) }},
}

// UpdateReport is oadrUpdateReport: report data.
type UpdateReport struct {
	RequestID string
	Reports   []Report
	VenID     string // optional
}

// MessageName returns "oadrUpdateReport".
func (*UpdateReport) MessageName() string { return "oadrUpdateReport" }

// encode writes UpdateReport as RegisterReport, whose shape it has without
// the message-level reportRequestID.
func (m *UpdateReport) encode(e *encoder) {
	(&RegisterReport{RequestID: m.RequestID, Reports: m.Reports, VenID: m.VenID}).encode(e)
}

func (m *UpdateReport) decode(d *decoder) error { return decodeFields(d, m, updateReportFields) }

var updateReportFields = fields[UpdateReport]{
	{pyldN("requestID"), required, func(d *decoder, m *UpdateReport) error { return d.str(&m.RequestID) }},
	{oadrN("oadrReport"), optional, func(d *decoder, m *UpdateReport) error { return decodeAppend(d, &m.Reports) }},
	{eiN("venID"), optional, func(d *decoder, m *UpdateReport) error { return d.str(&m.VenID) }},
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

func (m *UpdatedReport) decode(d *decoder) error { return decodeFields(d, m, updatedReportFields) }

var updatedReportFields = fields[UpdatedReport]{
	{eiN("eiResponse"), required, func(d *decoder, m *UpdatedReport) error { return m.Response.decode(d) }},
	{oadrN("oadrCancelReport"), optional, func(d *decoder, m *UpdatedReport) error {
		m.CancelReport = &CancelReport{}
		return m.CancelReport.decode(d)
	}},
	{eiN("venID"), optional, func(d *decoder, m *UpdatedReport) error { return d.str(&m.VenID) }},
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

func (m *CancelReport) decode(d *decoder) error { return decodeFields(d, m, cancelReportFields) }

var cancelReportFields = fields[CancelReport]{
	{pyldN("requestID"), required, func(d *decoder, m *CancelReport) error { return d.str(&m.RequestID) }},
	{eiN("reportRequestID"), required, func(d *decoder, m *CancelReport) error { return d.appendStr(&m.ReportRequestIDs) }},
	{pyldN("reportToFollow"), required, func(d *decoder, m *CancelReport) error { return d.boolean(&m.ReportToFollow) }},
	{eiN("venID"), optional, func(d *decoder, m *CancelReport) error { return d.str(&m.VenID) }},
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

// CanceledReport has the fields of CreatedReport and the same children.

func (m *CanceledReport) encode(e *encoder) { (*CreatedReport)(m).encode(e) }

func (m *CanceledReport) decode(d *decoder) error { return (*CreatedReport)(m).decode(d) }
