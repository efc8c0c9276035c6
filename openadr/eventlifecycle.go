package openadr

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// eventRetention is how long a completed or cancelled event is kept after
// its end, so that late answers from VENs still find it and it can be
// queried; older ones are pruned when the VEN's events next change.
const eventRetention = 24 * time.Hour

// CreateEvent creates an event for the VEN and queues the VEN's event list
// (an oadrDistributeEvent) for its next poll. It returns the eventID. A VEN
// registered as report-only gets an error wrapping energy.ErrUnsupported.
func (v *VTN) CreateEvent(ctx context.Context, venID string, ev Event) (string, error) {
	if err := ev.Validate(); err != nil {
		return "", err
	}
	if ev.ID == "" {
		ev.ID = newID()
	}
	ev.Signals = cloneSignals(ev.Signals)
	err := v.store.Update(ctx, venID, func(st *VENState) error {
		if err := st.takesEvents(); err != nil {
			return err
		}
		if st.event(ev.ID) != nil {
			return energy.Invalid("Event.ID", "the VEN already has an event %q", ev.ID)
		}
		now := v.clock.Now()
		st.pruneEvents(now)
		st.addEvent(ev, now)
		st.enqueueEvents(now)
		return nil
	})
	if err != nil {
		return "", err
	}
	return ev.ID, nil
}

// ModifyEvent replaces the definition of an event that has not ended (its ID
// stays), increments its modification number and queues the VEN's event
// list. The VEN's earlier answer no longer counts: it answers again.
func (v *VTN) ModifyEvent(ctx context.Context, venID, eventID string, ev Event, reason string) error {
	if ev.ID != "" && ev.ID != eventID {
		return energy.Invalid("Event.ID", "%q differs from the eventID %q", ev.ID, eventID)
	}
	ev.ID = eventID
	if err := ev.Validate(); err != nil {
		return err
	}
	ev.Signals = cloneSignals(ev.Signals)
	return v.changeEvent(ctx, venID, eventID, func(e *EventState) {
		e.Event = ev
		e.ModificationReason = reason
	})
}

// CancelEvent cancels an event that has not ended: its status becomes
// cancelled, its modification number grows, and the VEN's event list is
// queued so the VEN learns of it.
func (v *VTN) CancelEvent(ctx context.Context, venID, eventID string) error {
	return v.changeEvent(ctx, venID, eventID, func(e *EventState) {
		e.Cancelled = true
		e.ModificationReason = "cancelled"
	})
}

func (v *VTN) changeEvent(ctx context.Context, venID, eventID string, change func(*EventState)) error {
	err := v.store.Update(ctx, venID, func(st *VENState) error {
		if st.Registration.CancelRequestID != "" {
			return ErrCancelPending
		}
		now := v.clock.Now()
		e := st.event(eventID)
		if e == nil {
			return fmt.Errorf("%w: %q", ErrUnknownEvent, eventID)
		}
		if s := e.Status(now); s == oadr.StatusCancelled || s == oadr.StatusCompleted {
			return fmt.Errorf("%w: %q is %s", ErrEventEnded, eventID, s)
		}
		e.modify(now, change)
		st.pruneEvents(now)
		st.enqueueEvents(now)
		return nil
	})
	if err == nil {
		// Whoever waits for an answer to the earlier modification waits in
		// vain now.
		v.answers.notify(venID)
	}
	return err
}

// takesEvents reports why the VEN cannot be sent new events, if it cannot.
func (st *VENState) takesEvents() error {
	r := &st.Registration
	if r.CancelRequestID != "" {
		return ErrCancelPending
	}
	if r.ReportOnly {
		return energy.Unsupported("openadr: CreateEvent", "VEN %q registered as report-only (oadrReportOnly) and takes no events", r.VenID)
	}
	return nil
}

// addEvent stores a new event; the caller queues the event list.
func (st *VENState) addEvent(ev Event, now time.Time) {
	st.Events = append(st.Events, EventState{Event: ev, CreatedAt: now, ModifiedAt: now})
}

// modify changes an event: the change, a new modification number, and the
// VEN's earlier answer set aside (it answers the new modification). The
// caller queues the event list.
func (e *EventState) modify(now time.Time, change func(*EventState)) {
	change(e)
	e.ModificationNumber++
	e.ModifiedAt = now
	e.Response = nil
}

// Event returns the state of one of the VEN's events.
func (v *VTN) Event(ctx context.Context, venID, eventID string) (EventState, error) {
	var out EventState
	err := v.store.View(ctx, venID, func(st *VENState) error {
		e := st.event(eventID)
		if e == nil {
			return fmt.Errorf("%w: %q", ErrUnknownEvent, eventID)
		}
		out = e.clone()
		return nil
	})
	return out, err
}

// Events returns the VEN's events, ordered by start, with completed and
// cancelled ones until they are pruned.
func (v *VTN) Events(ctx context.Context, venID string) ([]EventState, error) {
	var out []EventState
	err := v.store.View(ctx, venID, func(st *VENState) error {
		out = make([]EventState, len(st.Events))
		for i := range st.Events {
			out[i] = st.Events[i].clone()
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b EventState) int { return a.Event.Start.Compare(b.Event.Start) })
	return out, err
}

// EventStatus returns an event's status now, by the VTN's clock.
func (v *VTN) EventStatus(ctx context.Context, venID, eventID string) (oadr.EventStatus, error) {
	e, err := v.Event(ctx, venID, eventID)
	if err != nil {
		return "", err
	}
	return e.Status(v.clock.Now()), nil
}

// event returns the VEN's event with that ID, or nil.
func (st *VENState) event(id string) *EventState {
	for i := range st.Events {
		if st.Events[i].Event.ID == id {
			return &st.Events[i]
		}
	}
	return nil
}

// pruneEvents drops events that ended more than eventRetention ago.
func (st *VENState) pruneEvents(now time.Time) {
	st.Events = slices.DeleteFunc(st.Events, func(e EventState) bool {
		return now.Sub(e.Event.End()) > eventRetention
	})
}

func (e *EventState) clone() EventState {
	c := *e
	c.Event.Signals = cloneSignals(e.Event.Signals)
	if e.Response != nil {
		r := *e.Response
		c.Response = &r
	}
	return c
}

// cloneSignals copies signals so the caller's slices are not shared with
// the store.
func cloneSignals(ss []Signal) []Signal {
	out := slices.Clone(ss)
	for i := range out {
		out[i].Intervals = slices.Clone(out[i].Intervals)
		out[i].Item = cloneItem(out[i].Item)
	}
	return out
}
