package energytest_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/energytest"
)

// The fakes below behave well by default; each test case breaks one rule and
// checks that the contract reports exactly that kind of violation.

var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

type fakeBattery struct {
	status      energy.BatteryStatus
	requests    int
	ignoreCtx   string // the method that ignores cancellation, or ""
	skipVal     bool   // does not validate schedules
	errOnSet    error
	errOnRepeat map[energy.Repeat]error // what SetSchedule returns per Repeat
	requestFree bool                    // validation happens after the "request"

	// The vendor's bad values: while primed the vendor sends bad; a good
	// adapter refuses them with unavailable. passBad passes them on,
	// badErr replaces unavailable, and keepBad keeps refusing after reset.
	primed, passBad, keepBad bool
	bad                      energy.BatteryStatus
	badErr                   error
	refused                  bool
}

// badData is the harness entry for the fake's own bad values.
func (b *fakeBattery) badData() []energytest.BadData {
	return []energytest.BadData{{Name: "soc 250 %", Prime: func() { b.primed = true }, Reset: func() { b.primed = false }}}
}

func (b *fakeBattery) BatteryStatus(ctx context.Context) (energy.BatteryStatus, error) {
	if b.ignoreCtx != "BatteryStatus" {
		if err := ctx.Err(); err != nil {
			return energy.BatteryStatus{}, err
		}
	}
	b.requests++
	switch {
	case b.primed && b.passBad:
		return b.bad, nil
	case b.primed || b.keepBad && b.refused:
		b.refused = true
		if b.badErr != nil {
			return energy.BatteryStatus{}, b.badErr
		}
		return energy.BatteryStatus{}, fmt.Errorf("soc 250: %w", energy.ErrUnavailable)
	}
	return b.status, nil
}

func (b *fakeBattery) SetSchedule(ctx context.Context, s energy.Schedule) error {
	if b.requestFree {
		b.requests++
	}
	if !b.skipVal {
		if err := s.Validate(); err != nil {
			return err
		}
	}
	if b.ignoreCtx != "SetSchedule" {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if !b.requestFree {
		b.requests++
	}
	if err, ok := b.errOnRepeat[s.Repeat]; ok {
		return err
	}
	return b.errOnSet
}

func goodStatus() energy.BatteryStatus {
	return energy.BatteryStatus{MeasuredAt: now.Add(-time.Minute), StateOfCharge: 0.42, Power: -1500, Capacity: 10100,
		Voltage: new(energy.Volts(52.1)), Temperature: new(energy.Celsius(24))}
}

func newFakeBattery() *fakeBattery {
	b := &fakeBattery{status: goodStatus()}
	b.bad = b.status
	b.bad.StateOfCharge = 2.5
	return b
}

func TestBatteryContract(t *testing.T) {
	b := newFakeBattery()
	b.errOnRepeat = map[energy.Repeat]error{energy.RepeatDaily: energy.Unsupported("SetSchedule", "windows run once")}
	energytest.TestBattery(t, energytest.BatteryHarness{Battery: b, Requests: func() int { return b.requests }, Now: clock, MaxAge: time.Hour,
		BadData: b.badData()})
}

func TestBatteryContractCatches(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(b *fakeBattery)
		h      func(h *energytest.BatteryHarness)
		want   string
	}{
		{"percent SoC", func(b *fakeBattery) { b.status.StateOfCharge = 42 }, nil, "percent where a fraction is due"},
		{"SoC above 100", func(b *fakeBattery) { b.status.StateOfCharge = 420 }, nil, "outside 0..1"},
		{"no measured-at", func(b *fakeBattery) { b.status.MeasuredAt = time.Time{} }, nil, "MeasuredAt is not set"},
		{"future measured-at", func(b *fakeBattery) { b.status.MeasuredAt = now.Add(time.Hour) }, nil, "in the future"},
		{"stale", func(b *fakeBattery) { b.status.MeasuredAt = now.Add(-2 * time.Hour) }, nil, "stale data"},
		{"kelvin", func(b *fakeBattery) { b.status.Temperature = new(energy.Celsius(297)) }, nil, "Temperature"},
		{"negative capacity", func(b *fakeBattery) { b.status.Capacity = -1 }, nil, "Capacity"},
		{"NaN power", func(b *fakeBattery) { b.status.Power = energy.Watts(math.NaN()) }, nil, "Power is NaN"},
		{"status ignores cancel", func(b *fakeBattery) { b.ignoreCtx = "BatteryStatus" }, nil, "BatteryStatus with a cancelled context"},
		{"set ignores cancel", func(b *fakeBattery) { b.ignoreCtx = "SetSchedule" }, nil, "SetSchedule with a cancelled context"},
		{"no validation", func(b *fakeBattery) { b.skipVal = true }, nil, "want a *energy.FieldError"},
		{"validates after I/O", func(b *fakeBattery) { b.requestFree = true }, nil, "before any I/O"},
		{"plain error on set", func(b *fakeBattery) { b.errOnSet = context.DeadlineExceeded }, nil, "want nil or an error wrapping energy.ErrUnsupported"},
		{"bare unsupported", func(b *fakeBattery) { b.errOnSet = energy.ErrUnsupported }, nil, "say why"},
		{"accepts the unsupported", func(*fakeBattery) {}, func(h *energytest.BatteryHarness) {
			s := energy.Schedule{}
			h.Unsupported = &s
		}, "want an error wrapping energy.ErrUnsupported"},
		{"plain error for a repeat kind", func(b *fakeBattery) {
			b.errOnRepeat = map[energy.Repeat]error{energy.RepeatDaily: errors.New("daily? no")}
		}, nil, `SetSchedule(Repeat "daily") returned "daily? no"`},
		{"bare unsupported for a repeat kind", func(b *fakeBattery) {
			b.errOnRepeat = map[energy.Repeat]error{energy.RepeatOnce: energy.ErrUnsupported}
		}, nil, `SetSchedule(Repeat "") returned a bare energy.ErrUnsupported`},
		{"passes bad data on", func(b *fakeBattery) { b.passBad = true }, nil, "with bad data returned no error"},
		{"passes bad data on, values checked", func(b *fakeBattery) { b.passBad = true }, nil, "StateOfCharge 2.5 is above 1"},
		{"bad data, wrong sentinel", func(b *fakeBattery) { b.badErr = errors.New("soc 250") }, nil, `returned "soc 250"; want an error wrapping energy.ErrUnavailable`},
		{"keeps bad data", func(b *fakeBattery) { b.keepBad = true }, nil, "was a bad value kept?"},
		{"bad data without reset", func(*fakeBattery) {}, func(h *energytest.BatteryHarness) { h.BadData[0].Reset = nil }, "needs both Prime and Reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newFakeBattery()
			tt.break_(b)
			h := energytest.BatteryHarness{Battery: b, Requests: func() int { return b.requests }, Now: clock, MaxAge: time.Hour, BadData: b.badData()}
			if tt.h != nil {
				tt.h(&h)
			}
			err := energytest.CheckBattery(context.Background(), h)
			require.Error(t, err, "CheckBattery must report a violation")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// The contract's invalid schedules are invalid by energy's own rules.
func TestInvalidSchedulesAreInvalid(t *testing.T) {
	for name, s := range energytest.InvalidSchedules(now) {
		var fe *energy.FieldError
		assert.ErrorAs(t, s.Validate(), &fe, name)
	}
}

type fakeCharger struct {
	status    energy.ChargerStatus
	requests  int
	ignoreCtx string           // the method that ignores cancellation, or ""
	skipVal   bool             // does not validate the current limit
	errOn     map[string]error // what each method returns after its I/O
}

func (c *fakeCharger) io(ctx context.Context, method string) error {
	if c.ignoreCtx != method {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	c.requests++
	return c.errOn[method]
}

func (c *fakeCharger) ChargerStatus(ctx context.Context) (energy.ChargerStatus, error) {
	return c.status, c.io(ctx, "ChargerStatus")
}

func (c *fakeCharger) SetCurrentLimit(ctx context.Context, a energy.Amperes) error {
	if !c.skipVal && !(a >= 0 && a < 1000) {
		return energy.Invalid("limit", "%v", a)
	}
	return c.io(ctx, "SetCurrentLimit")
}

func (c *fakeCharger) SetCharging(ctx context.Context, on bool) error {
	return c.io(ctx, "SetCharging")
}

func goodCharger() energy.ChargerStatus {
	return energy.ChargerStatus{MeasuredAt: now, State: energy.ChargerCharging, Power: 7200, CurrentLimit: 32, SessionEnergy: 5300}
}

func TestChargerContract(t *testing.T) {
	c := &fakeCharger{status: goodCharger()}
	energytest.TestCharger(t, energytest.ChargerHarness{Charger: c, Requests: func() int { return c.requests }, Now: clock})
}

func TestChargerContractCatches(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(c *fakeCharger)
		want   string
	}{
		{"undefined state", func(c *fakeCharger) { c.status.State = "Preparing" }, "not one of"},
		{"power while idle", func(c *fakeCharger) { c.status.State = energy.ChargerUnplugged }, "while State"},
		{"milliamps", func(c *fakeCharger) { c.status.CurrentLimit = 16000 }, "CurrentLimit"},
		{"negative energy", func(c *fakeCharger) { c.status.SessionEnergy = -5 }, "SessionEnergy"},
		{"no validation", func(c *fakeCharger) { c.skipVal = true }, "want a *energy.FieldError"},
		{"status ignores cancel", func(c *fakeCharger) { c.ignoreCtx = "ChargerStatus" }, "ChargerStatus with a cancelled context"},
		{"limit ignores cancel", func(c *fakeCharger) { c.ignoreCtx = "SetCurrentLimit" }, "SetCurrentLimit with a cancelled context"},
		{"charging ignores cancel", func(c *fakeCharger) { c.ignoreCtx = "SetCharging" }, "SetCharging with a cancelled context"},
		{"plain error on limit", func(c *fakeCharger) { c.errOn = map[string]error{"SetCurrentLimit": errors.New("boom")} },
			"SetCurrentLimit(16.0 A) returned \"boom\""},
		{"bare unsupported on charging", func(c *fakeCharger) { c.errOn = map[string]error{"SetCharging": energy.ErrUnsupported} }, "say why"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &fakeCharger{status: goodCharger()}
			tt.break_(c)
			err := energytest.CheckCharger(context.Background(), energytest.ChargerHarness{Charger: c, Requests: func() int { return c.requests }, Now: clock})
			require.Error(t, err, "CheckCharger must report a violation")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

type fakePrices struct {
	prices       []energy.Price
	requests     int
	skipVal      bool
	skipCtx      bool // ignores cancellation
	validateLate bool // validates after the "request"
	unfiltered   bool // returns intervals outside the range asked for

	// While primed the vendor sends null prices; a good source refuses
	// them as unavailable, passBad reads them as 0 (free power).
	primed, passBad bool
}

func (p *fakePrices) badData() []energytest.BadData {
	return []energytest.BadData{{Name: "null price", Prime: func() { p.primed = true }, Reset: func() { p.primed = false }}}
}

func (p *fakePrices) Prices(ctx context.Context, from, to time.Time) ([]energy.Price, error) {
	if p.validateLate {
		p.requests++
	}
	if !p.skipVal {
		if from.IsZero() {
			return nil, energy.Invalid("from", "is zero")
		}
		if !to.After(from) {
			return nil, energy.Invalid("to", "is not after from")
		}
	}
	if err := ctx.Err(); err != nil && !p.skipCtx {
		return nil, err
	}
	if !p.validateLate {
		p.requests++
	}
	if p.primed && !p.passBad {
		return nil, fmt.Errorf("null perKwh: %w", energy.ErrUnavailable)
	}
	var out []energy.Price
	for _, x := range p.prices {
		if p.unfiltered || x.Start.Before(to) && x.End.After(from) {
			if p.primed {
				x.PerKWh = 0
			}
			out = append(out, x)
		}
	}
	return out, nil
}

func goodPrices() []energy.Price {
	var ps []energy.Price
	for i := -2; i < 24; i++ {
		start := now.Add(time.Duration(i) * 30 * time.Minute)
		ps = append(ps, energy.Price{Start: start, End: start.Add(30 * time.Minute), PerKWh: 0.25 + float64(i)/100,
			Currency: "AUD", Channel: energy.ChannelImport, Forecast: i >= 0, Descriptor: "neutral"})
	}
	return ps
}

func TestPriceSourceContract(t *testing.T) {
	p := &fakePrices{prices: goodPrices()}
	energytest.TestPriceSource(t, energytest.PriceSourceHarness{Source: p, Requests: func() int { return p.requests }, Now: clock, From: now.Add(-time.Hour), BadData: p.badData()})
}

func TestPriceSourceContractCatches(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(p *fakePrices)
		want   string
	}{
		{"cents", func(p *fakePrices) {
			for i := range p.prices {
				p.prices[i].PerKWh *= 100
			}
		}, "cents"},
		{"unsorted", func(p *fakePrices) { p.prices[3], p.prices[4] = p.prices[4], p.prices[3] }, "not sorted"},
		{"duplicate", func(p *fakePrices) { p.prices = append(p.prices[:5], p.prices[4:]...) }, "duplicates"},
		{"past forecast", func(p *fakePrices) { p.prices[0].Forecast = true }, "marked Forecast"},
		{"currency", func(p *fakePrices) { p.prices[1].Currency = "aud" }, "ISO 4217"},
		{"channel", func(p *fakePrices) { p.prices[1].Channel = "general" }, "Channel"},
		{"empty interval", func(p *fakePrices) { p.prices[2].End = p.prices[2].Start }, "not after Start"},
		{"outside range", func(p *fakePrices) {
			p.prices = append(p.prices, energy.Price{Start: now.Add(48 * time.Hour), End: now.Add(49 * time.Hour), PerKWh: 0.2, Currency: "AUD", Channel: energy.ChannelImport, Forecast: true})
			p.unfiltered = true
		}, "does not overlap"},
		{"no validation", func(p *fakePrices) { p.skipVal = true }, "want a *energy.FieldError"},
		{"validates after I/O", func(p *fakePrices) { p.validateLate = true }, "before any I/O"},
		{"ignores cancel", func(p *fakePrices) { p.skipCtx = true }, "Prices with a cancelled context"},
		{"band upside down", func(p *fakePrices) { p.prices[5].Low, p.prices[5].High = new(0.4), new(0.3) }, "Low 0.4 above High 0.3"},
		{"empty", func(p *fakePrices) { p.prices = nil }, "no intervals"},
		{"null price as free power", func(p *fakePrices) { p.passBad = true }, "with bad data returned no error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakePrices{prices: goodPrices()}
			tt.break_(p)
			err := energytest.CheckPriceSource(context.Background(), energytest.PriceSourceHarness{Source: p, Requests: func() int { return p.requests }, Now: clock, From: now.Add(-time.Hour), BadData: p.badData()})
			require.Error(t, err, "CheckPriceSource must report a violation")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

type fakeMeter struct {
	r       energy.MeterReading
	skipCtx bool

	// While primed the vendor sends a battery power of NaN; a good meter
	// refuses it as unavailable, passBad passes it on.
	primed, passBad bool
}

func (m *fakeMeter) MeterReading(ctx context.Context) (energy.MeterReading, error) {
	if !m.skipCtx && ctx.Err() != nil {
		return energy.MeterReading{}, ctx.Err()
	}
	if m.primed {
		if !m.passBad {
			return energy.MeterReading{}, fmt.Errorf("pbat NaN: %w", energy.ErrUnavailable)
		}
		r := m.r
		r.Battery = energy.Watts(math.NaN())
		return r, nil
	}
	return m.r, nil
}

func (m *fakeMeter) badData() []energytest.BadData {
	return []energytest.BadData{{Name: "pbat NaN", Prime: func() { m.primed = true }, Reset: func() { m.primed = false }}}
}

func goodReading() energy.MeterReading {
	return energy.MeterReading{MeasuredAt: now, PV: 3200, Load: 1100, Grid: -2500, Battery: 400, EV: new(energy.Watts(0))}
}

func TestMeterContract(t *testing.T) {
	m := &fakeMeter{r: goodReading()}
	energytest.TestMeter(t, energytest.MeterHarness{Meter: m, Now: clock, BadData: m.badData()})
}

func TestMeterContractCatches(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(m *fakeMeter)
		want   string
	}{
		{"negative pv", func(m *fakeMeter) { m.r.PV = -20 }, "PV"},
		{"negative load", func(m *fakeMeter) { m.r.Load = -20 }, "Load"},
		{"negative ev", func(m *fakeMeter) { m.r.EV = new(energy.Watts(-1)) }, "EV"},
		{"no time", func(m *fakeMeter) { m.r.MeasuredAt = time.Time{} }, "MeasuredAt"},
		{"ignores cancel", func(m *fakeMeter) { m.skipCtx = true }, "cancelled context returned nil"},
		{"passes bad data on", func(m *fakeMeter) { m.passBad = true }, "MeterReading with bad data returned no error"},
		{"passes bad data on, values checked", func(m *fakeMeter) { m.passBad = true }, "Battery is NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &fakeMeter{r: goodReading()}
			tt.break_(m)
			err := energytest.CheckMeter(context.Background(), energytest.MeterHarness{Meter: m, Now: clock, BadData: m.badData()})
			require.Error(t, err, "CheckMeter must report a violation")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
