package alphaess_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

func w(v float64) *energy.Watts { return energy.Ptr(energy.Watts(v)) }

func eqW(a *energy.Watts, want *energy.Watts) bool {
	if a == nil || want == nil {
		return a == nil && want == nil
	}
	return *a == *want
}

// Shapes from reference §1.4 (getEssList example body, plus a second system
// with nulls).
func TestListSystems(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList.json"))
	got, err := c.ListSystems(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r := m.last(t).req; r.URL.RawQuery != "" {
		t.Errorf("query %q, want none", r.URL.RawQuery)
	}
	if len(got) != 2 {
		t.Fatalf("%d systems", len(got))
	}
	s := got[0]
	if s.SerialNumber != testSN || s.InverterModel != "SMILE5-INV" || s.BatteryModel != "SMILE-BAT-13.3P" || s.EMSStatus != "Normal" {
		t.Errorf("system = %+v", s)
	}
	if *s.BatteryCapacity != 13340 || *s.RemainingCapacity != 13340 || *s.UsableCapacity != 1 ||
		*s.InverterPower != 5000 || *s.PVPower != 9000 {
		t.Errorf("units: capacity %v, remaining %v, usable %v, inverter %v, pv %v",
			*s.BatteryCapacity, *s.RemainingCapacity, *s.UsableCapacity, *s.InverterPower, *s.PVPower)
	}
	if n := got[1]; n.BatteryCapacity != nil || n.UsableCapacity != nil || n.BatteryModel != "" {
		t.Errorf("nulls became values: %+v", n)
	}
}

// Older answers carry getEssList's data as one object (reference §1.2).
func TestListSystemsObject(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList_object.json"))
	got, err := c.ListSystems(context.Background())
	if err != nil || len(got) != 1 || got[0].SerialNumber != testSN {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestListSystemsFailures(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "error_6007.json"))
	if _, err := c.ListSystems(context.Background()); !errors.Is(err, energy.ErrUnauthorized) {
		t.Fatalf("6007: %v", err)
	}
	c, m = newMock(t)
	m.on(http.MethodGet, "getEssList", body(200, `{"code":200,"msg":"Success","data":"AL7011023030600"}`))
	if _, err := c.ListSystems(context.Background()); err == nil {
		t.Fatal("a string for data was accepted")
	}
	c, m = newMock(t)
	m.on(http.MethodGet, "getEssList", body(200, `{"code":200,"msg":"Success","data":null}`))
	if got, err := c.ListSystems(context.Background()); err != nil || len(got) != 0 {
		t.Fatalf("null data: %v, %v", got, err)
	}
}

// The evening example of reference §1.4: pload 1275 = pbat 1264 + pgrid 11.
func TestLastPowerData(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	p, err := c.LastPowerData(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if q := m.last(t).req.URL.Query(); q.Get("sysSn") != testSN || len(q) != 1 {
		t.Errorf("query = %v", q)
	}
	if !p.ReceivedAt.Equal(t0) || p.ReceivedAt.Location() != sydney {
		t.Errorf("ReceivedAt = %v, want the clock's now in the system's zone", p.ReceivedAt)
	}
	if !eqW(p.Battery, w(1264)) || !eqW(p.Grid, w(11)) || !eqW(p.Load, w(1275)) || !eqW(p.PV, w(0)) {
		t.Errorf("flows: battery %v grid %v load %v pv %v", p.Battery, p.Grid, p.Load, p.PV)
	}
	if *p.StateOfCharge != 0.56 {
		t.Errorf("soc = %v, want 0.56", *p.StateOfCharge)
	}
	if !eqW(p.InverterPhases[0], w(1159)) || !eqW(p.GridPhases[0], w(11)) || !eqW(p.EV, w(0)) || !eqW(p.PVMeterDC, w(0)) {
		t.Errorf("details: %+v", p)
	}
	for i, e := range p.EVChargers {
		if e != nil {
			t.Errorf("EVChargers[%d] = %v, want nil (null on the wire)", i, *e)
		}
	}
}

// Storion-S5 answers every number null with code 200 (reference §1.4).
func TestLastPowerDataNulls(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData_nulls.json"))
	p, err := c.LastPowerData(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	all := []*energy.Watts{p.PV, p.Load, p.Grid, p.Battery, p.EV, p.PVMeterDC}
	all = append(append(append(all, p.PVStrings[:]...), p.GridPhases[:]...), p.InverterPhases[:]...)
	for i, v := range all {
		if v != nil {
			t.Errorf("value %d = %v, want nil", i, *v)
		}
	}
	if p.StateOfCharge != nil {
		t.Errorf("soc = %v", *p.StateOfCharge)
	}
}

func TestLastPowerDataEV(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData_ev.json"))
	p, err := c.LastPowerData(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !eqW(p.EVChargers[0], w(7360)) || p.EVChargers[1] != nil || !eqW(p.Battery, w(-3300)) || !eqW(p.Grid, w(-1250)) {
		t.Errorf("got %+v", p)
	}
}

func TestLastPowerDataOffline(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6042.json"))
	_, err := c.LastPowerData(context.Background())
	var ae *alphaess.APIError
	if !errors.As(err, &ae) || ae.Code != alphaess.CodeSystemOffline || !errors.Is(err, energy.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
}

func TestLastPowerDataNullData(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "ok_null.json"))
	_, err := c.LastPowerData(context.Background())
	var me *alphaess.MissingDataError
	if !errors.As(err, &me) || !errors.Is(err, energy.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
}

// Live names cbat/pchargingPile (reference §1.4); uploadTime in the
// system's zone.
func TestOneDayPower(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDayPowerBySn", fixture(t, "getOneDayPowerBySn.json"))
	day := alphaess.Date{Year: 2026, Month: time.August, Day: 4}
	got, err := c.OneDayPower(context.Background(), day)
	if err != nil {
		t.Fatal(err)
	}
	if q := m.last(t).req.URL.Query(); q.Get("sysSn") != testSN || q.Get("queryDate") != "2026-08-04" {
		t.Errorf("query = %v", q)
	}
	if len(got) != 3 {
		t.Fatalf("%d samples", len(got))
	}
	s := got[1]
	if want := time.Date(2026, 8, 4, 20, 9, 4, 0, sydney); !s.Time.Equal(want) {
		t.Errorf("Time = %v, want %v (uploadTime in the system's zone)", s.Time, want)
	}
	if *s.StateOfCharge != 0.568 || !eqW(s.Load, w(1218)) || !eqW(s.GridImport, w(2)) || !eqW(s.EV, w(0)) || !eqW(s.FeedIn, w(0)) {
		t.Errorf("sample = %+v", s)
	}
	if n := got[2]; n.PV != nil || n.StateOfCharge != nil || n.EV != nil || !eqW(n.Load, w(1231)) {
		t.Errorf("nulls: %+v", n)
	}
}

// The portal documents cobat/pChargingPile; those are read too.
func TestOneDayPowerPortalCasing(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDayPowerBySn", fixture(t, "getOneDayPowerBySn_portal.json"))
	got, err := c.OneDayPower(context.Background(), alphaess.Date{Year: 2026, Month: time.August, Day: 4})
	if err != nil || len(got) != 1 {
		t.Fatal(got, err)
	}
	if *got[0].StateOfCharge != 0.88 || !eqW(got[0].EV, w(3000)) {
		t.Errorf("sample = %+v", got[0])
	}
}

func TestOneDayPowerDates(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDayPowerBySn", fixture(t, "getOneDayPowerBySn.json"))
	ctx := context.Background()
	// t0 is 20:10 on 4 August in Sydney (10:10 UTC): 5 August is tomorrow.
	for _, d := range []alphaess.Date{{Year: 2026, Month: 8, Day: 5}, {Year: 2026, Month: 2, Day: 30}, {}} {
		_, err := c.OneDayPower(ctx, d)
		var fe *energy.FieldError
		if !errors.As(err, &fe) || fe.Field != "queryDate" {
			t.Errorf("OneDayPower(%v) = %v, want a FieldError", d, err)
		}
	}
	if len(m.requests()) != 0 {
		t.Fatal("invalid dates were sent")
	}
	// Today in Sydney is 4 August even in a UTC-zoned process.
	if _, err := c.OneDayPower(ctx, c.Today()); err != nil || c.Today().String() != "2026-08-04" {
		t.Fatalf("Today = %v: %v", c.Today(), err)
	}
	// "Not after today" is judged in the system's zone, not UTC's: in
	// UTC+14 it is already 5 August (UTC still says the 4th), and that day
	// may be asked for.
	late := c.In(mustZone("Pacific/Kiritimati"))
	if _, err := late.OneDayPower(ctx, alphaess.Date{Year: 2026, Month: 8, Day: 5}); err != nil || late.Today().String() != "2026-08-05" {
		t.Fatalf("5 August in UTC+14 (Today %v): %v", late.Today(), err)
	}
	if q := m.last(t).req.URL.Query().Get("queryDate"); q != "2026-08-05" {
		t.Errorf("queryDate = %q, want 2026-08-05", q)
	}
	// Just after midnight in Sydney (14:30 UTC on the 4th) today is the 5th.
	m.clock.Set(time.Date(2026, 8, 5, 0, 30, 0, 0, sydney))
	if _, err := c.OneDayPower(ctx, alphaess.Date{Year: 2026, Month: 8, Day: 5}); err != nil {
		t.Fatalf("5 August at 00:30 in Sydney: %v", err)
	}
}

func TestOneDayPowerBadTime(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDayPowerBySn", body(200, `{"code":200,"msg":"Success","data":[{"uploadTime":"04/08/2026 20:09"}]}`))
	if _, err := c.OneDayPower(context.Background(), c.Today()); err == nil {
		t.Fatal("a malformed uploadTime was accepted")
	}
}

// Reference §1.4 example body; epv lower-case, the rest camelCase.
func TestOneDateEnergy(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDateEnergyBySn", fixture(t, "getOneDateEnergyBySn.json"))
	e, err := c.OneDateEnergy(context.Background(), alphaess.Date{Year: 2026, Month: 8, Day: 4})
	if err != nil {
		t.Fatal(err)
	}
	if q := m.last(t).req.URL.Query(); q.Get("queryDate") != "2026-08-04" || q.Get("sysSn") != testSN {
		t.Errorf("query = %v", q)
	}
	wh := func(v *energy.WattHours) float64 { return float64(*v) }
	if e.Date.String() != "2026-08-04" || wh(e.PV) != 10600 || wh(e.Charge) != 12200 || wh(e.Discharge) != 7100 ||
		wh(e.GridCharge) != 9100 || wh(e.Import) != 14410 || wh(e.Export) != 420 || wh(e.EV) != 0 || e.Empty() {
		t.Errorf("energy = %+v", e)
	}
}

// All zeros while AlphaESS finalises yesterday (reference §1.4).
func TestOneDateEnergyNotFinal(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getOneDateEnergyBySn", fixture(t, "getOneDateEnergyBySn_zero.json"))
	e, err := c.OneDateEnergy(context.Background(), alphaess.Date{Year: 2026, Month: 8, Day: 3})
	if err != nil || !e.Empty() {
		t.Fatalf("got %+v, %v; want Empty", e, err)
	}
}

// Lower-case fields and fraction-valued eself* (reference §1.4).
func TestSummary(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getSumDataForCustomer", fixture(t, "getSumDataForCustomer.json"))
	s, err := c.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if float64(*s.PVToday) != 46160 || float64(*s.PVTotal) != 17003140 || float64(*s.Load) != 8400 ||
		float64(*s.Export) != 37010 || float64(*s.Import) != 550 || float64(*s.Charge) != 3400 || float64(*s.Discharge) != 2100 {
		t.Errorf("energies = %+v", s)
	}
	if *s.SelfConsumption != 0.47 || *s.SelfSufficiency != 0.52016 || *s.IncomeToday != 12.92 || s.Currency != "EUR" ||
		*s.Trees != 2911.1488 || *s.CarbonKg != 14622.7004 || *s.IncomeTotal != 4263.64 {
		t.Errorf("summary = %+v", s)
	}
}

func TestSummaryWithoutTariff(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getSumDataForCustomer", fixture(t, "getSumDataForCustomer_notariff.json"))
	s, err := c.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.IncomeToday != nil || s.IncomeTotal != nil || s.SelfSufficiency != nil || s.Trees != nil || s.Currency != "" {
		t.Errorf("nulls became values: %+v", s)
	}
	if *s.SelfConsumption != 1 {
		t.Errorf("SelfConsumption 100 (percent, as documented) = %v, want 1", *s.SelfConsumption)
	}
}
