package ven

import (
	"math"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// BatteryConfig describes the simulated battery. Start from DefaultBattery and
// change what differs; New rejects a config with a field out of range.
type BatteryConfig struct {
	// Capacity is the usable energy of the full battery.
	Capacity energy.WattHours
	// MaxPower is the largest charge and discharge power.
	MaxPower energy.Watts
	// InitialSoC is the state of charge when the VEN starts, 0..1.
	InitialSoC energy.Fraction
	// NominalVoltage is the pack's nominal DC voltage (51.2 V for a 16-cell
	// LFP pack).
	NominalVoltage energy.Volts
	// Ambient is the temperature the cells settle to at rest.
	Ambient energy.Celsius
	// Efficiency is the one-way conversion efficiency in (0, 1]: charging at
	// P stores P×Efficiency, discharging at P draws P/Efficiency from the
	// cells.
	Efficiency float64
}

// DefaultBattery returns the battery of the Fortress sandbox samples: a
// 19.2 kWh, 51.2 V LFP pack that charges and discharges at up to 5 kW,
// half full, lossless, at 25 °C.
func DefaultBattery() BatteryConfig {
	return BatteryConfig{
		Capacity:       19200,
		MaxPower:       5000,
		InitialSoC:     0.5,
		NominalVoltage: 51.2,
		Ambient:        25,
		Efficiency:     1,
	}
}

func (c BatteryConfig) validate() error {
	switch {
	case !(c.Capacity > 0) || math.IsInf(float64(c.Capacity), 0):
		return energy.Invalid("BatteryConfig.Capacity", "must be a positive number of Wh, got %v", float64(c.Capacity))
	case !(c.MaxPower > 0) || math.IsInf(float64(c.MaxPower), 0):
		return energy.Invalid("BatteryConfig.MaxPower", "must be a positive number of W, got %v", float64(c.MaxPower))
	case !c.InitialSoC.Valid():
		return energy.Invalid("BatteryConfig.InitialSoC", "must be from 0 to 1, got %v", float64(c.InitialSoC))
	case !(c.NominalVoltage > 0) || math.IsInf(float64(c.NominalVoltage), 0):
		return energy.Invalid("BatteryConfig.NominalVoltage", "must be a positive number of V, got %v", float64(c.NominalVoltage))
	case math.IsNaN(float64(c.Ambient)) || c.Ambient < -50 || c.Ambient > 80:
		return energy.Invalid("BatteryConfig.Ambient", "must be from -50 to 80 °C, got %v", float64(c.Ambient))
	case !(c.Efficiency > 0 && c.Efficiency <= 1):
		return energy.Invalid("BatteryConfig.Efficiency", "must be in (0, 1], got %v", c.Efficiency)
	}
	return nil
}

// Constants of the simple physical model. They only shape the telemetry; the
// state of charge depends on power and time alone.
const (
	// internalResistance is the pack's resistance in ohms: 5 kW at 51 V
	// (≈ 100 A) drops about 1 V.
	internalResistance = 0.01
	// heatRise is how far above ambient the cells settle at full power.
	heatRise = 10.0
	// thermalTau is the time constant of the cells' temperature.
	thermalTau = 30 * time.Minute
)

// battery is the simulated battery. Power is positive when discharging, as in
// energy.BatteryStatus. It is not safe for concurrent use; the VEN guards it.
type battery struct {
	cfg    BatteryConfig
	at     time.Time // the time the state below describes
	stored float64   // Wh in the cells, 0..Capacity
	power  float64   // W at the terminals, + discharging, within the limits
	temp   float64   // °C
}

func newBattery(cfg BatteryConfig, at time.Time) *battery {
	return &battery{
		cfg:    cfg,
		at:     at,
		stored: float64(cfg.InitialSoC) * float64(cfg.Capacity),
		temp:   float64(cfg.Ambient),
	}
}

func (b *battery) soc() float64 { return b.stored / float64(b.cfg.Capacity) }

// setPower asks for power w (+ discharging) from now on. It is clamped to
// ±MaxPower, and to 0 when the battery is full and asked to charge or empty
// and asked to discharge.
func (b *battery) setPower(w float64) {
	if math.IsNaN(w) || w == 0 {
		w = 0 // also turns -0 into 0
	}
	maxP := float64(b.cfg.MaxPower)
	w = math.Max(-maxP, math.Min(maxP, w))
	if w > 0 && b.stored <= 0 || w < 0 && b.stored >= float64(b.cfg.Capacity) {
		w = 0
	}
	b.power = w
}

// cellRate returns how fast the stored energy changes at terminal power w, in
// Wh per hour: negative when discharging.
func (b *battery) cellRate(w float64) float64 {
	if w > 0 {
		return -w / b.cfg.Efficiency
	}
	return -w * b.cfg.Efficiency
}

// advance runs the battery at its present power until t. When it becomes full
// or empty on the way, the power drops to 0 at that moment.
func (b *battery) advance(t time.Time) {
	for b.at.Before(t) {
		d := t.Sub(b.at)
		rate := b.cellRate(b.power)
		if rate != 0 {
			limit := 0.0 // empty
			if rate > 0 {
				limit = float64(b.cfg.Capacity) // full
			}
			hoursToLimit := (limit - b.stored) / rate
			if toLimit := time.Duration(hoursToLimit * float64(time.Hour)); toLimit < d {
				// The limit comes first: run to it, stop, and go on idle.
				b.heat(toLimit)
				b.stored = limit
				b.at = b.at.Add(toLimit)
				b.power = 0
				continue
			}
		}
		b.heat(d)
		b.stored += rate * d.Hours()
		b.stored = math.Max(0, math.Min(float64(b.cfg.Capacity), b.stored))
		b.at = t
	}
}

// heat moves the temperature towards where the present power settles it.
func (b *battery) heat(d time.Duration) {
	if d <= 0 {
		return
	}
	target := float64(b.cfg.Ambient) + heatRise*math.Abs(b.power)/float64(b.cfg.MaxPower)
	b.temp = target + (b.temp-target)*math.Exp(-float64(d)/float64(thermalTau))
}

// reading is the battery's state at one instant, in gridwire's units and
// signs (power and current positive when discharging).
type reading struct {
	at          time.Time
	soc         float64 // 0..1
	stored      float64 // Wh
	power       float64 // W, + discharging
	voltage     float64 // V
	current     float64 // A, + discharging
	temperature float64 // °C
	setpoint    float64 // W, + discharging: what the plan asked for
}

// read returns the battery's state now. The voltage follows a linear
// open-circuit curve (94 % of nominal when empty, 106 % when full) less the
// drop across the internal resistance.
func (b *battery) read(setpoint float64) reading {
	soc := b.soc()
	ocv := float64(b.cfg.NominalVoltage) * (0.94 + 0.12*soc)
	current := b.power / ocv
	return reading{
		at:          b.at,
		soc:         soc,
		stored:      b.stored,
		power:       b.power,
		voltage:     ocv - current*internalResistance,
		current:     current,
		temperature: b.temp,
		setpoint:    setpoint,
	}
}

// status converts a reading to the energy vocabulary.
func (r reading) status(capacity energy.WattHours) energy.BatteryStatus {
	return energy.BatteryStatus{
		MeasuredAt:    r.at,
		StateOfCharge: energy.Fraction(r.soc),
		Power:         energy.Watts(r.power),
		Capacity:      capacity,
		Voltage:       new(energy.Volts(r.voltage)),
		Current:       new(energy.Amperes(r.current)),
		Temperature:   new(energy.Celsius(r.temperature)),
	}
}
