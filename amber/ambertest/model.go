package ambertest

import (
	"hash/fnv"
	"math"
	"time"
)

// The market model: every number is a pure function of the interval's start
// (and the channel), so answers are deterministic and the same interval
// carries the same price whichever request returns it.

// nem is AEST, the NEM's fixed UTC+10 zone.
var nem = time.FixedZone("AEST", 10*60*60)

// market is the state of the market over one interval.
type market struct {
	spot       float64 // c/kWh, GST included
	spike      bool
	renewables float64 // percent
	hour       float64 // NEM hour of day at the interval's middle
}

// hash returns a deterministic number in [0, 1) for key.
func hash(key string) float64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	return float64(h.Sum64()>>11) / (1 << 53)
}

// marketAt models the interval [start, start+length): a daily shape with a
// morning and an evening peak, a solar trough at midday that dips below
// zero on sunny days, a day-to-day drift, and now and then an evening spike.
func marketAt(start time.Time, length time.Duration) market {
	mid := start.Add(length / 2).In(nem)
	h := float64(mid.Hour()) + float64(mid.Minute())/60
	day := mid.Format(time.DateOnly)
	bump := func(center, width float64) float64 { return math.Exp(-math.Pow((h-center)/width, 2)) }
	sunny := hash("sun" + day)
	spot := 9 + 3*hash("drift"+day) + 9*bump(7.5, 1.5) + 20*bump(19, 2) - (8+9*sunny)*bump(12.5, 2.5)
	// One 30-minute slot in forty, in the evening, spikes (all 5-minute
	// intervals within it together).
	slot := mid.Truncate(30 * time.Minute).Format(time.RFC3339)
	spike := h >= 16 && h < 21 && hash("spike"+slot) < 0.025
	if spike {
		spot += 100 + 150*hash("height"+slot)
	}
	ren := 25 + 45*bump(12.5, 3)*(0.6+0.4*sunny) + 5*hash("ren"+slot)
	return market{spot: round(spot, 5), spike: spike, renewables: round(ren, 3), hour: h}
}

// perKWh is the customer's price on a channel, c/kWh incl. GST: the spot
// price plus network and retail fees for consumption, and for feed-in the
// customer's cost of exporting, negative when they are paid (Amber's
// convention).
func perKWh(channel string, m market) float64 {
	switch channel {
	case "controlledLoad":
		return round(m.spot*1.05+9.5, 5)
	case "feedIn":
		return round(-m.spot*0.95, 5)
	}
	return round(m.spot*1.1+16.5, 5)
}

// descriptor bands the general price, as Amber does for every channel.
func descriptor(m market) string {
	p := perKWh("general", m)
	switch {
	case m.spike:
		return "spike"
	case p < 10:
		return "extremelyLow"
	case p < 18:
		return "veryLow"
	case p < 25:
		return "low"
	case p < 35:
		return "neutral"
	}
	return "high"
}

func spikeStatus(m market, forecast bool) string {
	switch {
	case m.spike && forecast:
		return "potential"
	case m.spike:
		return "spike"
	}
	return "none"
}

// tariff is a time-of-use tariff: peak 15:00–21:00, shoulder 07:00–15:00
// and 21:00–22:00, off-peak otherwise.
func tariff(m market) *wireTariff {
	period := "offPeak"
	switch {
	case m.hour >= 15 && m.hour < 21:
		period = "peak"
	case m.hour >= 7 && m.hour < 22:
		period = "shoulder"
	}
	return &wireTariff{Period: period, Season: "default"}
}

// renewableDescriptor bands the share of renewables.
func renewableDescriptor(pct float64) string {
	switch {
	case pct >= 65:
		return "best"
	case pct >= 50:
		return "great"
	case pct >= 35:
		return "ok"
	case pct >= 25:
		return "notGreat"
	}
	return "worst"
}

// usageKWh is the energy metered on a channel over an interval: a household
// load with morning and evening peaks, and rooftop solar exported at midday
// (negative, as Amber reports generation).
func usageKWh(channel string, start time.Time, length time.Duration, m market) float64 {
	scale := length.Hours()
	h := m.hour
	switch channel {
	case "feedIn":
		sun := math.Max(0, math.Sin((h-6)/12*math.Pi))
		return round(-3.2*sun*scale*(0.5+0.5*hash("pv"+start.Format(time.DateOnly))), 4)
	case "controlledLoad":
		if h < 6 {
			return round(2.4*scale, 4)
		}
		return 0
	}
	load := 0.35 + 0.8*math.Exp(-math.Pow((h-7.5)/1.2, 2)) + 1.6*math.Exp(-math.Pow((h-19)/2, 2))
	return round(load*scale*(0.8+0.4*hash("load"+start.Format(time.RFC3339))), 4)
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}
