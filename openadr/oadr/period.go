package oadr

import (
	"time"
)

// Period is xcal:properties: a start and duration with the 2.0b timing
// extensions. It is an event's eiActivePeriod, a report request's
// reportInterval and an opt's availability window.
type Period struct {
	Start    time.Time
	Duration time.Duration
	// StartAfter is tolerance/tolerate/startafter: the window over which a VEN
	// may randomise its start. Zero means absent.
	StartAfter time.Duration
	// Notification, RampUp and Recovery are ei:x-eiNotification,
	// ei:x-eiRampUp and ei:x-eiRecovery. Zero means absent.
	Notification time.Duration
	RampUp       time.Duration
	Recovery     time.Duration
}

// End returns Start + Duration.
func (p *Period) End() time.Time { return p.Start.Add(p.Duration) }

func (p *Period) encode(e *encoder) {
	e.open(pXCal, "properties")
	if p.Start.IsZero() {
		e.fail("properties/dtstart", "required")
	}
	e.xcalDateTime(pXCal, "dtstart", p.Start)
	e.durationProp(pXCal, "duration", p.Duration)
	if p.StartAfter != 0 {
		e.open(pXCal, "tolerance")
		e.open(pXCal, "tolerate")
		e.duration(pXCal, "startafter", p.StartAfter)
		e.close(pXCal, "tolerate")
		e.close(pXCal, "tolerance")
	}
	if p.Notification != 0 {
		e.durationProp(pEI, "x-eiNotification", p.Notification)
	}
	if p.RampUp != 0 {
		e.durationProp(pEI, "x-eiRampUp", p.RampUp)
	}
	if p.Recovery != 0 {
		e.durationProp(pEI, "x-eiRecovery", p.Recovery)
	}
	e.close(pXCal, "properties")
}

// decode reads the content of an xcal:properties element.
func (p *Period) decode(d *decoder) error { return decodeFields(d, p, periodFields) }

var periodFields = fields[Period]{
	{xcalN("dtstart"), required, func(d *decoder, p *Period) error { return d.xcalDateTime(&p.Start) }},
	{xcalN("duration"), required, func(d *decoder, p *Period) error { return d.durationProp(&p.Duration) }},
	{xcalN("tolerance"), optional, func(d *decoder, p *Period) error {
		return d.each(xcalN("tolerate"), func() error {
			return d.each(xcalN("startafter"), func() error { return d.duration(&p.StartAfter) })
		})
	}},
	{eiN("x-eiNotification"), optional, func(d *decoder, p *Period) error { return d.durationProp(&p.Notification) }},
	{eiN("x-eiRampUp"), optional, func(d *decoder, p *Period) error { return d.durationProp(&p.RampUp) }},
	{eiN("x-eiRecovery"), optional, func(d *decoder, p *Period) error { return d.durationProp(&p.Recovery) }},
}
