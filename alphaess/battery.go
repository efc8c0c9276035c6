package alphaess

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// Battery is a system's battery as an energy.Battery. Make it with
// Client.Battery.
//
// SetSchedule maps a daily energy.Schedule onto the two grid-charge and the
// two discharge periods of ChargeSettings and DischargeSettings.
//
// AlphaESS periods are times of day that repeat every day until the next
// SetSchedule, so SetSchedule takes only schedules with Repeat
// energy.RepeatDaily; a one-off schedule (energy.RepeatOnce, the zero
// value) is refused with an error wrapping energy.ErrUnsupported, rather
// than turning a one-off 02:00 charge into a nightly one. The empty
// schedule clears the periods whatever its Repeat.
//
//   - Each window becomes a period: its start and end as times of day in
//     the system's zone (the date does not matter).
//   - Charge windows turn grid charging on; their TargetSoC becomes the
//     charge stop level (batHighCap), 100 % when they set none.
//   - Discharge windows turn time control on, so the battery discharges
//     only inside them; their TargetSoC becomes the cut-off (batUseCap).
//     When they set none the system's cut-off is kept.
//   - The empty schedule turns both off and clears the periods
//     (00:00–00:00), keeping the cut-off.
//
// What the periods cannot express returns an error wrapping
// energy.ErrUnsupported that names the limit: a one-off schedule, a third
// window of one mode, idle windows (AlphaESS has no hold mode), a Power
// other than 0 (the periods run at the inverter's own power; TimeCharge has
// per-period power), boundaries off the 15-minute grid in the system's
// zone, windows of 24 h, and two windows of one mode with different
// targets.
type Battery struct {
	c *Client

	mu       sync.Mutex
	capacity *energy.WattHours // from getEssList, which does not change
}

var _ energy.Battery = (*Battery)(nil)

// Battery returns the handle's system as an energy.Battery.
func (c *Client) Battery() *Battery { return &Battery{c: c} }

// BatteryStatus returns the battery's state of charge (soc) and power (pbat,
// positive when discharging: AlphaESS's sign is gridwire's) from
// getLastPowerData, and its capacity (cobat) from getEssList, read on the
// first call only.
//
// MeasuredAt is the system's uploadTime when the answer carries one, and
// otherwise the time the answer arrived (getLastPowerData documents no
// timestamp; AlphaESS refreshes it every 10 to 30 s and answers 6042 rather
// than old values). It is never later than the arrival.
//
// A null state of charge or power is a *MissingDataError, and a value that
// cannot be true (a state of charge outside 0..100 %, a power that is not
// finite or beyond 10 MW, a capacity that is negative, not finite or beyond
// 50 MWh) a *ValueError; both wrap energy.ErrUnavailable, and a bad
// capacity is not kept for later calls.
func (b *Battery) BatteryStatus(ctx context.Context) (energy.BatteryStatus, error) {
	capacity, err := b.batteryCapacity(ctx)
	if err != nil {
		return energy.BatteryStatus{}, err
	}
	p, err := b.c.LastPowerData(ctx)
	if err != nil {
		return energy.BatteryStatus{}, err
	}
	var missing []string
	if p.StateOfCharge == nil {
		missing = append(missing, "soc")
	}
	if p.Battery == nil {
		missing = append(missing, "pbat")
	}
	if missing != nil {
		return energy.BatteryStatus{}, &MissingDataError{Endpoint: epLastPower.name, Fields: missing}
	}
	check := plausible{endpoint: epLastPower.name}
	check.fraction("soc", *p.StateOfCharge)
	check.power("pbat", *p.Battery, false)
	if err := check.error(); err != nil {
		return energy.BatteryStatus{}, err
	}
	return energy.BatteryStatus{
		MeasuredAt:    p.measuredAt(),
		StateOfCharge: *p.StateOfCharge,
		Power:         *p.Battery,
		Capacity:      capacity,
	}, nil
}

// batteryCapacity returns the capacity of the handle's system from
// getEssList, read once; 0 when AlphaESS does not say. A capacity that
// cannot be true is a *ValueError and is not kept. The lock is not held
// during the call, so a caller waiting for it still honours its own
// context; two first calls at once may both read the list, harmlessly.
func (b *Battery) batteryCapacity(ctx context.Context) (energy.WattHours, error) {
	if err := b.c.needSN(); err != nil {
		return 0, err
	}
	b.mu.Lock()
	known := b.capacity
	b.mu.Unlock()
	if known != nil {
		return *known, nil
	}
	systems, err := b.c.ListSystems(ctx)
	if err != nil {
		return 0, err
	}
	var capacity energy.WattHours
	for _, s := range systems {
		if s.SerialNumber == b.c.sn && s.BatteryCapacity != nil {
			capacity = *s.BatteryCapacity
		}
	}
	check := plausible{endpoint: epEssList.name}
	check.capacity("cobat", capacity)
	if err := check.error(); err != nil {
		return 0, err
	}
	b.mu.Lock()
	b.capacity = &capacity
	b.mu.Unlock()
	return capacity, nil
}

// SetSchedule writes s as the system's charge and discharge periods; see
// Battery for how. The charge settings are written first, then the
// discharge settings (after reading them when the cut-off is kept).
func (b *Battery) SetSchedule(ctx context.Context, s energy.Schedule) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := b.c.needSN(); err != nil {
		return err
	}
	p, err := plan(s, b.c.loc)
	if err != nil {
		return err
	}
	if err := b.c.SetChargeSettings(ctx, p.charge); err != nil {
		return err
	}
	if p.keepCutOff {
		return b.c.UpdateDischargeSettings(ctx, func(d *DischargeSettings) error {
			d.TimeControl, d.Period1, d.Period2 = p.discharge.TimeControl, p.discharge.Period1, p.discharge.Period2
			return nil
		})
	}
	return b.c.SetDischargeSettings(ctx, p.discharge)
}

// legacyPlan is a schedule mapped onto the two-period settings.
type legacyPlan struct {
	charge     ChargeSettings
	discharge  DischargeSettings
	keepCutOff bool // no discharge target: keep the system's batUseCap
}

// plan maps s, already valid, onto the two-period settings in the system's
// zone loc.
func plan(s energy.Schedule, loc *time.Location) (legacyPlan, error) {
	unsupported := func(format string, args ...any) error {
		return energy.Unsupported("alphaess: SetSchedule", format, args...)
	}
	p := legacyPlan{charge: ChargeSettings{StopAt: 1}, keepCutOff: true}
	if len(s.Windows) > 0 && s.Repeat != energy.RepeatDaily {
		return p, unsupported("a one-off schedule cannot be carried out: AlphaESS charge and discharge periods repeat every day until replaced; use Repeat energy.RepeatDaily")
	}
	var charge, discharge []Period
	var chargeTarget, dischargeTarget energy.Fraction
	for i, w := range s.Windows {
		start, end := w.Start.In(loc), w.End.In(loc)
		switch {
		case w.Mode == energy.ModeIdle:
			return p, unsupported("window %d is idle: AlphaESS cannot hold a battery idle (outside its windows it runs self-consumption)", i)
		case w.Power != 0:
			return p, unsupported("window %d asks for %v: the charge and discharge periods run at the inverter's own power (use Power 0, or Client.SetTimeCharge for per-period power)", i, w.Power)
		case w.Duration() >= 24*time.Hour:
			return p, unsupported("window %d lasts %s: AlphaESS periods are shorter than a day", i, w.Duration())
		case !onGrid(start):
			return p, unsupported("window %d starts at %s in %s: AlphaESS takes times on the 15-minute grid only", i, start.Format("15:04:05"), loc)
		case !onGrid(end):
			return p, unsupported("window %d ends at %s in %s: AlphaESS takes times on the 15-minute grid only", i, end.Format("15:04:05"), loc)
		}
		if _, err := wholePercent("TargetSoC", w.TargetSoC); err != nil {
			return p, unsupported("window %d has TargetSoC %v: AlphaESS takes whole percent", i, float64(w.TargetSoC))
		}
		period := Period{TimeOfDayOf(start), TimeOfDayOf(end)}
		list, target, name := &charge, &chargeTarget, "charge"
		if w.Mode == energy.ModeDischarge {
			list, target, name = &discharge, &dischargeTarget, "discharge"
		}
		if len(*list) == 2 {
			return p, unsupported("window %d is a third %s window: AlphaESS has 2 charge and 2 discharge periods", i, name)
		}
		*list = append(*list, period)
		if w.TargetSoC != 0 {
			if *target != 0 && *target != w.TargetSoC {
				return p, unsupported("window %d has TargetSoC %v but another %s window %v: AlphaESS has one %s level for both periods", i, w.TargetSoC, name, *target, name)
			}
			*target = w.TargetSoC
		}
	}
	p.charge.GridCharge = len(charge) > 0
	if chargeTarget != 0 {
		p.charge.StopAt = chargeTarget
	}
	p.charge.Period1, p.charge.Period2 = at(charge, 0), at(charge, 1)
	p.discharge.TimeControl = len(discharge) > 0
	if dischargeTarget != 0 {
		p.discharge.StopAt, p.keepCutOff = dischargeTarget, false
	}
	p.discharge.Period1, p.discharge.Period2 = at(discharge, 0), at(discharge, 1)
	return p, nil
}

// at returns ps[i], or the "off" period 00:00–00:00.
func at(ps []Period, i int) Period {
	if i < len(ps) {
		return ps[i]
	}
	return Period{}
}

func onGrid(t time.Time) bool {
	return t.Second() == 0 && t.Nanosecond() == 0 && t.Minute()%15 == 0
}

// String describes the plan, for logs and tests.
func (p legacyPlan) String() string {
	return fmt.Sprintf("charge grid=%v stop=%v %v %v; discharge ctrl=%v stop=%v keep=%v %v %v",
		p.charge.GridCharge, p.charge.StopAt, p.charge.Period1, p.charge.Period2,
		p.discharge.TimeControl, p.discharge.StopAt, p.keepCutOff, p.discharge.Period1, p.discharge.Period2)
}
