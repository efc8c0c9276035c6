package ven

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Limits on what a VTN may ask for, so that a misbehaving one cannot make the
// VEN sample faster than it can or hold unbounded data.
const (
	// MinGranularity is the shortest sampling period the VEN offers; a
	// request for less is served at this period.
	MinGranularity = time.Second
	// maxGranularity is the longest sampling period the VEN offers.
	maxGranularity = time.Hour
	// maxJobs bounds the report requests served at once.
	maxJobs = 64
	// maxSamples bounds the samples one request holds between reports; the
	// oldest are dropped beyond it (and the drop logged).
	maxSamples = 3600
)

// measure is a quantity the VEN reports.
type measure int

const (
	measureVoltage measure = iota
	measureCurrent
	measureTemperature
	measurePower
	measureStoredEnergy
	measureSoC
	measureStatus
)

// point is one data point (rID) the VEN offers.
type point struct {
	rID     string
	measure measure
	desc    oadr.ReportDescription
}

// offeredReport is a report the VEN registers with the VTN.
type offeredReport struct {
	specifierID string
	name        oadr.ReportName // of the data reports, e.g. TELEMETRY_USAGE
	points      []point
}

// offeredReports returns the battery's reports: TELEMETRY_USAGE with voltage,
// current, temperature, power, stored energy and state of charge, and
// TELEMETRY_STATUS, laid out as in samples/battery of the Fortress sandbox
// scenario (rIDs "<resource>_voltage" …, specifiers
// "<resource>_telemetry_usage" and "<resource>_telemetry_status").
func offeredReports(resource string) []offeredReport {
	source := &oadr.Target{ResourceIDs: []string{resource}}
	rate := &oadr.SamplingRate{MinPeriod: MinGranularity, MaxPeriod: maxGranularity}
	pt := func(suffix string, m measure, typ oadr.ReportType, item *oadr.ItemBase, reading oadr.ReadingType) point {
		return point{rID: resource + "_" + suffix, measure: m, desc: oadr.ReportDescription{
			RID:          resource + "_" + suffix,
			DataSource:   source,
			ReportType:   typ,
			ItemBase:     item,
			ReadingType:  reading,
			SamplingRate: rate,
		}}
	}
	// AC attributes of the inverter the power is measured at, as in the
	// samples (a North American split-phase site).
	ac := oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true}
	usage := offeredReport{
		specifierID: resource + "_telemetry_usage",
		name:        oadr.ReportTelemetryUsage,
		points: []point{
			pt("voltage", measureVoltage, oadr.ReportTypeReading, oadr.NewVoltage(oadr.ScaleNone), oadr.ReadingDirectRead),
			pt("current", measureCurrent, oadr.ReportTypeReading, oadr.NewCurrent(oadr.ScaleNone), oadr.ReadingDirectRead),
			pt("temperature", measureTemperature, oadr.ReportTypeReading, oadr.NewTemperature(oadr.Celsius, oadr.ScaleNone), oadr.ReadingDirectRead),
			pt("power", measurePower, oadr.ReportTypeDemand, oadr.NewPowerReal(oadr.ScaleKilo, ac), oadr.ReadingDirectRead),
			pt("stored_energy", measureStoredEnergy, oadr.ReportTypeStoredEnergy, oadr.NewEnergyReal(oadr.ScaleKilo), oadr.ReadingDirectRead),
			pt("soc", measureSoC, oadr.ReportTypeStateOfCharge, oadr.NewCustomUnit("stateOfCharge", "%", oadr.ScaleNone), oadr.ReadingDirectRead),
		},
	}
	statusPt := pt("status", measureStatus, oadr.ReportTypeResourceStatus, nil, oadr.ReadingNotApplicable)
	statusPt.desc.ReportSubject = &oadr.Target{EndDeviceAssets: []string{"Storage"}}
	status := offeredReport{
		specifierID: resource + "_telemetry_status",
		name:        oadr.ReportTelemetryStatus,
		points:      []point{statusPt},
	}
	return []offeredReport{usage, status}
}

// metadata returns the report as registered with oadrRegisterReport.
func (r *offeredReport) metadata(now time.Time) oadr.Report {
	descs := make([]oadr.ReportDescription, len(r.points))
	for i, p := range r.points {
		descs[i] = p.desc
	}
	return oadr.Report{
		Duration:          time.Hour, // as the samples and OpenLEADR's VEN
		Descriptions:      descs,
		ReportRequestID:   "0", // conformance rule 311 (OpenLEADR #44, #134)
		ReportSpecifierID: r.specifierID,
		ReportName:        r.name.Metadata(),
		CreatedDateTime:   now,
	}
}

// ReportRequest is a report request the VEN is serving.
type ReportRequest struct {
	RequestID   string
	SpecifierID string
	Name        oadr.ReportName
	// RIDs are the data points requested.
	RIDs []string
	// Granularity is the sampling period (0: one report at once) and
	// ReportBack how often reports are sent.
	Granularity, ReportBack time.Duration
	// End is when the request's report interval ends; zero for none.
	End time.Time
	// NextReport is when the next report is due.
	NextReport time.Time
}

// reportJob is the state of one report request.
type reportJob struct {
	requestID   string
	report      *offeredReport
	points      []point
	granularity time.Duration // 0: one report now
	back        time.Duration
	end         time.Time // zero: no end
	nextSample  time.Time
	nextReport  time.Time
	retryAt     time.Time // after a failed send
	samples     []reading
	dropped     int  // samples dropped for lack of room since the last report
	final       bool // cancelled with reportToFollow: one last report, then done
}

func (j *reportJob) oneShot() bool { return j.granularity == 0 }

// dueAt returns when the job next wants to send.
func (j *reportJob) dueAt() time.Time {
	if j.oneShot() || j.final {
		return j.retryAt
	}
	if j.retryAt.After(j.nextReport) {
		return j.retryAt
	}
	return j.nextReport
}

// sampling reports whether the job still takes samples.
func (j *reportJob) sampling() bool {
	return !j.oneShot() && !j.final && (j.end.IsZero() || !j.nextSample.After(j.end))
}

func (j *reportJob) public() ReportRequest {
	r := ReportRequest{
		RequestID:   j.requestID,
		SpecifierID: j.report.specifierID,
		Name:        j.report.name,
		Granularity: j.granularity,
		ReportBack:  j.back,
		End:         j.end,
		NextReport:  j.dueAt(),
	}
	for _, p := range j.points {
		r.RIDs = append(r.RIDs, p.rID)
	}
	return r
}

// RegisterReports offers the VEN's reports to the VTN (oadrRegisterReport)
// and serves the report requests the VTN makes in its oadrRegisteredReport.
// Register does this after registering.
func (v *VEN) RegisterReports(ctx context.Context) error {
	v.step.Lock()
	defer v.step.Unlock()
	return v.registerReports(ctx)
}

func (v *VEN) registerReports(ctx context.Context) error {
	venID, err := v.registeredVenID()
	if err != nil {
		return err
	}
	now := v.clock.Now()
	req := &oadr.RegisterReport{RequestID: v.newID("offer"), VenID: venID}
	for i := range v.offered {
		req.Reports = append(req.Reports, v.offered[i].metadata(now))
	}
	ans, err := v.call(ctx, oadr.ServiceEiReport, req)
	if err != nil {
		return err
	}
	rr, ok := ans.(*oadr.RegisteredReport)
	if !ok {
		return v.unexpected(req, ans)
	}
	if err := responseErr(req.MessageName(), &rr.Response); err != nil {
		return err
	}
	v.log.Info("reports registered", "reports", len(req.Reports), "requested", len(rr.ReportRequests))
	if len(rr.ReportRequests) == 0 {
		return nil
	}
	return v.createReports(ctx, req.RequestID, rr.ReportRequests)
}

// handleCreateReport serves the report requests of a VTN's oadrCreateReport.
func (v *VEN) handleCreateReport(ctx context.Context, m *oadr.CreateReport) error {
	return v.createReports(ctx, m.RequestID, m.ReportRequests)
}

// createReports starts serving report requests and confirms them with
// oadrCreatedReport, which lists every request the VEN now serves. Requests
// it cannot serve are named in the answer's description; when none can be
// served the code is 461 (report not supported).
func (v *VEN) createReports(ctx context.Context, requestID string, reqs []oadr.ReportRequest) error {
	now := v.clock.Now()
	v.mu.Lock()
	v.syncLocked(now)
	accepted, problems := 0, []string(nil)
	for i := range reqs {
		note, ok := v.addJobLocked(&reqs[i], now)
		if note != "" {
			problems = append(problems, note)
		}
		if ok {
			accepted++
		}
	}
	pending, venID := v.pendingLocked(), v.venID
	v.mu.Unlock()

	resp := oadr.OK(requestID)
	if len(problems) > 0 {
		v.log.Warn("report requests refused", "problems", strings.Join(problems, "; "))
		if accepted == 0 {
			resp = oadr.Err(oadr.CodeReportNotSupported, requestID)
		}
		resp.Description = strings.Join(problems, "; ")
	}
	msg := &oadr.CreatedReport{Response: resp, PendingReports: pending, VenID: venID}
	return v.tell(ctx, oadr.ServiceEiReport, msg)
}

// addJobLocked starts serving one report request, replacing one with the same
// reportRequestID. It reports whether it does, and a note for the VTN about
// what it cannot serve: the whole request, or rIDs it does not offer (the
// others are served).
func (v *VEN) addJobLocked(rr *oadr.ReportRequest, now time.Time) (note string, ok bool) {
	spec := &rr.Specifier
	id := rr.ReportRequestID
	if id == "" {
		return "a report request without reportRequestID", false
	}
	var rep *offeredReport
	for i := range v.offered {
		if v.offered[i].specifierID == spec.ReportSpecifierID {
			rep = &v.offered[i]
		}
	}
	if rep == nil {
		return fmt.Sprintf("%s: reportSpecifierID %q is not offered", id, spec.ReportSpecifierID), false
	}
	j := &reportJob{requestID: id, report: rep, granularity: spec.Granularity, back: spec.ReportBackDuration}
	var unknown []string
	for _, sp := range spec.Payloads {
		i := slices.IndexFunc(rep.points, func(p point) bool { return p.rID == sp.RID })
		if i < 0 {
			unknown = append(unknown, sp.RID)
			continue
		}
		if !slices.ContainsFunc(j.points, func(p point) bool { return p.rID == sp.RID }) {
			j.points = append(j.points, rep.points[i])
		}
	}
	if len(spec.Payloads) == 0 {
		j.points = rep.points // no specifierPayload: everything the report has
	}
	if len(unknown) > 0 {
		note = fmt.Sprintf("%s: rIDs %s are not in %s", id, strings.Join(unknown, ", "), rep.specifierID)
		if len(j.points) == 0 {
			return note, false
		}
	}
	switch {
	case j.granularity < 0 || j.back < 0:
		return fmt.Sprintf("%s: negative granularity or reportBackDuration", id), false
	case j.granularity > maxGranularity:
		return fmt.Sprintf("%s: granularity %v is longer than the %v offered", id, j.granularity, maxGranularity), false
	case j.granularity > 0 && j.granularity < MinGranularity:
		j.granularity = MinGranularity
	}
	// Each report carries at least one sample.
	j.back = max(j.back, j.granularity)

	anchor := now.Truncate(max(j.granularity, time.Nanosecond))
	if ri := spec.ReportInterval; ri != nil {
		anchor = ri.Start
		if ri.Duration > 0 {
			j.end = ri.End()
			if !j.end.After(now) {
				return fmt.Sprintf("%s: its report interval ended at %s and this VEN keeps no history", id, oadr.FormatDateTime(j.end)), false
			}
		}
	}
	// Periods run from anchor (the first one still to come); a sample is
	// taken at the end of each granularity period, so that a report carries
	// the battery as it is when the report is due, not as it was a period
	// earlier.
	first := anchor
	if !j.oneShot() && anchor.Before(now) {
		steps := (now.Sub(anchor) + j.granularity - 1) / j.granularity
		first = anchor.Add(steps * j.granularity)
	}
	j.nextSample = first.Add(j.granularity)
	j.nextReport = first.Add(j.back)

	if _, ok := v.jobs[id]; ok {
		v.jobOrder = slices.DeleteFunc(v.jobOrder, func(s string) bool { return s == id })
	} else if len(v.jobs) >= maxJobs {
		return fmt.Sprintf("%s: already serving %d report requests", id, maxJobs), false
	}
	v.jobs[id] = j
	v.jobOrder = append(v.jobOrder, id)
	v.log.Info("report requested", "reportRequestID", id, "report", rep.name, "points", len(j.points),
		"granularity", j.granularity, "reportBack", j.back, "firstSample", j.nextSample)
	return note, true
}

// pendingLocked lists the report requests the VEN serves, for
// oadrPendingReports.
func (v *VEN) pendingLocked() []string {
	var ids []string
	for _, id := range v.jobOrder {
		if !v.jobs[id].final {
			ids = append(ids, id)
		}
	}
	return ids
}

func (v *VEN) removeJobLocked(id string) {
	delete(v.jobs, id)
	v.jobOrder = slices.DeleteFunc(v.jobOrder, func(s string) bool { return s == id })
}

func (v *VEN) clearJobsLocked() {
	clear(v.jobs)
	v.jobOrder = v.jobOrder[:0]
}

// handleCancelReport stops report requests (oadrCancelReport, on its own or
// inside an oadrUpdatedReport) and answers oadrCanceledReport. With
// reportToFollow the VEN sends what it has sampled in one last report at the
// next Tick. Unknown reportRequestIDs are refused with 452 when none is known.
func (v *VEN) handleCancelReport(ctx context.Context, m *oadr.CancelReport) error {
	now := v.clock.Now()
	v.mu.Lock()
	v.syncLocked(now)
	var unknown []string
	for _, id := range m.ReportRequestIDs {
		j, ok := v.jobs[id]
		switch {
		case !ok:
			unknown = append(unknown, id)
		case m.ReportToFollow && len(j.samples) > 0:
			j.final = true
		default:
			v.removeJobLocked(id)
		}
	}
	pending, venID := v.pendingLocked(), v.venID
	v.mu.Unlock()

	resp := oadr.OK(m.RequestID)
	if len(unknown) > 0 {
		v.log.Warn("VTN cancelled report requests this VEN does not serve", "reportRequestIDs", unknown)
		if len(unknown) == len(m.ReportRequestIDs) {
			resp = oadr.Err(oadr.CodeInvalidID, m.RequestID)
		}
		resp.Description = "unknown reportRequestID " + strings.Join(unknown, ", ")
	}
	v.log.Info("reports cancelled", "reportRequestIDs", m.ReportRequestIDs, "reportToFollow", m.ReportToFollow)
	msg := &oadr.CanceledReport{Response: resp, PendingReports: pending, VenID: venID}
	return v.tell(ctx, oadr.ServiceEiReport, msg)
}

// handleRegisterReport answers a VTN's own oadrRegisterReport. The VEN needs
// none of a VTN's reports, but must answer (OpenLEADR #135: certification
// checks that it does).
func (v *VEN) handleRegisterReport(ctx context.Context, m *oadr.RegisterReport) error {
	v.log.Info("VTN registered its reports", "reports", len(m.Reports))
	v.mu.Lock()
	venID := v.venID
	v.mu.Unlock()
	msg := &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), VenID: venID}
	return v.tell(ctx, oadr.ServiceEiReport, msg)
}

// handleUpdateReport acknowledges report data from the VTN, which the VEN
// never requests.
func (v *VEN) handleUpdateReport(ctx context.Context, m *oadr.UpdateReport) error {
	v.log.Info("VTN sent a report this VEN did not request; acknowledged", "reports", len(m.Reports))
	v.mu.Lock()
	venID := v.venID
	v.mu.Unlock()
	msg := &oadr.UpdatedReport{Response: oadr.OK(m.RequestID), VenID: venID}
	return v.tell(ctx, oadr.ServiceEiReport, msg)
}
