package energy

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Battery is a stationary battery that can be watched and steered.
type Battery interface {
	// BatteryStatus returns the latest snapshot of the battery's state.
	BatteryStatus(ctx context.Context) (BatteryStatus, error)
	// SetSchedule replaces the battery's charge/discharge schedule. An empty
	// schedule clears it, returning the battery to the vendor's default
	// behaviour. A schedule the vendor cannot represent returns an error
	// wrapping ErrUnsupported that names the limit, and so does a Repeat
	// kind the vendor cannot carry out (a vendor whose windows repeat daily
	// refuses RepeatOnce, and one that runs windows once refuses
	// RepeatDaily); an invalid schedule is a *FieldError, before any I/O.
	SetSchedule(ctx context.Context, s Schedule) error
}

// BatteryStatus is a snapshot of a battery's state.
type BatteryStatus struct {
	// MeasuredAt is when the values were measured; see MeasuredAt in the
	// package documentation for what holds when the vendor gives no time.
	MeasuredAt time.Time
	// StateOfCharge is the charge level from 0 (empty) to 1 (full).
	StateOfCharge Fraction
	// Power is the battery's power, positive when discharging and negative
	// when charging.
	Power Watts
	// Capacity is the usable capacity, or 0 when the vendor does not say.
	Capacity WattHours
	// Voltage is the battery voltage, when the vendor gives it.
	Voltage *Volts
	// Current is the battery current, positive when discharging, when the
	// vendor gives it.
	Current *Amperes
	// Temperature is the battery (or cell) temperature, when the vendor
	// gives it.
	Temperature *Celsius
}

// Charger is an EV charger that can be watched and steered.
type Charger interface {
	// ChargerStatus returns the latest snapshot of the charger's state.
	ChargerStatus(ctx context.Context) (ChargerStatus, error)
	// SetCurrentLimit sets the maximum charging current per phase.
	SetCurrentLimit(ctx context.Context, limit Amperes) error
	// SetCharging starts (on) or stops (off) charging.
	SetCharging(ctx context.Context, on bool) error
}

// ChargerState is the state of an EV charger.
type ChargerState string

// The states a charger can be in.
const (
	ChargerUnknown   ChargerState = "unknown"   // the vendor reported a state we cannot map
	ChargerUnplugged ChargerState = "unplugged" // no vehicle connected
	ChargerConnected ChargerState = "connected" // vehicle connected, not charging yet or finished
	ChargerCharging  ChargerState = "charging"  // energy is flowing
	ChargerSuspended ChargerState = "suspended" // paused by the charger or the vehicle
	ChargerFaulted   ChargerState = "faulted"   // the charger reports a fault
	ChargerOffline   ChargerState = "offline"   // the charger cannot be reached
)

// Valid reports whether s is one of the defined states.
func (s ChargerState) Valid() bool {
	switch s {
	case ChargerUnknown, ChargerUnplugged, ChargerConnected, ChargerCharging,
		ChargerSuspended, ChargerFaulted, ChargerOffline:
		return true
	}
	return false
}

// ChargerStatus is a snapshot of an EV charger's state.
type ChargerStatus struct {
	// MeasuredAt is when the values were measured, as for BatteryStatus.
	MeasuredAt time.Time
	// State is the charger's state.
	State ChargerState
	// Power is the charging power (0 when not charging).
	Power Watts
	// CurrentLimit is the current limit in force, or 0 when unknown.
	CurrentLimit Amperes
	// SessionEnergy is the energy delivered in the current session, or 0.
	SessionEnergy WattHours
}

// PriceSource gives electricity prices over time.
type PriceSource interface {
	// Prices returns the priced intervals that overlap [from, to), sorted by
	// start time, without duplicates. to must be after from.
	Prices(ctx context.Context, from, to time.Time) ([]Price, error)
}

// Channel says which flow of energy a price applies to.
type Channel string

// The price channels.
const (
	// ChannelImport is energy bought from the grid (general usage).
	ChannelImport Channel = "import"
	// ChannelExport is energy sold to the grid (feed-in). Its price is what
	// the user is paid, positive when paid.
	ChannelExport Channel = "export"
	// ChannelControlledLoad is energy bought for a separately metered,
	// controlled load such as a hot-water system.
	ChannelControlledLoad Channel = "controlled-load"
)

// Valid reports whether c is one of the defined channels.
func (c Channel) Valid() bool {
	return c == ChannelImport || c == ChannelExport || c == ChannelControlledLoad
}

// Price is the price of energy over one interval.
type Price struct {
	// Start and End bound the interval: [Start, End).
	Start, End time.Time
	// PerKWh is the price in Currency units per kWh (dollars, not cents).
	PerKWh float64
	// Currency is the ISO 4217 code, such as "AUD".
	Currency string
	// Channel is the flow the price applies to.
	Channel Channel
	// Forecast is true when the price is a forecast or estimate, false when
	// it is the settled price.
	Forecast bool
	// Low and High bound the forecast's range, when the vendor gives one.
	Low, High *float64
	// Descriptor is the vendor's band for the price (for example Amber's
	// "veryLow" … "spike"), or "".
	Descriptor string
}

// String formats p for logs and debugging, the range's bounds rather than
// their addresses, such as
// "2026-01-20 10:00–10:30 +1000 import 0.2134 AUD/kWh forecast (0.1800–0.2500) low".
func (p Price) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s–%s %s %.4f %s/kWh", p.Start.Format("2006-01-02 15:04"), p.End.Format("15:04 -0700"),
		p.Channel, p.PerKWh, p.Currency)
	if p.Forecast {
		b.WriteString(" forecast")
	}
	if p.Low != nil || p.High != nil {
		bound := func(v *float64) string {
			if v == nil {
				return "?"
			}
			return fmt.Sprintf("%.4f", *v)
		}
		fmt.Fprintf(&b, " (%s–%s)", bound(p.Low), bound(p.High))
	}
	if p.Descriptor != "" {
		b.WriteString(" " + p.Descriptor)
	}
	return b.String()
}

// Meter reports a site's power flows.
type Meter interface {
	// MeterReading returns the latest snapshot of the site's power flows.
	MeterReading(ctx context.Context) (MeterReading, error)
}

// MeterReading is a snapshot of a site's power flows. In a balanced reading
// PV + Grid + Battery ≈ Load (+ EV where it is metered apart from Load).
type MeterReading struct {
	// MeasuredAt is when the values were measured, as for BatteryStatus.
	MeasuredAt time.Time
	// PV is solar production (≥ 0).
	PV Watts
	// Load is the site's consumption (≥ 0).
	Load Watts
	// Grid is the grid exchange, positive when importing.
	Grid Watts
	// Battery is the battery power, positive when discharging.
	Battery Watts
	// EV is the power drawn by EV chargers, when the vendor meters it.
	EV *Watts
}
