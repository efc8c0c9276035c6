package energytest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// MaxTypicalPerKWh bounds the median absolute price of a result: a median
// above it almost surely means cents where currency units are due (retail
// prices are a few tenths of a currency unit per kWh; even the Australian
// market cap, about 18 AUD/kWh, is only reached in single intervals).
const MaxTypicalPerKWh = 5.0

// PriceSourceHarness describes a price source under test.
type PriceSourceHarness struct {
	// Source is the implementation under test. Required.
	Source energy.PriceSource
	// Requests, when set, returns how many requests have reached the
	// vendor (or fake) so far.
	Requests func() int
	// Now is the clock of the system under test; nil means time.Now.
	Now func() time.Time
	// From and To bound the range asked for; zero means the next 12 hours.
	From, To time.Time
	// BadData, when set, are ways to make the vendor send prices that
	// cannot be true (a null price, which must never read as 0, free
	// power): Prices must then fail with an error wrapping
	// energy.ErrUnavailable and succeed again after Reset (see BadData).
	BadData []BadData
}

// TestPriceSource runs the PriceSource contract against h as subtests of t.
func TestPriceSource(t *testing.T, h PriceSourceHarness) {
	t.Helper()
	runTest(t, priceSteps(h))
}

// CheckPriceSource runs the PriceSource contract and returns every violation
// joined, or nil.
func CheckPriceSource(ctx context.Context, h PriceSourceHarness) error {
	return runCheck(ctx, priceSteps(h))
}

func priceSteps(h PriceSourceHarness) []step {
	reqs := counter(h.Requests)
	from, to := h.From, h.To
	if from.IsZero() {
		from = nowFunc(h.Now)
	}
	if to.IsZero() {
		to = from.Add(12 * time.Hour)
	}
	badRead := func() func(context.Context, *checker) error {
		return func(ctx context.Context, c *checker) error {
			ps, err := h.Source.Prices(ctx, from, to)
			if err == nil && len(ps) > 0 { // no intervals: the "prices" step says so
				checkPrices(c, ps, from, to, nowFunc(h.Now))
			}
			return err
		}
	}
	return append([]step{
		{"prices", func(ctx context.Context, c *checker) {
			ps, err := h.Source.Prices(ctx, from, to)
			if err != nil {
				c.errorf("Prices: %v", err)
				return
			}
			if len(ps) == 0 {
				c.errorf("Prices(%s, %s) returned no intervals", from.Format(time.RFC3339), to.Format(time.RFC3339))
				return
			}
			checkPrices(c, ps, from, to, nowFunc(h.Now))
		}},
		{"range/invalid", func(ctx context.Context, c *checker) {
			reqs.noIO(c, "Prices(to before from)", func() {
				_, err := h.Source.Prices(ctx, to, from)
				wantInvalid(c, "Prices(to before from)", err)
			})
			reqs.noIO(c, "Prices(zero from)", func() {
				_, err := h.Source.Prices(ctx, time.Time{}, to)
				wantInvalid(c, "Prices(zero from)", err)
			})
		}},
		{"cancelled", func(ctx context.Context, c *checker) {
			reqs.noIO(c, "Prices(cancelled)", func() {
				_, err := h.Source.Prices(cancelled(ctx), from, to)
				wantCanceled(c, "Prices", err)
			})
		}},
	}, badDataSteps(h.BadData, "Prices", badRead)...)
}

func checkPrices(c *checker, ps []energy.Price, from, to, now time.Time) {
	abs := make([]float64, 0, len(ps))
	last := map[energy.Channel]energy.Price{}
	for i, p := range ps {
		if i > 0 && p.Start.Before(ps[i-1].Start) {
			c.errorf("prices[%d] starts %s, before prices[%d]: not sorted", i, p.Start.Format(time.RFC3339), i-1)
		}
		if !p.End.After(p.Start) {
			c.errorf("prices[%d]: End %s is not after Start %s", i, p.End.Format(time.RFC3339), p.Start.Format(time.RFC3339))
		}
		if !p.Start.Before(to) || !p.End.After(from) {
			c.errorf("prices[%d] [%s, %s) does not overlap the range asked for", i, p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339))
		}
		if !p.Channel.Valid() {
			c.errorf("prices[%d]: Channel %q is not defined", i, p.Channel)
		}
		if !finite(p.PerKWh) {
			c.errorf("prices[%d]: PerKWh is %v", i, p.PerKWh)
		}
		if len(p.Currency) != 3 || p.Currency != upper(p.Currency) {
			c.errorf("prices[%d]: Currency %q is not an ISO 4217 code", i, p.Currency)
		}
		if !p.End.After(now) && p.Forecast {
			c.errorf("prices[%d] ended %s, before now, yet is marked Forecast", i, p.End.Format(time.RFC3339))
		}
		if p.Low != nil && p.High != nil && *p.Low > *p.High {
			c.errorf("prices[%d]: Low %v above High %v", i, *p.Low, *p.High)
		}
		if prev, ok := last[p.Channel]; ok && p.Start.Before(prev.End) {
			c.errorf("prices[%d] (%s) overlaps or duplicates the previous %s interval", i, p.Start.Format(time.RFC3339), p.Channel)
		}
		last[p.Channel] = p
		if p.PerKWh < 0 {
			abs = append(abs, -p.PerKWh)
		} else {
			abs = append(abs, p.PerKWh)
		}
	}
	slices.Sort(abs)
	if med := abs[len(abs)/2]; med > MaxTypicalPerKWh {
		c.errorf("median |PerKWh| is %v: cents where currency units per kWh are due?", med)
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if ch >= 'a' && ch <= 'z' {
			b[i] = ch - 'a' + 'A'
		}
	}
	return string(b)
}
