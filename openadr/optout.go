package openadr

import (
	"context"
	"slices"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// optOutOf returns the VEN's current EiOpt opt-out that covers event e for
// resource ("" for the whole VEN), or nil. An event opt covers the event it
// names, at any modification: a customer override outlives the VTN's
// changes to the event; of several event opts the latest counts, so an
// opt-in withdraws an earlier opt-out. An opt-out schedule covers the events whose active
// period overlaps one of its windows (a window without a duration lasts
// until cancelled). Opt-in schedules say when the VEN is available, not
// when it is not, so only opt-outs count. An opt for a market context other
// than the event's, or for resources other than resource, does not cover it.
func (v *VTN) optOutOf(st *VENState, e *EventState, resource string) *Opt {
	var schedule, event *Opt
	for i := range st.Opts {
		o := &st.Opts[i]
		if !v.optCovers(o, &e.Event, resource) {
			continue
		}
		switch {
		case o.Event != nil:
			event = o // the VEN's latest word on the event wins
		case o.Type == oadr.OptOut && schedule == nil:
			schedule = o
		}
	}
	if event != nil && event.Type == oadr.OptOut {
		return event
	}
	return schedule
}

func (v *VTN) optCovers(o *Opt, ev *Event, resource string) bool {
	mc := ev.MarketContext
	if mc == "" {
		mc = v.marketContext
	}
	switch {
	case o.MarketContext != "" && o.MarketContext != mc:
		return false
	case !optTargets(o, resource):
		return false
	case o.Event != nil:
		return o.Event.EventID == ev.ID
	}
	return overlapsAny(o.Availability, ev.Start, ev.End())
}

// optTargets reports whether an opt applies to resource: an opt without
// resourceIDs applies to the whole VEN, one with them to those resources,
// and any opt to a battery that is the whole VEN (resource "").
func optTargets(o *Opt, resource string) bool {
	return resource == "" || len(o.Target.ResourceIDs) == 0 || slices.Contains(o.Target.ResourceIDs, resource)
}

// overlapsAny reports whether one of ps overlaps [start, end).
func overlapsAny(ps []oadr.Period, start, end time.Time) bool {
	for _, p := range ps {
		if p.Start.Before(end) && (p.Duration <= 0 || p.End().After(start)) {
			return true
		}
	}
	return false
}

// Opts returns the VEN's current EiOpt opts that apply to the battery (its
// resource, or any for a battery that is the whole VEN), in the order they
// arrived, leaving out opt schedules whose windows have all ended. An
// opt-out among them that covers an event of the schedule makes SetSchedule
// and Await report an *OptOutError; the opt-ins are the VEN's declared
// availability.
func (b *Battery) Opts(ctx context.Context) ([]Opt, error) {
	if err := b.checkOptions(); err != nil {
		return nil, err
	}
	var out []Opt
	err := b.vtn.store.View(ctx, b.venID, func(st *VENState) error {
		now := b.vtn.clock.Now()
		out = out[:0]
		for i := range st.Opts {
			o := &st.Opts[i]
			if !optTargets(o, b.resource) || o.Event == nil && !overlapsAny(o.Availability, now, maxTime) {
				continue
			}
			out = append(out, cloneOpt(o))
		}
		return nil
	})
	if err != nil {
		return nil, b.storeErr(ctx, "Opts", err)
	}
	return out, nil
}

// maxTime is a time after every window.
var maxTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// cloneOpt returns a copy of o whose slices and pointers the caller may
// change without touching the Store's state (the target's lists other than
// resourceIDs are shared, as VTN.Opts shares them).
func cloneOpt(o *Opt) Opt {
	c := *o
	c.Availability = slices.Clone(o.Availability)
	c.Target.ResourceIDs = slices.Clone(o.Target.ResourceIDs)
	if o.Event != nil {
		c.Event = new(*o.Event)
	}
	return c
}
