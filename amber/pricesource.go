package amber

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// nearPast is how far back the current-prices endpoint is used for: a range
// starting within it is served by one CurrentPrices call (actuals, the
// current interval and forecasts at once); an older one by the date-range
// endpoint.
const nearPast = 24 * time.Hour

// PriceSourceOption configures a PriceSource.
type PriceSourceOption func(*PriceSource)

// WithChannels chooses the channels whose prices are returned: General as
// energy.ChannelImport, FeedIn as energy.ChannelExport, ControlledLoad as
// energy.ChannelControlledLoad. The default is General and FeedIn.
func WithChannels(types ...ChannelType) PriceSourceOption {
	return func(p *PriceSource) { p.channels = slices.Clone(types) }
}

// WithPlainPrices uses the AEMO-based perKwh for forecasts instead of
// Amber's advancedPrice.predicted.
func WithPlainPrices() PriceSourceOption { return func(p *PriceSource) { p.plain = true } }

// WithPriceResolution asks for intervals of r minutes (5 or 30) instead of
// the site's billing interval.
func WithPriceResolution(r Resolution) PriceSourceOption {
	return func(p *PriceSource) { p.res = r }
}

// PriceSource offers a site's prices as an energy.PriceSource.
//
// Prices are in AUD per kWh (Amber's cents divided by 100), GST included.
// An export (feed-in) price is what the customer is paid, positive when
// paid: Amber's feed-in perKwh is the customer's cost, negative when they
// are paid, so its sign is flipped (and an advancedPrice band's low and
// high swap places).
//
// A forecast's price (and that of the current interval while it is an
// estimate) is Amber's advancedPrice.predicted when present (what the Amber
// app shows), else perKwh; WithPlainPrices always uses perKwh. Their Low
// and High come from advancedPrice, or else from Amber's spot-price range,
// shifted by the difference between the price and the spot price so that
// the band is in the same terms as PerKWh. A settled price (an actual
// interval, or the current one once locked in) is perKwh, without a band.
// Descriptor is Amber's price descriptor. Forecast is false for an actual
// interval, true for a forecast one, and the estimate flag for the current
// interval.
type PriceSource struct {
	site     *SiteClient
	channels []ChannelType
	plain    bool
	res      Resolution

	mu     sync.Mutex
	length time.Duration // interval length last seen, to size requests
}

var _ energy.PriceSource = (*PriceSource)(nil)

// PriceSource returns the site's prices as an energy.PriceSource. It does no
// I/O.
func (s *SiteClient) PriceSource(opts ...PriceSourceOption) *PriceSource {
	p := &PriceSource{site: s, channels: []ChannelType{ChannelGeneral, ChannelFeedIn}}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Prices returns the priced intervals of the chosen channels that overlap
// [from, to), sorted by start time (then channel), one per channel and
// time: where two answers cover the same time, the settled price wins over
// the current estimate, and that over a forecast.
//
// Which endpoint serves the range depends on where it lies:
//   - from no more than 24 hours ago: one CurrentPrices call, with Previous
//     and Next sized to reach from and to (capped at 2048 intervals; Amber
//     forecasts less far ahead than that anyway).
//   - older: the date-range endpoint for the NEM dates up to now, split
//     into 7-day requests, plus a CurrentPrices call for the part after now.
//     Each request is paced by the rate limiter: a year of history is 53
//     requests, more than five minutes of Amber's quota.
//
// Requests are sized by the interval length: the resolution asked for, or
// the length the last answer had, or at first 5 minutes (the finest, so
// that a range is never under-fetched).
func (p *PriceSource) Prices(ctx context.Context, from, to time.Time) ([]energy.Price, error) {
	switch {
	case from.IsZero():
		return nil, energy.Invalid("from", "is not set")
	case to.IsZero():
		return nil, energy.Invalid("to", "is not set")
	case !to.After(from):
		return nil, energy.Invalid("to", "%s is not after from %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	case !p.res.valid():
		return nil, energy.Invalid("Resolution", "%d is not 5 or 30 minutes", p.res)
	}
	if _, err := sitePath(p.site.id, ""); err != nil {
		return nil, err
	}
	for i, t := range p.channels {
		if !t.Known() {
			return nil, energy.Invalid(fmt.Sprintf("channels[%d]", i), "%q is not general, controlledLoad or feedIn", string(t))
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("amber: prices: %w", err)
	}
	ivs, err := p.fetch(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return p.convert(ivs, from, to), nil
}

// fetch makes the calls described at Prices.
func (p *PriceSource) fetch(ctx context.Context, from, to time.Time) (Intervals, error) {
	now := p.site.c.clock.Now()
	length := p.intervalLength()
	count := func(d time.Duration) int {
		if d >= MaxIntervals*length { // also keeps d + length from overflowing
			return MaxIntervals
		}
		return int((d + length - 1) / length)
	}
	var prev, next int
	if from.Before(now) {
		prev = count(now.Sub(from))
	}
	if to.After(now) {
		next = min(count(to.Sub(now)), MaxIntervals)
	}
	if !from.Before(now.Add(-nearPast)) {
		return p.current(ctx, CurrentPricesParams{Next: min(next, MaxIntervals-prev), Previous: prev, Resolution: p.res})
	}
	// The range reaches back beyond the current endpoint's sensible reach.
	end := to
	if end.After(now) {
		end = now
	}
	last := DateOf(end.Add(-time.Nanosecond))
	all, err := p.site.Prices(ctx, PricesParams{StartDate: DateOf(from), EndDate: last, Resolution: p.res})
	if err != nil {
		return nil, err
	}
	if to.After(now) {
		cur, err := p.current(ctx, CurrentPricesParams{Next: next, Resolution: p.res})
		if err != nil {
			return nil, err
		}
		all = append(all, cur...)
	}
	return all, nil
}

// current calls CurrentPrices and learns the interval length it returns.
func (p *PriceSource) current(ctx context.Context, params CurrentPricesParams) (Intervals, error) {
	ivs, err := p.site.CurrentPrices(ctx, params)
	if err != nil {
		return nil, err
	}
	if len(ivs) > 0 {
		if d := ivs[0].Base().Duration; d > 0 {
			p.mu.Lock()
			p.length = d
			p.mu.Unlock()
		}
	}
	return ivs, nil
}

func (p *PriceSource) intervalLength() time.Duration {
	if p.res != ResolutionDefault {
		return time.Duration(p.res) * time.Minute
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.length > 0 {
		return p.length
	}
	return 5 * time.Minute
}

// convert keeps the chosen channels' intervals overlapping [from, to),
// drops the less settled of any two that overlap on one channel, and sorts.
func (p *PriceSource) convert(ivs Intervals, from, to time.Time) []energy.Price {
	type cand struct {
		price energy.Price
		rank  int
	}
	cands := make([]cand, 0, len(ivs))
	for _, iv := range ivs {
		b := iv.Base()
		ch, ok := energyChannel(b.ChannelType)
		if !ok || !slices.Contains(p.channels, b.ChannelType) {
			continue
		}
		if !b.Start().Before(to) || !b.End().After(from) {
			continue
		}
		cands = append(cands, cand{p.price(iv, ch), rank(iv)})
	}
	// Most settled first, then by time: each accepted interval claims its
	// span on its channel, and a later candidate overlapping a claimed span
	// is a less settled (or duplicate) view of the same time.
	slices.SortStableFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), a.price.Start.Compare(b.price.Start))
	})
	kept := map[energy.Channel][]energy.Price{}
	out := make([]energy.Price, 0, len(cands))
	for _, c := range cands {
		list := kept[c.price.Channel]
		j, _ := slices.BinarySearchFunc(list, c.price.Start, func(e energy.Price, t time.Time) int { return e.Start.Compare(t) })
		if (j > 0 && list[j-1].End.After(c.price.Start)) || (j < len(list) && list[j].Start.Before(c.price.End)) {
			continue
		}
		kept[c.price.Channel] = slices.Insert(list, j, c.price)
		out = append(out, c.price)
	}
	slices.SortFunc(out, func(a, b energy.Price) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(channelOrder(a.Channel), channelOrder(b.Channel)))
	})
	return out
}

// price converts one interval; see PriceSource for the rules.
func (p *PriceSource) price(iv Interval, ch energy.Channel) energy.Price {
	b := iv.Base()
	var (
		forecast bool
		adv      *AdvancedPrice
		rng      *Range
	)
	switch v := iv.(type) {
	case *CurrentInterval:
		// Once locked in, perKwh is the price billed; Amber's prediction
		// and the spot range no longer say anything about it.
		if forecast = v.Estimate; forecast {
			adv, rng = v.AdvancedPrice, v.Range
		}
	case *ForecastInterval:
		forecast, adv, rng = true, v.AdvancedPrice, v.Range
	}
	// sign turns Amber's cost-to-the-customer into what energy wants: for
	// export, what the customer is paid.
	sign := 1.0
	if ch == energy.ChannelExport {
		sign = -1
	}
	pr := energy.Price{
		Start: b.Start(), End: b.End(), Currency: "AUD", Channel: ch, Forecast: forecast,
		PerKWh: sign * b.PerKWh.DollarsPerKWh(), Descriptor: string(b.Descriptor),
	}
	switch {
	case adv != nil && !p.plain:
		pr.PerKWh = sign * adv.Predicted.DollarsPerKWh()
		pr.Low, pr.High = band(sign*adv.Low.DollarsPerKWh(), sign*adv.High.DollarsPerKWh())
	case rng != nil:
		// A higher spot price raises the import price and the export
		// payment alike, so the shift has the same sign on both channels.
		pr.Low, pr.High = band(pr.PerKWh+(rng.Min-b.SpotPerKWh).DollarsPerKWh(), pr.PerKWh+(rng.Max-b.SpotPerKWh).DollarsPerKWh())
	}
	return pr
}

func band(a, b float64) (lo, hi *float64) {
	if a > b {
		a, b = b, a
	}
	return &a, &b
}

func energyChannel(t ChannelType) (energy.Channel, bool) {
	switch t {
	case ChannelGeneral:
		return energy.ChannelImport, true
	case ChannelFeedIn:
		return energy.ChannelExport, true
	case ChannelControlledLoad:
		return energy.ChannelControlledLoad, true
	}
	return "", false
}

func channelOrder(c energy.Channel) int {
	switch c {
	case energy.ChannelImport:
		return 0
	case energy.ChannelControlledLoad:
		return 1
	}
	return 2
}
