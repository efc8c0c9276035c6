package openadr

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// SetSchedule sends the schedule to the VEN as events, replacing the
// schedule sent before (see Battery for how windows become events and
// signals); an empty schedule cancels it, and returns once the cancellation
// is queued. An invalid schedule is refused
// with a *energy.FieldError, and one OpenADR cannot express (a daily
// schedule, since an event runs once; a TargetSoC; a Power of 0 without
// WithRatedPower; a Power above the rating) with an
// error wrapping energy.ErrUnsupported, before anything is queued; so is a
// window that has already ended (a *energy.FieldError). A VEN registered as
// report-only takes no events (energy.ErrUnsupported); one that is not
// registered is unavailable (energy.ErrUnavailable).
//
// Unless the Battery was made WithoutWaiting, SetSchedule then waits for
// the VEN's answer, until ctx is done: it returns nil when the VEN opts in
// to every event of the schedule, an *OptOutError when it opts out of one
// (several are joined), an error wrapping ErrEventChanged when the schedule
// is replaced or cancelled before the VEN answers, and ctx's error when ctx
// ends first. The schedule stays queued in that last case: the VEN still
// receives it, and Await can wait again.
func (b *Battery) SetSchedule(ctx context.Context, s energy.Schedule) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.Repeat == energy.RepeatDaily {
		// An OpenADR event runs once: a daily schedule would run on its
		// first day and silently not after.
		return energy.Unsupported("openadr: SetSchedule", "an OpenADR event runs once; send each day's schedule with Repeat once")
	}
	if err := b.checkOptions(); err != nil {
		return err
	}
	events, err := b.scheduleEvents(s, b.vtn.clock.Now())
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("openadr: SetSchedule: %w", err)
	}
	sent, err := b.vtn.replaceSchedule(ctx, b.venID, b.resource, events)
	if err != nil {
		return b.storeErr(ctx, "SetSchedule", err)
	}
	if b.noWait || len(sent) == 0 {
		return nil
	}
	return b.await(ctx, "SetSchedule", sent)
}

// ScheduleEvents returns the events of the schedule in force, in schedule
// order, with the VEN's answers (EventState.Response) as they stand; events
// pruned after their end are left out. It does not wait.
func (b *Battery) ScheduleEvents(ctx context.Context) ([]EventState, error) {
	if err := b.checkOptions(); err != nil {
		return nil, err
	}
	var out []EventState
	err := b.vtn.store.View(ctx, b.venID, func(st *VENState) error {
		out = out[:0]
		for _, id := range st.Schedules[b.resource] {
			if e := st.event(id); e != nil {
				out = append(out, e.clone())
			}
		}
		return nil
	})
	if err != nil {
		return nil, b.storeErr(ctx, "ScheduleEvents", err)
	}
	return out, nil
}

// replaceSchedule makes events the VEN's schedule for resource, in one
// Store update: the previous schedule's events that have not ended are
// modified into the new ones, surplus ones cancelled, and the rest created.
// It returns the events at the modifications sent.
func (v *VTN) replaceSchedule(ctx context.Context, venID, resource string, events []Event) ([]sentEvent, error) {
	for i := range events {
		events[i].ID = newID() // used if the event is created
	}
	var sent []sentEvent
	err := v.store.Update(ctx, venID, func(st *VENState) error {
		if err := st.takesEvents(); err != nil {
			return err
		}
		sent = sent[:0]
		now := v.clock.Now()
		st.pruneEvents(now)
		var live []int // indexes into st.Events
		for _, id := range st.Schedules[resource] {
			if i := slices.IndexFunc(st.Events, func(e EventState) bool { return e.Event.ID == id }); i >= 0 && !ended(st.Events[i].Status(now)) {
				live = append(live, i)
			}
		}
		if len(events) == 0 && len(live) == 0 {
			delete(st.Schedules, resource)
			return nil // nothing to tell the VEN
		}
		ids := make([]string, len(events))
		for i, ev := range events {
			if i < len(live) {
				e := &st.Events[live[i]]
				ev.ID = e.Event.ID
				e.modify(now, func(e *EventState) { e.Event, e.ModificationReason = ev, "schedule replaced" })
				sent = append(sent, sentEvent{id: ev.ID, mod: e.ModificationNumber})
			} else {
				st.addEvent(ev, now)
				sent = append(sent, sentEvent{id: ev.ID})
			}
			ids[i] = ev.ID
		}
		for _, i := range live[min(len(events), len(live)):] {
			st.Events[i].modify(now, func(e *EventState) { e.Cancelled, e.ModificationReason = true, "schedule replaced" })
		}
		if len(ids) == 0 {
			delete(st.Schedules, resource)
		} else {
			if st.Schedules == nil {
				st.Schedules = make(map[string][]string)
			}
			st.Schedules[resource] = ids
		}
		st.enqueueEvents(now)
		return nil
	})
	if err != nil {
		return nil, err
	}
	v.answers.notify(venID) // waiters on the previous schedule
	return sent, nil
}

func ended(s oadr.EventStatus) bool { return s == oadr.StatusCancelled || s == oadr.StatusCompleted }

// span is a schedule window ready to be sent: whole seconds, the power it
// will be sent with.
type span struct {
	start, end time.Time
	mode       energy.Mode
	power      energy.Watts
}

// scheduleEvents turns a valid schedule into events: one per run of
// windows without a gap.
func (b *Battery) scheduleEvents(s energy.Schedule, now time.Time) ([]Event, error) {
	spans := make([]span, 0, len(s.Windows))
	for i, w := range s.Windows {
		f := fmt.Sprintf("Windows[%d]", i)
		if w.TargetSoC != 0 {
			return nil, energy.Unsupported("openadr: SetSchedule", "%s.TargetSoC: OpenADR 2.0b has no signal that stops a battery at a state of charge; end the window where the target would be reached", f)
		}
		p := w.Power
		if w.Mode != energy.ModeIdle {
			switch {
			case p == 0 && b.rated == 0:
				return nil, energy.Unsupported("openadr: SetSchedule", "%s.Power: 0 asks for the battery's default power, which an OpenADR event cannot express; set Power, or give the rating with WithRatedPower", f)
			case p == 0:
				p = b.rated
			case b.rated > 0 && p > b.rated:
				return nil, energy.Unsupported("openadr: SetSchedule", "%s.Power: %v is above the battery's rated power %v", f, p, b.rated)
			}
		}
		sp := span{start: w.Start.Round(time.Second), end: w.End.Round(time.Second), mode: w.Mode, power: p}
		switch {
		case !sp.end.After(sp.start):
			return nil, energy.Invalid(f+".End", "the window is shorter than a second, OpenADR's resolution")
		case !sp.end.After(now):
			return nil, energy.Invalid(f+".End", "%s has passed", w.End.UTC().Format(time.RFC3339))
		}
		spans = append(spans, sp)
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start.Compare(b.start) })
	var events []Event
	for i := 0; i < len(spans); {
		j := i + 1
		for j < len(spans) && spans[j].start.Equal(spans[j-1].end) {
			j++
		}
		ev, err := b.event(spans[i:j])
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
		i = j
	}
	return events, nil
}

// event returns the event for a run of adjoining spans: LOAD_DISPATCH and
// SIMPLE signals with one interval per span.
func (b *Battery) event(run []span) (Event, error) {
	steps := make([]DispatchStep, len(run))
	simple := Signal{Name: oadr.SignalSimple, Type: oadr.SignalTypeLevel, Intervals: make([]Interval, len(run))}
	for i, sp := range run {
		d := sp.end.Sub(sp.start)
		steps[i] = DispatchStep{Duration: d, Mode: sp.mode, Power: sp.power}
		simple.Intervals[i] = Interval{Duration: d, Value: simpleLevel(sp.mode, sp.power, b.rated)}
	}
	dispatch, err := LoadDispatch(steps...)
	if err != nil {
		return Event{}, err
	}
	ev := Event{
		Start:   run[0].start,
		Signals: []Signal{dispatch, simple},
		Comment: "battery schedule",
	}
	if b.resource != "" {
		// The resourceID alone: the event goes to this VEN anyway, and VENs
		// read a target naming both as "either" (the venID would match).
		ev.Target = oadr.Target{ResourceIDs: []string{b.resource}}
	}
	return ev, ev.Validate()
}

// simpleLevel is the SIMPLE level of a span; see Battery.
func simpleLevel(mode energy.Mode, power, rated energy.Watts) float64 {
	switch {
	case mode != energy.ModeDischarge:
		return 0
	case rated > 0 && power <= rated/2:
		return 1
	}
	return 2
}
