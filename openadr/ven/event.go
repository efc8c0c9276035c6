package ven

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Event is an event as the VEN understood it.
type Event struct {
	ID                 string
	ModificationNumber uint32
	// Status is the eventStatus the VTN last sent. The VEN acts on the
	// event's times, not on it.
	Status oadr.EventStatus
	// Priority is the event's priority: 1 is the highest, 0 none (lowest).
	Priority      uint32
	Test          bool
	MarketContext string
	// Start and End bound the active period; End is zero when the event has
	// no end.
	Start, End time.Time
	// Signal is the signal the VEN follows: LOAD_DISPATCH, CHARGE_STATE or
	// SIMPLE (in that order of preference), or "" when it can follow none.
	Signal oadr.SignalName
	// Steps is the plan the VEN follows while the event is active.
	Steps []Step
	// Opt is what the VEN answered; Reason says why it opted out.
	Opt    oadr.OptType
	Reason string
}

// Step is one interval of an event's plan.
type Step struct {
	// Start and End bound the step; End is zero when it lasts until the
	// event is cancelled.
	Start, End time.Time
	// Power is the battery power asked for, positive when discharging
	// (gridwire's sign; the wire's LOAD_DISPATCH is the opposite, see the
	// package documentation). It is zero for a CHARGE_STATE step.
	Power energy.Watts
	// TargetEnergy is, for a CHARGE_STATE step, the stored energy to reach by
	// End; the VEN works out the power as it goes.
	TargetEnergy *energy.WattHours
	// Relative reports that Power is a change from the battery's baseline
	// (a LOAD_DISPATCH delta without an eiEventBaseline for the step):
	// the power it would run at without this event, that of the next event
	// in order of priority, or 0 (idle) when there is none.
	Relative bool
}

// OptPolicy decides whether the VEN takes part in an event it is able to carry
// out. It returns oadr.OptIn, or oadr.OptOut with a reason, which is sent to
// the VTN as the eventResponse's responseDescription. It is called with the
// VEN's lock held and must not call the VEN's methods.
type OptPolicy func(Event) (opt oadr.OptType, reason string)

// OptInAll is the default OptPolicy: it takes part in every event the VEN can
// carry out.
func OptInAll(Event) (oadr.OptType, string) { return oadr.OptIn, "" }

// eventState is an event with what the VEN needs to answer and follow it.
type eventState struct {
	Event
	required  bool              // the VTN wants an oadrCreatedEvent
	responded bool              // the VTN has the answer for this modification
	code      oadr.ResponseCode // the eventResponse's code
}

// public returns a copy of the event that shares no memory with the VEN.
func (e *eventState) public() Event {
	ev := e.Event
	ev.Steps = slices.Clone(e.Steps)
	for i := range ev.Steps {
		if t := ev.Steps[i].TargetEnergy; t != nil {
			ev.Steps[i].TargetEnergy = new(*t)
		}
	}
	return ev
}

// follows reports whether the event's plan drives the battery.
func (e *eventState) follows() bool {
	return e.Opt == oadr.OptIn && len(e.Steps) > 0 &&
		e.Status != oadr.StatusCancelled && e.Status != oadr.StatusCompleted
}

// RequestEvents asks the VTN for the events in force (oadrRequestEvent) and
// answers them like an oadrDistributeEvent received by poll. Register does
// this after registering.
func (v *VEN) RequestEvents(ctx context.Context) error {
	v.step.Lock()
	defer v.step.Unlock()
	return v.requestEvents(ctx)
}

func (v *VEN) requestEvents(ctx context.Context) error {
	venID, err := v.registeredVenID()
	if err != nil {
		return err
	}
	req := &oadr.RequestEvent{RequestID: v.newID("events"), VenID: venID}
	ans, err := v.call(ctx, oadr.ServiceEiEvent, req)
	if err != nil {
		return err
	}
	switch a := ans.(type) {
	case *oadr.DistributeEvent:
		if err := responseErr(req.MessageName(), a.Response); err != nil {
			return err
		}
		return v.handleDistributeEvent(ctx, a)
	case *oadr.Response:
		// A VTN with no events may answer so; call has checked the code.
		return nil
	}
	return v.unexpected(req, ans)
}

// handleDistributeEvent takes the VTN's event list as the truth: new and
// modified events are read and answered with one oadrCreatedEvent (when the
// VTN asks for answers), events missing from the list are dropped, and the
// battery follows the new plan from now on. An event is answered until the
// VTN acknowledged the answer; an answer in a push's response gets no
// acknowledgement, so a push VEN answers the events each push lists.
func (v *VEN) handleDistributeEvent(ctx context.Context, m *oadr.DistributeEvent) error {
	now := v.clock.Now()
	v.mu.Lock()
	if v.vtnID != "" && m.VtnID != v.vtnID {
		v.log.Warn("oadrDistributeEvent from another vtnID", "vtnID", m.VtnID, "registeredWith", v.vtnID)
	}
	v.syncLocked(now)
	seen := make(map[string]bool, len(m.Events))
	var answers []oadr.EventResponse
	var answered []*eventState
	for i := range m.Events {
		ev := &m.Events[i]
		id := ev.Descriptor.EventID
		if id == "" || seen[id] {
			v.log.Warn("skipping an event without eventID or listed twice", "eventID", id)
			continue
		}
		seen[id] = true
		e := v.events[id]
		if e != nil && e.ModificationNumber == ev.Descriptor.ModificationNumber {
			// Unchanged but for the status, which a VTN moves along
			// (far, near, active, completed) without a new modification.
			e.Status = ev.Descriptor.Status
		} else {
			e = v.readEventLocked(ev, e)
			v.events[id] = e
			v.log.Info("event", "eventID", id, "modification", e.ModificationNumber, "status", e.Status,
				"signal", e.Signal, "start", e.Start, "end", e.End, "opt", e.Opt, "reason", e.Reason)
		}
		if e.required && !e.responded {
			answers = append(answers, oadr.EventResponse{
				Code:             e.code,
				Description:      cmp.Or(e.Reason, e.code.Text()),
				RequestID:        m.RequestID,
				QualifiedEventID: oadr.QualifiedEventID{EventID: id, ModificationNumber: e.ModificationNumber},
				OptType:          e.Opt,
			})
			answered = append(answered, e)
		}
	}
	for id := range v.events {
		if !seen[id] {
			delete(v.events, id)
			v.log.Info("event removed by the VTN", "eventID", id)
		}
	}
	v.applyPlanLocked()
	venID := v.venID
	v.mu.Unlock()

	if len(answers) == 0 {
		return nil
	}
	msg := &oadr.CreatedEvent{Response: oadr.OK(""), EventResponses: answers, VenID: venID}
	if err := v.tell(ctx, oadr.ServiceEiEvent, msg); err != nil {
		return err
	}
	if answeredInPush(ctx, msg) {
		// Not known to have arrived: when the VTN pushes the events
		// again, they are answered again.
		return nil
	}
	v.mu.Lock()
	for _, e := range answered {
		e.responded = true
	}
	v.mu.Unlock()
	return nil
}

// readEventLocked reads an event, works out whether the VEN can carry it out
// and asks the policy whether it will. prev is the earlier modification, if
// any.
func (v *VEN) readEventLocked(ev *oadr.Event, prev *eventState) *eventState {
	d := &ev.Descriptor
	e := &eventState{
		Event: Event{
			ID:                 d.EventID,
			ModificationNumber: d.ModificationNumber,
			Status:             d.Status,
			Priority:           d.Priority,
			Test:               d.TestEvent,
			MarketContext:      d.MarketContext,
			Start:              ev.ActivePeriod.Start,
		},
		required: ev.ResponseRequired != oadr.ResponseNever,
		code:     oadr.CodeOK,
	}
	if ev.ActivePeriod.Duration > 0 {
		e.End = ev.ActivePeriod.End()
	}
	if d.Status == oadr.StatusCancelled || d.Status == oadr.StatusCompleted {
		// Nothing to carry out; acknowledge with the earlier answer.
		e.Opt = oadr.OptIn
		if prev != nil {
			e.Opt, e.Reason = prev.Opt, prev.Reason
		}
		return e
	}
	if reason := v.targetMismatchLocked(&ev.Target); reason != "" {
		e.Opt, e.code, e.Reason = oadr.OptOut, oadr.CodeTargetMismatch, reason
		return e
	}
	sig, steps, code, reason := v.planEvent(ev)
	if code != oadr.CodeOK {
		e.Opt, e.code, e.Reason = oadr.OptOut, code, reason
		return e
	}
	e.Signal, e.Steps = sig, steps
	e.Opt, e.Reason = v.policy(e.public())
	if e.Opt != oadr.OptOut {
		e.Opt, e.Reason = oadr.OptIn, ""
	}
	return e
}

// targetMismatchLocked says why an event is not for this VEN, or "". Only
// venID and resourceID entries can be judged here; a target naming groups,
// parties, locations or other kinds is taken to include the VEN.
func (v *VEN) targetMismatchLocked(t *oadr.Target) string {
	rest := *t
	rest.VenIDs, rest.ResourceIDs = nil, nil
	if t.IsZero() || !rest.IsZero() {
		return ""
	}
	if slices.Contains(t.VenIDs, v.venID) || slices.Contains(t.ResourceIDs, v.resourceID) {
		return ""
	}
	return fmt.Sprintf("targets venID %v resourceID %v, not venID %s resourceID %s",
		t.VenIDs, t.ResourceIDs, v.venID, v.resourceID)
}

// planEvent picks the signal to follow and turns its intervals into steps.
func (v *VEN) planEvent(ev *oadr.Event) (oadr.SignalName, []Step, oadr.ResponseCode, string) {
	var firstCode oadr.ResponseCode
	var firstReason string
	for _, want := range []oadr.SignalName{oadr.SignalLoadDispatch, oadr.SignalChargeState, oadr.SignalSimple} {
		for i := range ev.Signals {
			s := &ev.Signals[i]
			if s.SignalName != want && !(want == oadr.SignalSimple && s.SignalName == oadr.SignalSimpleLegacy) {
				continue
			}
			steps, code, reason := v.signalSteps(&ev.ActivePeriod, s, ev.Baseline)
			if code == oadr.CodeOK {
				return want, steps, code, ""
			}
			if firstCode == 0 {
				firstCode, firstReason = code, reason
			}
		}
	}
	if firstCode != 0 {
		return "", nil, firstCode, firstReason
	}
	names := make([]string, 0, len(ev.Signals))
	for _, s := range ev.Signals {
		names = append(names, string(s.SignalName)+"/"+string(s.SignalType))
	}
	return "", nil, oadr.CodeSignalNotSupported,
		"no LOAD_DISPATCH, CHARGE_STATE or SIMPLE signal this battery can follow (got " + strings.Join(names, ", ") + ")"
}

// signalSteps converts one signal's intervals to steps. Intervals without a
// dtstart follow each other from the active period's start; one without a
// duration lasts to the end of the active period.
func (v *VEN) signalSteps(p *oadr.Period, s *oadr.EventSignal, base *oadr.Baseline) ([]Step, oadr.ResponseCode, string) {
	value, code, reason := v.signalUnit(s, base)
	if code != oadr.CodeOK {
		return nil, code, reason
	}
	switch {
	case len(s.Intervals) == 0:
		return nil, oadr.CodeInvalidData, string(s.SignalName) + " has no intervals"
	case len(s.Intervals) > maxIntervals:
		// The plan is searched at every step of the simulation; a VTN must
		// not be able to make that arbitrarily slow.
		return nil, oadr.CodeInvalidData, fmt.Sprintf("%s has %d intervals; this VEN follows at most %d", s.SignalName, len(s.Intervals), maxIntervals)
	}
	var periodEnd time.Time
	if p.Duration > 0 {
		periodEnd = p.End()
	}
	steps := make([]Step, 0, len(s.Intervals))
	cursor := p.Start
	for i, iv := range s.Intervals {
		if iv.Duration < 0 {
			return nil, oadr.CodeInvalidData, fmt.Sprintf("%s interval %d has a negative duration", s.SignalName, i)
		}
		if math.IsNaN(iv.Value) || math.IsInf(iv.Value, 0) {
			return nil, oadr.CodeInvalidData, fmt.Sprintf("%s interval %d has no finite value", s.SignalName, i)
		}
		st := Step{Start: iv.Start, End: periodEnd}
		if st.Start.IsZero() {
			st.Start = cursor
		}
		if iv.Duration > 0 {
			st.End = st.Start.Add(iv.Duration)
		}
		value(&st, iv.Value)
		steps = append(steps, st)
		if st.End.IsZero() {
			break // lasts until cancelled: later intervals never start
		}
		cursor = st.End
	}
	return steps, oadr.CodeOK, ""
}

// maxIntervals bounds the intervals of a signal the VEN follows: a day at one
// per minute.
const maxIntervals = 1440

// signalUnit checks a signal's type and unit and returns the function that
// sets a step from one interval value.
func (v *VEN) signalUnit(s *oadr.EventSignal, base *oadr.Baseline) (func(*Step, float64), oadr.ResponseCode, string) {
	unsupported := func(why string) (func(*Step, float64), oadr.ResponseCode, string) {
		return nil, oadr.CodeSignalNotSupported, fmt.Sprintf("%s/%s: %s", s.SignalName, s.SignalType, why)
	}
	scale := func(kind oadr.ItemKind, fallback float64) (float64, string) {
		if s.ItemBase == nil {
			return fallback, ""
		}
		if s.ItemBase.Kind != kind {
			return 0, fmt.Sprintf("unit %s, want %s", s.ItemBase.Kind, kind)
		}
		f, err := s.ItemBase.SI(1)
		if err != nil {
			return 0, err.Error()
		}
		return f, ""
	}
	maxP := float64(v.bat.cfg.MaxPower)
	switch s.SignalName {
	case oadr.SignalLoadDispatch:
		if s.SignalType != oadr.SignalTypeSetpoint && s.SignalType != oadr.SignalTypeDelta {
			return unsupported("want setpoint or delta")
		}
		// Without a unit the value is in kW, as in the sandbox samples. On
		// the wire a positive setpoint charges; see the package doc.
		f, bad := scale(oadr.ItemPowerReal, 1000)
		if bad != "" {
			return unsupported(bad)
		}
		if s.SignalType == oadr.SignalTypeDelta {
			// A change from the baseline: the event's own when it sends
			// one for the step's start, else what the battery would do
			// without this event.
			baseAt := baselineW(base)
			return func(st *Step, x float64) {
				if b, ok := baseAt(st.Start); ok {
					st.Power = energy.Watts(noNegZero(-(b + x*f)))
					return
				}
				st.Power, st.Relative = energy.Watts(noNegZero(-x*f)), true
			}, oadr.CodeOK, ""
		}
		return func(st *Step, x float64) { st.Power = energy.Watts(noNegZero(-x * f)) }, oadr.CodeOK, ""
	case oadr.SignalChargeState:
		if s.SignalType != oadr.SignalTypeSetpoint {
			return unsupported("want setpoint")
		}
		f, bad := scale(oadr.ItemEnergyReal, 1000) // kWh without a unit
		if bad != "" {
			return unsupported(bad)
		}
		return func(st *Step, x float64) { st.TargetEnergy = new(energy.WattHours(x * f)) }, oadr.CodeOK, ""
	default: // SIMPLE
		return func(st *Step, x float64) { st.Power = energy.Watts(simplePower(x, maxP)) }, oadr.CodeOK, ""
	}
}

// noNegZero turns -0 into 0, which prints better.
func noNegZero(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// simplePower maps a SIMPLE level to a discharge power: a demand-response
// event asks the site to draw less from the grid, which the battery does by
// discharging. 0 (normal) idles, 1 (moderate) discharges at half power, 2
// (high) and 3 (special) at full power. Levels are rounded and clamped to
// 0..3.
func simplePower(level, maxP float64) float64 {
	switch l := math.Round(level); {
	case l <= 0:
		return 0
	case l == 1:
		return maxP / 2
	default:
		return maxP
	}
}

// stepAt returns the step in force at t, if any.
func (e *eventState) stepAt(t time.Time) (*Step, bool) {
	for i := range e.Steps {
		st := &e.Steps[i]
		if !t.Before(st.Start) && (st.End.IsZero() || t.Before(st.End)) {
			return st, true
		}
	}
	return nil, false
}

// rank orders events for overlap: a lower rank wins. Priority 1 is the
// highest; 0 means none and comes last.
func (e *eventState) rank() uint64 {
	if e.Priority == 0 {
		return math.MaxUint32 + 1
	}
	return uint64(e.Priority)
}

// planStepLocked returns the step the battery follows at t: that of the
// highest-priority event that is opted in and active, the latest-starting one
// among equals.
func (v *VEN) planStepLocked(t time.Time) (*Step, bool) {
	_, st := v.planStepExceptLocked(t, nil)
	return st, st != nil
}

// planStepExceptLocked is planStepLocked leaving out the event skip: the
// baseline of a relative step is what the plan would be without its event.
func (v *VEN) planStepExceptLocked(t time.Time, skip *eventState) (*eventState, *Step) {
	var best *eventState
	var bestStep *Step
	for _, e := range v.events {
		if e == skip || !e.follows() || v.overriddenLocked(e, t) {
			continue
		}
		st, ok := e.stepAt(t)
		if !ok {
			continue
		}
		if best == nil || e.rank() < best.rank() ||
			e.rank() == best.rank() && (e.Start.After(best.Start) || e.Start.Equal(best.Start) && e.ID < best.ID) {
			best, bestStep = e, st
		}
	}
	return best, bestStep
}

// applyPlanLocked sets the battery's power to what the plan asks at the
// battery's present time.
func (v *VEN) applyPlanLocked() {
	b := v.bat
	w := 0.0
	if e, st := v.planStepExceptLocked(b.at, nil); st != nil {
		w = v.stepPower(st, b.at)
		if st.Relative {
			if _, base := v.planStepExceptLocked(b.at, e); base != nil && !base.Relative {
				w += v.stepPower(base, b.at)
			}
		}
	}
	if math.Abs(w-v.setpoint) >= 1 { // not the drift of a CHARGE_STATE rate
		// The direction in words and the power as a magnitude: a signed
		// power reads as opposite things to readers of 2.0b (+ charging)
		// and of energy (+ discharging).
		mode := energy.ModeIdle
		switch {
		case w > 0:
			mode = energy.ModeDischarge
		case w < 0:
			mode = energy.ModeCharge
		}
		v.log.Info("setpoint", "mode", mode, "power", energy.Watts(math.Abs(w)), "at", b.at, "soc", energy.Fraction(b.soc()))
	}
	v.setpoint = w
	b.setPower(w)
}

// stepPower is the power a step asks for at t (for a relative step, the
// change from the baseline).
func (v *VEN) stepPower(st *Step, t time.Time) float64 {
	if st.TargetEnergy != nil {
		return v.chargeStatePower(st, t)
	}
	return float64(st.Power)
}

// baselineW returns the function that gives an event's baseline power at
// t, in W on the wire's sign (+ charging), when the baseline covers t. A
// baseline in another unit than power is not one this VEN can add a power
// delta to, and counts as absent.
func baselineW(base *oadr.Baseline) func(time.Time) (float64, bool) {
	none := func(time.Time) (float64, bool) { return 0, false }
	if base == nil {
		return none
	}
	f := 1000.0 // kW without a unit
	if base.ItemBase != nil {
		if base.ItemBase.Kind != oadr.ItemPowerReal {
			return none
		}
		var err error
		if f, err = base.ItemBase.SI(1); err != nil {
			return none
		}
	}
	return func(t time.Time) (float64, bool) {
		cursor := base.Start
		for _, iv := range base.Intervals {
			start := iv.Start
			if start.IsZero() {
				start = cursor
			}
			end := start.Add(iv.Duration)
			if !t.Before(start) && (iv.Duration <= 0 || t.Before(end)) && !math.IsNaN(iv.Value) && !math.IsInf(iv.Value, 0) {
				return iv.Value * f, true
			}
			cursor = end
		}
		return 0, false
	}
}

// chargeStatePower is the power that brings the stored energy to the step's
// target by its end at a steady rate (at full power when the step has no end).
func (v *VEN) chargeStatePower(st *Step, t time.Time) float64 {
	b := v.bat
	target := math.Max(0, math.Min(float64(b.cfg.Capacity), float64(*st.TargetEnergy)))
	need := target - b.stored // Wh the cells must gain (negative: lose)
	if math.Abs(need) < targetTolerance {
		return 0
	}
	rate := math.Copysign(float64(b.cfg.MaxPower), need) // Wh/h in the cells
	if !st.End.IsZero() {
		left := st.End.Sub(t).Hours()
		if left <= 0 {
			return 0
		}
		rate = need / left
	}
	if rate > 0 {
		return -rate / b.cfg.Efficiency // charging
	}
	return -rate * b.cfg.Efficiency // discharging
}

// targetTolerance is how close to a CHARGE_STATE target counts as there.
const targetTolerance = 0.5 // Wh

// nextPlanChangeLocked returns the first time after t at which the plan may
// ask for another power: a step starting or ending, or the battery reaching a
// CHARGE_STATE target. It returns the zero time when nothing is scheduled.
func (v *VEN) nextPlanChangeLocked(t time.Time) time.Time {
	var next time.Time
	consider := func(c time.Time) {
		if c.After(t) && (next.IsZero() || c.Before(next)) {
			next = c
		}
	}
	for _, e := range v.events {
		if !e.follows() {
			continue
		}
		for _, st := range e.Steps {
			consider(st.Start)
			consider(st.End)
		}
	}
	for _, o := range v.opts {
		for _, w := range o.Windows {
			consider(w.Start)
			consider(w.End())
		}
	}
	if st, ok := v.planStepLocked(t); ok && st.TargetEnergy != nil && v.bat.power != 0 {
		rate := v.bat.cellRate(v.bat.power)
		target := math.Max(0, math.Min(float64(v.bat.cfg.Capacity), float64(*st.TargetEnergy)))
		if h := (target - v.bat.stored) / rate; h > 0 {
			consider(t.Add(max(time.Duration(h*float64(time.Hour)), time.Millisecond)))
		}
	}
	return next
}

// eventsLocked returns the events that have not ended by t and were not
// cancelled, by start time.
func (v *VEN) eventsLocked(t time.Time) []Event {
	var out []Event
	for _, e := range v.events {
		if e.Status == oadr.StatusCancelled || e.Status == oadr.StatusCompleted ||
			!e.End.IsZero() && !e.End.After(t) {
			continue
		}
		out = append(out, e.public())
	}
	slices.SortFunc(out, func(a, b Event) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.ID, b.ID))
	})
	return out
}
