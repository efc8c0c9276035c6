package plan

import (
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/stretchr/testify/require"
)

// FuzzPlan feeds Plan arbitrary batteries, prices and forecasts: it must
// return an error or a plan that keeps every promise, never panic.
func FuzzPlan(f *testing.F) {
	f.Add(13500.0, 0.5, 0.1, 1.0, 5000.0, 5000.0, 0.95, 0.95, []byte{1, 2, 3, 200, 9, 9, 0, 1})
	f.Add(1.0, 0.0, 0.0, 1.0, 1e9, 1e-3, 1.0, 0.5, []byte{255, 0, 255, 0})
	f.Add(1e6, 1.0, 0.0, 1.0, 0.0, 1e5, 0.1, 1.0, []byte{7})
	f.Add(1e308, 0.5, 0.0, 1.0, 1e308, 1e308, 1e-300, 1.0, []byte{1, 127, 1, 128})
	f.Add(1e-300, 0.5, 0.0, 1.0, 1e-300, 1e308, 1.0, 1e-300, []byte{59, 1, 0, 255})
	f.Fuzz(func(t *testing.T, capacity, soc, lo, hi, charge, discharge, ce, de float64, data []byte) {
		if len(data) == 0 || len(data) > 64 {
			return
		}
		p := Problem{Battery: Battery{Capacity: energy.WattHours(capacity), SoC: energy.Fraction(soc), Limits: Limits{
			MinSoC: energy.Fraction(lo), MaxSoC: energy.Fraction(hi), MaxCharge: energy.Watts(charge), MaxDischarge: energy.Watts(discharge),
			ChargeEfficiency: ce, DischargeEfficiency: de,
		}}}
		// Each byte pair: a length in minutes and a price; every third
		// pair also a forecast over the same interval.
		at := t0
		for i := 0; i+1 < len(data); i += 2 {
			d := time.Duration(1+int(data[i])%60) * time.Minute
			price := float64(int8(data[i+1])) / 10
			p.Prices = append(p.Prices,
				energy.Price{Start: at, End: at.Add(d), PerKWh: price, Channel: energy.ChannelImport},
				energy.Price{Start: at, End: at.Add(d), PerKWh: price / 2, Channel: energy.ChannelExport})
			p.Forecast = append(p.Forecast, Forecast{Start: at, End: at.Add(d),
				Load: energy.Watts(binary.LittleEndian.Uint16([]byte{data[i], 0})) * 10, PV: energy.Watts(data[i+1]) * 20})
			at = at.Add(d)
		}
		if len(p.Prices) == 0 {
			p.Prices = curve(energy.ChannelImport, t0, time.Hour, float64(data[0]))
			p.Forecast = nil
		}
		r, err := Plan(p, WithLevels(20))
		if err != nil {
			return
		}
		require.NoError(t, r.Schedule.Validate(), "invalid schedule")
		require.False(t, math.IsNaN(r.Cost) || math.IsNaN(r.Saving()), "NaN cost: %+v", r)
		// Not GreaterOrEqual: a NaN bound passes here, as it always has.
		require.False(t, r.Saving() < -1e-6*(1+math.Abs(r.BaselineCost)), "saving %v < 0", r.Saving())
	})
}
