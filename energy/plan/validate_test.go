package plan

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

func TestPlanRejectsInvalidInput(t *testing.T) {
	valid := func() Problem {
		return Problem{Prices: both(time.Hour, []float64{0.1, 0.3, 0.2}, []float64{0.05, 0.1, 0.1}), Battery: home()}
	}
	nan := math.NaN()
	tests := []struct {
		name  string
		mut   func(*Problem)
		opts  []Option
		field string
	}{
		{"zero capacity", func(p *Problem) { p.Battery.Capacity = 0 }, nil, "Battery.Capacity"},
		{"negative capacity", func(p *Problem) { p.Battery.Capacity = -1 }, nil, "Battery.Capacity"},
		{"NaN capacity", func(p *Problem) { p.Battery.Capacity = energy.WattHours(nan) }, nil, "Battery.Capacity"},
		{"SoC in percent", func(p *Problem) { p.Battery.SoC = 50 }, nil, "Battery.SoC"},
		{"NaN SoC", func(p *Problem) { p.Battery.SoC = energy.Fraction(nan) }, nil, "Battery.SoC"},
		{"MinSoC negative", func(p *Problem) { p.Battery.MinSoC = -0.1 }, nil, "Battery.MinSoC"},
		{"MaxSoC above 1", func(p *Problem) { p.Battery.MaxSoC = 1.5 }, nil, "Battery.MaxSoC"},
		{"MaxSoC below MinSoC", func(p *Problem) { p.Battery.MinSoC, p.Battery.MaxSoC = 0.6, 0.4 }, nil, "Battery.MaxSoC"},
		{"negative charge power", func(p *Problem) { p.Battery.MaxCharge = -1 }, nil, "Battery.MaxCharge"},
		{"infinite discharge power", func(p *Problem) { p.Battery.MaxDischarge = energy.Watts(math.Inf(1)) }, nil, "Battery.MaxDischarge"},
		{"zero charge efficiency", func(p *Problem) { p.Battery.ChargeEfficiency = 0 }, nil, "Battery.ChargeEfficiency"},
		{"discharge efficiency above 1", func(p *Problem) { p.Battery.DischargeEfficiency = 1.1 }, nil, "Battery.DischargeEfficiency"},
		{"no prices", func(p *Problem) { p.Prices = nil }, nil, "Prices"},
		{"only export prices", func(p *Problem) { p.Prices = p.Prices[3:] }, nil, "Prices"},
		{"NaN price", func(p *Problem) { p.Prices[1].PerKWh = nan }, nil, "Prices[1].PerKWh"},
		{"infinite price", func(p *Problem) { p.Prices[4].PerKWh = math.Inf(-1) }, nil, "Prices[4].PerKWh"},
		{"unknown channel", func(p *Problem) { p.Prices[2].Channel = "feed-in" }, nil, "Prices[2].Channel"},
		{"zero start", func(p *Problem) { p.Prices[0].Start = time.Time{} }, nil, "Prices[0].Start"},
		{"end before start", func(p *Problem) { p.Prices[0].End = p.Prices[0].Start }, nil, "Prices[0].End"},
		{"mixed currencies", func(p *Problem) { p.Prices[4].Currency = "EUR" }, nil, "Prices[4].Currency"},
		{"gap in import", func(p *Problem) { p.Prices = append(p.Prices[:1:1], p.Prices[2:]...) }, nil, "Prices[1].Start"},
		{"overlap in import", func(p *Problem) { p.Prices[1].Start = p.Prices[1].Start.Add(-time.Minute) }, nil, "Prices[1].Start"},
		{"import out of order", func(p *Problem) { p.Prices[0], p.Prices[1] = p.Prices[1], p.Prices[0] }, nil, "Prices[1].Start"},
		{"duplicate import", func(p *Problem) { p.Prices = append(p.Prices[:2:2], p.Prices[1:]...) }, nil, "Prices[2].Start"},
		{"gap in export", func(p *Problem) { p.Prices = append(p.Prices[:4:4], p.Prices[5:]...) }, nil, "Prices[4].Start"},
		{"export shorter than horizon", func(p *Problem) { p.Prices = p.Prices[:5] }, nil, "Prices"},
		{"horizon before prices", func(p *Problem) { p.From = t0.Add(-time.Minute) }, nil, "Prices"},
		{"horizon after prices", func(p *Problem) { p.To = t0.Add(4 * time.Hour) }, nil, "Prices"},
		{"To not after From", func(p *Problem) { p.From, p.To = t0.Add(time.Hour), t0.Add(time.Hour) }, nil, "To"},
		{"forecast zero start", func(p *Problem) { p.Forecast = []Forecast{{End: t0}} }, nil, "Forecast[0].Start"},
		{"forecast end before start", func(p *Problem) { p.Forecast = []Forecast{{Start: t0, End: t0}} }, nil, "Forecast[0].End"},
		{"forecast negative load", func(p *Problem) {
			p.Forecast = []Forecast{{Start: t0, End: t0.Add(3 * time.Hour), Load: -1}}
		}, nil, "Forecast[0].Load"},
		{"forecast NaN PV", func(p *Problem) {
			p.Forecast = []Forecast{{Start: t0, End: t0.Add(3 * time.Hour), PV: energy.Watts(nan)}}
		}, nil, "Forecast[0].PV"},
		{"forecast gap", func(p *Problem) {
			p.Forecast = []Forecast{{Start: t0, End: t0.Add(time.Hour)}, {Start: t0.Add(2 * time.Hour), End: t0.Add(3 * time.Hour)}}
		}, nil, "Forecast[1].Start"},
		{"forecast short", func(p *Problem) { p.Forecast = []Forecast{{Start: t0, End: t0.Add(time.Hour)}} }, nil, "Forecast"},
		{"zero levels", nil, []Option{WithLevels(0)}, "WithLevels"},
		{"too many levels", nil, []Option{WithLevels(MaxLevels + 1)}, "WithLevels"},
		{"NaN end value", nil, []Option{WithEndValue(nan)}, "WithEndValue"},
		{"nil option", nil, []Option{nil}, "Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			if tt.mut != nil {
				tt.mut(&p)
			}
			_, err := Plan(p, tt.opts...)
			var fe *energy.FieldError
			require.True(t, errors.As(err, &fe), "got %v", err)
			assert.Equal(t, tt.field, fe.Field, "%v", err)
			assert.ErrorIs(t, err, energy.ErrInvalid)
		})
	}
}

func TestLimitsValidate(t *testing.T) {
	l := home().Limits
	require.NoError(t, l.Validate())
	l.MaxSoC = 2
	var fe *energy.FieldError
	require.ErrorAs(t, l.Validate(), &fe)
	assert.Equal(t, "Limits.MaxSoC", fe.Field)
}

func TestSplitRoundTrip(t *testing.T) {
	c, d := SplitRoundTrip(0.81)
	assert.InDelta(t, 0.9, c, 1e-12)
	assert.InDelta(t, 0.9, d, 1e-12)
}

// The bounds on intervals and on states do not compose: a long horizon on
// a fine grid would need gigabytes for the recursion's choices and hours of
// work. It is refused, naming the option that sets the grid, before any
// allocation.
func TestPlanRefusesAGridTooLargeForItsHorizon(t *testing.T) {
	imp := make([]float64, 20_000)
	for i := range imp {
		imp[i] = 0.1 + float64(i%7)/10
	}
	p := Problem{Prices: curve(energy.ChannelImport, t0, 5*time.Minute, imp...), Battery: home()}
	_, err := Plan(p, WithLevels(MaxLevels))
	var fe *energy.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "WithLevels", fe.Field)
	assert.ErrorIs(t, err, energy.ErrInvalid)

	// The default grid over the same horizon is fine.
	_, err = Plan(p)
	require.NoError(t, err)
}
