package openadr

import (
	"context"
	"errors"
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
// with a *energy.FieldError, and one OpenADR cannot express (a TargetSoC, a
// Power of 0 without WithRatedPower, a Power above the rating) with an
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

// Await waits, until ctx is done, for the VEN's answers to the events of
// the schedule in force that have not ended, with the same results as
// SetSchedule's wait; nil at once when there are none or all are answered
// with opt-ins. It is SetSchedule's second half for a Battery made
// WithoutWaiting.
func (b *Battery) Await(ctx context.Context) error {
	if err := b.checkOptions(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("openadr: Await: %w", err)
	}
	var sent []sentEvent
	err := b.vtn.store.View(ctx, b.venID, func(st *VENState) error {
		sent = sent[:0]
		now := b.vtn.clock.Now()
		for _, id := range st.Schedules[b.resource] {
			if e := st.event(id); e != nil && !ended(e.Status(now)) {
				sent = append(sent, sentEvent{id: id, mod: e.ModificationNumber})
			}
		}
		return nil
	})
	if err != nil {
		return b.storeErr(ctx, "Await", err)
	}
	if len(sent) == 0 {
		return nil
	}
	return b.await(ctx, "Await", sent)
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

// OptOutError reports that a VEN opted out of an event: its oadrCreatedEvent
// answered the event's latest modification with optType optOut. It wraps
// ErrOptedOut and energy.ErrUnsupported, so that code written against
// energy.Battery sees a schedule the battery will not carry out, as it sees
// one the vendor cannot represent; errors.As gives the details.
type OptOutError struct {
	VenID              string
	EventID            string
	ModificationNumber uint32
	// Code is the eventResponse's responseCode: 200 for an opt-out by
	// choice, 460 (signal not supported), 462 (target mismatch) and the like
	// when the VEN cannot follow the event.
	Code oadr.ResponseCode
	// Reason is the VEN's responseDescription.
	Reason string
}

// Error says who opted out of what, and why.
func (e *OptOutError) Error() string {
	return fmt.Sprintf("openadr: VEN %q opted out of event %q (modification %d): %d %q",
		e.VenID, e.EventID, e.ModificationNumber, int(e.Code), e.Reason)
}

// Unwrap returns ErrOptedOut and energy.ErrUnsupported.
func (e *OptOutError) Unwrap() []error { return []error{ErrOptedOut, energy.ErrUnsupported} }

// sentEvent is an event of a schedule at the modification that was sent,
// which is the one the VEN's answer must name.
type sentEvent struct {
	id  string
	mod uint32
}

// await waits for the VEN's answers to sent; see SetSchedule.
func (b *Battery) await(ctx context.Context, op string, sent []sentEvent) error {
	waitErr := func() error {
		return fmt.Errorf("openadr: %s: waiting for VEN %q to answer: %w", op, b.venID, ctx.Err())
	}
	for {
		woken, stop := b.vtn.answers.subscribe(b.venID)
		pending, err := b.vtn.answered(ctx, b.venID, sent)
		if err != nil || !pending {
			stop()
			switch {
			case err == nil || isOptOut(err):
				return err
			case ctx.Err() != nil:
				// The schedule is queued whenever ctx ended: the caller
				// gave up waiting, whether before the first look at the
				// Store or during a later one.
				return waitErr()
			}
			return b.storeErr(ctx, op, err)
		}
		select {
		case <-woken:
			stop()
		case <-ctx.Done():
			stop()
			return waitErr()
		}
	}
}

func isOptOut(err error) bool {
	_, ok := errors.AsType[*OptOutError](err)
	return ok
}

// answered reports whether some of sent still await the VEN's answer; it
// returns the opt-outs as *OptOutError, and an error wrapping
// ErrEventChanged or ErrEventEnded for an event that can no longer be
// answered.
func (v *VTN) answered(ctx context.Context, venID string, sent []sentEvent) (pending bool, err error) {
	var optOuts []error
	err = v.store.View(ctx, venID, func(st *VENState) error {
		pending, optOuts = false, optOuts[:0]
		now := v.clock.Now()
		for _, s := range sent {
			e := st.event(s.id)
			switch {
			case e == nil:
				return fmt.Errorf("%w: %q was pruned before the VEN answered", ErrUnknownEvent, s.id)
			case e.ModificationNumber != s.mod:
				return fmt.Errorf("%w: event %q was modified or cancelled (modification %d) before the VEN answered modification %d",
					ErrEventChanged, s.id, e.ModificationNumber, s.mod)
			case e.Response != nil && e.Response.ModificationNumber == s.mod:
				if r := e.Response; r.OptType == oadr.OptOut {
					optOuts = append(optOuts, &OptOutError{VenID: venID, EventID: s.id, ModificationNumber: s.mod, Code: r.Code, Reason: r.Description})
				}
			case e.Status(now) == oadr.StatusCompleted:
				return fmt.Errorf("%w: event %q ended before the VEN answered: %w", ErrEventEnded, s.id, energy.ErrUnavailable)
			default:
				pending = true
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return false, err
	case len(optOuts) == 1:
		return false, optOuts[0]
	case len(optOuts) > 1:
		return false, errors.Join(optOuts...)
	}
	return pending, nil
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
			return nil, energy.Unsupported("SetSchedule", "%s.TargetSoC: OpenADR 2.0b has no signal that stops a battery at a state of charge; end the window where the target would be reached", f)
		}
		p := w.Power
		if w.Mode != energy.ModeIdle {
			switch {
			case p == 0 && b.rated == 0:
				return nil, energy.Unsupported("SetSchedule", "%s.Power: 0 asks for the battery's default power, which an OpenADR event cannot express; set Power, or give the rating with WithRatedPower", f)
			case p == 0:
				p = b.rated
			case b.rated > 0 && p > b.rated:
				return nil, energy.Unsupported("SetSchedule", "%s.Power: %v is above the battery's rated power %v", f, p, b.rated)
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
