package energy

import (
	"fmt"
	"math"
)

// Watts is a power in W. For batteries it is positive when discharging; for
// the grid it is positive when importing.
type Watts float64

// Kilowatts returns p in kW.
func (p Watts) Kilowatts() float64 { return float64(p) / 1000 }

// String formats p as "1234 W" (or "1.23 kW" from 10 kW up).
func (p Watts) String() string {
	if math.Abs(float64(p)) >= 10000 {
		return fmt.Sprintf("%.2f kW", float64(p)/1000)
	}
	return fmt.Sprintf("%.0f W", float64(p))
}

// WattHours is an energy in Wh.
type WattHours float64

// KilowattHours returns e in kWh.
func (e WattHours) KilowattHours() float64 { return float64(e) / 1000 }

// String formats e as "5400 Wh" (or "12.40 kWh" from 10 kWh up).
func (e WattHours) String() string {
	if math.Abs(float64(e)) >= 10000 {
		return fmt.Sprintf("%.2f kWh", float64(e)/1000)
	}
	return fmt.Sprintf("%.0f Wh", float64(e))
}

// Amperes is a current in A. Battery current is positive when discharging.
type Amperes float64

// String formats c as "16.0 A".
func (c Amperes) String() string { return fmt.Sprintf("%.1f A", float64(c)) }

// Volts is a voltage in V.
type Volts float64

// String formats v as "230.0 V".
func (v Volts) String() string { return fmt.Sprintf("%.1f V", float64(v)) }

// Celsius is a temperature in °C.
type Celsius float64

// String formats t as "21.5 °C".
func (t Celsius) String() string { return fmt.Sprintf("%.1f °C", float64(t)) }

// Fraction is a ratio from 0 to 1, used for state of charge. Vendors that
// speak percent are converted by their adapters.
type Fraction float64

// FromPercent converts a percentage (0..100) to a Fraction.
func FromPercent(pct float64) Fraction { return Fraction(pct / 100) }

// Percent returns f as a percentage (0..100).
func (f Fraction) Percent() float64 { return float64(f) * 100 }

// Valid reports whether f is a number from 0 to 1 inclusive.
func (f Fraction) Valid() bool { return f >= 0 && f <= 1 }

// String formats f as a percentage, "42.0 %".
func (f Fraction) String() string { return fmt.Sprintf("%.1f %%", f.Percent()) }

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
