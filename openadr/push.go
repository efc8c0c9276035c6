package openadr

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Push VENs (registered with oadrHttpPullModel false) are reached by the VTN
// posting to their oadrTransportAddress. Messages for them are queued like
// any other VEN's; delivery takes them off the queue and posts them, and the
// VEN's synchronous answer (oadrCreatedEvent, oadrCreatedReport,
// oadrRegisteredReport, oadrCanceledPartyRegistration, … or a plain
// oadrResponse) goes through the VTN's request handling exactly as if the
// VEN had sent it to the VTN's own endpoint. A message whose push fails
// after the retries goes back first in the queue, where the VEN's next poll
// finds it: a push VEN may poll too, and that is the fallback.
//
// Delivery is explicit: VTN.Deliver (one pass over every push VEN),
// VTN.DeliverTo (one VEN, e.g. right after CreateEvent) or VTN.RunPush (a
// loop the application runs in its own goroutine). Pushing inside the call
// that queues (CreateEvent, RequestReports, …) would make the application's
// call wait on a VEN's network for up to the retries' whole backoff, under
// the caller's deadline, and a slow VEN would slow every caller; pushing
// from a goroutine of the VTN's own would be a hidden goroutine. With
// explicit delivery the application decides where the waiting happens.
//
// Each message is taken off the queue in one Store update, so VTN processes
// sharing a Store never push one message twice, though two of them may push
// one VEN's messages side by side. A pass reads every VEN's state once
// (most VENs are pull VENs with nothing to do): choose WithPushInterval
// with the fleet's size and the Store's speed in mind. Only the VEN's
// answers count as contact for liveness (see WithSilentAfter), not pushes,
// so a push VEN with nothing to answer for a long time should poll now and
// then, as openadr/ven's Run does.
//
// A push must reach the VEN it is for and no other: a VEN names its own
// push address, and could name another VEN's. A VEN bound to a client
// certificate (Registration.Fingerprint) must therefore give an https
// address, and its push server must present that same certificate (an
// OpenADR device certificate serves both ends): the VTN checks its
// fingerprint once the connection is made and before any byte of the
// message is sent, and a server presenting another certificate gets
// nothing. The certificate is authenticated by that pin, not by a CA (a
// device certificate names no host), so the default push client does not
// check the chain; a client given with WithPushClient keeps its own TLS
// checks and the pin applies on top. A VEN registered without a client
// certificate has no identity to check, over TLS or not, as for its own
// requests: deployments that need one require client certificates.
//
// With XML signatures (WithSigning), every push is signed with the VTN's
// key, afresh for each attempt (a retry of a push that did arrive would
// otherwise be a replay to the VEN), and the VEN's answer is verified as
// its polls are, against the pinned certificate its push server
// presented. A VEN that registered without a client certificate has no
// such certificate: its signed answers are refused (463), its unsigned
// ones accepted only while signatures are optional and it did not ask for
// them.

// Defaults of the push options.
const (
	// DefaultPushTimeout bounds one push attempt (connect, send, answer).
	DefaultPushTimeout = 10 * time.Second
	// DefaultPushRetries is how many times a failed push is tried again
	// before the message falls back to the poll queue.
	DefaultPushRetries = 2
	// DefaultPushBackoff is the wait before the first retry; it doubles on
	// each further retry up to DefaultPushMaxBackoff.
	DefaultPushBackoff = 500 * time.Millisecond
	// DefaultPushMaxBackoff caps the wait between retries.
	DefaultPushMaxBackoff = 5 * time.Second
	// DefaultPushInterval is how often RunPush makes a delivery pass.
	DefaultPushInterval = time.Second
	// DefaultPushHoldOff is how long Deliver leaves a VEN alone after a
	// push to it failed: one unreachable VEN costs a pass its retries once,
	// not on every pass.
	DefaultPushHoldOff = time.Minute
)

// PushStats counts what push delivery did.
type PushStats struct {
	// Pushed is the number of messages a push VEN took (answered with HTTP
	// 2xx and a body).
	Pushed int
	// Retries is the number of attempts after a first failed one.
	Retries int
	// Failed is the number of messages that could not be pushed, even
	// with the retries, and went back to the poll queue.
	Failed int
	// Resting is the number of VENs Deliver left alone because a push to
	// them failed less than WithPushHoldOff ago.
	Resting int
}

func (s *PushStats) add(o PushStats) {
	s.Pushed += o.Pushed
	s.Retries += o.Retries
	s.Failed += o.Failed
	s.Resting += o.Resting
}

// PushTotals returns the counts of every delivery since the VTN was made
// (Resting, which counts passes rather than messages, stays 0).
func (v *VTN) PushTotals() PushStats {
	return PushStats{Pushed: int(v.push.pushedN.Load()), Retries: int(v.push.retriedN.Load()), Failed: int(v.push.failedN.Load())}
}

// RunPush delivers to push VENs every WithPushInterval (real time) until
// ctx ends, and returns ctx's error. Run it in a goroutine of the
// application's; pull-only deployments need not run it.
func (v *VTN) RunPush(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if _, err := v.Deliver(ctx); err != nil && ctx.Err() == nil {
			v.log.WarnContext(ctx, "openadr: push delivery pass", "err", err)
		}
		t.Reset(v.push.interval)
	}
}

// Deliver makes one delivery pass: for every push VEN, it pushes its queued
// messages, oldest first, until the queue is empty or a push fails (that
// message goes back to the queue, for the VEN's poll or the next pass). A
// message that asks for an answer and got none is pushed again as a poll
// would hand it out again (WithRedeliverAfter): each pass over the VEN
// counts as one poll. It returns what was done and the first error that
// stopped it (ctx's, or the
// Store's); a VEN that cannot be reached is no error, only a count in
// PushStats.Failed and a warning in the log. Such a VEN is left alone for
// WithPushHoldOff (its messages wait for its polls), so that one dead VEN
// does not cost every pass its retries and timeouts; the passes are
// sequential, and a pass over many unreachable VENs takes their timeouts
// one after the other.
func (v *VTN) Deliver(ctx context.Context) (PushStats, error) {
	var total PushStats
	ids, err := v.store.VENs(ctx)
	if err != nil {
		return total, err
	}
	now := v.clock.Now()
	for _, id := range ids {
		if v.push.resting(id, now) {
			total.Resting++
			continue
		}
		s, err := v.DeliverTo(ctx, id)
		total.add(s)
		if errors.Is(err, ErrUnknownVEN) {
			continue // gone meanwhile
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// DeliverTo pushes the queued messages of one VEN, as Deliver does for
// all; it does nothing for a pull VEN, nor for one another delivery of
// this VTN is pushing to already (that one drains the queue). Call it
// right after queueing (CreateEvent, RequestReports, …) to push at once,
// in the caller's context, rather than at the next RunPush pass.
func (v *VTN) DeliverTo(ctx context.Context, venID string) (PushStats, error) {
	var stats PushStats
	var reg Registration
	var pending bool
	err := v.store.View(ctx, venID, func(st *VENState) error {
		reg = st.Registration
		pending = len(st.Queue) > 0 || len(st.Delivered) > 0
		return nil
	})
	if err != nil || !reg.Push || !pending {
		return stats, err
	}
	if !v.push.claim(venID) {
		return stats, nil // another delivery is draining this queue
	}
	defer v.push.release(venID)
	target, err := v.pushTarget(ctx, reg)
	if err != nil {
		// Leave the queue to the VEN's polls.
		v.log.WarnContext(ctx, "openadr: push target refused; the VEN must poll", "venID", logID(venID), "err", err)
		return stats, nil
	}
	for i := range MaxQueued + MaxDeliveries {
		q, msg, ok, err := v.takeForPush(ctx, reg, i == 0)
		if errors.Is(err, ErrUnknownVEN) && stats.Pushed > 0 {
			return stats, nil // its answer ended its registration
		}
		if err != nil || !ok {
			return stats, err
		}
		answer, retries, err := v.pushMessage(ctx, target, reg.Fingerprint, msg)
		stats.Retries += retries
		v.push.retriedN.Add(int64(retries))
		v.push.noteOutcome(venID, err != nil, v.clock.Now())
		if err != nil {
			stats.Failed++
			v.push.failedN.Add(1)
			v.log.WarnContext(ctx, "openadr: push failed; the message waits for the VEN's poll", "venID", logID(venID), "message", msg.MessageName(), "attempts", retries+1, "err", err)
			v.requeuePush(context.WithoutCancel(ctx), venID, q)
			return stats, ctx.Err()
		}
		stats.Pushed++
		v.push.pushedN.Add(1)
		v.takePushAnswer(ctx, reg, target, msg, answer)
	}
	return stats, nil
}

// pushTarget checks the VEN's transport address again (the check may have
// changed since it registered) and runs the application's check.
func (v *VTN) pushTarget(ctx context.Context, reg Registration) (*url.URL, error) {
	u, err := checkPushAddress(reg.TransportAddress, reg.Fingerprint)
	if err != nil {
		return nil, err
	}
	if v.push.check != nil {
		if err := v.push.check(ctx, reg.VenID, u); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// takeForPush takes what a poll of the VEN would be handed, without
// counting it as contact from the VEN (only its answer is), as long as the
// VEN is still the one reg describes: a push run stops when the VEN's
// certificate or push address changed under it (VTN.BindCertificate, a
// registration again), rather than push the rest to where the VEN no
// longer is. The first take of a run counts as a poll for redelivery (see
// WithRedeliverAfter); the later ones take only queued messages, so that a
// VEN whose answers do not arrive is not sent one message again and again
// within one run.
func (v *VTN) takeForPush(ctx context.Context, reg Registration, first bool) (q Queued, msg oadr.Message, ok bool, err error) {
	var givenUp []string
	err = v.store.Update(ctx, reg.VenID, func(st *VENState) error {
		if r := &st.Registration; !r.Push || r.Fingerprint != reg.Fingerprint || r.TransportAddress != reg.TransportAddress {
			return nil
		}
		now := v.clock.Now()
		var again bool
		if first {
			q, again, ok, givenUp = v.next(st, now)
		} else {
			q, ok = st.dequeue()
		}
		if !ok {
			return nil
		}
		if q.Message == nil {
			msg = v.distributeEvent(st, oadr.OK(""), now)
		} else {
			msg = q.Message
		}
		v.track(st, q, msg, again)
		return nil
	})
	for _, name := range givenUp {
		v.log.WarnContext(ctx, "openadr: push VEN never answered a message; no longer waiting", "venID", logID(reg.VenID), "message", name)
	}
	return q, msg, ok && err == nil, err
}

// requeuePush puts a message whose push failed back first in the queue and
// forgets its delivery, as a lost poll answer is (see requeue), without
// counting contact from the VEN.
func (v *VTN) requeuePush(ctx context.Context, venID string, q Queued) {
	err := v.store.Update(ctx, venID, func(st *VENState) error {
		st.putBack(q)
		return nil
	})
	if err != nil {
		v.log.WarnContext(ctx, "openadr: a failed push could not be queued again", "venID", logID(venID), "message", q.Name(), "err", err)
	}
}

// checkPushRegistration refuses (459) a push registration the VTN cannot
// serve: no usable transport address, a plain HTTP one from a VEN that
// registers with a client certificate (its push target could not be
// authenticated, see pinnedPush), or a target the application's check
// refuses.
func (v *VTN) checkPushRegistration(ctx context.Context, c Caller, m *oadr.CreatePartyRegistration) error {
	u, err := checkPushAddress(m.TransportAddress, c.Fingerprint)
	if err != nil {
		return Reject(oadr.CodeComplianceError, "oadrTransportAddress refused for push: %v", err)
	}
	if v.push.check != nil {
		if err := v.push.check(ctx, m.VenID, u); err != nil {
			return Reject(oadr.CodeComplianceError, "oadrTransportAddress refused for push: %v", err)
		}
	}
	return nil
}
