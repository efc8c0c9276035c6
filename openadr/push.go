package openadr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridwire/gridwire/energy"
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

// Defaults of the push options.
const (
	// DefaultPushTimeout bounds one push attempt (connect, send, answer).
	DefaultPushTimeout = 10 * time.Second
	// DefaultPushRetries is how many times a failed push is tried again
	// before the message falls back to the poll queue.
	DefaultPushRetries = 2
	// DefaultPushBackoff is the wait before the first retry; it doubles on
	// each further retry up to DefaultPushMaxBackoff.
	DefaultPushBackoff    = 500 * time.Millisecond
	DefaultPushMaxBackoff = 5 * time.Second
	// DefaultPushInterval is how often RunPush makes a delivery pass.
	DefaultPushInterval = time.Second
	// DefaultPushHoldOff is how long Deliver leaves a VEN alone after a
	// push to it failed: one unreachable VEN costs a pass its retries once,
	// not on every pass.
	DefaultPushHoldOff = time.Minute
)

// pushConfig holds the push options and the running counts.
type pushConfig struct {
	client                     *http.Client
	clientSet                  bool
	timeout                    time.Duration
	retries                    int
	retriesSet                 bool
	backoff, maxBackoff        time.Duration
	interval                   time.Duration
	holdOff                    time.Duration
	holdOffSet                 bool
	check                      PushTargetCheck
	checkSet                   bool
	pushedN, retriedN, failedN atomic.Int64 // PushTotals

	// busy holds the venIDs a delivery of this VTN is pushing to, so that
	// a DeliverTo and a RunPush pass do not push one VEN's messages side by
	// side, out of order.
	mu   sync.Mutex
	busy map[string]struct{}
	// failed holds when a push to a VEN last failed, for the hold-off.
	failedAt map[string]time.Time
}

// resting reports whether Deliver leaves venID alone at now.
func (p *pushConfig) resting(venID string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	at, ok := p.failedAt[venID]
	return ok && now.Before(at.Add(p.holdOff))
}

// noteOutcome remembers a failed push to venID, or forgets one.
func (p *pushConfig) noteOutcome(venID string, failed bool, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case failed && p.holdOff > 0:
		if p.failedAt == nil {
			p.failedAt = make(map[string]time.Time)
		}
		p.failedAt[venID] = now
	case !failed:
		delete(p.failedAt, venID)
	}
}

// claim marks venID busy; it reports false if it was already.
func (p *pushConfig) claim(venID string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.busy[venID]; ok {
		return false
	}
	if p.busy == nil {
		p.busy = make(map[string]struct{})
	}
	p.busy[venID] = struct{}{}
	return true
}

func (p *pushConfig) release(venID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.busy, venID)
}

// setup fills in the defaults and validates the options.
func (p *pushConfig) setup() error {
	switch {
	case p.clientSet && p.client == nil:
		return energy.Invalid("WithPushClient", "nil client")
	case p.checkSet && p.check == nil:
		return energy.Invalid("WithPushTargetCheck", "nil check")
	case p.retries < 0:
		return energy.Invalid("WithPushRetries", "%d is negative", p.retries)
	case p.timeout < 0:
		return energy.Invalid("WithPushTimeout", "%v is negative", p.timeout)
	case p.backoff < 0 || p.maxBackoff < 0 || (p.maxBackoff > 0 && p.backoff > p.maxBackoff):
		return energy.Invalid("WithPushBackoff", "first %v and max %v must be positive, first at most max", p.backoff, p.maxBackoff)
	case p.interval < 0:
		return energy.Invalid("WithPushInterval", "%v is negative", p.interval)
	case p.holdOff < 0:
		return energy.Invalid("WithPushHoldOff", "%v is negative", p.holdOff)
	}
	if !p.holdOffSet {
		p.holdOff = DefaultPushHoldOff
	}
	if p.client == nil {
		p.client = defaultPushClient()
	}
	if p.timeout == 0 {
		p.timeout = DefaultPushTimeout
	}
	if !p.retriesSet {
		p.retries = DefaultPushRetries
	}
	if p.backoff == 0 {
		p.backoff = DefaultPushBackoff
	}
	if p.maxBackoff == 0 {
		p.maxBackoff = max(DefaultPushMaxBackoff, p.backoff)
	}
	if p.interval == 0 {
		p.interval = DefaultPushInterval
	}
	return nil
}

// wait returns the backoff before retry n (1, 2, …).
func (p *pushConfig) wait(n int) time.Duration {
	d := p.backoff
	for i := 1; i < n && d < p.maxBackoff; i++ {
		d *= 2
	}
	return min(d, p.maxBackoff)
}

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
// would hand it out again (WithRedeliverAfter): each time a pass takes from
// the VEN's queue counts as a poll. It returns
// what was done and the first error that stopped it (ctx's, or the
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
	for range MaxQueued + MaxDeliveries {
		q, msg, ok, err := v.takeForPush(ctx, venID)
		if errors.Is(err, ErrUnknownVEN) && stats.Pushed > 0 {
			return stats, nil // its answer ended its registration
		}
		if err != nil || !ok {
			return stats, err
		}
		body, retries, err := v.pushMessage(ctx, target, msg)
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
		v.takePushAnswer(ctx, reg, target, msg, body)
	}
	return stats, nil
}

// pushTarget checks the VEN's transport address again (the check may have
// changed since it registered) and runs the application's check.
func (v *VTN) pushTarget(ctx context.Context, reg Registration) (*url.URL, error) {
	u, err := checkPushAddress(reg.TransportAddress)
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
// counting it as contact from the VEN (only its answer is).
func (v *VTN) takeForPush(ctx context.Context, venID string) (q Queued, msg oadr.Message, ok bool, err error) {
	var givenUp []string
	err = v.store.Update(ctx, venID, func(st *VENState) error {
		if !st.Registration.Push {
			return nil
		}
		now := v.clock.Now()
		var again bool
		q, again, ok, givenUp = v.next(st, now)
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
		v.log.WarnContext(ctx, "openadr: push VEN never answered a message; no longer waiting", "venID", logID(venID), "message", name)
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

// pushService is the VEN service a VTN-initiated message is posted to.
func pushService(msg oadr.Message) oadr.ServiceName {
	switch msg.(type) {
	case *oadr.DistributeEvent:
		return oadr.ServiceEiEvent
	case *oadr.CancelPartyRegistration, *oadr.RequestReregistration:
		return oadr.ServiceEiRegisterParty
	}
	return oadr.ServiceEiReport
}

// pushMessage posts msg, retrying with backoff, and returns the VEN's
// answer and the number of retries.
func (v *VTN) pushMessage(ctx context.Context, target *url.URL, msg oadr.Message) ([]byte, int, error) {
	b, err := oadr.Marshal(msg)
	if err != nil {
		return nil, 0, fmt.Errorf("encoding %s: %w", msg.MessageName(), err)
	}
	if d, ok := msg.(*oadr.DistributeEvent); ok && len(b) > v.maxAnswer {
		// As for a poll answer: the part that matters most (a copy: msg
		// may be an application's queued message).
		trimmed := *d
		left := v.fit(&trimmed, len(b))
		v.log.WarnContext(ctx, "openadr: pushed event list trimmed to the answer size limit", "sent", len(trimmed.Events), "leftOut", left, "limit", v.maxAnswer)
		if b, err = oadr.Marshal(&trimmed); err != nil {
			return nil, 0, fmt.Errorf("encoding %s: %w", msg.MessageName(), err)
		}
	}
	endpoint := target.JoinPath(strings.Trim(PathPrefix, "/"), string(pushService(msg))).String()
	retries := 0
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if err := v.clock.Sleep(ctx, v.push.wait(attempt)); err != nil {
				return nil, retries, err
			}
			retries++
		}
		var body []byte
		body, err = v.postOnce(ctx, endpoint, b)
		if err == nil {
			return body, retries, nil
		}
		if ctx.Err() != nil || attempt >= v.push.retries {
			return nil, retries, err
		}
	}
}

// postOnce makes one attempt.
func (v *VTN) postOnce(ctx context.Context, endpoint string, b []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, v.push.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header["Content-Type"] = contentType
	resp, err := v.push.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, v.maxBody+1))
	switch {
	case err != nil:
		return nil, err
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	case int64(len(body)) > v.maxBody:
		return nil, fmt.Errorf("answer over %d bytes", v.maxBody)
	case len(bytes.TrimSpace(body)) == 0:
		return nil, errors.New("empty answer")
	}
	return body, nil
}

// takePushAnswer hands the VEN's answer to the VTN's request handling, at
// the service that takes it, as if the VEN had posted it. The VTN's own
// answer to it has nowhere to go; a refusal is logged.
func (v *VTN) takePushAnswer(ctx context.Context, reg Registration, target *url.URL, sent oadr.Message, body []byte) {
	m, err := oadr.Unmarshal(body)
	if err != nil {
		v.log.InfoContext(ctx, "openadr: push VEN answered with a malformed message", "venID", logID(reg.VenID), "message", sent.MessageName(), "err", err)
		return
	}
	name := m.MessageName()
	var svc oadr.ServiceName
	for s := range services {
		if s != oadr.ServiceOadrPoll && served(s, name) {
			svc = s
		}
	}
	if svc == "" {
		v.log.InfoContext(ctx, "openadr: push VEN answered with a message a VEN does not send", "venID", logID(reg.VenID), "answer", name)
		return
	}
	answer, _ := v.handle(ctx, svc, Caller{Fingerprint: reg.Fingerprint, RemoteAddr: target.Host}, body)
	if r, ok := answer.(*oadr.Response); ok && r.Response.Code != oadr.CodeOK {
		v.log.InfoContext(ctx, "openadr: push VEN's answer refused", "venID", logID(reg.VenID), "answer", name, "code", int(r.Response.Code), "reason", r.Response.Description)
	}
}

// checkPushRegistration refuses (459) a push registration the VTN cannot
// serve: no usable transport address, a target the application's check
// refuses, or XML signatures, which push does not carry (the VEN's
// answers would come without the TLS client certificate they are checked
// against).
func (v *VTN) checkPushRegistration(ctx context.Context, m *oadr.CreatePartyRegistration) error {
	if v.sig != nil {
		return Reject(oadr.CodeComplianceError, "push mode is not supported with XML signatures; register with oadrHttpPullModel true and poll")
	}
	u, err := checkPushAddress(m.TransportAddress)
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
