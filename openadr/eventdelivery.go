package openadr

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// requestEvent answers oadrRequestEvent with the VEN's current events. A
// complete list takes the queued event notice, which would only repeat it;
// undo, when not nil, queues the notice again if the answer could not be
// written, as a poll's undo does.
func (v *VTN) requestEvent(ctx context.Context, c Caller, m *oadr.RequestEvent) (oadr.Message, func(context.Context), error) {
	var answer *oadr.DistributeEvent
	took := false
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		answer = v.distributeEvent(st, oadr.OK(m.RequestID), v.clock.Now())
		limited := m.ReplyLimit > 0 && int(m.ReplyLimit) < len(answer.Events)
		if limited {
			answer.Events = answer.Events[:m.ReplyLimit]
			return nil
		}
		n := len(st.Queue)
		st.Queue = slices.DeleteFunc(st.Queue, func(q Queued) bool { return q.Message == nil })
		took = len(st.Queue) < n
		return nil
	})
	switch {
	case err != nil:
		return nil, nil, err
	case !took:
		return answer, nil, nil
	}
	return answer, v.undoPoll(c, m.VenID, Queued{QueuedAt: v.clock.Now()}), nil
}

// distributeEvent builds an oadrDistributeEvent with the VEN's events that
// matter now: pending and active ones, and cancelled ones until their end (so
// the VEN hears of the cancellation); completed ones are left out. It has a
// fresh requestID, which the VEN echoes in its eventResponses.
func (v *VTN) distributeEvent(st *VENState, r oadr.EiResponse, now time.Time) *oadr.DistributeEvent {
	d := &oadr.DistributeEvent{Response: &r, RequestID: newID(), VtnID: v.id}
	for i := range st.Events {
		e := &st.Events[i]
		s := e.Status(now)
		if s == oadr.StatusCompleted || s == oadr.StatusCancelled && !now.Before(e.Event.End()) {
			continue
		}
		d.Events = append(d.Events, v.wireEvent(st.Registration.VenID, e, s, now))
	}
	slices.SortStableFunc(d.Events, byStart)
	return d
}

func byStart(a, b oadr.Event) int { return a.ActivePeriod.Start.Compare(b.ActivePeriod.Start) }

// minAnswerBytes is the least WithMaxAnswerBytes accepts: room for a few
// events of many intervals each.
const minAnswerBytes = 16 << 10

// fit trims d's events, sorted by start, until d encodes within the VTN's
// answer size, keeping the events of highest priority and, among equals,
// the earliest; n is the size of d as it stands, over the limit. It returns
// how many events it left out. write calls it, so that the common answer is
// encoded once.
func (v *VTN) fit(d *oadr.DistributeEvent, n int) int {
	size := func() int {
		b, err := oadr.Marshal(d)
		if err != nil {
			return 0
		}
		return len(b)
	}
	all := d.Events
	ranked := slices.Clone(all)
	slices.SortStableFunc(ranked, func(a, b oadr.Event) int {
		if c := cmp.Compare(rank(a.Descriptor.Priority), rank(b.Descriptor.Priority)); c != 0 {
			return c
		}
		return byStart(a, b)
	})
	keep := func(k int) {
		d.Events = slices.Clone(ranked[:k])
		slices.SortStableFunc(d.Events, byStart)
	}
	// The largest k whose list fits: lo fits (an empty list always does),
	// hi does not. The first guess is proportional, so large lists take few
	// encodings.
	lo, hi := 0, len(ranked)
	mid := int(int64(len(ranked)) * int64(v.maxAnswer) / int64(n))
	for hi-lo > 1 {
		if mid <= lo || mid >= hi {
			mid = lo + (hi-lo)/2
		}
		keep(mid)
		if size() <= v.maxAnswer {
			lo = mid
		} else {
			hi = mid
		}
		mid = 0
	}
	keep(lo)
	return len(all) - lo
}

// rank orders priorities: 1 is the highest, 0 (none) the lowest.
func rank(p uint32) uint64 {
	if p == 0 {
		return math.MaxUint32 + 1
	}
	return uint64(p)
}

// wireEvent turns a stored event into its oadrEvent.
func (v *VTN) wireEvent(venID string, e *EventState, status oadr.EventStatus, now time.Time) oadr.Event {
	ev := &e.Event
	mc := ev.MarketContext
	if mc == "" {
		mc = v.marketContext
	}
	target := ev.Target
	if target.IsZero() {
		target = oadr.Target{VenIDs: []string{venID}}
	}
	out := oadr.Event{
		Descriptor: oadr.EventDescriptor{
			EventID:              ev.ID,
			ModificationNumber:   e.ModificationNumber,
			ModificationDateTime: e.ModifiedAt,
			ModificationReason:   e.ModificationReason,
			Priority:             ev.Priority,
			MarketContext:        mc,
			CreatedDateTime:      e.CreatedAt,
			Status:               status,
			TestEvent:            ev.Test,
			VtnComment:           ev.Comment,
		},
		ActivePeriod: oadr.Period{
			Start:        ev.Start,
			Duration:     ev.Duration(),
			StartAfter:   ev.StartAfter,
			Notification: ev.Notification,
			RampUp:       ev.RampUp,
			Recovery:     ev.Recovery,
		},
		Target:           target,
		ResponseRequired: ev.ResponseRequired,
	}
	for i, s := range ev.Signals {
		id := s.ID
		if id == "" {
			id = "SIG_" + strconv.Itoa(i)
		}
		ws := oadr.EventSignal{SignalName: s.Name, SignalType: s.Type, SignalID: id, ItemBase: s.Item}
		// Intervals carry their dtstart although the spec's samples omit it:
		// OpenLEADR's VTN writes it, and both VENs accept it.
		at := ev.Start
		current := 0.0 // the value before the event is active, as in the spec's samples
		for j, iv := range s.Intervals {
			end := at.Add(iv.Duration)
			if status == oadr.StatusActive && !now.Before(at) && now.Before(end) {
				current = iv.Value
			}
			ws.Intervals = append(ws.Intervals, oadr.SignalInterval{Start: at, Duration: iv.Duration, UID: strconv.Itoa(j), Value: iv.Value})
			at = end
		}
		ws.CurrentValue = &current
		out.Signals = append(out.Signals, ws)
	}
	return out
}

// createdEvent takes a VEN's opt-ins and opt-outs. An empty eventResponses
// is fine (EPRI's VEN sends one once it has answered every event). Answers
// for events the VEN does not have are refused with 452, after the others
// are recorded.
func (v *VTN) createdEvent(ctx context.Context, c Caller, m *oadr.CreatedEvent) (oadr.Message, error) {
	var (
		recorded []EventResponse
		unknown  []string
	)
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		now := v.clock.Now()
		for _, r := range m.EventResponses {
			id := r.QualifiedEventID.EventID
			e := st.event(id)
			if e == nil || r.QualifiedEventID.ModificationNumber > e.ModificationNumber {
				unknown = append(unknown, id)
				continue
			}
			er := EventResponse{
				VenID:              m.VenID,
				EventID:            id,
				ModificationNumber: r.QualifiedEventID.ModificationNumber,
				OptType:            r.OptType,
				Code:               r.Code,
				Description:        r.Description,
				ReceivedAt:         now,
			}
			// An answer to an older modification does not replace one to a
			// newer.
			if e.Response == nil || er.ModificationNumber >= e.Response.ModificationNumber {
				e.Response = &er
			}
			recorded = append(recorded, er)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(recorded) > 0 {
		v.answers.notify(m.VenID) // SetSchedule may be waiting for these
	}
	if v.hooks.eventResponse != nil {
		for _, r := range recorded {
			v.hooks.eventResponse(ctx, r)
		}
	}
	if len(unknown) > 0 {
		return nil, Reject(oadr.CodeInvalidID, "no event %q (at that modification) for this VEN", unknown[0])
	}
	return ack(m.Response.RequestID, m.VenID), nil
}
