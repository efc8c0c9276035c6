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
	// Oldest first; an event without a creation time counts as the newest,
	// as apply takes it.
	slices.SortStableFunc(evs, func(a, b Event) int {
		if a.CreatedAt.IsZero() || b.CreatedAt.IsZero() {
			return cmp.Compare(btoi(a.CreatedAt.IsZero()), btoi(b.CreatedAt.IsZero()))
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
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
		add, err := intervalsOf(e.ID, pl.PriceCurve)
		if err != nil {
			return err
		}
		p.have, p.currency, p.curveAt = true, pl.Currency, e.CreatedAt
		p.intervals = add
	case *PriceDelta:
		if pl.LocationID != p.locationID || !p.have || p.older(e) {
			// A delta older than the curve is already in it; one before
			// any curve has nothing to change.
			return nil
		}
		if pl.Currency != "" && pl.Currency != p.currency {
			return fmt.Errorf("volue: price delta %s is in %s, the curve in %s", e.ID, pl.Currency, p.currency)
		}
		add, err := intervalsOf(e.ID, pl.PriceCurve)
		if err != nil {
			return err
		}
		p.paint(add)
	}
	return nil
}

// older reports whether e was created before the current curve. An event
// that does not say when it was created counts as the newest: a delivery
// without a time is one being sent now, and must not be dropped for it.
func (p *PriceSource) older(e Event) bool {
	return !e.CreatedAt.IsZero() && e.CreatedAt.Before(p.curveAt)
}

// intervalsOf returns the curve's intervals sorted by start. It refuses a
// point without a time, which would sit unseen at the year 1 while the
// price it was meant to set stays wrong, and points that overlap each
// other, since one event cannot mean two prices for the same time.
func intervalsOf(eventID string, c PriceCurve) ([]interval, error) {
	d := c.Resolution.Duration()
	if d <= 0 {
		d = time.Hour
	}
	out := make([]interval, len(c.Points))
	for i, pt := range c.Points {
		if pt.Start.IsZero() {
			return nil, fmt.Errorf("volue: price event %s: point %d has no timestamp", eventID, i)
		}
		out[i] = interval{start: pt.Start, end: pt.Start.Add(d), perKWh: pt.Price}
	}
	slices.SortFunc(out, byStart)
	for i := 1; i < len(out); i++ {
		if out[i].start.Before(out[i-1].end) {
			return nil, fmt.Errorf("volue: price event %s: points at %s and %s overlap", eventID,
				out[i-1].start.UTC().Format(time.RFC3339), out[i].start.UTC().Format(time.RFC3339))
		}
	}
	return out, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func byStart(a, b interval) int { return a.start.Compare(b.start) }

// paint puts add (sorted, not overlapping) in place of what it covers; what
// it covers of an interval only in part is cut away, so a finer delta
// splits an hour rather than erasing it. Both lists are walked once, so a
// long curve costs no more than its length.
func (p *PriceSource) paint(add []interval) {
	out := make([]interval, 0, len(p.intervals)+len(add))
	j := 0
	for _, o := range p.intervals {
		for j < len(add) && !add[j].end.After(o.start) {
			j++ // ends before o: no new interval before it can reach o either
		}
		for k := j; k < len(add) && add[k].start.Before(o.end) && o.start.Before(o.end); k++ {
			if add[k].start.After(o.start) {
				out = append(out, interval{start: o.start, end: add[k].start, perKWh: o.perKWh})
			}
			if add[k].end.After(o.start) {
				o.start = add[k].end
			}
		}
		if o.start.Before(o.end) {
			out = append(out, o)
		}
	}
	out = append(out, add...)
	slices.SortFunc(out, byStart)
	p.intervals = out
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
