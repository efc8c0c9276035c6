package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/plan"
)

// The controller knows the site only through the energy interfaces and the
// planner: it works unchanged with any vendor's batteries, chargers and
// prices.

// managedBattery is a battery the controller plans for.
type managedBattery struct {
	Name    string
	Battery energy.Battery
	// Limits are what the battery's status does not say: its power limits,
	// efficiencies and the state-of-charge band to use.
	Limits plan.Limits
}

// managedCharger is an EV charger the controller caps during spikes.
type managedCharger struct {
	Name    string
	Charger energy.Charger
	// Least is the least current other than 0 the charger takes (balanz's
	// is balanz.MinChargingCurrent); 0 when it takes any.
	Least energy.Amperes
}

// Re-planning thresholds.
const (
	// priceMoved is how far, in currency per kWh, a price must move from
	// the one a plan was made with for the plan to be made again.
	priceMoved = 0.005
	// socDrift is how far the state of charge may stray from the plan's
	// before the battery is planned again (devices do not follow a plan
	// exactly: one that covers the house's load discharges by the load).
	socDrift = 0.05
	// replanGap is the least time between two re-plans of one battery
	// for drift alone.
	replanGap = 30 * time.Minute
	// persistent is how many looks in a row a device must fail at for the
	// failure to count as an error; fewer are a glitch, tried again at the
	// next look (a lost answer, an answer too late).
	persistent = 3
	// rotation is how long a charger keeps its turn when the chargers'
	// capacity cannot give every car its least current (see share).
	rotation = 30 * time.Minute
)

// capacity is a limit on the current the chargers may draw together, such
// as a grid operator's: MayDraw returns it per phase at t, ok false when
// there is none.
type capacity interface {
	MayDraw(t time.Time) (limit energy.Amperes, ok bool)
}

// controller plans each battery over the rest of the day, sends the plans,
// caps the chargers while prices spike and keeps them together within the
// site's capacity, and re-plans when prices change or a battery strays from
// its plan.
type controller struct {
	// Prices are what the batteries are planned with and the chargers
	// capped by.
	Prices energy.PriceSource
	// Reference is a second tariff, for comparison only: the controller
	// reads its price at every look (StepPrice) but plans with Prices
	// alone, since the two need not share a currency. Nil means none.
	Reference energy.PriceSource
	Batteries []managedBattery
	Chargers  []managedCharger
	Cap       plan.Charger
	// Capacity, when set, bounds the sum of the chargers' current limits
	// per phase, on top of Cap.
	Capacity capacity
	Clock    clock.Clock
	// End is the end of the horizon every plan runs to.
	End time.Time
	// Step is how often the controller looks at the site.
	Step time.Duration
	// Carry is what energy left in a battery at End is worth, per kWh in
	// its cells (plan.WithEndValue).
	Carry float64
	// SendTimeout bounds each SetSchedule, which for a VTN's battery waits
	// for the VEN to answer.
	SendTimeout time.Duration
	// Logf, when set, is told what the controller does.
	Logf func(at time.Time, format string, args ...any)

	prices   []energy.Price // what the plans in force were made with
	bats     []batteryState
	chargers []chargerState
	fails    map[string]int  // by device: looks in a row that failed
	failed   map[string]bool // by device: this look failed

	mu    sync.Mutex
	stats controllerStats
}

// batteryState is what the controller remembers of a battery.
type batteryState struct {
	plan    *plan.Result
	planned time.Time
	form    scheduleForm    // the schedule form the battery took last
	sent    energy.Schedule // the schedule it took last
	failed  bool
}

// chargerState is what the controller remembers of a charger.
type chargerState struct {
	started bool           // it started the session of the car plugged in
	limit   energy.Amperes // the limit it set last; -1 when none
	// idle is set when the car stopped drawing although allowed to (it
	// is full): it gets a share of Capacity only after the cars that
	// draw. It clears when the car draws again or leaves.
	idle bool
}

// controllerStats counts what the controller did, for the report.
type controllerStats struct {
	Plans      int      // plans sent
	Replans    int      // of which re-plans
	PriceMoves int      // times prices moved enough to re-plan
	Forms      []string // the schedule form each battery took last
	Limits     int      // current limits set
	Shared     int      // looks at which Capacity cut the chargers' current
	// RefReads counts the looks that read the Reference tariff, and
	// RefPrice is the last price it gave, per kWh in RefCurrency.
	RefReads    int
	RefPrice    float64
	RefCurrency string
	Waits       int     // steps that found a device without data yet
	Glitches    []error // failures that the next look did not repeat
	Errors      []error // failures repeated at persistent looks in a row
}

// Stats returns what the controller did so far.
func (c *controller) Stats() controllerStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Forms = append([]string(nil), s.Forms...)
	s.Errors = append([]error(nil), s.Errors...)
	s.Glitches = append([]error(nil), s.Glitches...)
	return s
}

// Run steers the site until End or until ctx is done, looking at it every
// Step (on multiples of Step, so a price change is met when it happens).
func (c *controller) Run(ctx context.Context) error {
	c.init()
	for {
		now := c.Clock.Now()
		if !now.Before(c.End) {
			return nil
		}
		c.step(ctx, now)
		next := now.Truncate(c.Step).Add(c.Step)
		if err := c.Clock.Sleep(ctx, next.Sub(c.Clock.Now())); err != nil {
			return err
		}
	}
}

// init sets up what the controller remembers, before its first look.
func (c *controller) init() {
	c.bats = make([]batteryState, len(c.Batteries))
	c.chargers = make([]chargerState, len(c.Chargers))
	c.stats.Forms = make([]string, len(c.Batteries))
	c.fails, c.failed = map[string]int{}, map[string]bool{}
	for i := range c.chargers {
		c.chargers[i].limit = -1
	}
}

// step is one look at the site.
func (c *controller) step(ctx context.Context, now time.Time) {
	moved := false
	if prices, err := c.Prices.Prices(ctx, now, c.End); err != nil {
		c.failure(now, "prices", err)
	} else if changed(c.prices, prices, now) {
		moved = c.prices != nil
		if moved {
			c.count(func(s *controllerStats) { s.PriceMoves++ })
			c.logf(now, "prices moved: re-planning every battery")
		}
		c.prices = prices
	}
	if c.Reference != nil {
		c.readReference(ctx, now)
	}
	if c.prices == nil {
		return
	}
	for i := range c.Batteries {
		c.steer(ctx, i, now, moved)
	}
	c.charge(ctx, now)
	for what := range c.fails {
		if !c.failed[what] {
			delete(c.fails, what)
		}
	}
	clear(c.failed)
}

// changed reports whether prices differ from old over [now, ∞): a price of
// the one channel and start that moved by priceMoved or more, or one that
// old lacks.
func changed(old, prices []energy.Price, now time.Time) bool {
	if old == nil {
		return true
	}
	type key struct {
		ch    energy.Channel
		start int64
	}
	was := make(map[key]float64, len(old))
	for _, p := range old {
		was[key{p.Channel, p.Start.UnixNano()}] = p.PerKWh
	}
	for _, p := range prices {
		if !p.End.After(now) || p.Channel == energy.ChannelControlledLoad {
			continue
		}
		v, ok := was[key{p.Channel, p.Start.UnixNano()}]
		if !ok || math.Abs(v-p.PerKWh) >= priceMoved {
			return true
		}
	}
	return false
}

// steer plans battery i again when it has no plan, its prices moved, its
// last schedule failed, or it strayed from the plan; and sends the plan.
func (c *controller) steer(ctx context.Context, i int, now time.Time, moved bool) {
	m, st := c.Batteries[i], &c.bats[i]
	status, err := m.Battery.BatteryStatus(ctx)
	if err != nil {
		c.failure(now, m.Name, err)
		return
	}
	reason := ""
	switch {
	case st.plan == nil:
		reason = "first plan"
	case moved:
		reason = "prices moved"
	case st.failed:
		reason = "last schedule failed"
	case now.Sub(st.planned) >= replanGap && strayed(*st.plan, status):
		reason = fmt.Sprintf("state of charge %s strays from the plan", status.StateOfCharge)
	default:
		return
	}
	if c.End.Sub(now) < c.Step {
		return // too little left to plan for
	}
	res, err := plan.Plan(plan.Problem{
		Prices:  c.prices,
		Battery: plan.Battery{Capacity: status.Capacity, SoC: project(status, m.Limits, now), Limits: m.Limits},
		From:    now, To: c.End,
	}, plan.WithEndValue(c.Carry))
	if err != nil {
		st.failed = true
		c.failure(now, m.Name, fmt.Errorf("planning: %w", err))
		return
	}
	if !st.failed && st.plan != nil && sameSchedule(shape(res, st.form), st.sent) {
		st.plan, st.planned = &res, now // nothing new to send
		return
	}
	form, sent, err := c.send(ctx, m.Battery, res, st.form)
	st.failed = err != nil
	if err != nil {
		c.failure(now, m.Name, fmt.Errorf("sending the schedule: %w", err))
		return
	}
	replan := st.plan != nil
	st.plan, st.planned, st.form, st.sent = &res, now, form, sent
	c.count(func(s *controllerStats) {
		s.Plans++
		if replan {
			s.Replans++
		}
		s.Forms[i] = form.String()
	})
	c.logf(now, "%s: %s; planned from %s, expected saving %.2f %s; sent %s",
		m.Name, reason, res.StartSoC, res.Saving(), res.Currency, form)
}

// maxProjection bounds how far project carries a snapshot forward.
const maxProjection = 15 * time.Minute

// project estimates the state of charge at now from a snapshot measured
// earlier (telemetry arrives minutes late), assuming the battery kept the
// power it had then: without it a discharge planned from a late snapshot
// runs the battery below its reserve.
func project(st energy.BatteryStatus, l plan.Limits, now time.Time) energy.Fraction {
	dt := min(now.Sub(st.MeasuredAt), maxProjection)
	if dt <= 0 || st.Capacity <= 0 {
		return st.StateOfCharge
	}
	// Energy into the cells: discharging draws P/ηd, charging stores P·ηc.
	flow := -float64(st.Power) * l.ChargeEfficiency
	if st.Power > 0 {
		flow = -float64(st.Power) / l.DischargeEfficiency
	}
	soc := float64(st.StateOfCharge) + flow*dt.Hours()/float64(st.Capacity)
	return energy.Fraction(min(max(soc, 0), 1))
}

// strayed reports whether the battery's state of charge, when measured,
// differs from what plan r expected then by more than socDrift.
func strayed(r plan.Result, st energy.BatteryStatus) bool {
	iv, ok := r.At(st.MeasuredAt)
	if !ok {
		return false
	}
	f := float64(st.MeasuredAt.Sub(iv.Start)) / float64(iv.End.Sub(iv.Start))
	want := float64(iv.StartSoC) + f*float64(iv.EndSoC-iv.StartSoC)
	return math.Abs(float64(st.StateOfCharge)-want) > socDrift
}

// send sends r to b in the first form, from start on, that b takes: each
// refusal with energy.ErrUnsupported moves to the next, simpler form.
func (c *controller) send(ctx context.Context, b energy.Battery, r plan.Result, start scheduleForm) (scheduleForm, energy.Schedule, error) {
	var err error
	for f := start; f < numForms; f++ {
		s := shape(r, f)
		if s.Repeat == energy.RepeatOnce {
			// Planning and answers take time: what has ended by now
			// cannot be sent.
			s = from(s, c.Clock.Now().Add(time.Second))
		}
		sctx, cancel := context.WithTimeout(ctx, c.SendTimeout)
		err = b.SetSchedule(sctx, s)
		cancel()
		if !errors.Is(err, energy.ErrUnsupported) {
			return f, s, err
		}
	}
	return start, energy.Schedule{}, err
}

// from returns s without what lies before t.
func from(s energy.Schedule, t time.Time) energy.Schedule {
	out := energy.Schedule{Repeat: s.Repeat}
	for _, w := range s.Windows {
		if !w.End.After(t) {
			continue
		}
		if w.Start.Before(t) {
			w.Start = t
		}
		out.Windows = append(out.Windows, w)
	}
	return out
}

// sameSchedule reports whether a and b say the same.
func sameSchedule(a, b energy.Schedule) bool {
	return a.Repeat == b.Repeat && slices.EqualFunc(a.Windows, b.Windows, func(x, y energy.Window) bool {
		return x.Start.Equal(y.Start) && x.End.Equal(y.End) && x.Mode == y.Mode && x.Power == y.Power && x.TargetSoC == y.TargetSoC
	})
}

// readReference reads the Reference tariff's price in force at now.
func (c *controller) readReference(ctx context.Context, now time.Time) {
	prices, err := c.Reference.Prices(ctx, now, now.Add(time.Minute))
	if err != nil {
		c.failure(now, "reference prices", err)
		return
	}
	for _, p := range prices {
		if p.Channel == energy.ChannelImport && !p.Start.After(now) && p.End.After(now) {
			c.count(func(s *controllerStats) { s.RefReads++; s.RefPrice, s.RefCurrency = p.PerKWh, p.Currency })
			return
		}
	}
}

// charge starts the sessions of cars that plugged in and sets each
// charger's current limit: what the prices call for (Cap), shared within
// Capacity, or within what Capacity will be at the next look when that is
// less. No limit is below a charger's Least but 0: when Capacity cannot
// give each car its Least, the cars take turns (share). Limits that fall
// are set before sessions start and limits rise, so that the chargers' sum
// stays within Capacity throughout; when a fall fails, nothing rises or
// starts until a later look. A charger whose state is unknown (its status
// unread, offline, faulted) keeps its limit, which is taken from Capacity
// before the others share it. Looks run in real time on a fast
// clock, so a look late by a step (a busy machine) or a car's first
// seconds, before its limit reaches the charger, may still exceed a limit
// for up to one Step.
func (c *controller) charge(ctx context.Context, now time.Time) {
	want := make([]energy.Amperes, len(c.Chargers))
	least := make([]energy.Amperes, len(c.Chargers))
	idle := make([]bool, len(c.Chargers))
	active := make([]bool, len(c.Chargers))
	start := make([]bool, len(c.Chargers))
	// unknown chargers (a status that could not be read, or offline,
	// faulted) are not steered this look, and may draw up to the limit
	// they have: that much of Capacity is theirs.
	unknown := make([]bool, len(c.Chargers))
	capped := c.Cap.Limit(c.prices, now)
	for i, m := range c.Chargers {
		st := &c.chargers[i]
		status, err := m.Charger.ChargerStatus(ctx)
		if err != nil {
			c.failure(now, m.Name, err)
			unknown[i] = true
			continue
		}
		switch status.State {
		case energy.ChargerUnplugged:
			st.started, st.limit, st.idle = false, -1, false
		case energy.ChargerConnected:
			// Started already: the car is full, or stopped by itself.
			active[i], start[i] = !st.started, !st.started
		case energy.ChargerCharging:
			st.started, active[i], st.idle = true, true, false
		case energy.ChargerSuspended:
			st.started, active[i] = true, true
			st.idle = st.idle || st.limit > 0
		default:
			unknown[i] = true
		}
		idle[i], least[i] = st.idle, m.Least
		if active[i] && capped >= m.Least {
			want[i] = capped // else 0: what the charger would refuse
		}
	}
	limits := want
	if c.Capacity != nil {
		// A limit that falls before the next look is kept to from this
		// one, so that no reading finds it exceeded.
		total, ok := c.Capacity.MayDraw(now)
		if next, okNext := c.Capacity.MayDraw(now.Add(c.Step)); okNext && (!ok || next < total) {
			total, ok = next, true
		}
		for i, u := range unknown {
			if u {
				total -= max(c.chargers[i].limit, 0)
			}
		}
		if ok {
			limits = share(max(total, 0), want, least, idle, int(now.UnixNano()/int64(rotation)))
			if !slices.Equal(limits, want) {
				c.count(func(s *controllerStats) { s.Shared++ })
			}
		}
	}
	set := func(i int) bool {
		m, st := c.Chargers[i], &c.chargers[i]
		if limits[i] == st.limit {
			return true
		}
		if err := m.Charger.SetCurrentLimit(ctx, limits[i]); err != nil {
			c.failure(now, m.Name, fmt.Errorf("setting the current limit: %w", err))
			return false
		}
		st.limit = limits[i]
		c.count(func(s *controllerStats) { s.Limits++ })
		c.logf(now, "%s: current limit %s", m.Name, limits[i])
		return true
	}
	fell := true
	for i := range c.Chargers {
		if active[i] && !start[i] && (c.chargers[i].limit < 0 || limits[i] < c.chargers[i].limit) {
			fell = set(i) && fell
		}
	}
	if !fell {
		// A limit that should have fallen did not: raising another, or
		// starting a session, could pass Capacity. The next look tries
		// again.
		return
	}
	for i, m := range c.Chargers {
		if !start[i] {
			continue
		}
		if err := m.Charger.SetCharging(ctx, true); err != nil {
			c.failure(now, m.Name, fmt.Errorf("starting the session: %w", err))
			continue
		}
		c.chargers[i].started = true
		c.logf(now, "%s: a car plugged in; charging started", m.Name)
		set(i)
	}
	for i := range c.Chargers {
		if active[i] && !start[i] {
			set(i)
		}
	}
}

// share divides total among the chargers that want current, turn being
// the number of rotation periods since the Unix epoch. A charger takes 0 A
// (a pause) or at least least[i] (balanz refuses anything between), so
// when total cannot give every charger its least, some must wait. The rule:
//
//  1. Chargers whose cars draw come first; the idle ones (full cars) share
//     what the others leave.
//  2. Within each of those two groups the chargers take turns: they are
//     ordered by index, the order rotated by turn (the chargers of a group
//     in positions k…n-1, 0…k-1, k = turn mod n), and each in that order is
//     served when its least still fits in what is left after the least of
//     those served before it; the others are paused. With two cars and room
//     for one, each gets the current for a rotation period in turn, so none
//     waits for the other to be full.
//  3. Beyond their least, the served chargers share what is left equally in
//     whole amperes, none more than it wants, what one leaves going to the
//     others.
//
// A charger that wants less than its least gets 0 A. The shares never sum
// to more than total.
func share(total energy.Amperes, want, least []energy.Amperes, idle []bool, turn int) []energy.Amperes {
	out := make([]energy.Amperes, len(want))
	left := max(float64(total), 0)
	for _, pass := range []bool{false, true} {
		var group []int
		for i, w := range want {
			if w > 0 && w >= least[i] && idle[i] == pass {
				group = append(group, i)
			}
		}
		if len(group) == 0 {
			continue
		}
		k := turn % len(group)
		var served []int
		for _, i := range slices.Concat(group[k:], group[:k]) {
			if l := max(float64(least[i]), 0); l <= left {
				served = append(served, i)
				out[i] = energy.Amperes(l)
				left -= l
			}
		}
		room := func(i int) energy.Amperes { return want[i] - out[i] }
		slices.SortStableFunc(served, func(a, b int) int { return cmp.Compare(room(a), room(b)) })
		for k, i := range served {
			more := min(float64(room(i)), math.Floor(left/float64(len(served)-k)))
			out[i] += energy.Amperes(more)
			left -= more
		}
	}
	return out
}

// failure records err: a device without data yet (energy.ErrUnavailable)
// is waited for; anything else is a glitch, and an error when the device
// fails so persistent looks in a row.
func (c *controller) failure(now time.Time, what string, err error) {
	if errors.Is(err, energy.ErrUnavailable) && !errors.Is(err, context.DeadlineExceeded) {
		c.count(func(s *controllerStats) { s.Waits++ })
		c.logf(now, "%s: waiting: %v", what, err)
		return
	}
	if c.failed != nil && !c.failed[what] {
		c.failed[what] = true
		c.fails[what]++
	}
	err = fmt.Errorf("%s %s: %w", now.Format("15:04"), what, err)
	if c.fails[what] < persistent {
		c.count(func(s *controllerStats) { s.Glitches = append(s.Glitches, err) })
		c.logf(now, "glitch (will try again): %v", err)
		return
	}
	c.count(func(s *controllerStats) { s.Errors = append(s.Errors, err) })
	c.logf(now, "error: %v", err)
}

func (c *controller) count(f func(*controllerStats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.stats)
}

func (c *controller) logf(at time.Time, format string, args ...any) {
	if c.Logf != nil {
		c.Logf(at, format, args...)
	}
}
