package plan

import (
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// Problem is what the planner needs: prices, the battery, and optionally
// what the site will draw and produce.
type Problem struct {
	// Prices are the import prices and, optionally, the export prices, in
	// one currency. Each channel's intervals must be in order, without gaps
	// or overlaps, and cover the horizon; they may be of any and differing
	// lengths. Without export prices exported energy earns nothing.
	// Controlled-load prices are ignored.
	Prices []energy.Price
	// Battery is the battery's state at From and its limits.
	Battery Battery
	// Forecast, when given, is the site's expected load and PV over the
	// horizon, in order, without gaps or overlaps, covering the horizon.
	// Without it the battery alone exchanges with the grid.
	Forecast []Forecast
	// From and To bound the horizon [From, To). A zero From is the start of
	// the first import price, a zero To the end of the last; prices
	// reaching outside the horizon are cut at its edges.
	From, To time.Time
}

// Forecast is the site's expected average load and PV production over one
// interval.
type Forecast struct {
	// Start and End bound the interval: [Start, End).
	Start, End time.Time
	// Load is the site's consumption in W (≥ 0), not counting the battery.
	Load energy.Watts
	// PV is the solar production in W (≥ 0).
	PV energy.Watts
}

// maxIntervals bounds the horizon's intervals, so that a runaway input (a
// year of one-second prices) is refused instead of exhausting memory.
const maxIntervals = 50_000

// segment is one interval of the horizon: a stretch over which the import
// price, the export price and the forecast are all constant.
type segment struct {
	start, end time.Time
	hours      float64
	imp, exp   float64 // price per kWh
	load, pv   float64 // W
}

// span is one input interval, whichever its source.
type span struct {
	index      int // index in its input slice, for errors
	start, end time.Time
}

// horizon validates p and cuts its horizon into segments. It returns the
// segments and the prices' currency.
func (p Problem) horizon() ([]segment, string, error) {
	if err := p.Battery.Validate(); err != nil {
		return nil, "", err
	}
	var imp, exp []span
	currency, curIdx := "", -1
	for i, pr := range p.Prices {
		f := func(name string) string { return fmt.Sprintf("Prices[%d].%s", i, name) }
		switch {
		case !pr.Channel.Valid():
			return nil, "", energy.Invalid(f("Channel"), "%q is not import, export or controlled-load", pr.Channel)
		case pr.Channel == energy.ChannelControlledLoad:
			continue
		case pr.Start.IsZero():
			return nil, "", energy.Invalid(f("Start"), "is not set")
		case !pr.End.After(pr.Start):
			return nil, "", energy.Invalid(f("End"), "%s is not after Start %s", stamp(pr.End), stamp(pr.Start))
		case !finite(pr.PerKWh):
			return nil, "", energy.Invalid(f("PerKWh"), "%v is not a finite price", pr.PerKWh)
		case curIdx >= 0 && pr.Currency != currency:
			return nil, "", energy.Invalid(f("Currency"), "%q differs from Prices[%d].Currency %q", pr.Currency, curIdx, currency)
		}
		if curIdx < 0 {
			currency, curIdx = pr.Currency, i
		}
		s := span{i, pr.Start, pr.End}
		if pr.Channel == energy.ChannelImport {
			imp = append(imp, s)
		} else {
			exp = append(exp, s)
		}
	}
	if len(imp) == 0 {
		return nil, "", energy.Invalid("Prices", "has no import prices")
	}
	if err := contiguous("Prices", "import price", imp); err != nil {
		return nil, "", err
	}
	if err := contiguous("Prices", "export price", exp); err != nil {
		return nil, "", err
	}
	var fc []span
	for i, x := range p.Forecast {
		f := func(name string) string { return fmt.Sprintf("Forecast[%d].%s", i, name) }
		switch {
		case x.Start.IsZero():
			return nil, "", energy.Invalid(f("Start"), "is not set")
		case !x.End.After(x.Start):
			return nil, "", energy.Invalid(f("End"), "%s is not after Start %s", stamp(x.End), stamp(x.Start))
		case !finite(float64(x.Load)) || x.Load < 0:
			return nil, "", energy.Invalid(f("Load"), "%v W must be finite and ≥ 0", float64(x.Load))
		case !finite(float64(x.PV)) || x.PV < 0:
			return nil, "", energy.Invalid(f("PV"), "%v W must be finite and ≥ 0", float64(x.PV))
		}
		fc = append(fc, span{i, x.Start, x.End})
	}
	if err := contiguous("Forecast", "forecast", fc); err != nil {
		return nil, "", err
	}

	from, to := p.From, p.To
	if from.IsZero() {
		from = imp[0].start
	}
	if to.IsZero() {
		to = imp[len(imp)-1].end
	}
	if !to.After(from) {
		return nil, "", energy.Invalid("To", "%s is not after From %s", stamp(to), stamp(from))
	}
	if err := covers("Prices", "import prices", imp, from, to); err != nil {
		return nil, "", err
	}
	if len(exp) > 0 {
		if err := covers("Prices", "export prices (give none to value export at 0)", exp, from, to); err != nil {
			return nil, "", err
		}
	}
	if len(fc) > 0 {
		if err := covers("Forecast", "the forecast", fc, from, to); err != nil {
			return nil, "", err
		}
	}
	segs, err := p.cut(imp, exp, fc, from, to)
	return segs, currency, err
}

// cut splits [from, to) at every boundary of the three (validated) inputs.
func (p Problem) cut(imp, exp, fc []span, from, to time.Time) ([]segment, error) {
	// Skip to the interval of each input that holds from.
	first := func(s []span) int {
		i := 0
		for i < len(s) && !s[i].end.After(from) {
			i++
		}
		return i
	}
	i, j, k := first(imp), first(exp), first(fc)
	segs := make([]segment, 0, len(imp)-i)
	for cur := from; cur.Before(to); {
		next := to
		if e := imp[i].end; e.Before(next) {
			next = e
		}
		if j < len(exp) && exp[j].end.Before(next) {
			next = exp[j].end
		}
		if k < len(fc) && fc[k].end.Before(next) {
			next = fc[k].end
		}
		s := segment{start: cur, end: next, hours: next.Sub(cur).Hours(), imp: p.Prices[imp[i].index].PerKWh}
		if j < len(exp) {
			s.exp = p.Prices[exp[j].index].PerKWh
		}
		if k < len(fc) {
			f := p.Forecast[fc[k].index]
			s.load, s.pv = float64(f.Load), float64(f.PV)
		}
		if len(segs) == maxIntervals {
			return nil, energy.Invalid("Prices", "cut the horizon into more than %d intervals", maxIntervals)
		}
		segs = append(segs, s)
		cur = next
		if !imp[i].end.After(cur) && i+1 < len(imp) {
			i++
		}
		if j < len(exp) && !exp[j].end.After(cur) {
			j++
		}
		if k < len(fc) && !fc[k].end.After(cur) {
			k++
		}
	}
	return segs, nil
}

// contiguous checks that each span starts where the one before it ends.
func contiguous(field, what string, s []span) error {
	for n := 1; n < len(s); n++ {
		prev, cur := s[n-1], s[n]
		switch {
		case cur.start.Before(prev.end):
			return energy.Invalid(fmt.Sprintf("%s[%d].Start", field, cur.index), "%s overlaps the %s ending %s (out of order or duplicated)",
				stamp(cur.start), what, stamp(prev.end))
		case cur.start.After(prev.end):
			return energy.Invalid(fmt.Sprintf("%s[%d].Start", field, cur.index), "%s leaves a gap after the %s ending %s",
				stamp(cur.start), what, stamp(prev.end))
		}
	}
	return nil
}

// covers checks that the (contiguous) spans cover [from, to).
func covers(field, what string, s []span, from, to time.Time) error {
	if first, last := s[0].start, s[len(s)-1].end; first.After(from) || last.Before(to) {
		return energy.Invalid(field, "%s cover %s..%s, not the horizon %s..%s",
			what, stamp(first), stamp(last), stamp(from), stamp(to))
	}
	return nil
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }
