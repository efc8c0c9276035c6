package openadr

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

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

// OptOutError reports that a VEN opted out of an event: its oadrCreatedEvent
// answered the event's latest modification with optType optOut, or it sent
// through EiOpt an opt-out naming the event or an opt-out schedule whose
// windows overlap the event (OptID then names that opt). It wraps
// ErrOptedOut and energy.ErrUnsupported, so that code written against
// energy.Battery sees a schedule the battery will not carry out, as it sees
// one the vendor cannot represent; errors.As gives the details.
type OptOutError struct {
	VenID              string
	EventID            string
	ModificationNumber uint32
	// Code is the eventResponse's responseCode: 200 for an opt-out by
	// choice, 460 (signal not supported), 462 (target mismatch) and the like
	// when the VEN cannot follow the event. It is 0 for an EiOpt opt-out.
	Code oadr.ResponseCode
	// Reason is the VEN's responseDescription, or the optReason of an
	// EiOpt opt-out ("overrideStatus", "notParticipating", …).
	Reason string
	// OptID is the optID of the EiOpt opt-out (oadrCreateOpt) that covers
	// the event; "" when the VEN opted out in oadrCreatedEvent.
	OptID string
}

// Error says who opted out of what, and why.
func (e *OptOutError) Error() string {
	if e.OptID != "" {
		return fmt.Sprintf("openadr: VEN %q opted out of event %q (modification %d) with opt %q: %q",
			e.VenID, e.EventID, e.ModificationNumber, e.OptID, e.Reason)
	}
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
		pending, err := b.vtn.answered(ctx, b.venID, b.resource, sent)
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
// returns the opt-outs as *OptOutError (from oadrCreatedEvent, or from an
// EiOpt opt-out that covers the event for resource), and an error wrapping
// ErrEventChanged or ErrEventEnded for an event that can no longer be
// answered.
func (v *VTN) answered(ctx context.Context, venID, resource string, sent []sentEvent) (pending bool, err error) {
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
			case v.optOutOf(st, e, resource) != nil:
				// The VEN's EiOpt says it will not take part, whatever it
				// answered (or will answer) to the event itself.
				o := v.optOutOf(st, e, resource)
				optOuts = append(optOuts, &OptOutError{VenID: venID, EventID: s.id, ModificationNumber: s.mod, OptID: o.OptID, Reason: string(o.Reason)})
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

// answerSignal wakes the calls that wait for a VEN's answers to events
// (Battery.SetSchedule, Battery.Await). A waiter subscribes to the VEN, reads
// the state it waits on from the Store, and sleeps on the channel until the
// request handler that records an oadrCreatedEvent (or anything else that
// settles the wait: a modification, a cancellation, the VEN leaving) closes
// it; then it reads the state again. Subscribing before reading means no
// answer can slip between the two. No goroutine and no timer is involved:
// the waiter's context bounds the wait.
//
// The signal is in process unless the Store is a Notifier (WithStore sets
// remote): then subscribe and notify go through the Store, so that an answer
// handled by another VTN process sharing it wakes this one's waiters.
type answerSignal struct {
	mu     sync.Mutex
	m      map[string]*answerWaiters // by venID
	remote Notifier
}

// notifyTimeout bounds a Notifier's Notify, which is I/O done after the
// request's change is stored, whatever became of the request.
const notifyTimeout = 5 * time.Second

type answerWaiters struct {
	ch chan struct{} // closed by notify
	n  int           // subscribers, so the last to leave can drop the entry
}

// subscribe returns a channel that is closed at the next notify for venID,
// and the function to call once the caller stops waiting on it.
func (s *answerSignal) subscribe(venID string) (<-chan struct{}, func()) {
	if s.remote != nil {
		return s.remote.Subscribe(venID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]*answerWaiters)
	}
	w := s.m[venID]
	if w == nil {
		w = &answerWaiters{ch: make(chan struct{})}
		s.m[venID] = w
	}
	w.n++
	return w.ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		w.n--
		if w.n == 0 && s.m[venID] == w {
			delete(s.m, venID)
		}
	}
}

// notify wakes everyone waiting on venID.
func (s *answerSignal) notify(venID string) {
	if s.remote != nil {
		// A failure leaves other processes' waiters asleep until their
		// context ends; there is nobody to tell but the waiters themselves.
		ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
		defer cancel()
		_ = s.remote.Notify(ctx, venID)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.m[venID]; w != nil {
		close(w.ch)
		delete(s.m, venID)
	}
}
