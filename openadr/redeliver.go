package openadr

import (
	"context"
	"slices"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// A message that asks for an answer is remembered in VENState.Delivered when
// a poll hands it out, and forgotten when the answer arrives: an event
// list's when every event it carried that asks for an answer has one (or has
// changed, or ended: a newer list or nothing is due then), another message's
// when the VEN's answer echoes its requestID. Each later poll counts; a
// message unanswered after WithRedeliverAfter polls is that poll's answer,
// again. Everything lives in the VEN's state, so a durable Store keeps it
// across restarts, and the count and the delivery commit in one Update.

// answerKey says whether a queue entry asks for an answer, and the
// requestID the answer echoes ("" for an event list, which is answered event
// by event).
func answerKey(q Queued) (requestID string, tracked bool) {
	switch m := q.Message.(type) {
	case nil:
		return "", true
	case *oadr.CreateReport:
		return m.RequestID, true
	case *oadr.RegisterReport:
		return m.RequestID, true
	case *oadr.CancelReport:
		return m.RequestID, true
	case *oadr.CancelPartyRegistration:
		return m.RequestID, true
	}
	return "", false
}

// same reports whether d remembers the delivery of q.
func (d *Delivered) same(q Queued) bool {
	rid, tracked := answerKey(q)
	return tracked && (d.Entry.Message == nil) == (q.Message == nil) && d.RequestID == rid
}

// next takes what a poll delivers: a message due again first, then the
// oldest queued one. again reports a message sent before; given up lists
// the names of messages sent MaxDeliveries times and no longer waited for.
func (v *VTN) next(st *VENState, now time.Time) (q Queued, again, ok bool, givenUp []string) {
	if v.redeliverAfter == 0 {
		st.Delivered = nil // remembered by a run that resent
		q, ok = st.dequeue()
		return q, false, ok, nil
	}
	st.settleEvents(now)
	for i := 0; i < len(st.Delivered); i++ {
		d := &st.Delivered[i]
		d.Polls++
		if d.Polls < v.redeliverAfter || again {
			continue
		}
		if d.Sent >= MaxDeliveries {
			givenUp = append(givenUp, d.Entry.Name())
			st.Delivered = slices.Delete(st.Delivered, i, i+1)
			i--
			continue
		}
		d.Polls = 0
		d.Sent++
		q, again = d.Entry, true
	}
	if len(st.Delivered) == 0 {
		st.Delivered = nil
	}
	if again {
		return q, true, true, givenUp
	}
	q, ok = st.dequeue()
	return q, false, ok, givenUp
}

// track remembers the delivery of q, whose answer was built as answer, when
// it asks for one. A message sent again only has its events brought up to
// date: the list was built anew.
func (v *VTN) track(st *VENState, q Queued, answer oadr.Message, again bool) {
	if v.redeliverAfter == 0 {
		return
	}
	rid, tracked := answerKey(q)
	if !tracked {
		return
	}
	var refs []EventRef
	if d, ok := answer.(*oadr.DistributeEvent); ok && q.Message == nil {
		for _, e := range d.Events {
			if e.ResponseRequired != oadr.ResponseNever && e.Descriptor.Status != oadr.StatusCancelled {
				refs = append(refs, EventRef{EventID: e.Descriptor.EventID, ModificationNumber: e.Descriptor.ModificationNumber})
			}
		}
		if len(refs) == 0 {
			// Nothing in the list asks for an answer.
			st.Delivered = slices.DeleteFunc(st.Delivered, func(d Delivered) bool { return d.same(q) })
			return
		}
	}
	if again {
		for i := range st.Delivered {
			if st.Delivered[i].same(q) {
				st.Delivered[i].Events = refs
			}
		}
		return
	}
	// One entry per requestID, and one event list: a newer delivery
	// replaces an older one.
	st.Delivered = slices.DeleteFunc(st.Delivered, func(d Delivered) bool { return d.same(q) })
	if len(st.Delivered) >= MaxQueued {
		st.Delivered = slices.Delete(st.Delivered, 0, 1)
	}
	st.Delivered = append(st.Delivered, Delivered{Entry: q, RequestID: rid, Events: refs, Sent: 1})
}

// settleEvents forgets the delivered event list once nothing it carried
// waits for an answer, or once a newer list is queued (that one is tracked
// when it goes out).
func (st *VENState) settleEvents(now time.Time) {
	queued := slices.ContainsFunc(st.Queue, func(q Queued) bool { return q.Message == nil })
	st.Delivered = slices.DeleteFunc(st.Delivered, func(d Delivered) bool {
		if d.Entry.Message != nil {
			return false
		}
		if queued {
			return true
		}
		for _, r := range d.Events {
			e := st.event(r.EventID)
			if e == nil || e.ModificationNumber != r.ModificationNumber {
				continue // pruned, or changed: a newer list went out or is queued
			}
			if s := e.Status(now); s == oadr.StatusCompleted || s == oadr.StatusCancelled {
				continue
			}
			if e.Response == nil || e.Response.ModificationNumber < r.ModificationNumber {
				return false
			}
		}
		return true
	})
}

// settle forgets the delivery a VEN's answer (oadrCreatedReport,
// oadrRegisteredReport, oadrCanceledReport, oadrCanceledPartyRegistration)
// answers, by the requestID it echoes. An answer the VTN refused still
// settles it: the VEN did receive the message, and sending it again would
// draw the same answer.
func (v *VTN) settle(ctx context.Context, c Caller, msg oadr.Message) {
	switch msg.(type) {
	case *oadr.CreatedReport, *oadr.RegisteredReport, *oadr.CanceledReport, *oadr.CanceledPartyRegistration:
	default:
		return
	}
	rid, venID := requestIDOfAnswer(msg), venIDOf(msg)
	if rid == "" || venID == "" {
		return
	}
	err := v.updateVEN(ctx, c, venID, func(st *VENState) error {
		st.Delivered = slices.DeleteFunc(st.Delivered, func(d Delivered) bool {
			return d.Entry.Message != nil && d.RequestID == rid
		})
		if len(st.Delivered) == 0 {
			st.Delivered = nil
		}
		return nil
	})
	if err != nil {
		v.log.DebugContext(ctx, "openadr: an answer settled no delivery", "venID", logID(venID), "err", err)
	}
}
