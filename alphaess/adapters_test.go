package alphaess_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/energytest"
)

// newFake starts the fake in Sydney on a fake clock at t0 and returns a
// client for its system (default pacing, made instant by the fake clock).
func newFake(t *testing.T, fakeOpts []alphaesstest.Option, opts ...alphaess.Option) (*alphaess.Client, *alphaesstest.Server, *clock.Fake) {
	t.Helper()
	fc := clock.NewFake(t0)
	srv := alphaesstest.NewServer(append([]alphaesstest.Option{alphaesstest.WithClock(fc), alphaesstest.WithLocation(sydney)}, fakeOpts...)...)
	t.Cleanup(srv.Close)
	// Default pacing (made instant by the fake clock), unlike srv.Client's.
	c := srv.Client(append([]alphaess.Option{alphaess.WithMinInterval(alphaess.DefaultMinInterval)}, opts...)...)
	return c, srv, fc
}

func TestBatteryContract(t *testing.T) {
	c, srv, fc := newFake(t, nil)
	start := fc.Now().Truncate(15 * time.Minute).Add(time.Hour)
	daily := energy.Schedule{Repeat: energy.RepeatDaily, Windows: []energy.Window{
		{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge, TargetSoC: 0.9},
	}}
	third := energy.Schedule{Repeat: energy.RepeatDaily, Windows: []energy.Window{
		{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge},
		{Start: start.Add(2 * time.Hour), End: start.Add(3 * time.Hour), Mode: energy.ModeCharge},
		{Start: start.Add(4 * time.Hour), End: start.Add(5 * time.Hour), Mode: energy.ModeCharge},
	}}
	energytest.TestBattery(t, energytest.BatteryHarness{
		Battery: c.Battery(), Requests: srv.Requests, Now: fc.Now, MaxAge: time.Minute,
		Schedule: &daily, Unsupported: &third, BadData: badBatteryData(srv),
		New: func() energy.Battery { return c.Battery() },
	})
	// The contract accepts ErrUnsupported for its valid schedule; this
	// adapter must really have written it (one charge window, stop at 90 %).
	got := srv.ChargeConfig()
	assert.Equal(t, 1, got.GridCharge, "the contract's daily schedule was not written: %+v", got)
	assert.Equal(t, 90, got.BatHighCap)
	assert.NotEqual(t, got.TimeChaf1, got.TimeChae1)
}

func TestMeterContract(t *testing.T) {
	c, srv, fc := newFake(t, nil)
	energytest.TestMeter(t, energytest.MeterHarness{
		Meter: c.Meter(), Requests: srv.Requests, Now: fc.Now, MaxAge: time.Minute, BadData: badMeterData(srv),
	})
}

// badData primes srv's endpoint with fields, for the contracts' bad data
// steps.
func badData(srv *alphaesstest.Server, name, endpoint string, fields map[string]any) energytest.BadData {
	return energytest.BadData{
		Name:  name,
		Prime: func() { srv.SetFields(endpoint, fields) },
		Reset: srv.ResetData,
	}
}

// badBatteryData are the values a hostile or broken server sent that came
// out as a state of charge of 2.5, a capacity of -Inf (kept for every later
// call) and 10^305 kW.
func badBatteryData(srv *alphaesstest.Server) []energytest.BadData {
	return []energytest.BadData{
		badData(srv, "soc 250", "getLastPowerData", map[string]any{"soc": 250}),
		badData(srv, "soc NaN", "getLastPowerData", map[string]any{"soc": "NaN"}),
		badData(srv, "pbat 1e308", "getLastPowerData", map[string]any{"pbat": 1e308}),
		badData(srv, "cobat -1e308", "getEssList", map[string]any{"cobat": -1e308}),
	}
}

func badMeterData(srv *alphaesstest.Server) []energytest.BadData {
	return []energytest.BadData{
		badData(srv, "pbat 1e308", "getLastPowerData", map[string]any{"pbat": 1e308}),
		badData(srv, "pgrid -Infinity", "getLastPowerData", map[string]any{"pgrid": "-Infinity"}),
		badData(srv, "ppv negative", "getLastPowerData", map[string]any{"ppv": -4000}),
		badData(srv, "pload NaN", "getLastPowerData", map[string]any{"pload": "NaN"}),
	}
}

func TestChargerContract(t *testing.T) {
	c, srv, fc := newFake(t, nil)
	chargers, err := c.Chargers(context.Background())
	require.NoError(t, err)
	require.Len(t, chargers, 1)
	energytest.TestCharger(t, energytest.ChargerHarness{Charger: chargers[0], Requests: srv.Requests, Now: fc.Now, MaxAge: time.Minute, Limit: 20})
	assert.Equal(t, 20.0, srv.EVCurrent(), "the contract's current limit did not land")
	assert.Equal(t, 4, srv.EVStatus(srv.EVChargerSerial), "the contract's stop did not land")
}

// pbat > 0 already means discharging (the vendor's evening example: pload
// 1275 = pbat 1264 + pgrid 11), gridwire's sign too: no flip.
func TestBatteryStatusSign(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList.json"))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"), fixture(t, "getLastPowerData_ev.json"))
	b := c.Battery()
	st, err := b.BatteryStatus(context.Background())
	require.NoError(t, err)
	assert.Equal(t, energy.Watts(1264), st.Power)
	assert.Equal(t, energy.Fraction(0.56), st.StateOfCharge)
	assert.Equal(t, energy.WattHours(13340), st.Capacity)
	assert.True(t, st.MeasuredAt.Equal(t0.Add(alphaess.DefaultMinInterval)),
		"MeasuredAt = %v, want the arrival of getLastPowerData", st.MeasuredAt)

	st, err = b.BatteryStatus(context.Background())
	require.NoError(t, err, "charging")
	assert.Equal(t, energy.Watts(-3300), st.Power)
	assert.Equal(t, energy.Fraction(0.872), st.StateOfCharge)
	var lists int
	for _, r := range m.requests() {
		if strings.HasSuffix(r.req.URL.Path, "getEssList") {
			lists++
		}
	}
	assert.Equal(t, 1, lists, "getEssList must be read once")
}

// The first BatteryStatus reads the capacity from getEssList. A second
// caller meanwhile must not queue behind that call where its own context
// cannot reach it.
func TestBatteryStatusHonoursContextDuringCapacityRead(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	defer free()
	m.on(http.MethodGet, "getEssList", func(req *http.Request) (*http.Response, error) {
		close(entered)
		<-release
		return fixture(t, "getEssList.json")(req)
	})
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	b := c.Battery()
	first := make(chan error, 1)
	go func() {
		_, err := b.BatteryStatus(context.Background())
		first <- err
	}()
	<-entered
	timer := time.AfterFunc(2*time.Second, free) // only matters when the test fails
	defer timer.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	_, err := b.BatteryStatus(ctx)
	assert.ErrorIs(t, err, context.Canceled, "cancelled caller")
	assert.Less(t, time.Since(start), time.Second, "the cancelled caller must return at once")
	free()
	require.NoError(t, <-first, "first caller")
}

func TestMeterReading(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData_ev.json"))
	r, err := c.Meter().MeterReading(context.Background())
	require.NoError(t, err)
	assert.True(t, r.MeasuredAt.Equal(t0), "MeasuredAt = %v", r.MeasuredAt)
	assert.Equal(t, energy.Watts(5212), r.PV)
	assert.Equal(t, energy.Watts(8790), r.Load)
	assert.Equal(t, energy.Watts(-1250), r.Grid)
	assert.Equal(t, energy.Watts(-3300), r.Battery)
	require.NotNil(t, r.EV)
	assert.Equal(t, energy.Watts(7360), *r.EV)
}

// All-null power is "unavailable", never zeros presented as fresh.
func TestAdaptersRefuseNulls(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	srv.SetNullPower(true)
	ctx := context.Background()
	_, err := c.Battery().BatteryStatus(ctx)
	var me *alphaess.MissingDataError
	require.ErrorAs(t, err, &me, "battery")
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Equal(t, []string{"soc", "pbat"}, me.Fields)

	_, err = c.Meter().MeterReading(ctx)
	require.ErrorAs(t, err, &me, "meter")
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Equal(t, []string{"ppv", "pload", "pgrid", "pbat"}, me.Fields)
	assert.Contains(t, err.Error(), "no data: ppv, pload, pgrid, pbat null")
}

func TestAdaptersOffline(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	srv.SetOffline(true)
	_, err := c.Meter().MeterReading(context.Background())
	assert.ErrorIs(t, err, energy.ErrUnavailable)
}

func TestChargerStates(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	ch := c.Charger(srv.EVChargerSerial)
	ctx := context.Background()
	for status, want := range map[int]energy.ChargerState{1: energy.ChargerUnplugged, 5: energy.ChargerSuspended, 9: energy.ChargerFaulted, 6: energy.ChargerConnected} {
		srv.SetEVStatus(srv.EVChargerSerial, status)
		st, err := ch.ChargerStatus(ctx)
		if assert.NoError(t, err, "status %d", status) {
			assert.Equal(t, want, st.State, "status %d", status)
			assert.Zero(t, st.Power, "status %d", status)
			assert.Equal(t, energy.Amperes(16), st.CurrentLimit, "status %d", status)
		}
	}
	srv.SetEVStatus(srv.EVChargerSerial, 2)
	require.NoError(t, ch.SetCurrentLimit(ctx, 10))
	require.NoError(t, ch.SetCharging(ctx, true))
	st, err := ch.ChargerStatus(ctx)
	require.NoError(t, err, "charging")
	assert.Equal(t, energy.ChargerCharging, st.State)
	assert.Equal(t, energy.Watts(2300), st.Power)
	assert.Equal(t, energy.Amperes(10), st.CurrentLimit)
	assert.Equal(t, 10.0, srv.EVCurrent())
	assert.Equal(t, srv.EVChargerSerial, ch.SerialNumber())
	require.NoError(t, ch.SetCharging(ctx, false), "stop")
	assert.Equal(t, 4, srv.EVStatus(srv.EVChargerSerial))
}

func TestChargerFailures(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	ctx := context.Background()
	srv.SetEVStatus(srv.EVChargerSerial, 1)
	var ae *alphaess.APIError
	err := c.Charger(srv.EVChargerSerial).SetCharging(ctx, true)
	if assert.ErrorAs(t, err, &ae, "start while unplugged") {
		assert.Equal(t, alphaess.CodeOperationFailed, ae.Code)
	}
	_, err = c.Charger("AE0000000000000").ChargerStatus(ctx)
	if assert.ErrorAs(t, err, &ae, "unknown charger") {
		assert.Equal(t, alphaess.CodeDataNotFound, ae.Code)
	}
	var fe *energy.FieldError
	_, err = c.Charger(" ").ChargerStatus(ctx)
	assert.ErrorAs(t, err, &fe, "empty charger")
	c2, _, _ := newFake(t, []alphaesstest.Option{alphaesstest.WithoutEVCharger()})
	list, err := c2.Chargers(ctx)
	require.NoError(t, err, "no charger")
	assert.Empty(t, list)
}

// Charging with no per-charger power on the wire is missing data, not 0 W.
func TestChargerPowerMissing(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEvChargerStatusBySn", fixture(t, "getEvChargerStatusBySn.json"))
	m.on(http.MethodGet, "getEvChargerCurrentsBySn", fixture(t, "getEvChargerCurrentsBySn.json"))
	m.on(http.MethodGet, "getEvChargerConfigList", body(200, `{"code":200,"msg":"Success","data":[{"evchargerSn":"X1"},{"evchargerSn":"`+testEVSN+`"}]}`))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData_ev.json"))
	_, err := c.Charger(testEVSN).ChargerStatus(context.Background())
	var me *alphaess.MissingDataError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "pevDetail.ev2Power", me.Fields[0])
}
