package amber

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// CentsPerKWh is a price in Australian cents per kWh, GST included, as Amber
// gives every price.
type CentsPerKWh float64

// DollarsPerKWh returns c in AUD per kWh.
func (c CentsPerKWh) DollarsPerKWh() float64 { return float64(c) / 100 }

// The interval types, the values of the wire's "type" discriminator.
const (
	TypeActualInterval   = "ActualInterval"
	TypeCurrentInterval  = "CurrentInterval"
	TypeForecastInterval = "ForecastInterval"
)

// Interval is one priced interval of one channel: an *ActualInterval,
// a *CurrentInterval or a *ForecastInterval. Use a type switch for the
// kind-specific fields and Base for the shared ones:
//
//	for _, iv := range intervals {
//		switch iv := iv.(type) {
//		case *amber.CurrentInterval:
//			fmt.Println("now", iv.PerKWh, "estimate:", iv.Estimate)
//		case *amber.ForecastInterval:
//			fmt.Println("later", iv.PerKWh, iv.AdvancedPrice)
//		}
//	}
type Interval interface {
	// Base returns the fields every kind of interval has.
	Base() *BaseInterval
	isInterval()
}

// BaseInterval holds the fields all interval kinds share.
type BaseInterval struct {
	// Duration is the interval's length (5, 15 or 30 minutes).
	Duration time.Duration
	// SpotPerKWh is the NEM spot price, GST included.
	SpotPerKWh CentsPerKWh
	// PerKWh is what the customer pays, GST included. On a feed-in channel
	// it is negative when the customer is paid.
	PerKWh CentsPerKWh
	// Date is the NEM date the interval belongs to. It can differ from
	// NEMTime's date: the day's last interval ends at midnight.
	Date Date
	// NEMTime is the end of the interval in NEM time (UTC+10).
	NEMTime time.Time
	// StartTime and EndTime are the interval's bounds as Amber sends them
	// (UTC). StartTime is one second after the previous interval's end
	// (…T02:00:01Z); Start gives the boundary itself.
	StartTime, EndTime time.Time
	// Renewables is the share of renewables in the grid, in percent.
	Renewables float64
	// ChannelType is the meter channel the price is for.
	ChannelType ChannelType
	// TariffInformation describes the network tariff in force, or is nil.
	TariffInformation *TariffInformation
	// SpikeStatus says whether the interval is, or may become, a spike.
	SpikeStatus SpikeStatus
	// Descriptor is Amber's band for the price.
	Descriptor PriceDescriptor
}

// Base returns b itself; it lets the kinds embedding it satisfy Interval.
func (b *BaseInterval) Base() *BaseInterval { return b }

// Start returns the interval's start boundary: EndTime less Duration. Use it
// rather than StartTime, which Amber sends one second late.
func (b *BaseInterval) Start() time.Time { return b.EndTime.Add(-b.Duration) }

// End returns the interval's end, EndTime.
func (b *BaseInterval) End() time.Time { return b.EndTime }

// ActualInterval is a past interval whose price is settled.
type ActualInterval struct {
	BaseInterval
}

// CurrentInterval is the interval under way now.
type CurrentInterval struct {
	BaseInterval
	// Estimate is true until the price is locked in.
	Estimate bool
	// Range is the spread of possible spot prices when they are volatile,
	// or nil.
	Range *Range
	// AdvancedPrice is Amber's own forecast band, or nil.
	AdvancedPrice *AdvancedPrice
}

// ForecastInterval is a future interval whose price is forecast.
type ForecastInterval struct {
	BaseInterval
	// Range is the spread of possible spot prices when they are volatile,
	// or nil.
	Range *Range
	// AdvancedPrice is Amber's own forecast band, or nil.
	AdvancedPrice *AdvancedPrice
}

func (*ActualInterval) isInterval()   {}
func (*CurrentInterval) isInterval()  {}
func (*ForecastInterval) isInterval() {}

// Range is a spread of possible NEM spot prices.
type Range struct {
	Min CentsPerKWh `json:"min"` // lowest expected spot price
	Max CentsPerKWh `json:"max"` // highest expected spot price
}

// AdvancedPrice is Amber's forecast of the price the customer pays (network
// and market fees included), with a band around it. It is the number the
// Amber app shows, and differs from the AEMO-based PerKWh.
type AdvancedPrice struct {
	Low       CentsPerKWh `json:"low"`       // bottom of the band
	Predicted CentsPerKWh `json:"predicted"` // Amber's prediction
	High      CentsPerKWh `json:"high"`      // top of the band
}

// TariffInformation describes how the network tariff affects an interval.
// Every field is optional: each applies only to some kinds of tariff.
type TariffInformation struct {
	// Period is the time-of-use period, or "".
	Period TariffPeriod `json:"period,omitempty"`
	// Season is the time-of-use season, or "".
	Season TariffSeason `json:"season,omitempty"`
	// Block is the active block (1 or 2) of a block tariff, or nil.
	Block *int `json:"block,omitempty"`
	// DemandWindow says whether a demand tariff's window is in force, or
	// is nil.
	DemandWindow *bool `json:"demandWindow,omitempty"`
}

// Intervals is a list of priced intervals as the price endpoints return it.
// It decodes Amber's polymorphic JSON array, choosing the Go type by each
// element's "type" field; an unknown type is an error (the spec allows only
// the three), and so is an interval that cannot be placed in time, one
// whose perKwh or spotPerKwh is missing or null (a missing price is never a
// price of 0), and a null in place of the array.
type Intervals []Interval

// ByChannel returns the intervals of channel t, in their order.
func (l Intervals) ByChannel(t ChannelType) Intervals {
	var out Intervals
	for _, iv := range l {
		if iv.Base().ChannelType == t {
			out = append(out, iv)
		}
	}
	return out
}

// UnmarshalJSON implements json.Unmarshaler.
func (l *Intervals) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return errNullList
	}
	var wire []wireInterval
	if err := json.Unmarshal(b, &wire); err != nil {
		return err
	}
	out, err := intervalsFromWire(wire)
	if err != nil {
		return err
	}
	*l = out
	return nil
}

// wireInterval is one element of the wire's interval array: every field of
// every kind, decoded in one pass.
type wireInterval struct {
	wireBase
	Estimate      *bool        `json:"estimate"`
	Range         wireRange    `json:"range"`
	AdvancedPrice wireAdvanced `json:"advancedPrice"`
}

// wireRange and wireAdvanced are Range and AdvancedPrice on the wire, held
// by value (no allocation per interval): all fields absent means the object
// is absent or null; some but not all is an error, since a missing bound
// read as 0 would be a price.
type wireRange struct {
	Min price `json:"min"`
	Max price `json:"max"`
}

type wireAdvanced struct {
	Low       price `json:"low"`
	Predicted price `json:"predicted"`
	High      price `json:"high"`
}

func (w *wireRange) get() (r Range, ok bool, err error) {
	switch {
	case !w.Min.ok && !w.Max.ok:
		return Range{}, false, nil
	case !w.Min.ok || !w.Max.ok:
		return Range{}, false, errors.New("range lacks min or max")
	}
	return Range{Min: w.Min.v, Max: w.Max.v}, true, nil
}

func (w *wireAdvanced) get() (a AdvancedPrice, ok bool, err error) {
	switch {
	case !w.Low.ok && !w.Predicted.ok && !w.High.ok:
		return AdvancedPrice{}, false, nil
	case !w.Low.ok || !w.Predicted.ok || !w.High.ok:
		return AdvancedPrice{}, false, errors.New("advancedPrice lacks low, predicted or high")
	}
	return AdvancedPrice{Low: w.Low.v, Predicted: w.Predicted.v, High: w.High.v}, true, nil
}

// price is a price on the wire. Unlike a plain number it tells a null or
// absent price (ok false) from a price of 0.
type price struct {
	v  CentsPerKWh
	ok bool
}

func (p *price) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*p = price{}
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("amber: price %s is not a number", b)
	}
	*p = price{CentsPerKWh(f), true}
	return nil
}

// wireBase is the wire form of BaseInterval (and of Usage's base).
type wireBase struct {
	Type              string             `json:"type"`
	Duration          minutes            `json:"duration"`
	SpotPerKWh        price              `json:"spotPerKwh"`
	PerKWh            price              `json:"perKwh"`
	Date              Date               `json:"date"`
	NEMTime           time.Time          `json:"nemTime"`
	StartTime         time.Time          `json:"startTime"`
	EndTime           time.Time          `json:"endTime"`
	Renewables        float64            `json:"renewables"`
	ChannelType       ChannelType        `json:"channelType"`
	TariffInformation *TariffInformation `json:"tariffInformation"`
	SpikeStatus       SpikeStatus        `json:"spikeStatus"`
	Descriptor        PriceDescriptor    `json:"descriptor"`
}

func (w *wireBase) base() (BaseInterval, error) {
	if err := checkSpan(w.Duration, w.EndTime); err != nil {
		return BaseInterval{}, err
	}
	if w.ChannelType == "" {
		return BaseInterval{}, fmt.Errorf("missing channelType")
	}
	// A missing price is never a price: read as 0 it would be free power.
	if !w.PerKWh.ok {
		return BaseInterval{}, fmt.Errorf("missing or null perKwh")
	}
	if !w.SpotPerKWh.ok {
		return BaseInterval{}, fmt.Errorf("missing or null spotPerKwh")
	}
	return BaseInterval{
		Duration:          w.Duration.duration(),
		SpotPerKWh:        w.SpotPerKWh.v,
		PerKWh:            w.PerKWh.v,
		Date:              w.Date,
		NEMTime:           w.NEMTime,
		StartTime:         w.StartTime,
		EndTime:           w.EndTime,
		Renewables:        w.Renewables,
		ChannelType:       w.ChannelType,
		TariffInformation: w.TariffInformation,
		SpikeStatus:       w.SpikeStatus,
		Descriptor:        w.Descriptor,
	}, nil
}

// checkSpan rejects an interval that cannot be placed in time: without it
// we could not say which interval a price is for.
func checkSpan(d minutes, end time.Time) error {
	switch {
	case d <= 0:
		return fmt.Errorf("missing or invalid duration %d", d)
	case end.IsZero():
		return fmt.Errorf("missing endTime")
	}
	return nil
}

// intervalsFromWire converts the decoded array. The concrete values are
// allocated in one slice per kind, not one allocation per interval.
func intervalsFromWire(wire []wireInterval) (Intervals, error) {
	var na, nc, nf, nr, nadv int
	for i := range wire {
		if wire[i].Range.Min.ok || wire[i].Range.Max.ok {
			nr++
		}
		if wire[i].AdvancedPrice.Predicted.ok || wire[i].AdvancedPrice.Low.ok || wire[i].AdvancedPrice.High.ok {
			nadv++
		}
		switch wire[i].Type {
		case TypeActualInterval:
			na++
		case TypeCurrentInterval:
			nc++
		case TypeForecastInterval:
			nf++
		default:
			return nil, fmt.Errorf("interval %d: unknown type %q", i, wire[i].Type)
		}
	}
	actual, current, forecast := make([]ActualInterval, na), make([]CurrentInterval, nc), make([]ForecastInterval, nf)
	ranges, advanced := make([]Range, 0, nr), make([]AdvancedPrice, 0, nadv)
	out := make(Intervals, len(wire))
	for i := range wire {
		w := &wire[i]
		b, err := w.base()
		if err != nil {
			return nil, fmt.Errorf("interval %d (%s): %w", i, w.Type, err)
		}
		var rng *Range
		var adv *AdvancedPrice
		if r, ok, err := w.Range.get(); err != nil {
			return nil, fmt.Errorf("interval %d (%s): %w", i, w.Type, err)
		} else if ok {
			ranges = append(ranges, r)
			rng = &ranges[len(ranges)-1]
		}
		if a, ok, err := w.AdvancedPrice.get(); err != nil {
			return nil, fmt.Errorf("interval %d (%s): %w", i, w.Type, err)
		} else if ok {
			advanced = append(advanced, a)
			adv = &advanced[len(advanced)-1]
		}
		switch w.Type {
		case TypeActualInterval:
			a := &actual[len(actual)-na]
			na--
			a.BaseInterval = b
			out[i] = a
		case TypeCurrentInterval:
			c := &current[len(current)-nc]
			nc--
			// estimate is required; were it ever missing, the price is not
			// known to be locked in, so it is an estimate.
			*c = CurrentInterval{BaseInterval: b, Estimate: w.Estimate == nil || *w.Estimate, Range: rng, AdvancedPrice: adv}
			out[i] = c
		case TypeForecastInterval:
			f := &forecast[len(forecast)-nf]
			nf--
			*f = ForecastInterval{BaseInterval: b, Range: rng, AdvancedPrice: adv}
			out[i] = f
		}
	}
	return out, nil
}

// minutes is a whole number of minutes on the wire. It accepts a JSON
// number with an integral value in any form (30, 30.0), since the spec
// types some of these fields as "number".
type minutes int

func (m *minutes) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	// Fast path for the usual plain integer, without allocating.
	if n, ok := atoi(b); ok && n <= 24*60 {
		*m = minutes(n)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f != math.Trunc(f) || f < 0 || f > 24*60 {
		return fmt.Errorf("amber: %s is not a whole number of minutes", b)
	}
	*m = minutes(f)
	return nil
}

// atoi parses a short unsigned decimal integer; ok is false for anything
// else (signs, fractions, exponents, more than 9 digits).
func atoi(b []byte) (n int, ok bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func (m minutes) duration() time.Duration { return time.Duration(m) * time.Minute }
