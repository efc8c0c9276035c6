package alphaesstest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// ChargeConfig is the grid-charge record in wire form (getChargeConfigInfo).
type ChargeConfig struct {
	GridCharge int    `json:"gridCharge"`
	BatHighCap int    `json:"batHighCap"`
	TimeChaf1  string `json:"timeChaf1"`
	TimeChae1  string `json:"timeChae1"`
	TimeChaf2  string `json:"timeChaf2"`
	TimeChae2  string `json:"timeChae2"`
}

// DischargeConfig is the discharge record in wire form
// (getDisChargeConfigInfo).
type DischargeConfig struct {
	CtrDis    int    `json:"ctrDis"`
	BatUseCap int    `json:"batUseCap"`
	TimeDisf1 string `json:"timeDisf1"`
	TimeDise1 string `json:"timeDise1"`
	TimeDisf2 string `json:"timeDisf2"`
	TimeDise2 string `json:"timeDise2"`
}

// TimeChargeConfig is the periodic schedule in wire form
// (getTimeChargeBySn). The fake keeps the write-only flags gridChargeCycle
// and ctrDisCycle, but answers reads with 0 for them, as AlphaESS does.
type TimeChargeConfig struct {
	ExecuteCycleType  int          `json:"executeCycleType"`
	GridChargeCycle   int          `json:"gridChargeCycle"`
	CtrDisCycle       int          `json:"ctrDisCycle"`
	ChargeTimeList    []TimePeriod `json:"chargeTimeList"`
	DischargeTimeList []TimePeriod `json:"dischargeTimeList"`
}

// TimePeriod is one period of a TimeChargeConfig in wire form.
type TimePeriod struct {
	BeginTime   string `json:"beginTime"`
	EndTime     string `json:"endTime"`
	Weeks       []int  `json:"weeks"`
	ChargePower int    `json:"chargePower"`
	ChargeLimit int    `json:"chargeLimit"`
}

type evCharger struct {
	sn, model string
	status    int
}

// system is one system's state.
type system struct {
	sn          string
	bound       bool
	ownerless   bool
	checkCode   string
	pendingCode string

	charge     ChargeConfig
	discharge  DischargeConfig
	timeCharge TimeChargeConfig
	evCurrent  float64
	chargers   []*evCharger

	soc     float64   // battery state of charge, percent
	simTime time.Time // when soc was last brought up to date
}

func newSystem(sn string, bound bool, evSN string) *system {
	s := &system{
		sn: sn, bound: bound, checkCode: "ABC999",
		charge:    ChargeConfig{0, 100, "00:00", "00:00", "00:00", "00:00"},
		discharge: DischargeConfig{0, 10, "00:00", "00:00", "00:00", "00:00"},
		timeCharge: TimeChargeConfig{
			ChargeTimeList:    []TimePeriod{{BeginTime: "01:00", EndTime: "05:00", ChargePower: 3000, ChargeLimit: 90}},
			DischargeTimeList: []TimePeriod{{BeginTime: "17:00", EndTime: "21:00", ChargePower: 5000, ChargeLimit: 10}},
		},
		evCurrent: 16,
		soc:       56,
	}
	if evSN != "" {
		s.chargers = []*evCharger{{sn: evSN, model: "SMILE-EVCT11", status: 2}}
	}
	return s
}

func (s *Server) primary() *system { return s.systems[s.SerialNumber] }

// ChargeConfig returns the bound system's grid-charge record.
func (s *Server) ChargeConfig() ChargeConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.primary().charge
}

// SetChargeConfig sets the bound system's grid-charge record.
func (s *Server) SetChargeConfig(c ChargeConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.primary().charge = c
}

// DischargeConfig returns the bound system's discharge record.
func (s *Server) DischargeConfig() DischargeConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.primary().discharge
}

// SetDischargeConfig sets the bound system's discharge record.
func (s *Server) SetDischargeConfig(c DischargeConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.primary().discharge = c
}

// TimeChargeConfig returns the bound system's periodic schedule, with the
// write-only flags as last written.
func (s *Server) TimeChargeConfig() TimeChargeConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneTimeCharge(s.primary().timeCharge)
}

// EVCurrent returns the bound system's EV current setting in A.
func (s *Server) EVCurrent() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.primary().evCurrent
}

// EVStatus returns the status number (1 … 9) of EV charger evSN, or 0 when
// there is no such charger.
func (s *Server) EVStatus(evSN string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch := s.primary().charger(evSN); ch != nil {
		return ch.status
	}
	return 0
}

// SetEVStatus sets the status of EV charger evSN, as when a vehicle is
// plugged in (2) or unplugged (1).
func (s *Server) SetEVStatus(evSN string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch := s.primary().charger(evSN); ch != nil {
		ch.status = status
	}
}

// Bound reports whether system sn is bound to the AppID.
func (s *Server) Bound(sn string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sys, ok := s.systems[sn]
	return ok && sys.bound
}

func (sys *system) charger(sn string) *evCharger {
	for _, c := range sys.chargers {
		if c.sn == sn {
			return c
		}
	}
	return nil
}

func cloneTimeCharge(t TimeChargeConfig) TimeChargeConfig {
	cl := func(ps []TimePeriod) []TimePeriod {
		out := slices.Clone(ps)
		for i := range out {
			out[i].Weeks = slices.Clone(out[i].Weeks)
		}
		return out
	}
	t.ChargeTimeList, t.DischargeTimeList = cl(t.ChargeTimeList), cl(t.DischargeTimeList)
	return t
}

// Body field readers: ok is false when the field is missing or of the wrong
// type.

func (r *request) number(name string) (float64, bool) {
	raw, ok := r.body[name]
	var v *float64
	if !ok || json.Unmarshal(raw, &v) != nil || v == nil {
		return 0, false
	}
	return *v, true
}

func (r *request) integer(name string, lo, hi int) (int, bool) {
	v, ok := r.number(name)
	if !ok || v != float64(int(v)) || int(v) < lo || int(v) > hi {
		return 0, false
	}
	return int(v), true
}

func (r *request) clock(name string) (string, bool) {
	raw, ok := r.body[name]
	var v string
	if !ok || json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	_, err := time.Parse("15:04", v)
	return v, err == nil && len(v) == 5
}

func (s *Server) essList(*request) reply {
	type item struct {
		SysSn        string  `json:"sysSn"`
		Popv         float64 `json:"popv"`
		Minv         string  `json:"minv"`
		Poinv        float64 `json:"poinv"`
		Cobat        float64 `json:"cobat"`
		Mbat         string  `json:"mbat"`
		SurplusCobat float64 `json:"surplusCobat"`
		UsCapacity   float64 `json:"usCapacity"`
		EmsStatus    string  `json:"emsStatus"`
	}
	list := []item{}
	for _, sn := range slices.Sorted(maps.Keys(s.systems)) {
		if s.systems[sn].bound {
			list = append(list, item{sn, 9.0, "SMILE5-INV", 5.0, capacityKWh, "SMILE-BAT-13.3P", capacityKWh, 100.0, "Normal"})
		}
	}
	return ok(list)
}

func (s *Server) chargeConfig(r *request) reply { return ok(r.sys.charge) }

func (s *Server) dischargeConfig(r *request) reply { return ok(r.sys.discharge) }

func (s *Server) updateChargeConfig(r *request) reply {
	var c ChargeConfig
	var ok1, ok2 bool
	c.BatHighCap, ok1 = r.integer("batHighCap", 0, 100)
	c.GridCharge, ok2 = r.integer("gridCharge", 0, 1)
	if !ok1 || !ok2 {
		return fail(6001, "batHighCap must be 0..100 and gridCharge 0 or 1")
	}
	for name, dst := range map[string]*string{"timeChaf1": &c.TimeChaf1, "timeChae1": &c.TimeChae1, "timeChaf2": &c.TimeChaf2, "timeChae2": &c.TimeChae2} {
		var ok bool
		if *dst, ok = r.clock(name); !ok {
			return fail(6001, name+" must be HH:mm")
		}
	}
	if !s.ignoreWrites {
		s.settle(r.sys, r.now) // the battery ran on the old settings until now
		r.sys.charge = c
	}
	return ok(nil)
}

func (s *Server) updateDischargeConfig(r *request) reply {
	var c DischargeConfig
	var ok1, ok2 bool
	c.BatUseCap, ok1 = r.integer("batUseCap", 0, 100)
	c.CtrDis, ok2 = r.integer("ctrDis", 0, 1)
	if !ok1 || !ok2 {
		return fail(6001, "batUseCap must be 0..100 and ctrDis 0 or 1")
	}
	for name, dst := range map[string]*string{"timeDisf1": &c.TimeDisf1, "timeDise1": &c.TimeDise1, "timeDisf2": &c.TimeDisf2, "timeDise2": &c.TimeDise2} {
		var ok bool
		if *dst, ok = r.clock(name); !ok {
			return fail(6001, name+" must be HH:mm")
		}
	}
	if !s.ignoreWrites {
		s.settle(r.sys, r.now)
		r.sys.discharge = c
	}
	return ok(nil)
}

func (s *Server) verificationCode(r *request) reply {
	sn, code := r.param("sysSn"), r.param("checkCode")
	sys, known := s.systems[sn]
	switch {
	case sn == "" || code == "":
		return fail(6001, "sysSn and checkCode are required")
	case !known:
		return fail(6038)
	case sys.ownerless:
		return fail(6002)
	case sys.bound:
		return fail(6003)
	case code != sys.checkCode:
		return fail(6004)
	}
	sys.pendingCode = VerificationCode // "emailed" to the owner
	return ok(nil)
}

func (s *Server) bind(r *request) reply {
	sn, code := r.param("sysSn"), r.param("code")
	sys, known := s.systems[sn]
	switch {
	case sn == "" || code == "":
		return fail(6001, "sysSn and code are required")
	case !known:
		return fail(6038)
	case sys.bound:
		return fail(6003)
	case sys.pendingCode == "" || code != sys.pendingCode:
		return fail(6046)
	}
	sys.bound, sys.pendingCode = true, ""
	return ok(nil)
}

func (s *Server) unbind(r *request) reply {
	r.sys.bound = false
	return ok(nil)
}

func (s *Server) evChargerList(r *request) reply {
	type item struct {
		EvchargerSn    string `json:"evchargerSn"`
		EvchargerModel string `json:"evchargerModel"`
	}
	list := []item{} // [] when there is none, as AlphaESS answers
	for _, c := range r.sys.chargers {
		list = append(list, item{c.sn, c.model})
	}
	return ok(list)
}

func (s *Server) evCurrent(r *request) reply {
	return ok(map[string]float64{"currentsetting": r.sys.evCurrent})
}

func (s *Server) setEVCurrent(r *request) reply {
	a, good := r.number("currentsetting")
	if !good || a <= 0 || a > 80 {
		return fail(6001, "currentsetting must be 0 < A ≤ 80")
	}
	if !s.ignoreWrites {
		s.settle(r.sys, r.now)
		r.sys.evCurrent = a
	}
	return ok(nil)
}

func (s *Server) evStatus(r *request) reply {
	sn := r.param("evchargerSn")
	if sn == "" {
		return fail(6001, "evchargerSn is null")
	}
	ch := r.sys.charger(sn)
	if ch == nil {
		return fail(6016)
	}
	return ok(map[string]int{"evchargerStatus": ch.status})
}

// remoteControlEV starts charging from Preparing, SuspendedEVSE,
// SuspendedEV or Finishing, and refuses with 6029 without a vehicle or with
// a fault; stopping suspends a charging session (SuspendedEVSE).
func (s *Server) remoteControlEV(r *request) reply {
	sn := r.param("evchargerSn")
	mode, good := r.integer("controlMode", 0, 1)
	if sn == "" || !good {
		return fail(6001, "evchargerSn and controlMode (0 or 1) are required")
	}
	ch := r.sys.charger(sn)
	if ch == nil {
		return fail(6016)
	}
	s.settle(r.sys, r.now)
	switch {
	case mode == 1 && (ch.status == 1 || ch.status == 9):
		return fail(6029, fmt.Sprintf("charger status %d: no vehicle or fault", ch.status))
	case mode == 1:
		ch.status = 3
	case ch.status == 3 || ch.status == 5:
		ch.status = 4
	}
	return ok(nil)
}

func (s *Server) timeCharge(r *request) reply {
	if s.noPermission {
		return fail(6017)
	}
	t := cloneTimeCharge(r.sys.timeCharge)
	type period struct {
		TimePeriod
		ExecuteCycleType int `json:"executeCycleType"`
		StrategyType     int `json:"strategyType"`
		Sort             int `json:"sort"`
	}
	list := func(ps []TimePeriod, strategy int) []period {
		out := make([]period, len(ps))
		for i, p := range ps {
			if p.Weeks == nil {
				p.Weeks = []int{}
			}
			out[i] = period{p, t.ExecuteCycleType, strategy, i + 1}
		}
		return out
	}
	// gridChargeCycle and ctrDisCycle read as 0 whatever was written.
	return ok(map[string]any{
		"sysSn": r.sys.sn, "executeCycleType": t.ExecuteCycleType, "gridChargeCycle": 0, "ctrDisCycle": 0,
		"chargeTimeList": list(t.ChargeTimeList, 0), "dischargeTimeList": list(t.DischargeTimeList, 1),
	})
}

// setTimeCharge validates as AlphaESS does: structure (10001), then
// values (6001), then overlaps (6008), then entitlement (6017).
func (s *Server) setTimeCharge(r *request) reply {
	var t TimeChargeConfig
	cycle, good := r.integer("executeCycleType", 0, 1)
	if !good {
		return fail(6001, "executeCycleType must be 0 or 1")
	}
	t.ExecuteCycleType = cycle
	for name, dst := range map[string]*int{"gridChargeCycle": &t.GridChargeCycle, "ctrDisCycle": &t.CtrDisCycle} {
		if _, present := r.body[name]; present {
			if *dst, good = r.integer(name, 0, 1); !good {
				return fail(6001, name+" must be 0 or 1")
			}
		}
	}
	lists := map[string]*[]TimePeriod{"chargeTimeList": &t.ChargeTimeList, "dischargeTimeList": &t.DischargeTimeList}
	for _, name := range []string{"chargeTimeList", "dischargeTimeList"} {
		raw, present := r.body[name]
		if !present || json.Unmarshal(raw, lists[name]) != nil || *lists[name] == nil {
			return fail(10001)
		}
	}
	var slots [7 * 96]bool
	for _, name := range []string{"chargeTimeList", "dischargeTimeList"} {
		ps := *lists[name]
		if len(ps) == 0 {
			return fail(6001, "time list is null")
		}
		var perDay [8]int
		for _, p := range ps {
			b, e, good := gridMinutes(p.BeginTime), gridMinutes(p.EndTime), true
			if b < 0 || e < 0 || b == e || p.ChargeLimit < 10 || p.ChargeLimit > 100 || p.ChargePower < 0 {
				return fail(6001, "beginTime/endTime must be HH:mm on the 15-minute grid, chargeLimit 10..100")
			}
			days := p.Weeks
			if cycle == 0 {
				days = []int{1, 2, 3, 4, 5, 6, 7}
			} else if len(days) == 0 {
				return fail(6001, "weeks is null")
			}
			for _, d := range days {
				if d < 1 || d > 7 {
					return fail(6001, "weeks must be 1..7")
				}
				if perDay[d]++; perDay[d] > 6 {
					return fail(6001, "at most 6 periods a day")
				}
				if good = occupy(&slots, d, b, e); !good {
					return fail(6008, "time periods overlap")
				}
			}
		}
		if perDay[1]+perDay[2]+perDay[3]+perDay[4]+perDay[5]+perDay[6]+perDay[7] > 28 {
			return fail(6001, "at most 28 periods a week")
		}
	}
	if s.noPermission {
		return fail(6017)
	}
	if !s.ignoreWrites {
		r.sys.timeCharge = t
	}
	return ok(nil)
}

// gridMinutes returns the minutes of "HH:mm" on the 15-minute grid, or -1.
func gridMinutes(v string) int {
	t, err := time.Parse("15:04", v)
	if err != nil || len(v) != 5 || t.Minute()%15 != 0 {
		return -1
	}
	return t.Hour()*60 + t.Minute()
}

// occupy marks the 15-minute slots of a period on weekday d (1 = Monday),
// running past midnight when e < b; false on a clash.
func occupy(slots *[7 * 96]bool, d, b, e int) bool {
	n := (e - b) / 15
	if e < b {
		n = (e + 24*60 - b) / 15
	}
	first := (d-1)*96 + b/15
	for k := range n {
		i := (first + k) % len(slots)
		if slots[i] {
			return false
		}
		slots[i] = true
	}
	return true
}
