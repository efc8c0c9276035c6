package openadr

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// Battery is a registered VEN offered as an energy.Battery: its status comes
// from the VEN's latest telemetry, and a schedule is sent to it as events.
// Get one with VTN.Battery; it is a cheap handle holding no state of its own
// (the VTN's Store holds it), so handles for the same VEN agree and may be
// created per call. It is safe for concurrent use.
//
// # Signs and units
//
// 2.0b reports measure consumption, so a battery VEN reports the power and
// current that charge it as positive (see Measurement.Value). BatteryStatus
// flips both to gridwire's sign: Power and Current are positive while the
// battery discharges.
//
// On the way out, each schedule window becomes one interval of a
// LOAD_DISPATCH setpoint in kW, in the same consumption convention, which
// the openadr/ven VEN and the sandbox's samples follow (2.0b itself leaves
// the sign of a bidirectional resource open): charge at P is +P, discharge
// at P is −P, idle is 0. Beside it goes a SIMPLE level for VENs that follow
// nothing else; SIMPLE can only ask a site to draw less from the grid, so
// discharging at more than half the rated power (or at any power when the
// rating is unknown) is 2 (high), discharging at up to half is 1 (moderate),
// and idle and charge are 0 (normal): a SIMPLE-only VEN does not charge.
//
// # Schedules as events
//
// Windows that follow one another without a gap make one event, from the
// first window's start to the last one's end; a gap between windows is a
// gap between events, where the battery follows its own default behaviour,
// as energy.Schedule defines (an idle interval would hold it instead). A
// new schedule replaces the previous one: its events are modified in place
// where they have not ended (their IDs stay, their modification numbers
// grow), surplus ones are cancelled, missing ones created; an empty schedule
// cancels them all. The VEN learns of it all in one oadrDistributeEvent at
// its next poll.
//
// A window's Power of 0 (the vendor's default) becomes the rated power given
// with WithRatedPower; without one it is refused with energy.ErrUnsupported,
// as is a power above the rating. TargetSoC is refused with
// energy.ErrUnsupported: 2.0b has no signal that stops a battery at a state
// of charge (CHARGE_STATE sets the stored energy to reach by the end of an
// interval, at whatever power the VEN chooses, and VENs that follow
// LOAD_DISPATCH ignore it), so the window's length must carry the target.
// Times are rounded to whole seconds, OpenADR's resolution.
//
// # Answers
//
// By default SetSchedule waits, bounded by its context, for the VEN's
// oadrCreatedEvent: nil when it opts in to every event of the schedule, an
// *OptOutError when it opts out of one. A VEN polls every few seconds, so
// give the context a deadline of a few poll periods. WithoutWaiting makes
// SetSchedule return once the events are queued; Await waits later, and
// ScheduleEvents and the VTN's WithEventResponseHook show the answers.
type Battery struct {
	vtn      *VTN
	venID    string
	resource string
	maxAge   time.Duration
	capacity energy.WattHours
	rated    energy.Watts
	noWait   bool
}

var _ energy.Battery = (*Battery)(nil)

// DefaultBatteryMaxAge is how old telemetry may be before BatteryStatus
// calls it stale, when neither WithMaxAge nor the report request it came in
// says otherwise (see WithMaxAge).
const DefaultBatteryMaxAge = 15 * time.Minute

// BatteryOption configures a Battery.
type BatteryOption func(*Battery)

// WithResourceID makes the battery one resource of the VEN: BatteryStatus
// reads only the telemetry whose data source is resourceID, and schedule
// events target it (an eiTarget with the resourceID). By default
// the battery is the whole VEN, for VENs with one resource.
func WithResourceID(resourceID string) BatteryOption {
	return func(b *Battery) { b.resource = resourceID }
}

// WithMaxAge sets how old the telemetry may be before BatteryStatus calls
// it stale and fails with energy.ErrUnavailable. By default it is three
// times the period at which the VEN was asked to report the state of charge
// (the report request's reportBackDuration or granularity, whichever is
// longer: two reports may go missing before the data counts as stale), or
// DefaultBatteryMaxAge when that is not known (a one-shot report, say).
func WithMaxAge(d time.Duration) BatteryOption { return func(b *Battery) { b.maxAge = d } }

// WithCapacity sets the battery's usable capacity. Without it BatteryStatus
// works it out from the VEN's telemetry when it reports its stored energy
// (reportType storedEnergy) and state of charge at the same instant, with
// the state of charge at 5 % or more; otherwise Capacity is 0.
func WithCapacity(c energy.WattHours) BatteryOption { return func(b *Battery) { b.capacity = c } }

// WithRatedPower sets the battery's rated charge and discharge power: a
// schedule window with Power 0 (the vendor's default) is sent at this
// power, a higher Power is refused, and the SIMPLE level is chosen against
// it.
func WithRatedPower(p energy.Watts) BatteryOption { return func(b *Battery) { b.rated = p } }

// WithoutWaiting makes SetSchedule return as soon as the schedule is queued
// for the VEN, without waiting for its answer. The answer is then read with
// Await or ScheduleEvents, or from the VTN's event-response hook.
func WithoutWaiting() BatteryOption { return func(b *Battery) { b.noWait = true } }

// Battery returns the VEN venID as an energy.Battery. It does no I/O; a VEN
// that is not registered makes the Battery's methods fail with
// energy.ErrUnavailable.
func (v *VTN) Battery(venID string, opts ...BatteryOption) *Battery {
	b := &Battery{vtn: v, venID: venID}
	for _, o := range opts {
		o(b)
	}
	return b
}

// VenID returns the venID of the VEN.
func (b *Battery) VenID() string { return b.venID }

// checkOptions rejects options out of range, naming them.
func (b *Battery) checkOptions() error {
	switch {
	case b.venID == "":
		return energy.Invalid("venID", "empty")
	case b.maxAge < 0:
		return energy.Invalid("WithMaxAge", "%v is negative", b.maxAge)
	case !(b.capacity >= 0) || math.IsInf(float64(b.capacity), 0):
		return energy.Invalid("WithCapacity", "%v is not a finite number of Wh ≥ 0", float64(b.capacity))
	case !(b.rated >= 0) || math.IsInf(float64(b.rated), 0):
		return energy.Invalid("WithRatedPower", "%v is not a finite number of W ≥ 0", float64(b.rated))
	}
	return nil
}

// storeErr classifies an error from the Store for the energy vocabulary: a
// VEN that is gone or leaving is unavailable; a context error stays one.
func (b *Battery) storeErr(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("openadr: %s: %w", op, ctx.Err())
	}
	switch {
	case errors.Is(err, ErrUnknownVEN):
		return fmt.Errorf("openadr: %s: VEN %q is not registered: %w: %w", op, b.venID, energy.ErrUnavailable, err)
	case errors.Is(err, ErrCancelPending):
		return fmt.Errorf("openadr: %s: VEN %q is being unregistered: %w: %w", op, b.venID, energy.ErrUnavailable, err)
	}
	return fmt.Errorf("openadr: %s: %w", op, err)
}
