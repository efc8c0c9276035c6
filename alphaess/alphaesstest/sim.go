package alphaesstest

import (
	"math"
	"time"
)

// The simulated system: a 5 kW SMILE5 inverter, 9 kW of PV panels peaking
// at 6.5 kW, and a 13.34 kWh battery that charges and discharges at up to
// 5 kW (3 kW when charging from the grid in a charge period).
const (
	capacityKWh     = 13.34
	pvPeak          = 6500.0
	maxBattery      = 5000.0
	gridChargePower = 3000.0
	evVolts         = 230.0
)

// flows are one moment's power flows in W (battery positive discharging,
// grid positive importing) and the state of charge in percent.
type flows struct {
	pv, load, ev, bat, grid, soc float64
}

// flowsAt computes the flows at t for a battery at soc under the system's
// settings, in the systems' zone loc.
func (sys *system) flowsAt(t time.Time, soc float64, loc *time.Location) flows {
	lt := t.In(loc)
	h := float64(lt.Hour()) + float64(lt.Minute())/60 + float64(lt.Second())/3600
	wobble := float64(t.Unix())
	var pv float64
	if h > 6 && h < 20 {
		// The sun, with passing clouds.
		pv = pvPeak * math.Pow(math.Sin(math.Pi*(h-6)/14), 1.5) * (0.85 + 0.15*math.Sin(wobble/900))
	}
	load := 320 + 250*bump(h, 7.5, 1) + 900*bump(h, 19, 2) + 60*math.Sin(wobble/137)
	var ev float64
	for _, c := range sys.chargers {
		if c.status == 3 {
			ev += sys.evCurrent * evVolts
		}
	}
	tod := lt.Hour()*60 + lt.Minute()
	var bat float64
	c, d := sys.charge, sys.discharge
	switch net := load + ev - pv; {
	case c.GridCharge == 1 && (within(c.TimeChaf1, c.TimeChae1, tod) || within(c.TimeChaf2, c.TimeChae2, tod)) && soc < float64(c.BatHighCap):
		bat = -max(gridChargePower, pv-load-ev)
	case net > 0:
		allowed := d.CtrDis == 0 || within(d.TimeDisf1, d.TimeDise1, tod) || within(d.TimeDisf2, d.TimeDise2, tod)
		if allowed && soc > float64(d.BatUseCap) {
			bat = min(net, maxBattery)
		}
	case soc < 100:
		bat = max(net, -maxBattery)
	}
	bat = max(bat, -maxBattery)
	return flows{pv: pv, load: load, ev: ev, bat: bat, grid: load + ev - pv - bat, soc: soc}
}

func bump(h, center, width float64) float64 {
	x := (h - center) / width
	return math.Exp(-x * x)
}

// within reports whether minute-of-day tod lies in the period from–to. As
// on the device, a period with an off-grid or malformed time is ignored,
// and from == to is off.
func within(from, to string, tod int) bool {
	s, e := gridMinutes(from), gridMinutes(to)
	switch {
	case s < 0 || e < 0 || s == e:
		return false
	case s < e:
		return tod >= s && tod < e
	}
	return tod >= s || tod < e
}

// settle brings the system's state of charge up to now, integrating the
// flows minute by minute (over the last day at most).
func (s *Server) settle(sys *system, now time.Time) {
	if sys.simTime.IsZero() || now.Before(sys.simTime) {
		sys.simTime = now
		return
	}
	t := sys.simTime
	if now.Sub(t) > 24*time.Hour {
		t = now.Add(-24 * time.Hour)
	}
	for t.Before(now) {
		dt := min(time.Minute, now.Sub(t))
		f := sys.flowsAt(t, sys.soc, s.loc)
		sys.soc = clamp(sys.soc-f.bat*dt.Hours()/(capacityKWh*1000)*100, 0, 100)
		t = t.Add(dt)
	}
	sys.simTime = now
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// sample is one moment of a day's history.
type sample struct {
	at time.Time
	flows
}

// history replays day (midnight in loc) in 5-minute steps up to now, from a
// battery at 50 % at midnight under the current settings.
func (sys *system) history(day, now time.Time, loc *time.Location) []sample {
	var out []sample
	soc := 50.0
	end := day.AddDate(0, 0, 1)
	for t := day; t.Before(end) && !t.After(now); t = t.Add(5 * time.Minute) {
		f := sys.flowsAt(t, soc, loc)
		out = append(out, sample{t, f})
		soc = clamp(soc-f.bat*(5.0/60)/(capacityKWh*1000)*100, 0, 100)
	}
	return out
}

// totals are a day's energies in kWh.
type totals struct {
	pv, load, charge, discharge, gridCharge, imp, exp, ev float64
}

func sum(samples []sample) totals {
	var t totals
	const h = 5.0 / 60 / 1000 // W over 5 minutes → kWh
	for _, s := range samples {
		t.pv += s.pv * h
		t.load += s.load * h
		t.ev += s.ev * h
		if s.bat < 0 {
			t.charge -= s.bat * h
			if s.grid > 0 {
				t.gridCharge += min(-s.bat, s.grid) * h
			}
		} else {
			t.discharge += s.bat * h
		}
		if s.grid > 0 {
			t.imp += s.grid * h
		} else {
			t.exp -= s.grid * h
		}
	}
	return t
}

func midnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func (s *Server) lastPowerData(r *request) reply {
	sys := r.sys
	s.settle(sys, r.now)
	if s.nullPower {
		// Every number null, as Storion-S5 systems answer.
		return ok(map[string]any{
			"ppv": nil, "ppvDetail": map[string]any{"ppv1": nil, "ppv2": nil, "ppv3": nil, "ppv4": nil, "pmeterDc": nil},
			"soc": nil, "pev": nil, "pevDetail": map[string]any{"ev1Power": nil, "ev2Power": nil, "ev3Power": nil, "ev4Power": nil},
			"prealL1": nil, "prealL2": nil, "prealL3": nil,
			"pgrid": nil, "pgridDetail": map[string]any{"pmeterL1": nil, "pmeterL2": nil, "pmeterL3": nil},
			"pload": nil, "pbat": nil,
		})
	}
	f := sys.flowsAt(r.now, sys.soc, s.loc)
	pv, bat, grid := round(f.pv, 0), round(f.bat, 0), round(f.grid, 0)
	ev := map[string]any{"ev1Power": nil, "ev2Power": nil, "ev3Power": nil, "ev4Power": nil}
	var pev float64
	for i, c := range sys.chargers {
		p := 0.0
		if c.status == 3 {
			p = round(sys.evCurrent*evVolts, 0)
		}
		ev[[]string{"ev1Power", "ev2Power", "ev3Power", "ev4Power"}[i]] = p
		pev += p
	}
	return ok(map[string]any{
		"ppv": pv, "ppvDetail": map[string]any{"ppv1": round(pv*0.55, 0), "ppv2": pv - round(pv*0.55, 0), "ppv3": 0.0, "ppv4": 0.0, "pmeterDc": 0.0},
		"soc": round(sys.soc, 1), "pev": pev, "pevDetail": ev,
		"prealL1": round(f.pv+f.bat, 0), "prealL2": 0.0, "prealL3": 0.0,
		"pgrid": grid, "pgridDetail": map[string]any{"pmeterL1": grid, "pmeterL2": 0.0, "pmeterL3": 0.0},
		"pload": round(f.load, 0), "pbat": bat,
	})
}

// queryDay reads queryDate: 6001 when missing or malformed, 6026 when in
// the future (as AlphaESS answers).
func (s *Server) queryDay(r *request) (time.Time, reply, bool) {
	d, err := time.ParseInLocation(time.DateOnly, r.param("queryDate"), s.loc)
	if err != nil {
		return d, fail(6001, "queryDate must be yyyy-MM-dd"), false
	}
	if d.After(midnight(r.now, s.loc)) {
		return d, fail(6026), false
	}
	return d, reply{}, true
}

func (s *Server) oneDayPower(r *request) reply {
	day, rep, good := s.queryDay(r)
	if !good {
		return rep
	}
	type item struct {
		SysSn         string  `json:"sysSn"`
		UploadTime    string  `json:"uploadTime"`
		Ppv           float64 `json:"ppv"`
		Load          float64 `json:"load"`
		Cbat          float64 `json:"cbat"`
		FeedIn        float64 `json:"feedIn"`
		GridCharge    float64 `json:"gridCharge"`
		PchargingPile float64 `json:"pchargingPile"`
	}
	list := []item{}
	for _, x := range r.sys.history(day, r.now, s.loc) {
		list = append(list, item{
			SysSn: r.sys.sn, UploadTime: x.at.Add(4 * time.Second).In(s.loc).Format("2006-01-02 15:04:05"),
			Ppv: round(x.pv, 0), Load: round(x.load, 0), Cbat: round(x.soc, 1),
			FeedIn: round(max(-x.grid, 0), 0), GridCharge: round(max(x.grid, 0), 0), PchargingPile: round(x.ev, 0),
		})
	}
	return ok(list)
}

func (s *Server) oneDateEnergy(r *request) reply {
	day, rep, good := s.queryDay(r)
	if !good {
		return rep
	}
	var t totals
	today := midnight(r.now, s.loc)
	// AlphaESS answers zeros for yesterday while it finalises the day,
	// for a while after local midnight.
	finalising := day.Equal(today.AddDate(0, 0, -1)) && r.now.Sub(today) < time.Hour
	if !finalising {
		t = sum(r.sys.history(day, r.now, s.loc))
	}
	return ok(map[string]any{
		"sysSn": r.sys.sn, "theDate": day.Format(time.DateOnly), "epv": round(t.pv, 2),
		"eCharge": round(t.charge, 2), "eDischarge": round(t.discharge, 2), "eGridCharge": round(t.gridCharge, 2),
		"eInput": round(t.imp, 2), "eOutput": round(t.exp, 2), "eChargingPile": round(t.ev, 2),
	})
}

func (s *Server) sumData(r *request) reply {
	t := sum(r.sys.history(midnight(r.now, s.loc), r.now, s.loc))
	selfUse, selfSuff := 0.0, 0.0
	if t.pv > 0 {
		selfUse = 1 - t.exp/t.pv
	}
	if t.load > 0 {
		selfSuff = clamp(1-t.imp/(t.load+t.ev), 0, 1)
	}
	income := t.exp*0.08 + (t.pv-t.exp)*0.30
	// Live values of eself* are fractions although the portal says percent.
	return ok(map[string]any{
		"epvtoday": round(t.pv, 2), "epvtotal": round(17003.14+t.pv, 2), "eload": round(t.load, 2),
		"eoutput": round(t.exp, 2), "einput": round(t.imp, 2), "echarge": round(t.charge, 2),
		"edischarge": round(t.discharge, 2), "todayIncome": round(income, 2), "totalIncome": round(4263.64+income, 2),
		"eselfConsumption": round(selfUse, 4), "eselfSufficiency": round(selfSuff, 5),
		"treeNum": 2911.1488, "carbonNum": 14622.7004, "moneyType": "EUR",
	})
}
