package volue

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// PriceSource is a location's prices as an energy.PriceSource, fed by the
// price events Volue sends: a PriceCurveCreated replaces the curve, a
// PriceDelta replaces the intervals it covers. Feed it from a Receiver's
// hook (Handle is a Hook), and start it from the events the API still holds
// (Load), so that a restart does not wait for the next curve.
//
// Events go by their creation time: a curve older than the current one,
// and a delta older than the curve, are already superseded and ignored; an
// event without a creation time counts as the newest.
//
// Prices answers from memory, without I/O, in the curve's currency per kWh
// on the import channel. An interval that has not ended is marked Forecast,
// since a delta may still change it. It is safe for concurrent use.
type PriceSource struct {
	locationID string
	clock      clock.Clock

	mu        sync.RWMutex
	have      bool
	currency  string
	curveAt   time.Time // the current curve's CreatedAt
	intervals []interval
}

type interval struct {
	start, end time.Time
	perKWh     float64
}

var _ energy.PriceSource = (*PriceSource)(nil)

// PriceSourceOption configures a PriceSource.
type PriceSourceOption func(*PriceSource)

// WithPriceSourceClock sets the clock that tells which intervals are over
// (not Forecast); the system clock by default. nil is an error.
func WithPriceSourceClock(c clock.Clock) PriceSourceOption {
	return func(p *PriceSource) { p.clock = c }
}

// NewPriceSource returns an empty PriceSource for the location; it answers
// once it has seen a PriceCurveCreated for it.
func NewPriceSource(locationID string, opts ...PriceSourceOption) (*PriceSource, error) {
	if locationID == "" {
		return nil, energy.Invalid("locationID", "required")
	}
	p := &PriceSource{locationID: locationID, clock: clock.System()}
	for _, o := range opts {
		o(p)
	}
	if p.clock == nil {
		return nil, energy.Invalid("WithPriceSourceClock", "nil clock")
	}
	return p, nil
}

// Handle applies e when it is a price event for the location and ignores it
// otherwise; it is a Hook. A delta in another currency than the curve's is
// an error and is not applied.
func (p *PriceSource) Handle(_ context.Context, e Event) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.apply(e)
}

// Load starts the source from the events the API holds (Client.ListEvents):
// the newest curve for the location and the deltas after it.
func (p *PriceSource) Load(ctx context.Context, c *Client) error {
	evs, err := c.ListEvents(ctx)
	if err != nil {
		return err
	}
	slices.SortStableFunc(evs, func(a, b Event) int { return a.CreatedAt.Compare(b.CreatedAt) })
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, e := range evs {
		if err := p.apply(e); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("volue: loading prices of %s: %w", p.locationID, errs[0])
	}
	return nil
}

// apply is Handle with p.mu held.
func (p *PriceSource) apply(e Event) error {
	switch pl := e.Payload.(type) {
	case *PriceCurveCreated:
		if pl.LocationID != p.locationID || (p.have && p.older(e)) {
			return nil
		}
		if len(pl.Currency) != 3 {
			return fmt.Errorf("volue: price curve %s: currency %q is not an ISO 4217 code", e.ID, pl.Currency)
		}
		if err := checkPoints(e.ID, pl.Points); err != nil {
			return err
		}
		p.have, p.currency, p.curveAt = true, pl.Currency, e.CreatedAt
		p.intervals = p.intervals[:0]
		p.merge(pl.Points, pl.Resolution)
	case *PriceDelta:
		if pl.LocationID != p.locationID || !p.have || p.older(e) {
			// A delta older than the curve is already in it; one before
			// any curve has nothing to change.
			return nil
		}
		if pl.Currency != "" && pl.Currency != p.currency {
			return fmt.Errorf("volue: price delta %s is in %s, the curve in %s", e.ID, pl.Currency, p.currency)
		}
		if err := checkPoints(e.ID, pl.Points); err != nil {
			return err
		}
		p.merge(pl.Points, pl.Resolution)
	}
	return nil
}

// older reports whether e was created before the current curve. An event
// that does not say when it was created counts as the newest: a delivery
// without a time is one being sent now, and must not be dropped for it.
func (p *PriceSource) older(e Event) bool {
	return !e.CreatedAt.IsZero() && e.CreatedAt.Before(p.curveAt)
}

// checkPoints refuses points without a time, which would otherwise sit
// unseen at the year 1 while the prices they were meant to set stay wrong.
func checkPoints(eventID string, points []PricePoint) error {
	for i, pt := range points {
		if pt.Start.IsZero() {
			return fmt.Errorf("volue: price event %s: point %d has no timestamp", eventID, i)
		}
	}
	return nil
}

// merge puts points in, removing the intervals they overlap.
func (p *PriceSource) merge(points []PricePoint, res TimeSpan) {
	d := res.Duration()
	if d <= 0 {
		d = time.Hour
	}
	for _, pt := range points {
		iv := interval{start: pt.Start, end: pt.Start.Add(d), perKWh: pt.Price}
		kept := p.intervals[:0:0]
		for _, o := range p.intervals {
			if !o.start.Before(iv.end) || !iv.start.Before(o.end) {
				kept = append(kept, o)
				continue
			}
			// Keep what the new interval does not cover, so a finer delta
			// splits an hour rather than erasing it.
			if o.start.Before(iv.start) {
				kept = append(kept, interval{start: o.start, end: iv.start, perKWh: o.perKWh})
			}
			if iv.end.Before(o.end) {
				kept = append(kept, interval{start: iv.end, end: o.end, perKWh: o.perKWh})
			}
		}
		p.intervals = append(kept, iv)
	}
	slices.SortFunc(p.intervals, func(a, b interval) int { return cmp.Compare(a.start.UnixNano(), b.start.UnixNano()) })
}

// Prices returns the intervals overlapping [from, to). Without a curve yet
// the error wraps energy.ErrUnavailable.
func (p *PriceSource) Prices(ctx context.Context, from, to time.Time) ([]energy.Price, error) {
	switch {
	case from.IsZero():
		return nil, energy.Invalid("from", "zero time")
	case !to.After(from):
		return nil, energy.Invalid("to", "%s is not after from %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("volue: prices of %s: %w", p.locationID, err)
	}
	now := p.clock.Now()
	p.mu.RLock()
	defer p.mu.RUnlock()
	if !p.have {
		return nil, fmt.Errorf("volue: no price curve received yet for location %s: %w", p.locationID, energy.ErrUnavailable)
	}
	var out []energy.Price
	for _, iv := range p.intervals {
		if iv.start.Before(to) && iv.end.After(from) {
			out = append(out, energy.Price{Start: iv.start, End: iv.end, PerKWh: iv.perKWh, Currency: p.currency,
				Channel: energy.ChannelImport, Forecast: iv.end.After(now)})
		}
	}
	return out, nil
}
