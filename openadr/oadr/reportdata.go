package oadr

import (
	"fmt"
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

func (r *Report) decode(d *decoder) error {
	var haveReqID, haveSpecID, haveCreated bool
	err := d.children(func(se start) error {
		switch se.Name {
		case xcalN("dtstart"):
			return d.xcalDateTime(&r.Start)
		case xcalN("duration"):
			return d.durationProp(&r.Duration)
		case strmN("intervals"):
			return d.each(eiN("interval"), func() error {
				r.Intervals = append(r.Intervals, ReportInterval{})
				return r.Intervals[len(r.Intervals)-1].decode(d)
			})
		case eiN("eiReportID"):
			return d.str(&r.EiReportID)
		case oadrN("oadrReportDescription"):
			r.Descriptions = append(r.Descriptions, ReportDescription{})
			return r.Descriptions[len(r.Descriptions)-1].decode(d)
		case eiN("reportRequestID"):
			haveReqID = true
			return d.str(&r.ReportRequestID)
		case eiN("reportSpecifierID"):
			haveSpecID = true
			return d.str(&r.ReportSpecifierID)
		case eiN("reportName"):
			return enum(d, &r.ReportName)
		case eiN("createdDateTime"):
			haveCreated = true
			return d.dateTime(&r.CreatedDateTime)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveReqID:
		return missing("reportRequestID")
	case !haveSpecID:
		return missing("reportSpecifierID")
	case !haveCreated:
		return missing("createdDateTime")
	}
	return nil
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
	var haveRID, haveType, haveReading bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("rID"):
			haveRID = true
			return d.str(&rd.RID)
		case eiN("reportSubject"):
			rd.ReportSubject = &Target{}
			return rd.ReportSubject.decode(d)
		case eiN("reportDataSource"):
			rd.DataSource = &Target{}
			return rd.DataSource.decode(d)
		case eiN("reportType"):
			haveType = true
			return enum(d, &rd.ReportType)
		case eiN("readingType"):
			haveReading = true
			return enum(d, &rd.ReadingType)
		case emixN("marketContext"):
			return enum(d, &rd.MarketContext)
		case oadrN("oadrSamplingRate"):
			rd.SamplingRate = &SamplingRate{}
			return rd.SamplingRate.decode(d)
		}
		if k := itemKindOf(se.Name); k != "" {
			var err error
			rd.ItemBase, err = d.item(k, se.Name.Space)
			return err
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveRID:
		return missing("rID")
	case !haveType:
		return missing("reportType")
	case !haveReading:
		return missing("readingType")
	}
	return nil
}

func (sr *SamplingRate) decode(d *decoder) error {
	var haveMin, haveMax, haveOnChange bool
	err := d.children(func(se start) error {
		switch se.Name {
		case oadrN("oadrMinPeriod"):
			haveMin = true
			return d.duration(&sr.MinPeriod)
		case oadrN("oadrMaxPeriod"):
			haveMax = true
			return d.duration(&sr.MaxPeriod)
		case oadrN("oadrOnChange"):
			haveOnChange = true
			return d.boolean(&sr.OnChange)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveMin:
		return missing("oadrMinPeriod")
	case !haveMax:
		return missing("oadrMaxPeriod")
	case !haveOnChange:
		return missing("oadrOnChange")
	}
	return nil
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

func (iv *ReportInterval) decode(d *decoder) error {
	err := d.children(func(se start) error {
		switch se.Name {
		case xcalN("dtstart"):
			return d.xcalDateTime(&iv.Start)
		case xcalN("duration"):
			return d.durationProp(&iv.Duration)
		case xcalN("uid"):
			return d.textChild(xcalN("text"), &iv.UID)
		case oadrN("oadrReportPayload"):
			iv.Payloads = append(iv.Payloads, ReportPayload{})
			return iv.Payloads[len(iv.Payloads)-1].decode(d)
		}
		return d.skip() // including oadrGBPayload, see the type's comment

	})
	return err
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

func (p *ReportPayload) decode(d *decoder) error {
	var haveRID, havePayload bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("rID"):
			haveRID = true
			return d.str(&p.RID)
		case eiN("confidence"):
			var c uint32
			if err := d.uint32(&c); err != nil {
				return err
			}
			p.Confidence = &c
			return nil
		case eiN("accuracy"):
			return d.floatPtr(&p.Accuracy)
		case eiN("payloadFloat"):
			havePayload = true
			return d.payloadFloat(&p.Value)
		case oadrN("oadrPayloadResourceStatus"):
			havePayload = true
			p.ResourceStatus = &ResourceStatus{}
			return p.ResourceStatus.decode(d)
		case oadrN("oadrDataQuality"):
			return enum(d, &p.DataQuality)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveRID:
		return missing("rID")
	case !havePayload:
		return missing("payloadFloat")
	}
	return nil
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

func (s *ResourceStatus) decode(d *decoder) error {
	var haveOnline, haveOverride bool
	err := d.children(func(se start) error {
		switch se.Name {
		case oadrN("oadrOnline"):
			haveOnline = true
			return d.boolean(&s.Online)
		case oadrN("oadrManualOverride"):
			haveOverride = true
			return d.boolean(&s.ManualOverride)
		case oadrN("oadrLoadControlState"):
			l := &LoadControlState{}
			s.LoadControlState = l
			return d.children(func(se start) error {
				var dst **LoadControlValue
				switch se.Name {
				case oadrN("oadrCapacity"):
					dst = &l.Capacity
				case oadrN("oadrLevelOffset"):
					dst = &l.LevelOffset
				case oadrN("oadrPercentOffset"):
					dst = &l.PercentOffset
				case oadrN("oadrSetPoint"):
					dst = &l.SetPoint
				default:
					return d.skip()
				}
				*dst = &LoadControlValue{}
				return (*dst).decode(d)
			})
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveOnline:
		return missing("oadrOnline")
	case !haveOverride:
		return missing("oadrManualOverride")
	}
	return nil
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
	var haveCurrent bool
	err := d.children(func(se start) error {
		switch se.Name {
		case oadrN("oadrMin"):
			return d.floatPtr(&v.Min)
		case oadrN("oadrMax"):
			return d.floatPtr(&v.Max)
		case oadrN("oadrCurrent"):
			haveCurrent = true
			return d.float(&v.Current)
		case oadrN("oadrNormal"):
			return d.floatPtr(&v.Normal)
		}
		return d.skip()
	})
	if err == nil && !haveCurrent {
		err = missing("oadrCurrent")
	}
	return err
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

func (rr *ReportRequest) decode(d *decoder) error {
	var haveID, haveSpec bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("reportRequestID"):
			haveID = true
			return d.str(&rr.ReportRequestID)
		case eiN("reportSpecifier"):
			haveSpec = true
			return rr.Specifier.decode(d)
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveID:
		return missing("reportRequestID")
	case !haveSpec:
		return missing("reportSpecifier")
	}
	return nil
}

func (s *ReportSpecifier) decode(d *decoder) error {
	var haveID, haveGran, haveBack bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("reportSpecifierID"):
			haveID = true
			return d.str(&s.ReportSpecifierID)
		case xcalN("granularity"):
			haveGran = true
			return d.durationProp(&s.Granularity)
		case eiN("reportBackDuration"):
			haveBack = true
			return d.durationProp(&s.ReportBackDuration)
		case eiN("reportInterval"):
			s.ReportInterval = &Period{}
			return d.only(xcalN("properties"), func() error { return s.ReportInterval.decode(d) })
		case eiN("specifierPayload"):
			var sp SpecifierPayload
			err := sp.decode(d)
			s.Payloads = append(s.Payloads, sp)
			return err
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveID:
		return missing("reportSpecifierID")
	case !haveGran:
		return missing("granularity")
	case !haveBack:
		return missing("reportBackDuration")
	}
	return nil
}

func (sp *SpecifierPayload) decode(d *decoder) error {
	var haveRID, haveReading bool
	err := d.children(func(se start) error {
		switch se.Name {
		case eiN("rID"):
			haveRID = true
			return d.str(&sp.RID)
		case eiN("readingType"):
			haveReading = true
			return enum(d, &sp.ReadingType)
		}
		if k := itemKindOf(se.Name); k != "" {
			var err error
			sp.ItemBase, err = d.item(k, se.Name.Space)
			return err
		}
		return d.skip()
	})
	switch {
	case err != nil:
		return err
	case !haveRID:
		return missing("rID")
	case !haveReading:
		return missing("readingType")
	}
	return nil
}
