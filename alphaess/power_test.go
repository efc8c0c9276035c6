package alphaess_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// w is a power value as the client returns it.
func w(v float64) *energy.Watts { return new(energy.Watts(v)) }

// Shapes of the getEssList example body, plus a second system with nulls.
func TestListSystems(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList.json"))
	got, err := c.ListSystems(context.Background())
	require.NoError(t, err)
	assert.Empty(t, m.last(t).req.URL.RawQuery, "getEssList takes no query")
	require.Len(t, got, 2)
	s := got[0]
	assert.Equal(t, testSN, s.SerialNumber)
	assert.Equal(t, "SMILE5-INV", s.InverterModel)
	assert.Equal(t, "SMILE-BAT-13.3P", s.BatteryModel)
	assert.Equal(t, "Normal", s.EMSStatus)
	assert.Equal(t, new(energy.WattHours(13340)), s.BatteryCapacity)
	assert.Equal(t, new(energy.WattHours(13340)), s.RemainingCapacity)
	assert.Equal(t, new(energy.Fraction(1)), s.UsableCapacity)
	assert.Equal(t, w(5000), s.InverterPower)
	assert.Equal(t, w(9000), s.PVPower)
	n := got[1]
	assert.Nil(t, n.BatteryCapacity, "nulls became values")
	assert.Nil(t, n.UsableCapacity, "nulls became values")
	assert.Empty(t, n.BatteryModel, "nulls became values")
}

// Older answers carry getEssList's data as one object.
func TestListSystemsObject(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList_object.json"))
	got, err := c.ListSystems(context.Background())
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, testSN, got[0].SerialNumber)
}

func TestListSystemsFailures(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "error_6007.json"))
	_, err := c.ListSystems(context.Background())
	require.ErrorIs(t, err, energy.ErrUnauthorized, "6007")
	c, m = newMock(t)
	m.on(http.MethodGet, "getEssList", body(200, `{"code":200,"msg":"Success","data":"AL7011023030600"}`))
	_, err = c.ListSystems(context.Background())
	require.Error(t, err, "a string for data was accepted")
	c, m = newMock(t)
	m.on(http.MethodGet, "getEssList", body(200, `{"code":200,"msg":"Success","data":null}`))
	got, err := c.ListSystems(context.Background())
	require.NoError(t, err, "null data")
	assert.Empty(t, got)
}

// The vendor's evening example: pload 1275 = pbat 1264 + pgrid 11.
func TestLastPowerData(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	p, err := c.LastPowerData(context.Background())
	require.NoError(t, err)
	q := m.last(t).req.URL.Query()
	assert.Equal(t, testSN, q.Get("sysSn"))
	assert.Len(t, q, 1)
	assert.True(t, p.ReceivedAt.Equal(t0), "ReceivedAt = %v, want the clock's now", p.ReceivedAt)
	assert.Equal(t, sydney, p.ReceivedAt.Location(), "ReceivedAt in the system's zone")
	assert.True(t, p.UploadTime.IsZero(), "the answer carries no uploadTime")
	assert.Equal(t, w(1264), p.Battery)
	assert.Equal(t, w(11), p.Grid)
	assert.Equal(t, w(1275), p.Load)
	assert.Equal(t, w(0), p.PV)
	require.NotNil(t, p.StateOfCharge)
	assert.Equal(t, energy.Fraction(0.56), *p.StateOfCharge)
	assert.Equal(t, w(1159), p.InverterPhases[0])
	assert.Equal(t, w(11), p.GridPhases[0])
	assert.Equal(t, w(0), p.EV)
	assert.Equal(t, w(0), p.PVMeterDC)
	for i, e := range p.EVChargers {
		assert.Nil(t, e, "EVChargers[%d]: null on the wire", i)
	}
}

// Storion-S5 answers every number null with code 200.
func TestLastPowerDataNulls(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData_nulls.json"))
	p, err := c.LastPowerData(context.Background())
	require.NoError(t, err)
	all := []*energy.Watts{p.PV, p.Load, p.Grid, p.Battery, p.EV, p.PVMeterDC}
	all = append(append(append(all, p.PVStrings[:]...), p.GridPhases[:]...), p.InverterPhases[:]...)
	for i, v := range all {
		assert.Nil(t, v, "value %d", i)
	}
	assert.Nil(t, p.StateOfCharge)
}

func TestLastPowerDataEV(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData_ev.json"))
	p, err := c.LastPowerData(context.Background())
	require.NoError(t, err)
	assert.Equal(t, w(7360), p.EVChargers[0])
	assert.Nil(t, p.EVChargers[1])
	assert.Equal(t, w(-3300), p.Battery)
	assert.Equal(t, w(-1250), p.Grid)
}

func TestLastPowerDataOffline(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6042.json"))
	_, err := c.LastPowerData(context.Background())
	var ae *alphaess.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, alphaess.CodeSystemOffline, ae.Code)
	assert.ErrorIs(t, err, energy.ErrUnavailable)
}

func TestLastPowerDataNullData(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "ok_null.json"))
	_, err := c.LastPowerData(context.Background())
	var me *alphaess.MissingDataError
	require.ErrorAs(t, err, &me)
	assert.ErrorIs(t, err, energy.ErrUnavailable)
}

// Live names cbat/pchargingPile; uploadTime in the system's zone.
func TestOneDayPower(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDayPowerBySn", fixture(t, "getOneDayPowerBySn.json"))
	day := alphaess.Date{Year: 2026, Month: time.August, Day: 4}
	got, err := c.OneDayPower(context.Background(), day)
	require.NoError(t, err)
	q := m.last(t).req.URL.Query()
	assert.Equal(t, testSN, q.Get("sysSn"))
	assert.Equal(t, "2026-08-04", q.Get("queryDate"))
	require.Len(t, got, 3)
	s := got[1]
	want := time.Date(2026, 8, 4, 20, 9, 4, 0, sydney)
	assert.True(t, s.Time.Equal(want), "Time = %v, want %v (uploadTime in the system's zone)", s.Time, want)
	assert.Equal(t, new(energy.Fraction(0.568)), s.StateOfCharge)
	assert.Equal(t, w(1218), s.Load)
	assert.Equal(t, w(2), s.GridImport)
	assert.Equal(t, w(0), s.EV)
	assert.Equal(t, w(0), s.FeedIn)
	n := got[2]
	assert.Nil(t, n.PV)
	assert.Nil(t, n.StateOfCharge)
	assert.Nil(t, n.EV)
	assert.Equal(t, w(1231), n.Load)
}

// The portal documents cobat/pChargingPile; those are read too.
func TestOneDayPowerPortalCasing(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDayPowerBySn", fixture(t, "getOneDayPowerBySn_portal.json"))
	got, err := c.OneDayPower(context.Background(), alphaess.Date{Year: 2026, Month: time.August, Day: 4})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, new(energy.Fraction(0.88)), got[0].StateOfCharge)
	assert.Equal(t, w(3000), got[0].EV)
}

func TestOneDayPowerDates(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDayPowerBySn", fixture(t, "getOneDayPowerBySn.json"))
	ctx := context.Background()
	// t0 is 20:10 on 4 August in Sydney (10:10 UTC): 5 August is tomorrow.
	for _, d := range []alphaess.Date{{Year: 2026, Month: 8, Day: 5}, {Year: 2026, Month: 2, Day: 30}, {}} {
		_, err := c.OneDayPower(ctx, d)
		var fe *energy.FieldError
		if assert.ErrorAs(t, err, &fe, "OneDayPower(%v)", d) {
			assert.Equal(t, "queryDate", fe.Field)
		}
	}
	require.Empty(t, m.requests(), "invalid dates were sent")
	// Today in Sydney is 4 August even in a UTC-zoned process.
	_, err := c.OneDayPower(ctx, c.Today())
	require.NoError(t, err)
	require.Equal(t, "2026-08-04", c.Today().String())
	// "Not after today" is judged in the system's zone, not UTC's: in
	// UTC+14 it is already 5 August (UTC still says the 4th), and that day
	// may be asked for.
	late := c.In(mustZone("Pacific/Kiritimati"))
	_, err = late.OneDayPower(ctx, alphaess.Date{Year: 2026, Month: 8, Day: 5})
	require.NoError(t, err, "5 August in UTC+14")
	require.Equal(t, "2026-08-05", late.Today().String())
	assert.Equal(t, "2026-08-05", m.last(t).req.URL.Query().Get("queryDate"))
	// Just after midnight in Sydney (14:30 UTC on the 4th) today is the 5th.
	m.clock.Set(time.Date(2026, 8, 5, 0, 30, 0, 0, sydney))
	_, err = c.OneDayPower(ctx, alphaess.Date{Year: 2026, Month: 8, Day: 5})
	require.NoError(t, err, "5 August at 00:30 in Sydney")
}

func TestOneDayPowerBadTime(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDayPowerBySn", body(200, `{"code":200,"msg":"Success","data":[{"uploadTime":"04/08/2026 20:09"}]}`))
	_, err := c.OneDayPower(context.Background(), c.Today())
	require.Error(t, err, "a malformed uploadTime was accepted")
}

// The vendor's example body; epv lower-case, the rest camelCase.
func TestOneDateEnergy(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDateEnergyBySn", fixture(t, "getOneDateEnergyBySn.json"))
	e, err := c.OneDateEnergy(context.Background(), alphaess.Date{Year: 2026, Month: 8, Day: 4})
	require.NoError(t, err)
	q := m.last(t).req.URL.Query()
	assert.Equal(t, "2026-08-04", q.Get("queryDate"))
	assert.Equal(t, testSN, q.Get("sysSn"))
	wh := func(v float64) *energy.WattHours { return new(energy.WattHours(v)) }
	assert.Equal(t, "2026-08-04", e.Date.String())
	assert.Equal(t, wh(10600), e.PV)
	assert.Equal(t, wh(12200), e.Charge)
	assert.Equal(t, wh(7100), e.Discharge)
	assert.Equal(t, wh(9100), e.GridCharge)
	assert.Equal(t, wh(14410), e.Import)
	assert.Equal(t, wh(420), e.Export)
	assert.Equal(t, wh(0), e.EV)
	assert.False(t, e.Empty())
}

// All zeros while AlphaESS finalises yesterday.
func TestOneDateEnergyNotFinal(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDateEnergyBySn", fixture(t, "getOneDateEnergyBySn_zero.json"))
	e, err := c.OneDateEnergy(context.Background(), alphaess.Date{Year: 2026, Month: 8, Day: 3})
	require.NoError(t, err)
	assert.True(t, e.Empty(), "got %+v; want Empty", e)
}

// Lower-case fields and fraction-valued eself*.
func TestSummary(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getSumDataForCustomer", fixture(t, "getSumDataForCustomer.json"))
	s, err := c.Summary(context.Background())
	require.NoError(t, err)
	wh := func(v float64) *energy.WattHours { return new(energy.WattHours(v)) }
	assert.Equal(t, wh(46160), s.PVToday)
	assert.Equal(t, wh(17003140), s.PVTotal)
	assert.Equal(t, wh(8400), s.Load)
	assert.Equal(t, wh(37010), s.Export)
	assert.Equal(t, wh(550), s.Import)
	assert.Equal(t, wh(3400), s.Charge)
	assert.Equal(t, wh(2100), s.Discharge)
	assert.Equal(t, new(energy.Fraction(0.47)), s.SelfConsumption)
	assert.Equal(t, new(energy.Fraction(0.52016)), s.SelfSufficiency)
	assert.Equal(t, new(12.92), s.IncomeToday)
	assert.Equal(t, new(4263.64), s.IncomeTotal)
	assert.Equal(t, "EUR", s.Currency)
	assert.Equal(t, new(2911.1488), s.Trees)
	assert.Equal(t, new(14622.7004), s.CarbonKg)
}

func TestSummaryWithoutTariff(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getSumDataForCustomer", fixture(t, "getSumDataForCustomer_notariff.json"))
	s, err := c.Summary(context.Background())
	require.NoError(t, err)
	assert.Nil(t, s.IncomeToday, "nulls became values")
	assert.Nil(t, s.IncomeTotal, "nulls became values")
	assert.Nil(t, s.SelfSufficiency, "nulls became values")
	assert.Nil(t, s.Trees, "nulls became values")
	assert.Empty(t, s.Currency, "nulls became values")
	assert.Equal(t, new(energy.Fraction(1)), s.SelfConsumption, "SelfConsumption 100 (percent, as documented)")
}
