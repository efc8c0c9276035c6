package openadr

import (
	"context"
	"slices"
	"strconv"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// poll answers oadrPoll with a message due again (see WithRedeliverAfter),
// else the oldest queued message, or with an empty oadrResponse (200, empty
// requestID: oadrPoll has none) when nothing waits. The message leaves the
// queue now; undo puts it back first in the queue if the answer could not be
// written.
func (v *VTN) poll(ctx context.Context, c Caller, m *oadr.Poll) (oadr.Message, func(context.Context), error) {
	switch idle, err := v.idle(ctx, c, m.VenID); {
	case err != nil:
		return nil, nil, err
	case idle:
		return ack("", m.VenID), nil, nil
	}
	// One variable for what the Store callback hands out: it is moved to
	// the heap, and one allocation per poll is cheaper than two.
	var out struct {
		answer  oadr.Message
		taken   Queued
		givenUp []string
	}
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		now := v.clock.Now()
		q, again, ok, givenUp := v.next(st, now)
		out.givenUp = givenUp
		switch {
		case !ok:
		case q.Message == nil:
			// An event notice: the event list as of now. The eiResponse
			// answers no oadrRequestEvent, so its requestID is empty.
			out.answer = v.distributeEvent(st, oadr.OK(""), now)
		default:
			out.answer = q.Message
		}
		if ok {
			v.track(st, q, out.answer, again)
		}
		out.taken = q
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, name := range out.givenUp {
		v.log.WarnContext(ctx, "openadr: VEN never answered a message sent "+strconv.Itoa(MaxDeliveries)+" times; no longer waiting", "venID", logID(m.VenID), "message", name)
	}
	if out.answer == nil {
		return ack("", m.VenID), nil, nil
	}
	return out.answer, v.undoPoll(c, m.VenID, out.taken), nil
}

// idle reports whether a poll of venID has nothing to deliver and nothing to
// count: no queued message, none waiting for an answer, and no contact to
// record for liveness (see recordContact). It only reads, so
// that the commonest request, an empty poll, costs a Store a read rather than
// an update. A message queued just after the read goes out with the next
// poll, as it would had it been queued just after this one.
func (v *VTN) idle(ctx context.Context, c Caller, venID string) (bool, error) {
	if venID == "" {
		return false, nil // updateVEN refuses it
	}
	if v.quietPoll(ctx, c, venID) {
		return true, nil
	}
	return v.storedIdle(ctx, c, venID)
}

// storedIdle is VTN.idle read from the VEN's state in the Store.
func (v *VTN) storedIdle(ctx context.Context, c Caller, venID string) (bool, error) {
	u := getVenUpdate(v, c)
	err := v.store.View(ctx, venID, u.peek)
	idle := u.idle
	u.put()
	return idle, err
}

// checkIdle is VTN.idle's Store callback.
func (u *venUpdate) checkIdle(st *VENState) error {
	if err := checkCaller(u.caller(), &st.Registration); err != nil {
		return err
	}
	u.idle = len(st.Queue) == 0 && len(st.Delivered) == 0 && !u.v.contactDue(st)
	return nil
}

// undoPoll returns the function that puts q back, for a poll or an
// oadrRequestEvent whose answer took it. It is made apart from poll so that
// q is copied to the heap only for polls that took a message.
func (v *VTN) undoPoll(c Caller, venID string, q Queued) func(context.Context) {
	return func(ctx context.Context) { v.requeue(ctx, c, venID, q) }
}

// requeue puts back first in the queue a message whose poll answer was
// lost.
func (v *VTN) requeue(ctx context.Context, c Caller, venID string, q Queued) {
	err := v.updateVEN(ctx, c, venID, func(st *VENState) error {
		st.putBack(q)
		return nil
	})
	if err != nil {
		v.log.WarnContext(ctx, "openadr: a poll answer was lost and could not be queued again", "venID", logID(venID), "message", q.Name(), "err", err)
		return
	}
	v.log.InfoContext(ctx, "openadr: a poll answer was lost; queued again", "venID", logID(venID), "message", q.Name())
}

// decode decodes a request body. A VEN's polls, the same bytes each time
// and for other VENs of its software but for the venID, and its reports,
// the same markup each time with new values, are read from their values
// once one of their shape has been decoded (oadr.Shapes): nothing per VEN
// is kept for it, only a few shapes per VEN software.
func (v *VTN) decode(body []byte) (oadr.Message, error) { return v.shapes.Unmarshal(body) }

// putBack puts q back first in the queue and forgets its delivery. An event
// notice is not put back when another is queued already: that one builds
// the same list.
func (st *VENState) putBack(q Queued) {
	st.Delivered = slices.DeleteFunc(st.Delivered, func(d Delivered) bool { return d.same(q) })
	if len(st.Delivered) == 0 {
		st.Delivered = nil
	}
	if q.Message == nil && slices.ContainsFunc(st.Queue, func(q Queued) bool { return q.Message == nil }) {
		return
	}
	st.Queue = slices.Insert(st.Queue, 0, q)
}
