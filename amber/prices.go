package amber

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gridwire/gridwire/energy"
)

// MaxIntervals is the most intervals one CurrentPrices call may ask for:
// Amber rejects Next + Previous above it with 422.
const MaxIntervals = 2048

// CurrentPricesParams are the options of CurrentPrices.
type CurrentPricesParams struct {
	// Next is how many forecast intervals to return after the current one.
	Next int
	// Previous is how many actual intervals to return before the current
	// one.
	Previous int
	// Resolution is the interval length; zero means the site's billing
	// interval.
	Resolution Resolution
}

func (p CurrentPricesParams) validate() error {
	switch {
	case p.Next < 0:
		return energy.Invalid("Next", "%d is negative", p.Next)
	case p.Previous < 0:
		return energy.Invalid("Previous", "%d is negative", p.Previous)
	case p.Next > MaxIntervals-p.Previous:
		return energy.Invalid("Next", "Next + Previous = %d exceeds %d", p.Next+p.Previous, MaxIntervals)
	case !p.Resolution.valid():
		return energy.Invalid("Resolution", "%d is not 5 or 30 minutes", p.Resolution)
	}
	return nil
}

// CurrentPrices returns the site's prices around now, on every channel:
// Previous actual intervals, the current interval, and Next forecast
// intervals, grouped by channel (General, Controlled Load, Feed In) as Amber
// returns them. Group by ChannelType rather than by index: the order shifts
// when a site's channels change.
func (c *Client) CurrentPrices(ctx context.Context, siteID string, p CurrentPricesParams) (Intervals, error) {
	path, err := sitePath(siteID, "/prices/current")
	if err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return c.getIntervals(ctx, path, countQuery(p.Next, p.Previous, p.Resolution))
}

// countQuery is the query of the endpoints that count intervals around
// now: next, previous and resolution, each left out when zero.
func countQuery(next, previous int, r Resolution) url.Values {
	q := url.Values{}
	if next > 0 {
		q.Set("next", strconv.Itoa(next))
	}
	if previous > 0 {
		q.Set("previous", strconv.Itoa(previous))
	}
	setResolution(q, r)
	return q
}

// PricesParams are the options of Prices.
type PricesParams struct {
	// StartDate is the first NEM date to return prices for; zero means
	// today (in NEM time, by the client's clock).
	StartDate Date
	// EndDate is the last NEM date to return prices for, inclusive; zero
	// means StartDate.
	EndDate Date
	// Resolution is the interval length; zero means the site's billing
	// interval.
	Resolution Resolution
}

// Prices returns the site's prices for every interval of the NEM dates from
// StartDate to EndDate inclusive: actual intervals for the past, then the
// current and forecast intervals where the range reaches them.
//
// Amber serves at most 7 days per request; a longer range is split into
// requests of MaxDays days, made one after the other (each paced by the rate
// limiter), and their answers merged: grouped by channel in Amber's order
// (General, Controlled Load, Feed In), in time order within each channel,
// without duplicates. Both dates are always sent, which also avoids the
// API's failures when startDate is left out near midnight.
func (c *Client) Prices(ctx context.Context, siteID string, p PricesParams) (Intervals, error) {
	path, err := sitePath(siteID, "/prices")
	if err != nil {
		return nil, err
	}
	start, end, err := c.dateRange(p.StartDate, p.EndDate, false)
	if err != nil {
		return nil, err
	}
	if !p.Resolution.valid() {
		return nil, energy.Invalid("Resolution", "%d is not 5 or 30 minutes", p.Resolution)
	}
	var all Intervals
	for _, span := range splitDates(start, end) {
		q := dateQuery(span)
		setResolution(q, p.Resolution)
		part, err := c.getIntervals(ctx, path, q)
		if err != nil {
			return nil, err
		}
		all = append(all, part...)
	}
	return mergeIntervals(all), nil
}

// getIntervals fetches a list of intervals. It decodes into the wire form
// directly rather than through Intervals.UnmarshalJSON, which would have
// encoding/json scan the body twice more (once to validate it, once to skip
// over it) before the decode proper.
func (c *Client) getIntervals(ctx context.Context, path string, q url.Values) (Intervals, error) {
	var wire []wireInterval
	if err := c.get(ctx, path, q, &wire); err != nil {
		return nil, err
	}
	ivs, err := intervalsFromWire(wire)
	if err != nil {
		return nil, &DecodeError{Method: http.MethodGet, Endpoint: path, Err: err}
	}
	return ivs, nil
}

// dateRange applies the defaults of PricesParams and UsageParams and
// checks the range. required says StartDate may not be zero.
func (c *Client) dateRange(start, end Date, required bool) (Date, Date, error) {
	if start.IsZero() {
		if required {
			return Date{}, Date{}, energy.Invalid("StartDate", "is not set")
		}
		start = DateOf(c.clock.Now())
	}
	if end.IsZero() {
		end = start
	}
	if end.Before(start) {
		return Date{}, Date{}, energy.Invalid("EndDate", "%s is before StartDate %s", end, start)
	}
	return start, end, nil
}

func dateQuery(s dateSpan) url.Values {
	return url.Values{"startDate": {s.start.String()}, "endDate": {s.end.String()}}
}

func setResolution(q url.Values, r Resolution) {
	if r != ResolutionDefault {
		q.Set("resolution", strconv.Itoa(int(r)))
	}
}

// rank orders the interval kinds from most to least settled, for choosing
// between two that cover the same time.
func rank(iv Interval) int {
	switch iv.(type) {
	case *ActualInterval:
		return 0
	case *CurrentInterval:
		return 1
	}
	return 2
}

// mergeIntervals sorts intervals into Amber's order (by channel, then by
// time) and keeps one interval per channel and end time: the most settled
// one, or the first of equals.
func mergeIntervals(l Intervals) Intervals {
	slices.SortStableFunc(l, func(a, b Interval) int {
		x, y := a.Base(), b.Base()
		return cmp.Or(
			cmp.Compare(x.ChannelType.order(), y.ChannelType.order()),
			cmp.Compare(x.ChannelType, y.ChannelType),
			x.EndTime.Compare(y.EndTime),
			cmp.Compare(rank(a), rank(b)),
		)
	})
	return slices.CompactFunc(l, func(a, b Interval) bool {
		x, y := a.Base(), b.Base()
		return x.ChannelType == y.ChannelType && x.EndTime.Equal(y.EndTime)
	})
}
