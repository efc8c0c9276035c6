package alphaess

import (
	"context"
	"net/url"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// PowerData is a system's real-time power flows (getLastPowerData), in W.
// Signs are AlphaESS's, which are also gridwire's: Grid is positive when
// importing, Battery positive when discharging. Every value may be nil:
// some systems answer with nulls, which are never turned into zeros.
type PowerData struct {
	// ReceivedAt is the client clock's time when the answer arrived.
	// AlphaESS refreshes the values about every 10 to 30 s and answers
	// 6042 rather than old values when the system is offline.
	ReceivedAt time.Time
	// UploadTime is when the system reported the values (uploadTime, in
	// the system's zone), when the answer carries it; the zero time
	// otherwise. The documented answer carries none, so it is usually zero.
	UploadTime time.Time
	// PV is the total PV power (ppv); PVStrings the per-string powers
	// (ppvDetail.ppv1..ppv4) and PVMeterDC a DC-coupled PV meter
	// (ppvDetail.pmeterDc).
	PV        *energy.Watts
	PVStrings [4]*energy.Watts
	PVMeterDC *energy.Watts
	// Load is the household consumption (pload).
	Load *energy.Watts
	// StateOfCharge is the battery's state of charge (soc, percent on the
	// wire).
	StateOfCharge *energy.Fraction
	// Grid is the grid exchange (pgrid), positive when importing, and
	// GridPhases the per-phase meter readings (pgridDetail.pmeterL1..L3).
	Grid       *energy.Watts
	GridPhases [3]*energy.Watts
	// Battery is the battery power (pbat), positive when discharging.
	Battery *energy.Watts
	// InverterPhases is the inverter's output per phase (prealL1..L3).
	InverterPhases [3]*energy.Watts
	// EV is the total power of the EV chargers (pev) and EVChargers each
	// charger's power (pevDetail.ev1Power..ev4Power, in the order of
	// EVChargers()).
	EV         *energy.Watts
	EVChargers [4]*energy.Watts
}

// wirePower is getLastPowerData's data.
type wirePower struct {
	Ppv       num `json:"ppv"`
	PpvDetail struct {
		Ppv1     num `json:"ppv1"`
		Ppv2     num `json:"ppv2"`
		Ppv3     num `json:"ppv3"`
		Ppv4     num `json:"ppv4"`
		PmeterDc num `json:"pmeterDc"`
	} `json:"ppvDetail"`
	Pload       num `json:"pload"`
	Soc         num `json:"soc"`
	Pgrid       num `json:"pgrid"`
	PgridDetail struct {
		PmeterL1 num `json:"pmeterL1"`
		PmeterL2 num `json:"pmeterL2"`
		PmeterL3 num `json:"pmeterL3"`
	} `json:"pgridDetail"`
	Pbat       num    `json:"pbat"`
	PrealL1    num    `json:"prealL1"`
	PrealL2    num    `json:"prealL2"`
	PrealL3    num    `json:"prealL3"`
	Pev        num    `json:"pev"`
	UploadTime string `json:"uploadTime"`
	PevDetail  struct {
		Ev1Power num `json:"ev1Power"`
		Ev2Power num `json:"ev2Power"`
		Ev3Power num `json:"ev3Power"`
		Ev4Power num `json:"ev4Power"`
	} `json:"pevDetail"`
}

// LastPowerData returns the system's latest power flows (getLastPowerData).
// A system that is offline answers 6042 (an *APIError wrapping
// energy.ErrUnavailable).
func (c *Client) LastPowerData(ctx context.Context) (*PowerData, error) {
	q, err := c.snQuery()
	if err != nil {
		return nil, err
	}
	raw, err := c.call(ctx, epLastPower, q, nil)
	if err != nil {
		return nil, err
	}
	var w wirePower
	if err := decodeData(epLastPower, raw, &w); err != nil {
		return nil, err
	}
	var uploaded time.Time
	if w.UploadTime != "" {
		if uploaded, err = time.ParseInLocation(uploadTimeLayout, w.UploadTime, c.loc); err != nil {
			return nil, decodeError(epLastPower, raw, err)
		}
	}
	d, e := &w.PpvDetail, &w.PevDetail
	return &PowerData{
		ReceivedAt:     c.Now(),
		UploadTime:     uploaded,
		PV:             w.Ppv.watts(),
		PVStrings:      [4]*energy.Watts{d.Ppv1.watts(), d.Ppv2.watts(), d.Ppv3.watts(), d.Ppv4.watts()},
		PVMeterDC:      d.PmeterDc.watts(),
		Load:           w.Pload.watts(),
		StateOfCharge:  w.Soc.percent(),
		Grid:           w.Pgrid.watts(),
		GridPhases:     [3]*energy.Watts{w.PgridDetail.PmeterL1.watts(), w.PgridDetail.PmeterL2.watts(), w.PgridDetail.PmeterL3.watts()},
		Battery:        w.Pbat.watts(),
		InverterPhases: [3]*energy.Watts{w.PrealL1.watts(), w.PrealL2.watts(), w.PrealL3.watts()},
		EV:             w.Pev.watts(),
		EVChargers:     [4]*energy.Watts{e.Ev1Power.watts(), e.Ev2Power.watts(), e.Ev3Power.watts(), e.Ev4Power.watts()},
	}, nil
}

// measuredAt is when the values were measured, as far as the client can
// tell: the system's uploadTime when the answer has one, else the arrival
// time. Never later than the arrival, so a vendor clock running ahead
// cannot make a reading look fresher than it is.
func (p *PowerData) measuredAt() time.Time {
	if !p.UploadTime.IsZero() && !p.UploadTime.After(p.ReceivedAt) {
		return p.UploadTime
	}
	return p.ReceivedAt
}

// PowerSample is one of a day's ~5-minute samples (getOneDayPowerBySn), in
// W unless noted.
type PowerSample struct {
	// Time is uploadTime, read in the system's zone.
	Time time.Time
	// PV is the PV power (ppv).
	PV *energy.Watts
	// Load is the household consumption (load).
	Load *energy.Watts
	// StateOfCharge is the battery's state of charge (cbat; "cobat" in the
	// portal's documentation).
	StateOfCharge *energy.Fraction
	// FeedIn is the power exported to the grid (feedIn).
	FeedIn *energy.Watts
	// GridImport is the power imported from the grid (gridCharge).
	GridImport *energy.Watts
	// EV is the EV chargers' power (pchargingPile; "pChargingPile" in the
	// portal's documentation).
	EV *energy.Watts
}

// wireSample is a getOneDayPowerBySn item. The live API says cbat and
// pchargingPile where the portal says cobat and pChargingPile; both are
// read.
type wireSample struct {
	SysSn         string `json:"sysSn"`
	UploadTime    string `json:"uploadTime"`
	Ppv           num    `json:"ppv"`
	Load          num    `json:"load"`
	Cbat          num    `json:"cbat"`
	Cobat         num    `json:"cobat"`
	FeedIn        num    `json:"feedIn"`
	GridCharge    num    `json:"gridCharge"`
	PchargingPile num    `json:"pchargingPile"`
	PChargingPile num    `json:"pChargingPile"`
}

// uploadTimeLayout is uploadTime's layout: local time of the system, no zone.
const uploadTimeLayout = "2006-01-02 15:04:05"

// OneDayPower returns the system's power samples of day d in its time zone
// (getOneDayPowerBySn), about one every 5 minutes, in the order AlphaESS
// sends them (oldest first). d must not be after today in the system's
// zone.
//
// uploadTime is a local time without an offset, so on the day clocks go
// back it names the repeated hour twice (02:00–02:59 on 5 April 2026 in
// Sydney). Such a time is resolved by the samples' order: it is the
// earliest instant with that local time that is not before the previous
// sample, so the series runs forward through the repeated hour.
func (c *Client) OneDayPower(ctx context.Context, d Date) ([]PowerSample, error) {
	q, err := c.dateQuery(d)
	if err != nil {
		return nil, err
	}
	raw, err := c.call(ctx, epOneDayPower, q, nil)
	if err != nil {
		return nil, err
	}
	ws, err := decodeList[wireSample](epOneDayPower, raw)
	if err != nil {
		return nil, err
	}
	out := make([]PowerSample, len(ws))
	var prev time.Time
	for i, w := range ws {
		t, err := localInstant(w.UploadTime, c.loc, prev)
		if err != nil {
			return nil, decodeError(epOneDayPower, raw, err)
		}
		prev = t
		soc, ev := w.Cbat, w.PchargingPile
		if !soc.ok {
			soc = w.Cobat
		}
		if !ev.ok {
			ev = w.PChargingPile
		}
		out[i] = PowerSample{
			Time: t, PV: w.Ppv.watts(), Load: w.Load.watts(), StateOfCharge: soc.percent(),
			FeedIn: w.FeedIn.watts(), GridImport: w.GridCharge.watts(), EV: ev.watts(),
		}
	}
	return out, nil
}

// localInstant parses the local time s in loc. When s happens more than
// once (clocks going back), it is the earliest of its instants that is not
// before prev (the previous sample; zero for none), or the last of them
// when all are before prev.
func localInstant(s string, loc *time.Location, prev time.Time) (time.Time, error) {
	t, err := time.ParseInLocation(uploadTimeLayout, s, loc)
	if err != nil {
		return t, err
	}
	// Clocks go back by an hour almost everywhere, by 30 minutes on Lord
	// Howe Island.
	var same []time.Time
	for _, d := range []time.Duration{-time.Hour, -30 * time.Minute, 0, 30 * time.Minute, time.Hour} {
		if c := t.Add(d); c.In(loc).Format(uploadTimeLayout) == s {
			same = append(same, c)
		}
	}
	if len(same) == 0 {
		// A time in the gap when clocks go forward, or one written
		// unusually ("2:05"): as parsed.
		return t, nil
	}
	for _, c := range same {
		if prev.IsZero() || !c.Before(prev) {
			return c, nil
		}
	}
	return same[len(same)-1], nil
}

// dateQuery validates d (a real day, not in the system's future: AlphaESS
// answers 6026 for those) and returns the query for it.
func (c *Client) dateQuery(d Date) (url.Values, error) {
	q, err := c.snQuery()
	if err != nil {
		return nil, err
	}
	switch today := c.Today(); {
	case !d.Valid():
		return nil, energy.Invalid("queryDate", "%s is not a date", d)
	case d.After(today):
		return nil, energy.Invalid("queryDate", "%s is after today (%s in %s)", d, today, c.loc)
	}
	q.Set("queryDate", d.String())
	return q, nil
}
