package openadr

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// BatteryStatus returns the battery's state from the VEN's latest
// telemetry: state of charge, power (positive discharging, the VEN's sign
// flipped), capacity (see WithCapacity) and, when reported as recently,
// voltage, current (flipped likewise) and temperature. MeasuredAt is the
// dtstart of the report interval of the older of the state of charge and
// the power. It fails with an error wrapping energy.ErrUnavailable when the
// VEN is not registered (or its registration is being cancelled), is silent
// (no request for WithSilentAfter poll periods; the error wraps ErrSilent
// too), has not
// reported a state of charge and a power, or reported them longer ago than
// the maximum age (see WithMaxAge).
func (b *Battery) BatteryStatus(ctx context.Context) (energy.BatteryStatus, error) {
	if err := b.checkOptions(); err != nil {
		return energy.BatteryStatus{}, err
	}
	if err := ctx.Err(); err != nil {
		return energy.BatteryStatus{}, fmt.Errorf("openadr: BatteryStatus: %w", err)
	}
	var (
		t      batteryTelemetry
		last   time.Time
		silent bool
	)
	err := b.vtn.store.View(ctx, b.venID, func(st *VENState) error {
		if st.Registration.CancelRequestID != "" {
			return ErrCancelPending
		}
		if last, silent = b.vtn.silentSince(st, b.vtn.clock.Now()); silent {
			return nil
		}
		t = b.telemetry(st)
		return nil
	})
	if err != nil {
		return energy.BatteryStatus{}, b.storeErr(ctx, "BatteryStatus", err)
	}
	if silent {
		// Its telemetry may still look fresh (a long report period), but a
		// VEN that stopped polling follows no schedule.
		return energy.BatteryStatus{}, silentErr("BatteryStatus", b.venID, last)
	}
	return t.status(b.venID, b.vtn.clock.Now(), b.maxAge, b.capacity)
}

// batteryTelemetry is what BatteryStatus needs from a VEN's state, copied
// out of the Store.
type batteryTelemetry struct {
	soc, power, voltage, current, temperature, stored *Measurement
	// period is how often the state of charge was asked for (0: unknown).
	period time.Duration
}

// telemetry picks the latest measurement of each quantity the status uses.
func (b *Battery) telemetry(st *VENState) batteryTelemetry {
	var t batteryTelemetry
	for i := range st.Telemetry {
		m := &st.Telemetry[i]
		if b.resource != "" && m.ResourceID != b.resource {
			continue
		}
		var slot **Measurement
		switch m.Quantity {
		case QuantityStateOfCharge:
			slot = &t.soc
		case QuantityPower:
			slot = &t.power
		case QuantityVoltage:
			slot = &t.voltage
		case QuantityCurrent:
			slot = &t.current
		case QuantityTemperature:
			slot = &t.temperature
		case QuantityEnergy:
			if m.ReportType != oadr.ReportTypeStoredEnergy {
				continue // energy used or produced, not stored
			}
			slot = &t.stored
		default:
			continue
		}
		if *slot == nil || m.MeasuredAt.After((*slot).MeasuredAt) {
			c := *m // a copy: the store's state must not leave View
			*slot = &c
		}
	}
	if t.soc != nil {
		if r := st.request(t.soc.ReportRequestID); r != nil {
			t.period = max(r.Request.ReportBackDuration, r.Request.Granularity)
		}
	}
	return t
}

// maxPlausiblePower bounds the power a VEN's battery may report: 1 GW, far
// above the largest battery one VEN stands for, and far below values (1e308)
// that only a broken or hostile VEN sends.
const maxPlausiblePower = 1e9

// status turns the telemetry into a BatteryStatus as of now.
func (t *batteryTelemetry) status(venID string, now time.Time, maxAge time.Duration, capacity energy.WattHours) (energy.BatteryStatus, error) {
	unavailable := func(format string, args ...any) (energy.BatteryStatus, error) {
		return energy.BatteryStatus{}, fmt.Errorf("openadr: BatteryStatus: VEN %q: %s: %w", venID, fmt.Sprintf(format, args...), energy.ErrUnavailable)
	}
	switch {
	case t.soc == nil:
		return unavailable("no state-of-charge telemetry")
	case t.power == nil:
		return unavailable("no power telemetry")
	case math.IsNaN(t.soc.Value) || t.soc.Value < 0 || t.soc.Value > 1:
		return unavailable("state of charge %v %% is outside 0..100 %%", t.soc.Value*100)
	case math.IsNaN(t.power.Value) || math.IsInf(t.power.Value, 0):
		return unavailable("power %v is not a number", t.power.Value)
	case math.Abs(t.power.Value) > maxPlausiblePower:
		return unavailable("power %v W is beyond any battery a VEN speaks for (%v W)", t.power.Value, maxPlausiblePower)
	}
	if maxAge == 0 {
		maxAge = DefaultBatteryMaxAge
		if t.period > 0 {
			maxAge = 3 * t.period
		}
	}
	at := t.soc.MeasuredAt
	if t.power.MeasuredAt.Before(at) {
		at = t.power.MeasuredAt
	}
	if age := now.Sub(at); age > maxAge {
		return unavailable("latest telemetry was measured at %s, %v ago, more than the %v allowed", at.UTC().Format(time.RFC3339), age.Round(time.Second), maxAge)
	}
	s := energy.BatteryStatus{
		MeasuredAt:    at,
		StateOfCharge: energy.Fraction(t.soc.Value),
		Power:         energy.Watts(flip(t.power.Value)),
		Capacity:      capacity,
	}
	fresh := func(m *Measurement) bool {
		return m != nil && now.Sub(m.MeasuredAt) <= maxAge && !math.IsNaN(m.Value) && !math.IsInf(m.Value, 0)
	}
	if fresh(t.voltage) && t.voltage.Value >= 0 {
		s.Voltage = new(energy.Volts(t.voltage.Value))
	}
	if fresh(t.current) {
		s.Current = new(energy.Amperes(flip(t.current.Value)))
	}
	if fresh(t.temperature) {
		s.Temperature = new(energy.Celsius(t.temperature.Value))
	}
	if s.Capacity == 0 && fresh(t.stored) && t.stored.MeasuredAt.Equal(t.soc.MeasuredAt) && t.soc.Value >= 0.05 && t.stored.Value >= 0 {
		s.Capacity = energy.WattHours(math.Round(t.stored.Value / t.soc.Value))
	}
	return s, nil
}

// flip turns the VEN's consumption sign into gridwire's discharge sign
// (without a -0).
func flip(x float64) float64 {
	if x == 0 {
		return 0
	}
	return -x
}
