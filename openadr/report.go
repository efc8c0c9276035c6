package openadr

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// ReportRequestDelivery says how report requests reach a VEN.
type ReportRequestDelivery int

const (
	// DeliverByPoll queues an oadrCreateReport for the VEN's next poll. Every
	// VEN handles it; EPRI's VEN handles only this.
	DeliverByPoll ReportRequestDelivery = iota
	// DeliverInRegisteredReport puts the requests chosen at report
	// registration in the oadrRegisteredReport answer, as OpenLEADR's VTN
	// does; EPRI's VEN ignores them there. Requests made later with
	// RequestReports are queued either way. (Both at once would make
	// OpenLEADR's VEN send every report twice.)
	DeliverInRegisteredReport
)

// ReportRequest asks a VEN for one of the reports it offered.
type ReportRequest struct {
	// ReportRequestID identifies the request; empty means generated.
	ReportRequestID string
	// ReportSpecifierID names the offered report.
	ReportSpecifierID string
	// RIDs are the data points wanted; nil means all the report offers.
	RIDs []string
	// Granularity is the sampling period; zero asks for one report now.
	Granularity time.Duration
	// ReportBackDuration is how often the VEN sends oadrUpdateReport; zero
	// means Granularity. It is always sent: OpenLEADR's VEN requires it.
	ReportBackDuration time.Duration
	// Interval limits the reporting to a window; nil means from now on.
	Interval *oadr.Period
}

// ReportStatus is where a report request stands.
type ReportStatus string

// Report request statuses.
const (
	// ReportRequested: queued or sent, not yet confirmed by the VEN.
	ReportRequested ReportStatus = "requested"
	// ReportActive: the VEN listed it in oadrPendingReports or sent data.
	ReportActive ReportStatus = "active"
	// ReportCancelling: the VTN sent oadrCancelReport and awaits the answer.
	ReportCancelling ReportStatus = "cancelling"
)

// ReportRequestState is a report request the VTN made to a VEN.
type ReportRequestState struct {
	Request ReportRequest // with its ReportRequestID
	Status  ReportStatus
	// SentIn is the requestID of the message that carried the request
	// (oadrCreateReport, or the VEN's oadrRegisterReport when the request
	// rode in oadrRegisteredReport): the VEN's oadrCreatedReport echoes it.
	SentIn      string
	RequestedAt time.Time
	// LastUpdateAt is when the latest oadrUpdateReport for it arrived.
	LastUpdateAt time.Time
}

// registerReport takes the reports a VEN offers and answers
// oadrRegisteredReport. The report registration hook chooses what to request.
func (v *VTN) registerReport(ctx context.Context, c Caller, m *oadr.RegisterReport) (oadr.Message, error) {
	if err := checkOffered(m.Reports); err != nil {
		return nil, err
	}
	venID := m.VenID
	// Check the VEN before the hook sees its reports.
	if err := v.updateVEN(ctx, c, venID, func(*VENState) error { return nil }); err != nil {
		return nil, err
	}
	var wanted []ReportRequest
	if v.hooks.reportRegistration != nil {
		var err error
		if wanted, err = v.hooks.reportRegistration(ctx, venID, m.Reports); err != nil {
			return nil, err
		}
	}
	shareOffer(v.offers, m.Reports)
	var embedded []oadr.ReportRequest
	err := v.updateVEN(ctx, c, venID, func(st *VENState) error {
		now := v.clock.Now()
		// A new offer replaces the old one; requests for the old one are
		// void (the VEN has restarted its reporting).
		offer := VENState{Reports: m.Reports}
		reqs, states, err := offer.resolve(wanted, now)
		if err != nil {
			return err
		}
		st.Reports = m.Reports
		st.ReportRequests = nil
		st.Queue = slices.DeleteFunc(st.Queue, func(q Queued) bool {
			switch q.Message.(type) {
			case *oadr.CreateReport, *oadr.CancelReport:
				return true
			}
			return false
		})
		if len(reqs) == 0 || st.Registration.CancelRequestID != "" {
			return nil
		}
		sentIn := m.RequestID
		if v.delivery == DeliverByPoll {
			sentIn = newID()
			st.enqueue(&oadr.CreateReport{RequestID: sentIn, ReportRequests: reqs, VenID: venID}, now)
		} else {
			embedded = reqs
		}
		for i := range states {
			states[i].SentIn = sentIn
		}
		st.ReportRequests = states
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), ReportRequests: embedded, VenID: venID}, nil
}

// checkOffered rejects offered reports the VTN could not use.
func checkOffered(reports []oadr.Report) error {
	for i, r := range reports {
		if r.ReportSpecifierID == "" {
			return Reject(oadr.CodeInvalidData, "oadrReport[%d]: empty reportSpecifierID", i)
		}
		for _, d := range r.Descriptions {
			if d.RID == "" {
				return Reject(oadr.CodeInvalidData, "report %q: a description has an empty rID", r.ReportSpecifierID)
			}
			if d.ItemBase != nil {
				if _, ok := d.ItemBase.Scale.Exponent(); !ok {
					return Reject(oadr.CodeInvalidData, "report %q, rID %q: unknown siScaleCode %q", r.ReportSpecifierID, d.RID, d.ItemBase.Scale)
				}
			}
		}
	}
	return nil
}

// resolve checks report requests against the reports st offers and returns
// them in wire form and as stored state.
func (st *VENState) resolve(wanted []ReportRequest, now time.Time) ([]oadr.ReportRequest, []ReportRequestState, error) {
	var (
		reqs   []oadr.ReportRequest
		states []ReportRequestState
	)
	for i, w := range wanted {
		field := fmt.Sprintf("ReportRequest[%d]", i)
		report := st.offered(w.ReportSpecifierID)
		switch {
		case report == nil:
			return nil, nil, energy.Invalid(field+".ReportSpecifierID", "the VEN offers no report %q", w.ReportSpecifierID)
		case w.Granularity < 0 || w.Granularity%time.Second != 0:
			return nil, nil, energy.Invalid(field+".Granularity", "%v is not a whole number of seconds ≥ 0", w.Granularity)
		case w.ReportBackDuration < 0 || w.ReportBackDuration%time.Second != 0:
			return nil, nil, energy.Invalid(field+".ReportBackDuration", "%v is not a whole number of seconds ≥ 0", w.ReportBackDuration)
		}
		if w.ReportRequestID == "" {
			w.ReportRequestID = newID()
		} else if err := checkID(field+".ReportRequestID", w.ReportRequestID); err != nil {
			return nil, nil, err
		}
		if w.ReportBackDuration == 0 {
			w.ReportBackDuration = w.Granularity
		}
		spec := oadr.ReportSpecifier{
			ReportSpecifierID:  w.ReportSpecifierID,
			Granularity:        w.Granularity,
			ReportBackDuration: w.ReportBackDuration,
			ReportInterval:     w.Interval,
		}
		var wanted []*oadr.ReportDescription
		if w.RIDs == nil {
			// All of them, without a lookup each: offers can be large.
			for i := range report.Descriptions {
				wanted = append(wanted, &report.Descriptions[i])
				w.RIDs = append(w.RIDs, report.Descriptions[i].RID)
			}
		} else {
			for _, rid := range w.RIDs {
				d, ok := report.Description(rid)
				if !ok {
					return nil, nil, energy.Invalid(field+".RIDs", "report %q offers no rID %q", w.ReportSpecifierID, rid)
				}
				wanted = append(wanted, d)
			}
		}
		for _, d := range wanted {
			rt := d.ReadingType
			if rt == "" {
				rt = oadr.ReadingDirectRead
			}
			spec.Payloads = append(spec.Payloads, oadr.SpecifierPayload{RID: d.RID, ReadingType: rt})
		}
		if len(spec.Payloads) == 0 {
			return nil, nil, energy.Invalid(field+".RIDs", "report %q offers no data points", w.ReportSpecifierID)
		}
		reqs = append(reqs, oadr.ReportRequest{ReportRequestID: w.ReportRequestID, Specifier: spec})
		states = append(states, ReportRequestState{Request: w, Status: ReportRequested, RequestedAt: now})
	}
	return reqs, states, nil
}

// offered returns the offered report with that specifier, or nil.
func (st *VENState) offered(specifierID string) *oadr.Report {
	for i := range st.Reports {
		if st.Reports[i].ReportSpecifierID == specifierID {
			return &st.Reports[i]
		}
	}
	return nil
}

// request returns the report request with that ID, or nil.
func (st *VENState) request(id string) *ReportRequestState {
	for i := range st.ReportRequests {
		if st.ReportRequests[i].Request.ReportRequestID == id {
			return &st.ReportRequests[i]
		}
	}
	return nil
}

// registeredReport is the VEN's answer to the VTN's own oadrRegisterReport.
func (v *VTN) registeredReport(ctx context.Context, c Caller, m *oadr.RegisteredReport) (oadr.Message, error) {
	if err := v.updateVEN(ctx, c, m.VenID, func(*VENState) error { return nil }); err != nil {
		return nil, err
	}
	if len(m.ReportRequests) > 0 {
		return nil, Reject(oadr.CodeReportNotSupported, "this VTN offers no reports")
	}
	v.log.DebugContext(ctx, "openadr: VEN acknowledged the VTN's report registration", "venID", m.VenID, "code", int(m.Response.Code))
	return ack(m.Response.RequestID, m.VenID), nil
}

// createReport is a VEN asking for the VTN's reports; the VTN has none.
func (v *VTN) createReport(ctx context.Context, c Caller, m *oadr.CreateReport) (oadr.Message, error) {
	if err := v.updateVEN(ctx, c, m.VenID, func(*VENState) error { return nil }); err != nil {
		return nil, err
	}
	return nil, Reject(oadr.CodeReportNotSupported, "this VTN offers no reports")
}

// cancelReport is a VEN stopping the VTN's reports; the VTN sends none.
func (v *VTN) cancelReport(ctx context.Context, c Caller, m *oadr.CancelReport) (oadr.Message, error) {
	if err := v.updateVEN(ctx, c, m.VenID, func(*VENState) error { return nil }); err != nil {
		return nil, err
	}
	return nil, Reject(oadr.CodeInvalidID, "no report request %s: this VTN sends no reports", strings.Join(m.ReportRequestIDs, ", "))
}

// createdReport is the VEN confirming report requests: PendingReports lists
// every request it now serves. Requests of the message it answers that it
// does not list were refused.
func (v *VTN) createdReport(ctx context.Context, c Caller, m *oadr.CreatedReport) (oadr.Message, error) {
	var refused []string
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		for _, id := range m.PendingReports {
			if r := st.request(id); r != nil && r.Status == ReportRequested {
				r.Status = ReportActive
			}
		}
		if m.Response.RequestID == "" {
			return nil
		}
		st.ReportRequests = slices.DeleteFunc(st.ReportRequests, func(r ReportRequestState) bool {
			gone := r.SentIn == m.Response.RequestID && r.Status == ReportRequested
			if gone {
				refused = append(refused, r.Request.ReportRequestID)
			}
			return gone
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(refused) > 0 || !m.Response.Code.Success() {
		v.log.WarnContext(ctx, "openadr: VEN refused report requests", "venID", m.VenID, "reportRequestIDs", refused, "code", int(m.Response.Code), "description", logID(m.Response.Description))
	}
	return ack(m.Response.RequestID, m.VenID), nil
}

// canceledReport is the VEN's answer to the VTN's oadrCancelReport.
func (v *VTN) canceledReport(ctx context.Context, c Caller, m *oadr.CanceledReport) (oadr.Message, error) {
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		st.ReportRequests = slices.DeleteFunc(st.ReportRequests, func(r ReportRequestState) bool {
			return r.Status == ReportCancelling && !slices.Contains(m.PendingReports, r.Request.ReportRequestID)
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ack(m.Response.RequestID, m.VenID), nil
}

// RequestReports asks the VEN for some of the reports it offered: an
// oadrCreateReport is queued for its next poll (or the requests join the
// one queued already, so requests made before a poll travel together). It
// returns the reportRequestIDs. Past MaxReportRequests in force it fails
// with ErrLimit.
func (v *VTN) RequestReports(ctx context.Context, venID string, reqs ...ReportRequest) ([]string, error) {
	if len(reqs) == 0 {
		return nil, energy.Invalid("reqs", "no report request")
	}
	var ids []string
	err := v.store.Update(ctx, venID, func(st *VENState) error {
		if st.Registration.CancelRequestID != "" {
			return ErrCancelPending
		}
		now := v.clock.Now()
		wire, states, err := st.resolve(reqs, now)
		if err != nil {
			return err
		}
		for _, s := range states {
			if st.request(s.Request.ReportRequestID) != nil {
				return energy.Invalid("ReportRequestID", "%q is in use", s.Request.ReportRequestID)
			}
		}
		if n := len(st.ReportRequests) + len(states); n > MaxReportRequests {
			return fmt.Errorf("%w: VEN %q would have %d report requests, more than %d", ErrLimit, venID, n, MaxReportRequests)
		}
		sentIn, err := st.enqueueReportRequests(wire, now)
		if err != nil {
			return err
		}
		for i := range states {
			states[i].SentIn = sentIn
			ids = append(ids, states[i].Request.ReportRequestID)
		}
		st.ReportRequests = append(st.ReportRequests, states...)
		return nil
	})
	return ids, err
}

// CancelReports stops report requests: an oadrCancelReport is queued, and the
// requests are dropped when the VEN answers. With reportToFollow the VEN sends
// one last report first.
func (v *VTN) CancelReports(ctx context.Context, venID string, reportToFollow bool, reportRequestIDs ...string) error {
	if len(reportRequestIDs) == 0 {
		return energy.Invalid("reportRequestIDs", "none given")
	}
	return v.store.Update(ctx, venID, func(st *VENState) error {
		for _, id := range reportRequestIDs {
			if st.request(id) == nil {
				return fmt.Errorf("%w: %q", ErrUnknownReportRequest, id)
			}
		}
		if err := st.enqueueBounded(&oadr.CancelReport{RequestID: newID(), ReportRequestIDs: reportRequestIDs, ReportToFollow: reportToFollow, VenID: venID}, v.clock.Now()); err != nil {
			return err
		}
		for _, id := range reportRequestIDs {
			st.request(id).Status = ReportCancelling
		}
		return nil
	})
}

// OfferedReports returns the metadata reports the VEN offered in its latest
// oadrRegisterReport.
func (v *VTN) OfferedReports(ctx context.Context, venID string) ([]oadr.Report, error) {
	var out []oadr.Report
	err := v.store.View(ctx, venID, func(st *VENState) error {
		out = slices.Clone(st.Reports)
		for i := range out {
			out[i].Descriptions = cloneDescriptions(out[i].Descriptions)
		}
		return nil
	})
	return out, err
}

// ReportRequests returns the VTN's report requests to the VEN.
func (v *VTN) ReportRequests(ctx context.Context, venID string) ([]ReportRequestState, error) {
	var out []ReportRequestState
	err := v.store.View(ctx, venID, func(st *VENState) error {
		out = slices.Clone(st.ReportRequests)
		return nil
	})
	return out, err
}

// RequestTelemetry returns a report registration hook that requests every
// TELEMETRY_USAGE and TELEMETRY_STATUS report a VEN offers, with all its
// data points, sampled every granularity and sent every reportBack. Both are
// fitted into the sampling range each report's descriptions allow (a VEN
// such as OpenLEADR's drops data points asked for outside it), and
// reportBack is never shorter than the granularity.
func RequestTelemetry(granularity, reportBack time.Duration) ReportRegistrationHook {
	return func(_ context.Context, _ string, offered []oadr.Report) ([]ReportRequest, error) {
		if granularity < 0 || reportBack < 0 {
			return nil, errors.New("openadr: RequestTelemetry: negative duration")
		}
		var reqs []ReportRequest
		for _, r := range offered {
			if r.ReportName != oadr.ReportMetadataTelemetryUsage && r.ReportName != oadr.ReportMetadataTelemetryStatus {
				continue
			}
			if len(r.Descriptions) == 0 {
				continue
			}
			g := fitSampling(granularity, r.Descriptions)
			rb := max(reportBack, g)
			reqs = append(reqs, ReportRequest{ReportSpecifierID: r.ReportSpecifierID, Granularity: g, ReportBackDuration: rb})
		}
		return reqs, nil
	}
}

// fitSampling clamps g into the range every description's sampling rate
// allows, rounded to whole seconds.
func fitSampling(g time.Duration, ds []oadr.ReportDescription) time.Duration {
	var lo, hi time.Duration
	for _, d := range ds {
		if d.SamplingRate == nil {
			continue
		}
		lo = max(lo, d.SamplingRate.MinPeriod)
		if p := d.SamplingRate.MaxPeriod; p > 0 && (hi == 0 || p < hi) {
			hi = p
		}
	}
	if hi > 0 && g > hi {
		g = hi
	}
	g = max(g, lo) // when the ranges do not overlap, honour the minimum
	return g.Round(time.Second)
}
