package oadr

import (
	"encoding/xml"
	"fmt"
	"slices"
	"time"
)

// Report is oadr:oadrReport. In oadrRegisterReport it is a metadata report
// (Descriptions set, ReportName METADATA_…, ReportRequestID "0"); in
// oadrUpdateReport it carries data (Intervals set).
type Report struct {
	Start     time.Time     // xcal:dtstart, optional (zero = absent)
	Duration  time.Duration // xcal:duration, optional (zero = absent)
	Intervals []ReportInterval
	// EiReportID is optional; OpenLEADR sends it empty.
	EiReportID        string
	Descriptions      []ReportDescription
	ReportRequestID   string
	ReportSpecifierID string
	ReportName        ReportName // optional
	CreatedDateTime   time.Time
}

// Description returns the description of data point rID, if the report has one.
func (r *Report) Description(rID string) (*ReportDescription, bool) {
	for i := range r.Descriptions {
		if r.Descriptions[i].RID == rID {
			return &r.Descriptions[i], true
		}
	}
	return nil, false
}

// ReportDescription is oadr:oadrReportDescription: one data point a report
// offers, with its unit.
type ReportDescription struct {
	RID           string
	ReportSubject *Target // optional
	DataSource    *Target // reportDataSource, optional
	ReportType    ReportType
	ItemBase      *ItemBase // optional (none for x-resourceStatus)
	ReadingType   ReadingType
	MarketContext string        // emix:marketContext, optional
	SamplingRate  *SamplingRate // optional
}

// SamplingRate is oadr:oadrSamplingRate.
type SamplingRate struct {
	MinPeriod time.Duration
	MaxPeriod time.Duration
	OnChange  bool
}

// ReportInterval is an ei:interval of a report stream. GreenButton payloads
// (oadrGBPayload, Atom feeds of ESPI data in HISTORY_GREENBUTTON reports) are
// recognised and skipped: such an interval has no Payloads, and Marshal
// refuses it.
type ReportInterval struct {
	Start    time.Time     // xcal:dtstart, optional (zero = absent)
	Duration time.Duration // xcal:duration, optional (zero = absent)
	UID      string        // xcal:uid/xcal:text, optional
	Payloads []ReportPayload
}

// ReportPayload is oadr:oadrReportPayload: one value of data point RID. Its
// payload is a float (payloadFloat) unless ResourceStatus is set
// (oadrPayloadResourceStatus, the TELEMETRY_STATUS payload).
type ReportPayload struct {
	RID            string
	Confidence     *uint32  // 0..100, optional
	Accuracy       *float64 // optional
	Value          float64  // payloadFloat, when ResourceStatus is nil
	ResourceStatus *ResourceStatus
	DataQuality    DataQuality // optional
}

// Float returns the payloadFloat value, or false for a resource-status payload.
func (p *ReportPayload) Float() (float64, bool) {
	if p.ResourceStatus != nil {
		return 0, false
	}
	return p.Value, true
}

// ResourceStatus is oadr:oadrPayloadResourceStatus.
type ResourceStatus struct {
	Online           bool
	ManualOverride   bool
	LoadControlState *LoadControlState // optional
}

// LoadControlState is oadr:oadrLoadControlState. Which state carries what is a
// convention between peers: the battery samples put the state of charge (%) in
// Capacity and the power setpoint in SetPoint.
type LoadControlState struct {
	Capacity      *LoadControlValue
	LevelOffset   *LoadControlValue
	PercentOffset *LoadControlValue
	SetPoint      *LoadControlValue
}

// LoadControlValue is oadr:oadrLoadControlStateTypeType.
type LoadControlValue struct {
	Min     *float64
	Max     *float64
	Current float64
	Normal  *float64
}

// ReportRequest is oadr:oadrReportRequest: the VTN asking for a report.
type ReportRequest struct {
	ReportRequestID string
	Specifier       ReportSpecifier
}

// ReportSpecifier is ei:reportSpecifier.
type ReportSpecifier struct {
	ReportSpecifierID string
	// Granularity is the sampling period; zero means one report now.
	Granularity time.Duration
	// ReportBackDuration is how often the VEN sends oadrUpdateReport.
	ReportBackDuration time.Duration
	// ReportInterval is the window to report on; nil means absent.
	ReportInterval *Period
	Payloads       []SpecifierPayload // at least one for valid output
}

// SpecifierPayload is ei:specifierPayload: one requested data point.
type SpecifierPayload struct {
	RID         string
	ItemBase    *ItemBase // optional
	ReadingType ReadingType
}

func (r *Report) encode(e *encoder) {
	e.open(pOADR, "oadrReport")
	if !r.Start.IsZero() {
		e.xcalDateTime(pXCal, "dtstart", r.Start)
	}
	if r.Duration != 0 {
		e.durationProp(pXCal, "duration", r.Duration)
	}
	if len(r.Intervals) > 0 {
		e.open(pStrm, "intervals")
		for i := range r.Intervals {
			r.Intervals[i].encode(e)
		}
		e.close(pStrm, "intervals")
	}
	e.optText(pEI, "eiReportID", r.EiReportID)
	for i := range r.Descriptions {
		r.Descriptions[i].encode(e)
	}
	e.text(pEI, "reportRequestID", r.ReportRequestID)
	e.text(pEI, "reportSpecifierID", r.ReportSpecifierID)
	e.optText(pEI, "reportName", string(r.ReportName))
	e.requiredDateTime(pEI, "createdDateTime", r.CreatedDateTime, "oadrReport/createdDateTime")
	e.close(pOADR, "oadrReport")
}

func (r *Report) decode(d *decoder) error { return decodeFields(d, r, reportFields) }

var reportFields = fields[Report]{
	{xcalN("dtstart"), optional, func(d *decoder, r *Report) error { return d.xcalDateTime(&r.Start) }},
	{xcalN("duration"), optional, func(d *decoder, r *Report) error { return d.durationProp(&r.Duration) }},
	{strmN("intervals"), optional, func(d *decoder, r *Report) error {
		return d.reportIntervals(&r.Intervals)
	}},
	{eiN("eiReportID"), optional, func(d *decoder, r *Report) error { return d.str(&r.EiReportID) }},
	{oadrN("oadrReportDescription"), optional, func(d *decoder, r *Report) error { return decodeAppend(d, &r.Descriptions) }},
	{eiN("reportRequestID"), required, func(d *decoder, r *Report) error { return d.sharedStr(&r.ReportRequestID) }},
	{eiN("reportSpecifierID"), required, func(d *decoder, r *Report) error { return d.sharedStr(&r.ReportSpecifierID) }},
	{eiN("reportName"), optional, func(d *decoder, r *Report) error { return enum(d, &r.ReportName) }},
	{eiN("createdDateTime"), required, func(d *decoder, r *Report) error { return d.dateTime(&r.CreatedDateTime) }},
}

func (rd *ReportDescription) encode(e *encoder) {
	e.open(pOADR, "oadrReportDescription")
	e.text(pEI, "rID", rd.RID)
	if rd.ReportSubject != nil {
		rd.ReportSubject.encode(e, pEI, "reportSubject")
	}
	if rd.DataSource != nil {
		rd.DataSource.encode(e, pEI, "reportDataSource")
	}
	e.enum(pEI, "reportType", string(rd.ReportType), "oadrReportDescription/reportType")
	if rd.ItemBase != nil {
		rd.ItemBase.encode(e)
	}
	e.enum(pEI, "readingType", string(rd.ReadingType), "oadrReportDescription/readingType")
	e.optText(pEMIX, "marketContext", rd.MarketContext)
	if sr := rd.SamplingRate; sr != nil {
		e.open(pOADR, "oadrSamplingRate")
		e.duration(pOADR, "oadrMinPeriod", sr.MinPeriod)
		e.duration(pOADR, "oadrMaxPeriod", sr.MaxPeriod)
		e.boolean(pOADR, "oadrOnChange", sr.OnChange)
		e.close(pOADR, "oadrSamplingRate")
	}
	e.close(pOADR, "oadrReportDescription")
}

func (rd *ReportDescription) decode(d *decoder) error {
	return decodeFieldsOr(d, rd, reportDescriptionFields, func(d *decoder, rd *ReportDescription, n xml.Name) (bool, error) {
		return d.itemBase(n, &rd.ItemBase)
	})
}

var reportDescriptionFields = fields[ReportDescription]{
	{eiN("rID"), required, func(d *decoder, rd *ReportDescription) error { return d.str(&rd.RID) }},
	{eiN("reportSubject"), optional, func(d *decoder, rd *ReportDescription) error { return decodeNew(d, &rd.ReportSubject) }},
	{eiN("reportDataSource"), optional, func(d *decoder, rd *ReportDescription) error { return decodeNew(d, &rd.DataSource) }},
	{eiN("reportType"), required, func(d *decoder, rd *ReportDescription) error { return enum(d, &rd.ReportType) }},
	{eiN("readingType"), required, func(d *decoder, rd *ReportDescription) error { return enum(d, &rd.ReadingType) }},
	{emixN("marketContext"), optional, func(d *decoder, rd *ReportDescription) error { return enum(d, &rd.MarketContext) }},
	{oadrN("oadrSamplingRate"), optional, func(d *decoder, rd *ReportDescription) error { return decodeNew(d, &rd.SamplingRate) }},
}

func (sr *SamplingRate) decode(d *decoder) error { return decodeFields(d, sr, samplingRateFields) }

var samplingRateFields = fields[SamplingRate]{
	{oadrN("oadrMinPeriod"), required, func(d *decoder, sr *SamplingRate) error { return d.duration(&sr.MinPeriod) }},
	{oadrN("oadrMaxPeriod"), required, func(d *decoder, sr *SamplingRate) error { return d.duration(&sr.MaxPeriod) }},
	{oadrN("oadrOnChange"), required, func(d *decoder, sr *SamplingRate) error { return d.boolean(&sr.OnChange) }},
}

func (iv *ReportInterval) encode(e *encoder) {
	e.open(pEI, "interval")
	if !iv.Start.IsZero() {
		e.xcalDateTime(pXCal, "dtstart", iv.Start)
	}
	if iv.Duration != 0 {
		e.durationProp(pXCal, "duration", iv.Duration)
	}
	if iv.UID != "" {
		e.open(pXCal, "uid")
		e.text(pXCal, "text", iv.UID)
		e.close(pXCal, "uid")
	}
	if len(iv.Payloads) == 0 {
		e.fail("oadrReport/intervals/interval", "at least one oadrReportPayload is required")
	}
	for i := range iv.Payloads {
		iv.Payloads[i].encode(e)
	}
	e.close(pEI, "interval")
}

// reportIntervals decodes the intervals of a report. A telemetry report has
// many intervals of usually one payload each; rather than one allocation
// per interval's payloads and one per doubling of the list, both are
// decoded into the decoder's reused scratch and then copied out at their
// final size: one array for the intervals, one shared by all their
// payloads (each interval's slice capped to its own).
func (d *decoder) reportIntervals(list *[]ReportInterval) error {
	ivs, pls := d.intervals[:0], d.payloads[:0]
	err := d.each(eiN("interval"), func() error {
		ivs = append(ivs, ReportInterval{Payloads: pls[len(pls):len(pls)]})
		iv := &ivs[len(ivs)-1]
		if err := iv.decode(d); err != nil {
			return err
		}
		// iv.Payloads was appended in place after pls, unless it outgrew
		// the scratch; either way this puts them there.
		pls = append(pls, iv.Payloads...)
		return nil
	})
	d.intervals, d.payloads = ivs, pls
	if err != nil || len(ivs) == 0 {
		return err
	}
	out := append(*list, ivs...)
	all := slices.Clone(pls)
	for i := len(*list); i < len(out); i++ {
		n := len(out[i].Payloads)
		out[i].Payloads = nil
		if n > 0 {
			out[i].Payloads, all = all[:n:n], all[n:]
		}
	}
	*list = out
	return nil
}

// maxPooledIntervals keeps one huge report from pinning its scratch.
const maxPooledIntervals = 1024

// decode skips oadrGBPayload, see the type's comment.
func (iv *ReportInterval) decode(d *decoder) error { return decodeFields(d, iv, reportIntervalFields) }

var reportIntervalFields = fields[ReportInterval]{
	{xcalN("dtstart"), optional, func(d *decoder, iv *ReportInterval) error { return d.xcalDateTime(&iv.Start) }},
	{xcalN("duration"), optional, func(d *decoder, iv *ReportInterval) error { return d.durationProp(&iv.Duration) }},
	{xcalN("uid"), optional, func(d *decoder, iv *ReportInterval) error { return d.textChild(xcalN("text"), &iv.UID) }},
	{oadrN("oadrReportPayload"), optional, func(d *decoder, iv *ReportInterval) error { return decodeAppend(d, &iv.Payloads) }},
}

func (p *ReportPayload) encode(e *encoder) {
	e.open(pOADR, "oadrReportPayload")
	e.text(pEI, "rID", p.RID)
	if p.Confidence != nil {
		if *p.Confidence > 100 {
			e.fail("oadrReportPayload/confidence", fmt.Sprintf("%d is above 100", *p.Confidence))
		}
		e.uint32(pEI, "confidence", *p.Confidence)
	}
	if p.Accuracy != nil {
		e.float(pEI, "accuracy", *p.Accuracy)
	}
	if s := p.ResourceStatus; s != nil {
		s.encode(e)
	} else {
		e.payloadFloat(p.Value)
	}
	e.optText(pOADR, "oadrDataQuality", string(p.DataQuality))
	e.close(pOADR, "oadrReportPayload")
}

// sharedStr decodes an identifier that recurs in every report a VEN
// sends (an rID, a report's specifier or request ID): while the decoder is
// pooled it hands out one copy of each short one, so that a stream of
// reports does not allocate them again and again, and the latest values a
// VTN keeps of many VENs with the same data points share their names.
func (d *decoder) sharedStr(p *string) error {
	b, err := d.textBytes()
	if err != nil {
		return err
	}
	if s, ok := d.shared[string(b)]; ok {
		*p = s
		return nil
	}
	*p = string(b)
	if len(b) <= maxSharedLen {
		if d.shared == nil || len(d.shared) >= maxShared {
			d.shared = make(map[string]string)
		}
		d.shared[*p] = *p
	}
	return nil
}

// Bounds of what a decoder shares (sharedStr): a VEN inventing names
// cannot grow it.
const (
	maxShared    = 256
	maxSharedLen = 64
)

func (p *ReportPayload) decode(d *decoder) error { return decodeFields(d, p, reportPayloadFields) }

var reportPayloadFields = fields[ReportPayload]{
	{eiN("rID"), required, func(d *decoder, p *ReportPayload) error { return d.sharedStr(&p.RID) }},
	{eiN("confidence"), optional, func(d *decoder, p *ReportPayload) error { return d.uint32Ptr(&p.Confidence) }},
	{eiN("accuracy"), optional, func(d *decoder, p *ReportPayload) error { return d.floatPtr(&p.Accuracy) }},
	{eiN("payloadFloat"), required, func(d *decoder, p *ReportPayload) error { return d.payloadFloat(&p.Value) }},
	{oadrN("oadrPayloadResourceStatus"), orPrevious, func(d *decoder, p *ReportPayload) error { return decodeNew(d, &p.ResourceStatus) }},
	{oadrN("oadrDataQuality"), optional, func(d *decoder, p *ReportPayload) error { return enum(d, &p.DataQuality) }},
}

func (s *ResourceStatus) encode(e *encoder) {
	e.open(pOADR, "oadrPayloadResourceStatus")
	e.boolean(pOADR, "oadrOnline", s.Online)
	e.boolean(pOADR, "oadrManualOverride", s.ManualOverride)
	if l := s.LoadControlState; l != nil {
		e.open(pOADR, "oadrLoadControlState")
		l.Capacity.encode(e, "oadrCapacity")
		l.LevelOffset.encode(e, "oadrLevelOffset")
		l.PercentOffset.encode(e, "oadrPercentOffset")
		l.SetPoint.encode(e, "oadrSetPoint")
		e.close(pOADR, "oadrLoadControlState")
	}
	e.close(pOADR, "oadrPayloadResourceStatus")
}

func (s *ResourceStatus) decode(d *decoder) error { return decodeFields(d, s, resourceStatusFields) }

var resourceStatusFields = fields[ResourceStatus]{
	{oadrN("oadrOnline"), required, func(d *decoder, s *ResourceStatus) error { return d.boolean(&s.Online) }},
	{oadrN("oadrManualOverride"), required, func(d *decoder, s *ResourceStatus) error { return d.boolean(&s.ManualOverride) }},
	{oadrN("oadrLoadControlState"), optional, func(d *decoder, s *ResourceStatus) error { return decodeNew(d, &s.LoadControlState) }},
}

func (l *LoadControlState) decode(d *decoder) error {
	return decodeFields(d, l, loadControlStateFields)
}

var loadControlStateFields = fields[LoadControlState]{
	{oadrN("oadrCapacity"), optional, func(d *decoder, l *LoadControlState) error { return decodeNew(d, &l.Capacity) }},
	{oadrN("oadrLevelOffset"), optional, func(d *decoder, l *LoadControlState) error { return decodeNew(d, &l.LevelOffset) }},
	{oadrN("oadrPercentOffset"), optional, func(d *decoder, l *LoadControlState) error { return decodeNew(d, &l.PercentOffset) }},
	{oadrN("oadrSetPoint"), optional, func(d *decoder, l *LoadControlState) error { return decodeNew(d, &l.SetPoint) }},
}

func (v *LoadControlValue) encode(e *encoder, local string) {
	if v == nil {
		return
	}
	e.open(pOADR, local)
	if v.Min != nil {
		e.float(pOADR, "oadrMin", *v.Min)
	}
	if v.Max != nil {
		e.float(pOADR, "oadrMax", *v.Max)
	}
	e.float(pOADR, "oadrCurrent", v.Current)
	if v.Normal != nil {
		e.float(pOADR, "oadrNormal", *v.Normal)
	}
	e.close(pOADR, local)
}

func (v *LoadControlValue) decode(d *decoder) error {
	return decodeFields(d, v, loadControlValueFields)
}

var loadControlValueFields = fields[LoadControlValue]{
	{oadrN("oadrMin"), optional, func(d *decoder, v *LoadControlValue) error { return d.floatPtr(&v.Min) }},
	{oadrN("oadrMax"), optional, func(d *decoder, v *LoadControlValue) error { return d.floatPtr(&v.Max) }},
	{oadrN("oadrCurrent"), required, func(d *decoder, v *LoadControlValue) error { return d.float(&v.Current) }},
	{oadrN("oadrNormal"), optional, func(d *decoder, v *LoadControlValue) error { return d.floatPtr(&v.Normal) }},
}

func (rr *ReportRequest) encode(e *encoder) {
	e.open(pOADR, "oadrReportRequest")
	e.text(pEI, "reportRequestID", rr.ReportRequestID)
	s := &rr.Specifier
	e.open(pEI, "reportSpecifier")
	e.text(pEI, "reportSpecifierID", s.ReportSpecifierID)
	e.durationProp(pXCal, "granularity", s.Granularity)
	e.durationProp(pEI, "reportBackDuration", s.ReportBackDuration)
	if s.ReportInterval != nil {
		e.open(pEI, "reportInterval")
		s.ReportInterval.encode(e)
		e.close(pEI, "reportInterval")
	}
	if len(s.Payloads) == 0 {
		e.fail("oadrReportRequest/reportSpecifier/specifierPayload", "at least one specifierPayload is required")
	}
	for _, sp := range s.Payloads {
		e.open(pEI, "specifierPayload")
		e.text(pEI, "rID", sp.RID)
		if sp.ItemBase != nil {
			sp.ItemBase.encode(e)
		}
		e.enum(pEI, "readingType", string(sp.ReadingType), "reportSpecifier/specifierPayload/readingType")
		e.close(pEI, "specifierPayload")
	}
	e.close(pEI, "reportSpecifier")
	e.close(pOADR, "oadrReportRequest")
}

func (rr *ReportRequest) decode(d *decoder) error { return decodeFields(d, rr, reportRequestFields) }

var reportRequestFields = fields[ReportRequest]{
	{eiN("reportRequestID"), required, func(d *decoder, rr *ReportRequest) error { return d.str(&rr.ReportRequestID) }},
	{eiN("reportSpecifier"), required, func(d *decoder, rr *ReportRequest) error { return rr.Specifier.decode(d) }},
}

func (s *ReportSpecifier) decode(d *decoder) error { return decodeFields(d, s, reportSpecifierFields) }

var reportSpecifierFields = fields[ReportSpecifier]{
	{eiN("reportSpecifierID"), required, func(d *decoder, s *ReportSpecifier) error { return d.str(&s.ReportSpecifierID) }},
	{xcalN("granularity"), required, func(d *decoder, s *ReportSpecifier) error { return d.durationProp(&s.Granularity) }},
	{eiN("reportBackDuration"), required, func(d *decoder, s *ReportSpecifier) error { return d.durationProp(&s.ReportBackDuration) }},
	{eiN("reportInterval"), optional, func(d *decoder, s *ReportSpecifier) error {
		s.ReportInterval = &Period{}
		return d.only(xcalN("properties"), func() error { return s.ReportInterval.decode(d) })
	}},
	{eiN("specifierPayload"), optional, func(d *decoder, s *ReportSpecifier) error { return decodeAppend(d, &s.Payloads) }},
}

func (sp *SpecifierPayload) decode(d *decoder) error {
	return decodeFieldsOr(d, sp, specifierPayloadFields, func(d *decoder, sp *SpecifierPayload, n xml.Name) (bool, error) {
		return d.itemBase(n, &sp.ItemBase)
	})
}

var specifierPayloadFields = fields[SpecifierPayload]{
	{eiN("rID"), required, func(d *decoder, sp *SpecifierPayload) error { return d.str(&sp.RID) }},
	{eiN("readingType"), required, func(d *decoder, sp *SpecifierPayload) error { return enum(d, &sp.ReadingType) }},
}
