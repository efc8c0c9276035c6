package openadr

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Each VEN has a FIFO queue of VTN-initiated messages, delivered one per
// oadrPoll (a pull VEN cannot be reached otherwise). OpenLEADR's VEN takes
// one message per poll period, so a queue of n messages drains in n periods.
//
// Event changes are queued as a marker rather than a copy of the event list:
// the oadrDistributeEvent is built when the VEN polls, with the statuses of
// that moment, and several changes before a poll coalesce into one message.

// Limits per VEN, so that an application (or a hostile caller of its API)
// cannot grow a VEN's state without end while the VEN does not poll.
const (
	// MaxQueued bounds a VEN's poll queue: Enqueue, RequestReports and
	// CancelReports fail with ErrLimit past it. Event changes and report
	// requests coalesce into one queued message each, so a queue this deep
	// means a VEN that does not poll.
	MaxQueued = 100
	// MaxReportRequests bounds the report requests in force for a VEN;
	// RequestReports fails with ErrLimit past it.
	MaxReportRequests = 100
)

// enqueueBounded appends msg to the VEN's queue unless it is full.
func (st *VENState) enqueueBounded(msg oadr.Message, at time.Time) error {
	if len(st.Queue) >= MaxQueued {
		return fmt.Errorf("%w: %d messages wait in the poll queue of VEN %q", ErrLimit, len(st.Queue), st.Registration.VenID)
	}
	st.enqueue(msg, at)
	return nil
}

// enqueueReportRequests queues report requests in one oadrCreateReport: a
// queued oadrCreateReport the VEN has not polled yet takes them (the VEN
// handles several requests in one message as well as one), otherwise a new
// one is queued. It returns the requestID of the message that carries them.
func (st *VENState) enqueueReportRequests(reqs []oadr.ReportRequest, at time.Time) (string, error) {
	for i, q := range st.Queue {
		if cr, ok := q.Message.(*oadr.CreateReport); ok {
			// A copy: the queued message may be shared with a reader.
			merged := *cr
			merged.ReportRequests = append(slices.Clip(cr.ReportRequests), reqs...)
			st.Queue[i].Message = &merged
			return merged.RequestID, nil
		}
	}
	id := newID()
	return id, st.enqueueBounded(&oadr.CreateReport{RequestID: id, ReportRequests: reqs, VenID: st.Registration.VenID}, at)
}

// enqueue appends msg to the VEN's queue.
func (st *VENState) enqueue(msg oadr.Message, at time.Time) {
	st.Queue = append(st.Queue, Queued{Message: msg, QueuedAt: at})
}

// enqueueEvents queues the VEN's current event list, unless it is queued
// already (the queued one will be built with the latest state anyway).
func (st *VENState) enqueueEvents(at time.Time) {
	for _, q := range st.Queue {
		if q.Message == nil {
			return
		}
	}
	st.enqueue(nil, at)
}

// enqueueRegisterReport queues the VTN's own oadrRegisterReport. The VTN
// offers no reports, but conformance tests (and the Fortress sandbox's flow)
// expect it after registration, and the VEN must answer oadrRegisteredReport.
func (st *VENState) enqueueRegisterReport(at time.Time) {
	st.enqueue(&oadr.RegisterReport{RequestID: newID(), VenID: st.Registration.VenID}, at)
}

// dequeue removes and returns the oldest entry.
func (st *VENState) dequeue() (Queued, bool) {
	if len(st.Queue) == 0 {
		return Queued{}, false
	}
	q := st.Queue[0]
	st.Queue[0] = Queued{} // let the message be collected
	st.Queue = st.Queue[1:]
	if len(st.Queue) == 0 {
		st.Queue = nil // reuse nothing: the backing array would only grow
	}
	return q, true
}

// Enqueue queues any VTN-initiated message for the VEN's next poll, for what
// the VTN's own methods do not cover. The message must be one a VEN accepts
// as a poll answer (oadrCreateReport, oadrCancelReport, oadrRegisterReport,
// oadrUpdateReport, oadrDistributeEvent, oadrCancelPartyRegistration,
// oadrRequestReregistration) and must encode. The VTN does not act on the
// answer, but it does wait for one to an oadrCreateReport, oadrCancelReport,
// oadrRegisterReport or oadrCancelPartyRegistration, by requestID, and sends
// the message again if none comes (WithRedeliverAfter). A full queue
// (MaxQueued) fails with ErrLimit. Prefer CreateEvent, RequestReports,
// CancelRegistration and the like, which act on the answers.
func (v *VTN) Enqueue(ctx context.Context, venID string, msg oadr.Message) error {
	if msg == nil {
		return energy.Invalid("msg", "nil message")
	}
	switch msg.(type) {
	case *oadr.CreateReport, *oadr.CancelReport, *oadr.RegisterReport, *oadr.UpdateReport,
		*oadr.DistributeEvent, *oadr.CancelPartyRegistration, *oadr.RequestReregistration:
	default:
		return energy.Invalid("msg", "%s is not a poll answer", msg.MessageName())
	}
	if _, err := oadr.Marshal(msg); err != nil {
		return energy.Invalid("msg", "%v", err)
	}
	return v.store.Update(ctx, venID, func(st *VENState) error {
		return st.enqueueBounded(msg, v.clock.Now())
	})
}

// Queue returns the element names of the messages waiting in the VEN's poll
// queue, oldest first.
func (v *VTN) Queue(ctx context.Context, venID string) ([]string, error) {
	var names []string
	err := v.store.View(ctx, venID, func(st *VENState) error {
		names = make([]string, len(st.Queue))
		for i, q := range st.Queue {
			names[i] = q.Name()
		}
		return nil
	})
	return names, err
}
