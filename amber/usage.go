package amber

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gridwire/gridwire/energy"
)

// Cents is an amount of money in Australian cents, GST included.
type Cents float64

// Dollars returns c in AUD.
func (c Cents) Dollars() float64 { return float64(c) / 100 }

// Usage is the metered energy of one channel over one interval, with its
// price and cost.
type Usage struct {
	BaseInterval
	// ChannelIdentifier is the meter channel, such as "E1".
	ChannelIdentifier string
	// KWh is the energy consumed, or, negative, generated (exported).
	KWh float64
	// Quality says whether the reading is billable or estimated.
	Quality UsageQuality
	// Cost is what the energy cost, GST included: KWh × PerKWh. It is
	// negative when the customer was paid. (The spec gives no unit; the
	// API's values are cents, since they equal KWh × PerKWh.)
	Cost Cents
}

// UnmarshalJSON implements json.Unmarshaler.
func (u *Usage) UnmarshalJSON(b []byte) error {
	var w struct {
		wireBase
		ChannelIdentifier string       `json:"channelIdentifier"`
		KWh               float64      `json:"kwh"`
		Quality           UsageQuality `json:"quality"`
		Cost              Cents        `json:"cost"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Type != "Usage" {
		return fmt.Errorf("amber: usage record has type %q, want \"Usage\"", w.Type)
	}
	base, err := w.base()
	if err != nil {
		return fmt.Errorf("amber: usage record: %w", err)
	}
	*u = Usage{BaseInterval: base, ChannelIdentifier: w.ChannelIdentifier, KWh: w.KWh, Quality: w.Quality, Cost: w.Cost}
	return nil
}

// UsageParams are the options of Usage.
type UsageParams struct {
	// StartDate is the first NEM date to return usage for. Required.
	StartDate Date
	// EndDate is the last NEM date to return usage for, inclusive; zero
	// means StartDate.
	EndDate Date
}

// Usage returns the site's metered usage for every interval of the NEM dates
// from StartDate to EndDate inclusive, at the site's billing interval.
//
// Meter data arrives late: today's usage is usually empty, and missing
// intervals are filled in over the following days, so re-fetch recent days.
// Usage cannot be asked for days after today (NEM time, by the client's
// clock): a StartDate or an EndDate after today is a *energy.FieldError,
// before any request. A range longer than MaxDays is split
// and merged as Prices does, in Amber's channel order (by channel type, then
// channel identifier) and time order, without duplicates.
func (c *Client) Usage(ctx context.Context, siteID string, p UsageParams) ([]Usage, error) {
	path, err := sitePath(siteID, "/usage")
	if err != nil {
		return nil, err
	}
	start, end, err := c.dateRange(p.StartDate, p.EndDate, true)
	if err != nil {
		return nil, err
	}
	// Amber refuses days after today; checking the end too keeps a range
	// that runs into the future from sending requests for days that have
	// no usage (a split range's later requests would lie wholly ahead).
	if today := DateOf(c.clock.Now()); start.After(today) {
		return nil, energy.Invalid("StartDate", "%s is after today (%s, NEM time): there is no usage yet", start, today)
	} else if end.After(today) {
		return nil, energy.Invalid("EndDate", "%s is after today (%s, NEM time): there is no usage yet; end the range today at the latest", end, today)
	}
	var all []Usage
	for _, span := range splitDates(start, end) {
		var part []Usage
		if err := c.get(ctx, path, dateQuery(span), &part); err != nil {
			return nil, err
		}
		all = append(all, part...)
	}
	slices.SortStableFunc(all, func(a, b Usage) int {
		return cmp.Or(
			cmp.Compare(a.ChannelType.order(), b.ChannelType.order()),
			cmp.Compare(a.ChannelType, b.ChannelType),
			cmp.Compare(a.ChannelIdentifier, b.ChannelIdentifier),
			a.EndTime.Compare(b.EndTime),
		)
	})
	return slices.CompactFunc(all, func(a, b Usage) bool {
		return a.ChannelType == b.ChannelType && a.ChannelIdentifier == b.ChannelIdentifier && a.EndTime.Equal(b.EndTime)
	}), nil
}
