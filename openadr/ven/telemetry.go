package ven

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Tick brings the simulated battery to the clock's present time, following
// the events in force and sampling it for the report requests on the way,
// and sends the reports that are due (oadrUpdateReport). Call it at least as
// often as reports are due; Run does. Without a registration it only moves
// the battery along.
func (v *VEN) Tick(ctx context.Context) error {
	v.step.Lock()
	defer v.step.Unlock()
	now := v.clock.Now()
	v.mu.Lock()
	v.syncLocked(now)
	if !v.registered {
		v.mu.Unlock()
		return nil
	}
	var due []*outgoing
	for _, id := range v.jobOrder {
		if o := v.dueReportLocked(v.jobs[id], now); o != nil {
			due = append(due, o)
		}
	}
	v.mu.Unlock()

	var errs []error
	for _, o := range due {
		if err := v.sendReport(ctx, o, now); err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
		}
	}
	return errors.Join(errs...)
}

// syncLocked moves the battery to t. It steps from one moment to the next at
// which something happens (a plan step starts or ends, a CHARGE_STATE target
// is reached, a report request samples), sets the power the plan asks at each
// and takes the samples due there. A clock that went backwards leaves the
// battery where it is.
func (v *VEN) syncLocked(t time.Time) {
	b := v.bat
	for {
		v.applyPlanLocked()
		for _, id := range v.jobOrder {
			j := v.jobs[id]
			if j.sampling() && !j.nextSample.After(b.at) {
				if j.nextSample.Equal(b.at) {
					v.addSampleLocked(j, b.read(v.setpoint))
				}
				// Skip to the first sample time after now (they normally follow
				// each other exactly).
				n := b.at.Sub(j.nextSample)/j.granularity + 1
				j.nextSample = j.nextSample.Add(n * j.granularity)
			}
		}
		if !b.at.Before(t) {
			return
		}
		next := t
		if c := v.nextPlanChangeLocked(b.at); !c.IsZero() && c.Before(next) {
			next = c
		}
		for _, j := range v.jobs {
			if j.sampling() && j.nextSample.Before(next) {
				next = j.nextSample
			}
		}
		b.advance(next)
	}
}

func (v *VEN) addSampleLocked(j *reportJob, r reading) {
	if len(j.samples) >= maxSamples {
		// Reports are not getting through; keep the newest.
		j.samples = append(j.samples[:0], j.samples[1:]...)
		j.dropped++
	}
	j.samples = append(j.samples, r)
}

// outgoing is a report ready to send and what to do once it is sent.
type outgoing struct {
	job      *reportJob
	msg      *oadr.UpdateReport
	sent     int       // samples it carries, from the front of job.samples
	boundary time.Time // the report period it closes
}

// dueReportLocked returns the report a job should send now, or nil. A
// periodic report carries the samples taken up to the latest report time
// that has passed, that time's included: one period's worth normally,
// everything held after a pause.
func (v *VEN) dueReportLocked(j *reportJob, now time.Time) *outgoing {
	if now.Before(j.dueAt()) {
		return nil
	}
	o := &outgoing{job: j}
	switch {
	case j.oneShot():
		j.samples = []reading{v.bat.read(v.setpoint)}
		o.sent = 1
	case j.final:
		o.sent = len(j.samples)
	default:
		periods := now.Sub(j.nextReport) / j.back
		o.boundary = j.nextReport.Add(periods * j.back)
		// The sample taken at the boundary itself is the latest.
		for o.sent < len(j.samples) && !j.samples[o.sent].at.After(o.boundary) {
			o.sent++
		}
	}
	if o.sent == 0 {
		v.commitLocked(o) // nothing sampled in the period: move on
		return nil
	}
	if j.dropped > 0 {
		v.log.Warn("samples dropped: reports did not get through", "reportRequestID", j.requestID, "dropped", j.dropped)
		j.dropped = 0
	}
	o.msg = &oadr.UpdateReport{
		RequestID: v.newIDLocked("update"),
		Reports:   []oadr.Report{v.buildReport(j, j.samples[:o.sent], now)},
		VenID:     v.venID,
	}
	return o
}

// buildReport writes samples as one oadrReport: an interval per data point
// and sample, each with one payload, as the samples and OpenLEADR lay it out.
func (v *VEN) buildReport(j *reportJob, samples []reading, now time.Time) oadr.Report {
	r := oadr.Report{
		Start:             samples[0].at,
		Intervals:         make([]oadr.ReportInterval, 0, len(samples)*len(j.points)),
		EiReportID:        v.newIDLocked("report"),
		ReportRequestID:   j.requestID,
		ReportSpecifierID: j.report.specifierID,
		ReportName:        j.report.name,
		CreatedDateTime:   now,
	}
	if j.granularity > 0 {
		r.Duration = samples[len(samples)-1].at.Add(j.granularity).Sub(r.Start)
	}
	for _, s := range samples {
		for _, p := range j.points {
			r.Intervals = append(r.Intervals, oadr.ReportInterval{
				Start:    s.at,
				Duration: j.granularity,
				Payloads: []oadr.ReportPayload{v.payload(p, s)},
			})
		}
	}
	return r
}

// payload returns a data point's value in a sample, in the unit and sign it
// was offered with: power and current positive when charging (see the
// package documentation), power in kW, stored energy in kWh, SoC in %.
func (v *VEN) payload(p point, s reading) oadr.ReportPayload {
	pl := oadr.ReportPayload{RID: p.rID}
	switch p.measure {
	case measureVoltage:
		pl.Value = round(s.voltage, 2)
	case measureCurrent:
		pl.Value = round(-s.current, 2)
	case measureTemperature:
		pl.Value = round(s.temperature, 2)
	case measurePower:
		pl.Value = round(-s.power/1000, 3)
	case measureStoredEnergy:
		pl.Value = round(s.stored/1000, 3)
	case measureSoC:
		pl.Value = round(s.soc*100, 2)
	case measureStatus:
		// As in samples/battery: SoC (%) in oadrCapacity, the power setpoint
		// (kW, + charging) in oadrSetPoint.
		maxKW := float64(v.bat.cfg.MaxPower) / 1000
		pl.ResourceStatus = &oadr.ResourceStatus{
			Online: true,
			LoadControlState: &oadr.LoadControlState{
				Capacity: &oadr.LoadControlValue{Min: new(0.0), Max: new(100.0), Current: round(s.soc*100, 2)},
				SetPoint: &oadr.LoadControlValue{Min: new(-maxKW), Max: new(maxKW), Current: round(-s.setpoint/1000, 3)},
			},
		}
	}
	return pl
}

// round rounds x to decimal places; -0 comes out as 0.
func round(x float64, places int) float64 {
	p := math.Pow10(places)
	return noNegZero(math.Round(x*p) / p)
}

// sendReport sends one report. After a transport failure it keeps the
// samples and tries again a poll period later; a report the VTN refuses
// is not sent again.
func (v *VEN) sendReport(ctx context.Context, o *outgoing, now time.Time) error {
	ans, err := v.call(ctx, oadr.ServiceEiReport, o.msg)
	v.mu.Lock()
	if v.jobs[o.job.requestID] != o.job {
		v.mu.Unlock() // cancelled or replaced meanwhile
		return err
	}
	var re *ResponseError
	if err != nil && !errors.As(err, &re) {
		o.job.retryAt = now.Add(min(v.pollInterval, max(o.job.back, MinPollInterval)))
		v.mu.Unlock()
		return err
	}
	v.commitLocked(o)
	soc := v.bat.soc()
	v.mu.Unlock()
	if err != nil {
		return err
	}
	var cancel *oadr.CancelReport
	switch a := ans.(type) {
	case *oadr.UpdatedReport:
		if err := responseErr(o.msg.MessageName(), &a.Response); err != nil {
			return err
		}
		cancel = a.CancelReport
	case *oadr.Response:
		// Some VTNs acknowledge with oadrResponse; call has checked the code.
	default:
		return v.unexpected(o.msg, ans)
	}
	v.log.Debug("report sent", "reportRequestID", o.job.requestID, "report", o.job.report.name,
		"intervals", len(o.msg.Reports[0].Intervals), "soc", energy.Fraction(soc))
	if cancel != nil {
		return v.handleCancelReport(ctx, cancel)
	}
	return nil
}

// commitLocked records that a report went out (or that there was nothing to
// send): its samples are dropped and the next report scheduled; a one-shot
// or final report, or the last of a report interval, ends the job.
func (v *VEN) commitLocked(o *outgoing) {
	j := o.job
	j.samples = append(j.samples[:0], j.samples[o.sent:]...)
	j.retryAt = time.Time{}
	if j.oneShot() || j.final {
		v.removeJobLocked(j.requestID)
		return
	}
	j.nextReport = o.boundary.Add(j.back)
	if !j.end.IsZero() && !o.boundary.Before(j.end) && len(j.samples) == 0 {
		v.removeJobLocked(j.requestID)
		v.log.Info("report interval ended", "reportRequestID", j.requestID)
	}
}
