package alphaess

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// CycleType says whether a periodic schedule repeats every day or by
// weekday (executeCycleType).
type CycleType int

// The cycle types.
const (
	CycleDaily  CycleType = 0 // every period runs every day
	CycleWeekly CycleType = 1 // every period runs on its Days
)

// String returns "daily" or "weekly".
func (t CycleType) String() string {
	switch t {
	case CycleDaily:
		return "daily"
	case CycleWeekly:
		return "weekly"
	}
	return "CycleType(" + strconv.Itoa(int(t)) + ")"
}

// Limits of the periodic schedule (setTimeChargeBySn).
const (
	MaxPeriodsPerDay  = 6  // per list (charge, discharge), per day
	MaxPeriodsPerWeek = 28 // per list, per week
	MinTimeChargeSoC  = 0.10
)

// TimeCharge is a system's periodic charge/discharge schedule
// (getTimeChargeBySn, setTimeChargeBySn). On some regional backends
// (AU/NZ/UK) this is the only schedule the device acts on; the two-period
// ChargeSettings and DischargeSettings may be accepted there but ignored.
// Many accounts get 6017 (an *APIError wrapping energy.ErrUnsupported) for
// this pair.
type TimeCharge struct {
	// Cycle says whether the periods run daily or on their Days.
	Cycle CycleType
	// GridCharge and TimeControl are the write-only flags gridChargeCycle
	// and ctrDisCycle: reads return 0 whatever is set, so a read leaves
	// them nil, and a nil flag is not sent. Writing both false switches the
	// inverter to self-consumption.
	GridCharge, TimeControl *bool
	// Charge and Discharge are the periods (chargeTimeList,
	// dischargeTimeList). A write needs at least one of each: AlphaESS
	// refuses an empty list and cannot clear the schedule.
	Charge, Discharge []TimePeriod
}

// TimePeriod is one period of a TimeCharge.
type TimePeriod struct {
	// Start and End bound the period in the system's zone (beginTime,
	// endTime), on the 15-minute grid. End before Start runs past midnight.
	Start, End TimeOfDay
	// Days are the weekdays the period runs on (weeks, 1 = Monday … 7 =
	// Sunday on the wire). Required for a weekly cycle; for a daily one
	// empty or all seven.
	Days []time.Weekday
	// Power is the charge (or discharge) power (chargePower), in whole W.
	Power energy.Watts
	// Limit is the state of charge at which the period stops (chargeLimit),
	// 0.1 to 1 in whole percent.
	Limit energy.Fraction
	// Sort is the server's order of the period (sort); it is not sent.
	Sort int
}

// weeks decodes the weekday list: an array of numbers, or (defensively) a
// comma-separated string.
type weeks []int

// UnmarshalJSON implements json.Unmarshaler.
func (w *weeks) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*w = nil
	if isNull(b) {
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		for f := range strings.SplitSeq(s, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			n, err := strconv.Atoi(f)
			if err != nil {
				return fmt.Errorf("alphaess: weeks %q is not a list of weekday numbers", s)
			}
			*w = append(*w, n)
		}
		return nil
	}
	var nums []num
	if err := json.Unmarshal(b, &nums); err != nil {
		return err
	}
	for _, n := range nums {
		if !n.ok || n.v != math.Trunc(n.v) {
			return fmt.Errorf("alphaess: weeks %s is not a list of weekday numbers", b)
		}
		*w = append(*w, int(n.v))
	}
	return nil
}

type wirePeriod struct {
	BeginTime    string `json:"beginTime"`
	EndTime      string `json:"endTime"`
	Weeks        weeks  `json:"weeks"`
	ChargePower  num    `json:"chargePower"`
	ChargeLimit  num    `json:"chargeLimit"`
	StrategyType num    `json:"strategyType"`
	Sort         num    `json:"sort"`
}

type wireTimeCharge struct {
	ExecuteCycleType  num          `json:"executeCycleType"`
	ChargeTimeList    []wirePeriod `json:"chargeTimeList"`
	DischargeTimeList []wirePeriod `json:"dischargeTimeList"`
}

type periodBody struct {
	BeginTime   string `json:"beginTime"`
	EndTime     string `json:"endTime"`
	Weeks       []int  `json:"weeks,omitempty"`
	ChargePower int64  `json:"chargePower"`
	ChargeLimit int    `json:"chargeLimit"`
}

type timeChargeBody struct {
	SysSn             string       `json:"sysSn"`
	ExecuteCycleType  int          `json:"executeCycleType"`
	GridChargeCycle   *int         `json:"gridChargeCycle,omitempty"`
	CtrDisCycle       *int         `json:"ctrDisCycle,omitempty"`
	ChargeTimeList    []periodBody `json:"chargeTimeList"`
	DischargeTimeList []periodBody `json:"dischargeTimeList"`
}

func wireDay(d time.Weekday) int {
	if d == time.Sunday {
		return 7
	}
	return int(d)
}

func weekday(n int) (time.Weekday, error) {
	if n < 1 || n > 7 {
		return 0, fmt.Errorf("alphaess: weekday %d is not 1 (Monday) … 7 (Sunday)", n)
	}
	return time.Weekday(n % 7), nil
}

// Validate checks t against the API's rules and returns a
// *energy.FieldError naming the first bad field: a daily or weekly cycle;
// both lists non-empty; each period on the 15-minute grid, not empty, with
// Power a whole number of W ≥ 0, Limit a whole percent from 10 to 100, and
// Days as the cycle needs; at most MaxPeriodsPerDay periods per list on any
// day and MaxPeriodsPerWeek per week; and no two periods (charge or
// discharge) overlapping on any day.
func (t TimeCharge) Validate() error {
	if t.Cycle != CycleDaily && t.Cycle != CycleWeekly {
		return energy.Invalid("Cycle", "%d is not CycleDaily or CycleWeekly", int(t.Cycle))
	}
	lists := []struct {
		name    string
		periods []TimePeriod
	}{{"Charge", t.Charge}, {"Discharge", t.Discharge}}
	var occupied [7 * 24 * 4]string // who holds each 15-minute slot of the week
	for _, l := range lists {
		if len(l.periods) == 0 {
			return energy.Invalid(l.name, "is empty; AlphaESS needs at least one period in each list and cannot clear the schedule")
		}
		var perDay [7]int
		for i, p := range l.periods {
			name := fmt.Sprintf("%s[%d]", l.name, i)
			days, err := p.validate(name, t.Cycle)
			if err != nil {
				return err
			}
			for _, d := range days {
				if perDay[d]++; perDay[d] > MaxPeriodsPerDay {
					return energy.Invalid(l.name, "has more than %d periods on %s", MaxPeriodsPerDay, d)
				}
				if err := occupy(&occupied, name, p, d); err != nil {
					return err
				}
			}
		}
		if total := perDay[0] + perDay[1] + perDay[2] + perDay[3] + perDay[4] + perDay[5] + perDay[6]; total > MaxPeriodsPerWeek {
			return energy.Invalid(l.name, "has %d periods a week; AlphaESS takes at most %d", total, MaxPeriodsPerWeek)
		}
	}
	return nil
}

// validate checks one period and returns the weekdays it runs on.
func (p TimePeriod) validate(name string, cycle CycleType) ([]time.Weekday, error) {
	if err := p.Start.validate(name + ".Start"); err != nil {
		return nil, err
	}
	if err := p.End.validate(name + ".End"); err != nil {
		return nil, err
	}
	if p.Start == p.End {
		return nil, energy.Invalid(name+".End", "equals Start %s: the period is empty", p.Start)
	}
	if w := float64(p.Power); math.IsNaN(w) || math.IsInf(w, 0) || w < 0 || w != math.Trunc(w) {
		return nil, energy.Invalid(name+".Power", "%v must be a whole number of W ≥ 0", w)
	}
	pct, err := wholePercent(name+".Limit", p.Limit)
	if err != nil {
		return nil, err
	}
	if pct < MinTimeChargeSoC*100 {
		return nil, energy.Invalid(name+".Limit", "%v is below %v (AlphaESS takes 10 … 100 %%)", float64(p.Limit), MinTimeChargeSoC)
	}
	seen := map[time.Weekday]bool{}
	for _, d := range p.Days {
		if d < time.Sunday || d > time.Saturday {
			return nil, energy.Invalid(name+".Days", "%d is not a time.Weekday", int(d))
		}
		if seen[d] {
			return nil, energy.Invalid(name+".Days", "lists %s twice", d)
		}
		seen[d] = true
	}
	all := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	switch {
	case cycle == CycleWeekly && len(p.Days) == 0:
		return nil, energy.Invalid(name+".Days", "is empty; a weekly cycle needs the weekdays of every period")
	case cycle == CycleDaily && len(p.Days) != 0 && len(p.Days) != 7:
		return nil, energy.Invalid(name+".Days", "must be empty (or all seven days) for a daily cycle; use CycleWeekly for some days only")
	case cycle == CycleWeekly:
		return p.Days, nil
	}
	return all, nil
}

// occupy marks the 15-minute slots p holds on day d (running past midnight
// into the next day) and reports a clash with another period.
func occupy(slots *[7 * 24 * 4]string, name string, p TimePeriod, d time.Weekday) error {
	first := int(d)*24*4 + p.Start.Minutes()/15
	n := int(Period{p.Start, p.End}.Duration() / Grid)
	for k := range n {
		i := (first + k) % len(slots)
		if other := slots[i]; other != "" {
			return energy.Invalid(name+".Start", "%s–%s overlaps %s on %s", p.Start, p.End, other, d)
		}
		slots[i] = name
	}
	return nil
}

// TimeCharge returns the system's periodic schedule (getTimeChargeBySn).
func (c *Client) TimeCharge(ctx context.Context) (*TimeCharge, error) {
	q, err := c.snQuery()
	if err != nil {
		return nil, err
	}
	raw, err := c.call(ctx, epTimeCharge, q, nil)
	if err != nil {
		return nil, err
	}
	var w wireTimeCharge
	if err := decodeData(epTimeCharge, raw, &w); err != nil {
		return nil, err
	}
	if !w.ExecuteCycleType.ok {
		return nil, decodeError(epTimeCharge, raw, fmt.Errorf("executeCycleType is null"))
	}
	out := &TimeCharge{Cycle: CycleType(w.ExecuteCycleType.v)}
	if out.Charge, err = readPeriods("chargeTimeList", w.ChargeTimeList); err == nil {
		out.Discharge, err = readPeriods("dischargeTimeList", w.DischargeTimeList)
	}
	if err != nil {
		return nil, decodeError(epTimeCharge, raw, err)
	}
	return out, nil
}

func readPeriods(list string, ws []wirePeriod) ([]TimePeriod, error) {
	out := make([]TimePeriod, 0, len(ws))
	for i, w := range ws {
		var p TimePeriod
		var err error
		if p.Start, err = ParseTimeOfDay(w.BeginTime); err != nil {
			return nil, fmt.Errorf("%s[%d].beginTime: %w", list, i, err)
		}
		if p.End, err = ParseTimeOfDay(w.EndTime); err != nil {
			return nil, fmt.Errorf("%s[%d].endTime: %w", list, i, err)
		}
		for _, n := range w.Weeks {
			d, err := weekday(n)
			if err != nil {
				return nil, fmt.Errorf("%s[%d].weeks: %w", list, i, err)
			}
			p.Days = append(p.Days, d)
		}
		if p.Power = energy.Watts(w.ChargePower.v); !w.ChargePower.ok {
			return nil, fmt.Errorf("%s[%d].chargePower is null", list, i)
		}
		if p.Limit = energy.FromPercent(w.ChargeLimit.v); !w.ChargeLimit.ok {
			return nil, fmt.Errorf("%s[%d].chargeLimit is null", list, i)
		}
		p.Sort = int(w.Sort.v)
		out = append(out, p)
	}
	return out, nil
}

// SetTimeCharge replaces the system's periodic schedule (setTimeChargeBySn).
// t is validated first (see TimeCharge.Validate). With WithVerifyWrites the
// schedule is read back and a difference is a *NotAppliedError.
func (c *Client) SetTimeCharge(ctx context.Context, t TimeCharge) error {
	if err := c.needSN(); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	body := timeChargeBody{
		SysSn: c.sn, ExecuteCycleType: int(t.Cycle),
		ChargeTimeList: bodyPeriods(t.Charge), DischargeTimeList: bodyPeriods(t.Discharge),
	}
	if t.GridCharge != nil {
		body.GridChargeCycle = energy.Ptr(b01(*t.GridCharge))
	}
	if t.TimeControl != nil {
		body.CtrDisCycle = energy.Ptr(b01(*t.TimeControl))
	}
	if _, err := c.call(ctx, epSetTimeCharge, nil, body); err != nil {
		return err
	}
	if !c.core.verify {
		return nil
	}
	got, err := c.TimeCharge(ctx)
	if err != nil {
		return fmt.Errorf("alphaess: reading back %s: %w", epSetTimeCharge.name, err)
	}
	var diffs []FieldDiff
	if got.Cycle != t.Cycle {
		diffs = append(diffs, FieldDiff{"Cycle", t.Cycle.String(), got.Cycle.String()})
	}
	diffs = append(diffs, periodsDiff("Charge", t.Charge, got.Charge)...)
	diffs = append(diffs, periodsDiff("Discharge", t.Discharge, got.Discharge)...)
	return notApplied(epSetTimeCharge, diffs)
}

// bodyPeriods returns ps in wire form. Sent periods hold whole percents and
// watts already (Validate); read-back ones (periodsDiff) are rounded to the
// wire's whole units, so an odd value read back is reported, not zeroed.
func bodyPeriods(ps []TimePeriod) []periodBody {
	out := make([]periodBody, len(ps))
	for i, p := range ps {
		b := periodBody{
			BeginTime: p.Start.String(), EndTime: p.End.String(),
			ChargePower: int64(math.Round(float64(p.Power))), ChargeLimit: int(math.Round(p.Limit.Percent())),
		}
		for _, d := range p.Days {
			b.Weeks = append(b.Weeks, wireDay(d))
		}
		slices.Sort(b.Weeks)
		out[i] = b
	}
	return out
}

// periodsDiff compares what was sent with what was read back, period by
// period in order, ignoring Sort and the order of Days.
func periodsDiff(list string, sent, got []TimePeriod) []FieldDiff {
	if len(sent) != len(got) {
		return []FieldDiff{{list, fmt.Sprintf("%d periods", len(sent)), fmt.Sprintf("%d periods", len(got))}}
	}
	var d []FieldDiff
	for i := range sent {
		a, b := bodyPeriods(sent[i : i+1])[0], bodyPeriods(got[i : i+1])[0]
		if len(a.Weeks) == 7 || len(a.Weeks) == 0 {
			if len(b.Weeks) == 7 || len(b.Weeks) == 0 {
				a.Weeks, b.Weeks = nil, nil // a daily period reads back with or without its days
			}
		}
		if ja, jb := fmt.Sprint(a), fmt.Sprint(b); ja != jb {
			d = append(d, FieldDiff{fmt.Sprintf("%s[%d]", list, i), ja, jb})
		}
	}
	return d
}
