package alphaess_test

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// Values that cannot be true are refused as unavailable, never passed on:
// a state of charge of 250 % came out as 2.5 and 10^308 W as 10^305 kW.
func TestBatteryRefusesImpossibleValues(t *testing.T) {
	for _, tt := range []struct {
		name, endpoint string
		fields         map[string]any
		field          string
	}{
		{"soc 250 %", "getLastPowerData", map[string]any{"soc": 250}, "soc"},
		{"soc -1 %", "getLastPowerData", map[string]any{"soc": -1}, "soc"},
		{"soc NaN", "getLastPowerData", map[string]any{"soc": "NaN"}, ""},
		{"pbat 1e308 W", "getLastPowerData", map[string]any{"pbat": 1e308}, "pbat"},
		{"pbat Infinity", "getLastPowerData", map[string]any{"pbat": "-Infinity"}, ""},
		{"pbat 1e400", "getLastPowerData", map[string]any{"pbat": json.Number("1e400")}, ""},
		{"cobat -1e308 kWh", "getEssList", map[string]any{"cobat": -1e308}, "cobat"},
		{"cobat 1e308 kWh", "getEssList", map[string]any{"cobat": 1e308}, "cobat"},
		{"cobat -5 kWh", "getEssList", map[string]any{"cobat": -5}, "cobat"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, srv, _ := newFake(t, nil)
			srv.SetFields(tt.endpoint, tt.fields)
			st, err := c.Battery().BatteryStatus(context.Background())
			require.ErrorIs(t, err, energy.ErrUnavailable, "status %+v", st)
			var ve *alphaess.ValueError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.endpoint, ve.Endpoint)
			assert.Equal(t, tt.field, ve.Field)
			assert.Equal(t, energy.BatteryStatus{}, st)
		})
	}
}

// A capacity that cannot be true is not kept: once the vendor answers
// sensibly again, so does the battery. (-Inf was cached for good.)
func TestBatteryDoesNotCacheBadCapacity(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	b := c.Battery()
	srv.SetFields("getEssList", map[string]any{"cobat": -1e308})
	_, err := b.BatteryStatus(context.Background())
	require.ErrorIs(t, err, energy.ErrUnavailable)
	srv.ResetData()
	st, err := b.BatteryStatus(context.Background())
	require.NoError(t, err)
	assert.Equal(t, energy.WattHours(13340), st.Capacity)
}

func TestMeterRefusesImpossibleValues(t *testing.T) {
	for _, tt := range []struct {
		name   string
		fields map[string]any
		field  string
	}{
		{"pbat 1e308 W", map[string]any{"pbat": 1e308}, "pbat"},
		{"pgrid -1e12 W", map[string]any{"pgrid": -1e12}, "pgrid"},
		{"ppv negative", map[string]any{"ppv": -500}, "ppv"},
		{"pload negative", map[string]any{"pload": -1}, "pload"},
		{"pev negative", map[string]any{"pev": -7000}, "pev"},
		{"pload NaN", map[string]any{"pload": "NaN"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, srv, _ := newFake(t, nil)
			srv.SetFields("getLastPowerData", tt.fields)
			r, err := c.Meter().MeterReading(context.Background())
			require.ErrorIs(t, err, energy.ErrUnavailable, "reading %+v", r)
			var ve *alphaess.ValueError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.Equal(t, energy.MeterReading{}, r)
		})
	}
}

// A null item in a list is a malformed answer, not a system (or charger,
// or sample) of zero values. (getEssList's [null] became a system with an
// empty serial number.)
func TestNullListItemsAreErrors(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		endpoint, data string
		call           func(c *alphaess.Client) error
	}{
		{"getEssList", `[null]`, func(c *alphaess.Client) error { _, err := c.ListSystems(ctx); return err }},
		{"getEssList", `[{"sysSn":"AL1"},null]`, func(c *alphaess.Client) error { _, err := c.ListSystems(ctx); return err }},
		{"getEssList", `[{"sysSn":"","cobat":13.34}]`, func(c *alphaess.Client) error { _, err := c.ListSystems(ctx); return err }},
		{"getEvChargerConfigList", `[null]`, func(c *alphaess.Client) error { _, err := c.EVChargers(ctx); return err }},
		{"getOneDayPowerBySn", `[null]`, func(c *alphaess.Client) error { _, err := c.OneDayPower(ctx, c.Today()); return err }},
	} {
		t.Run(tt.endpoint+" "+tt.data, func(t *testing.T) {
			c, srv, _ := newFake(t, nil)
			srv.SetData(tt.endpoint, json.RawMessage(tt.data))
			err := tt.call(c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "malformed response")
		})
	}
}

// On the day clocks go back in Sydney (5 April 2026, 03:00 → 02:00), the
// repeated 02:xx hour is placed by the samples' order: the series runs
// forward in 5-minute steps. (The second 02:xx was placed an hour late and
// the series ran backwards.)
func TestOneDayPowerWhenClocksGoBack(t *testing.T) {
	fc := clock.NewFake(time.Date(2026, 4, 5, 23, 30, 0, 0, sydney))
	srv := alphaesstest.NewServer(alphaesstest.WithClock(fc), alphaesstest.WithLocation(sydney))
	defer srv.Close()
	samples, err := srv.Client().OneDayPower(context.Background(), alphaess.Date{Year: 2026, Month: time.April, Day: 5})
	require.NoError(t, err)
	// 00:00 to 23:30 local is 24.5 h of real time on a 25-hour day.
	require.Len(t, samples, 24*12+6+1)
	for i := 1; i < len(samples); i++ {
		require.Equal(t, 5*time.Minute, samples[i].Time.Sub(samples[i-1].Time),
			"sample %d at %v follows %v", i, samples[i].Time, samples[i-1].Time)
	}
	var twoAM int
	for _, s := range samples {
		if s.Time.Hour() == 2 {
			twoAM++
		}
	}
	assert.Equal(t, 24, twoAM, "the 02:xx hour happens twice")
}

// MeasuredAt is the vendor's time when the answer carries one, never
// later than the arrival; otherwise the arrival time.
func TestMeasuredAtFromVendorTime(t *testing.T) {
	ctx := context.Background()
	t.Run("uploadTime", func(t *testing.T) {
		c, srv, fc := newFake(t, nil)
		srv.SetFields("getLastPowerData", map[string]any{"uploadTime": "2026-08-04 20:09:30"})
		st, err := c.Battery().BatteryStatus(ctx)
		require.NoError(t, err)
		assert.True(t, st.MeasuredAt.Equal(time.Date(2026, 8, 4, 20, 9, 30, 0, sydney)), "MeasuredAt = %v", st.MeasuredAt)
		r, err := c.Meter().MeterReading(ctx)
		require.NoError(t, err)
		assert.True(t, r.MeasuredAt.Equal(time.Date(2026, 8, 4, 20, 9, 30, 0, sydney)), "MeasuredAt = %v", r.MeasuredAt)
		assert.False(t, r.MeasuredAt.After(fc.Now()))
	})
	t.Run("uploadTime ahead of the client", func(t *testing.T) {
		c, srv, fc := newFake(t, nil)
		srv.SetFields("getLastPowerData", map[string]any{"uploadTime": "2026-08-05 20:09:30"})
		r, err := c.Meter().MeterReading(ctx)
		require.NoError(t, err)
		assert.True(t, r.MeasuredAt.Equal(fc.Now()), "MeasuredAt = %v, want the arrival %v", r.MeasuredAt, fc.Now())
	})
	t.Run("no uploadTime", func(t *testing.T) {
		c, _, fc := newFake(t, nil)
		r, err := c.Meter().MeterReading(ctx)
		require.NoError(t, err)
		assert.True(t, r.MeasuredAt.Equal(fc.Now()), "MeasuredAt = %v, want the arrival %v", r.MeasuredAt, fc.Now())
	})
	t.Run("malformed uploadTime", func(t *testing.T) {
		c, srv, _ := newFake(t, nil)
		srv.SetFields("getLastPowerData", map[string]any{"uploadTime": "yesterday"})
		_, err := c.Meter().MeterReading(ctx)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "malformed response")
	})
}

// The bounds leave room for every real system: a 300 kW commercial
// cabinet's readings pass.
func TestLargeRealValuesPass(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	srv.SetFields("getLastPowerData", map[string]any{"pbat": 300e3, "ppv": 450e3, "pload": 200e3, "pgrid": -550e3, "soc": 100})
	srv.SetFields("getEssList", map[string]any{"cobat": 1000})
	st, err := c.Battery().BatteryStatus(context.Background())
	require.NoError(t, err)
	assert.Equal(t, energy.Watts(300e3), st.Power)
	assert.Equal(t, energy.WattHours(1e6), st.Capacity)
	assert.False(t, math.IsInf(float64(st.Capacity), 0))
}
