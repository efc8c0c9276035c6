package alphaess

import (
	"context"
	"sync"
	"time"

	"github.com/gridwire/gridwire/clock"
)

// DefaultMinInterval is the spacing between calls AlphaESS asks for: every
// client README and the portal say at least 10 s, and faster callers get
// 6053.
const DefaultMinInterval = 10 * time.Second

// MaxSlowInterval bounds how far repeated 6053 answers slow a client down.
const MaxSlowInterval = 2 * time.Minute

// pacer spaces the starts of a client's calls at least interval apart. It
// is shared by every handle made from one New, so all calls made with one
// AppID queue in one line, in the order they asked. It is the
// rest.Config.Limiter of the client, so retries are paced too.
//
// After a 6053 answer the client calls slowDown, which doubles the interval
// (to at least DefaultMinInterval, at most MaxSlowInterval) for the rest of
// the client's life: AlphaESS has enforced its limit on and off over the
// years, and the Home Assistant integration falls back to 10 s for good on
// the first 6053 in the same way.
type pacer struct {
	clock clock.Clock

	mu       sync.Mutex
	interval time.Duration
	next     time.Time // the earliest start of the next call
}

func newPacer(c clock.Clock, interval time.Duration) *pacer {
	return &pacer{clock: c, interval: max(interval, 0)}
}

// Wait blocks until the caller's turn, or until ctx is done.
func (p *pacer) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	now := p.clock.Now()
	at := later(p.next, now)
	p.next = at.Add(p.interval)
	p.mu.Unlock()
	wait := at.Sub(now)
	if wait <= 0 {
		return nil
	}
	if err := p.clock.Sleep(ctx, wait); err != nil {
		p.mu.Lock()
		// Give the turn back unless someone queued behind it.
		if p.next.Equal(at.Add(p.interval)) {
			p.next = at
		}
		p.mu.Unlock()
		return err
	}
	return nil
}

// slowDown widens the interval after a 6053 and moves the next turn one new
// interval from now. It returns the new interval.
func (p *pacer) slowDown() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.interval = min(max(2*p.interval, DefaultMinInterval), MaxSlowInterval)
	p.next = later(p.next, p.clock.Now().Add(p.interval))
	return p.interval
}

func (p *pacer) current() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.interval
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
