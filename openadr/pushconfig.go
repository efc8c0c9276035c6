package openadr

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// The push options, checked once by NewVTN, and the state push delivery
// keeps in memory: which VENs a delivery is pushing to, which failed lately.

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
