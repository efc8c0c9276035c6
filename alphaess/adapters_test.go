package alphaess_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

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
	third := energy.Schedule{Windows: []energy.Window{
		{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge},
		{Start: start.Add(2 * time.Hour), End: start.Add(3 * time.Hour), Mode: energy.ModeCharge},
		{Start: start.Add(4 * time.Hour), End: start.Add(5 * time.Hour), Mode: energy.ModeCharge},
	}}
	energytest.TestBattery(t, energytest.BatteryHarness{
		Battery: c.Battery(), Requests: srv.Requests, Now: fc.Now, MaxAge: time.Minute, Unsupported: &third,
	})
	// The contract accepts ErrUnsupported for its valid schedule; this
	// adapter must really have written it (one charge window, stop at 90 %).
	if got := srv.ChargeConfig(); got.GridCharge != 1 || got.BatHighCap != 90 || got.TimeChaf1 == got.TimeChae1 {
		t.Errorf("the contract's valid schedule was not written: %+v", got)
	}
}

func TestMeterContract(t *testing.T) {
	c, srv, fc := newFake(t, nil)
	energytest.TestMeter(t, energytest.MeterHarness{Meter: c.Meter(), Requests: srv.Requests, Now: fc.Now, MaxAge: time.Minute})
}

func TestChargerContract(t *testing.T) {
	c, srv, fc := newFake(t, nil)
	chargers, err := c.Chargers(context.Background())
	if err != nil || len(chargers) != 1 {
		t.Fatalf("Chargers = %v, %v", chargers, err)
	}
	energytest.TestCharger(t, energytest.ChargerHarness{Charger: chargers[0], Requests: srv.Requests, Now: fc.Now, MaxAge: time.Minute, Limit: 20})
	if srv.EVCurrent() != 20 || srv.EVStatus(srv.EVChargerSerial) != 4 {
		t.Errorf("the contract's writes did not land: %v A, status %d", srv.EVCurrent(), srv.EVStatus(srv.EVChargerSerial))
	}
}

// pbat > 0 already means discharging (reference §1.4's evening example:
// pload 1275 = pbat 1264 + pgrid 11), gridwire's sign too: no flip.
func TestBatteryStatusSign(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList.json"))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"), fixture(t, "getLastPowerData_ev.json"))
	b := c.Battery()
	st, err := b.BatteryStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Power != 1264 || st.StateOfCharge != 0.56 || st.Capacity != 13340 {
		t.Errorf("status = %+v", st)
	}
	if !st.MeasuredAt.Equal(t0.Add(alphaess.DefaultMinInterval)) {
		t.Errorf("MeasuredAt = %v, want the arrival of getLastPowerData", st.MeasuredAt)
	}
	st, err = b.BatteryStatus(context.Background())
	if err != nil || st.Power != -3300 || st.StateOfCharge != 0.872 {
		t.Fatalf("charging: %+v, %v", st, err)
	}
	var lists int
	for _, r := range m.requests() {
		if strings.HasSuffix(r.req.URL.Path, "getEssList") {
			lists++
		}
	}
	if lists != 1 {
		t.Errorf("getEssList read %d times, want once", lists)
	}
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
	if _, err := b.BatteryStatus(ctx); !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Errorf("cancelled caller: %v after %v, want context.Canceled at once", err, time.Since(start))
	}
	free()
	if err := <-first; err != nil {
		t.Fatalf("first caller: %v", err)
	}
}

func TestMeterReading(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData_ev.json"))
	r, err := c.Meter().MeterReading(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := energy.MeterReading{MeasuredAt: t0, PV: 5212, Load: 8790, Grid: -1250, Battery: -3300, EV: energy.Ptr[energy.Watts](7360)}
	if !r.MeasuredAt.Equal(want.MeasuredAt) || r.PV != want.PV || r.Load != want.Load || r.Grid != want.Grid ||
		r.Battery != want.Battery || *r.EV != *want.EV {
		t.Errorf("reading = %+v", r)
	}
}

// All-null power is "unavailable", never zeros presented as fresh.
func TestAdaptersRefuseNulls(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	srv.SetNullPower(true)
	ctx := context.Background()
	_, err := c.Battery().BatteryStatus(ctx)
	var me *alphaess.MissingDataError
	if !errors.As(err, &me) || !errors.Is(err, energy.ErrUnavailable) || !reflect.DeepEqual(me.Fields, []string{"soc", "pbat"}) {
		t.Errorf("battery: %v", err)
	}
	_, err = c.Meter().MeterReading(ctx)
	if !errors.As(err, &me) || !errors.Is(err, energy.ErrUnavailable) || !reflect.DeepEqual(me.Fields, []string{"ppv", "pload", "pgrid", "pbat"}) {
		t.Fatalf("meter: %v", err)
	}
	if !strings.Contains(err.Error(), "no data: ppv, pload, pgrid, pbat null") {
		t.Errorf("message %q", err)
	}
}

func TestAdaptersOffline(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	srv.SetOffline(true)
	if _, err := c.Meter().MeterReading(context.Background()); !errors.Is(err, energy.ErrUnavailable) {
		t.Errorf("meter: %v", err)
	}
}

// at returns 4 August 2026 (the day of t0) plus d, in Sydney.
func at(d time.Duration) time.Time { return time.Date(2026, 8, 4, 0, 0, 0, 0, sydney).Add(d) }

func TestSetScheduleWritesPeriods(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	s := energy.Schedule{Windows: []energy.Window{
		{Start: at(22 * time.Hour), End: at(23 * time.Hour), Mode: energy.ModeCharge},
		{Start: at(25 * time.Hour), End: at(29 * time.Hour), Mode: energy.ModeCharge, TargetSoC: 0.9},
		{Start: at(41 * time.Hour), End: at(43*time.Hour + 30*time.Minute), Mode: energy.ModeDischarge},
	}}
	if err := c.Battery().SetSchedule(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if got, want := srv.ChargeConfig(), (alphaesstest.ChargeConfig{GridCharge: 1, BatHighCap: 90,
		TimeChaf1: "22:00", TimeChae1: "23:00", TimeChaf2: "01:00", TimeChae2: "05:00"}); got != want {
		t.Errorf("charge = %+v\nwant     %+v", got, want)
	}
	// No discharge target: the system's cut-off (10 %) is kept.
	if got, want := srv.DischargeConfig(), (alphaesstest.DischargeConfig{CtrDis: 1, BatUseCap: 10,
		TimeDisf1: "17:00", TimeDise1: "19:30", TimeDisf2: "00:00", TimeDise2: "00:00"}); got != want {
		t.Errorf("discharge = %+v\nwant        %+v", got, want)
	}
}

// Windows are mapped to times of day in the system's zone, whatever zone
// they come in.
func TestSetScheduleZone(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	start := time.Date(2026, 8, 4, 14, 0, 0, 0, time.UTC) // midnight in Sydney (UTC+10 in August)
	s := energy.Schedule{Windows: []energy.Window{{Start: start, End: start.Add(90 * time.Minute), Mode: energy.ModeDischarge, TargetSoC: 0.2}}}
	if err := c.Battery().SetSchedule(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if got := srv.DischargeConfig(); got.TimeDisf1 != "00:00" || got.TimeDise1 != "01:30" || got.BatUseCap != 20 || got.CtrDis != 1 {
		t.Errorf("discharge = %+v", got)
	}
	if srv.RequestsTo("getDisChargeConfigInfo") != 0 {
		t.Error("read the discharge settings although the schedule sets the cut-off")
	}
	if got := srv.ChargeConfig(); got.GridCharge != 0 || got.TimeChaf1 != "00:00" || got.TimeChae1 != "00:00" || got.BatHighCap != 100 {
		t.Errorf("charge = %+v", got)
	}
}

func TestSetScheduleEmptyClears(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	srv.SetChargeConfig(alphaesstest.ChargeConfig{GridCharge: 1, BatHighCap: 80, TimeChaf1: "01:00", TimeChae1: "05:00", TimeChaf2: "13:00", TimeChae2: "14:00"})
	srv.SetDischargeConfig(alphaesstest.DischargeConfig{CtrDis: 1, BatUseCap: 25, TimeDisf1: "17:00", TimeDise1: "21:00", TimeDisf2: "06:00", TimeDise2: "08:00"})
	if err := c.Battery().SetSchedule(context.Background(), energy.Schedule{}); err != nil {
		t.Fatal(err)
	}
	if got := srv.ChargeConfig(); got != (alphaesstest.ChargeConfig{GridCharge: 0, BatHighCap: 100, TimeChaf1: "00:00", TimeChae1: "00:00", TimeChaf2: "00:00", TimeChae2: "00:00"}) {
		t.Errorf("charge = %+v", got)
	}
	if got := srv.DischargeConfig(); got != (alphaesstest.DischargeConfig{CtrDis: 0, BatUseCap: 25, TimeDisf1: "00:00", TimeDise1: "00:00", TimeDisf2: "00:00", TimeDise2: "00:00"}) {
		t.Errorf("discharge = %+v (the cut-off must be kept)", got)
	}
}

// What two daily periods cannot express is refused with ErrUnsupported,
// naming the limit, before any request.
func TestSetScheduleUnsupported(t *testing.T) {
	h := time.Hour
	win := func(from, to time.Duration, mode energy.Mode) energy.Window {
		return energy.Window{Start: at(from), End: at(to), Mode: mode}
	}
	tests := []struct {
		name string
		ws   []energy.Window
		says string
	}{
		{"third charge window", []energy.Window{win(21*h, 22*h, "charge"), win(23*h, 24*h, "charge"), win(25*h, 26*h, "charge")}, "third charge window"},
		{"third discharge window", []energy.Window{win(21*h, 22*h, "discharge"), win(23*h, 24*h, "discharge"), win(25*h, 26*h, "discharge")}, "2 charge and 2 discharge periods"},
		// 22:10 is on a 5-minute grid but not on AlphaESS's 15-minute one.
		{"off-grid boundary", []energy.Window{{Start: at(22*h + 10*time.Minute), End: at(23 * h), Mode: "charge"}}, "starts at 22:10:00"},
		{"off-grid end", []energy.Window{{Start: at(22 * h), End: at(23*h + 30*time.Second), Mode: "charge"}}, "15-minute grid"},
		{"idle", []energy.Window{{Start: at(22 * h), End: at(23 * h), Mode: energy.ModeIdle}}, "cannot hold a battery idle"},
		{"power", []energy.Window{{Start: at(22 * h), End: at(23 * h), Mode: "charge", Power: 3000}}, "inverter's own power"},
		{"24 hours", []energy.Window{win(21*h, 45*h, "charge")}, "shorter than a day"},
		{"in the past", []energy.Window{win(10*h, 11*h, "charge")}, "past windows"},
		{"tomorrow evening", []energy.Window{win(45*h, 46*h, "charge")}, "24 h or more from now"},
		{"span over a day", []energy.Window{win(21*h, 22*h, "charge"), win(44*h, 46*h, "discharge")}, "span 25h0m0s"},
		{"two targets", []energy.Window{{Start: at(21 * h), End: at(22 * h), Mode: "charge", TargetSoC: 0.8}, {Start: at(23 * h), End: at(24 * h), Mode: "charge", TargetSoC: 0.9}}, "one charge level"},
		{"fractional percent", []energy.Window{{Start: at(21 * h), End: at(22 * h), Mode: "discharge", TargetSoC: 0.125}}, "whole percent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srv, _ := newFake(t, nil)
			err := c.Battery().SetSchedule(context.Background(), energy.Schedule{Windows: tt.ws})
			var ue *energy.UnsupportedError
			if !errors.As(err, &ue) || !errors.Is(err, energy.ErrUnsupported) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("err = %v, want ErrUnsupported saying %q", err, tt.says)
			}
			if srv.Requests() != 0 {
				t.Errorf("%d requests before refusing", srv.Requests())
			}
		})
	}
}

// An invalid schedule is a FieldError, not "unsupported".
func TestSetScheduleInvalid(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	err := c.Battery().SetSchedule(context.Background(), energy.Schedule{Windows: []energy.Window{{Start: at(22 * time.Hour), End: at(21 * time.Hour), Mode: "charge"}}})
	var fe *energy.FieldError
	if !errors.As(err, &fe) || fe.Field != "Windows[0].End" || srv.Requests() != 0 {
		t.Fatalf("err = %v", err)
	}
}

// A device that ignores writes is caught by WithVerifyWrites.
func TestSetScheduleNotApplied(t *testing.T) {
	c, srv, _ := newFake(t, nil, alphaess.WithVerifyWrites(true))
	srv.SetIgnoreWrites(true)
	s := energy.Schedule{Windows: []energy.Window{{Start: at(22 * time.Hour), End: at(23 * time.Hour), Mode: energy.ModeCharge}}}
	err := c.Battery().SetSchedule(context.Background(), s)
	var na *alphaess.NotAppliedError
	if !errors.As(err, &na) || na.Endpoint != "updateChargeConfigInfo" {
		t.Fatalf("err = %v", err)
	}
}

func TestChargerStates(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	ch := c.Charger(srv.EVChargerSerial)
	ctx := context.Background()
	for status, want := range map[int]energy.ChargerState{1: energy.ChargerUnplugged, 5: energy.ChargerSuspended, 9: energy.ChargerFaulted, 6: energy.ChargerConnected} {
		srv.SetEVStatus(srv.EVChargerSerial, status)
		st, err := ch.ChargerStatus(ctx)
		if err != nil || st.State != want || st.Power != 0 || st.CurrentLimit != 16 {
			t.Errorf("status %d: %+v, %v", status, st, err)
		}
	}
	srv.SetEVStatus(srv.EVChargerSerial, 2)
	if err := ch.SetCurrentLimit(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if err := ch.SetCharging(ctx, true); err != nil {
		t.Fatal(err)
	}
	st, err := ch.ChargerStatus(ctx)
	if err != nil || st.State != energy.ChargerCharging || st.Power != 2300 || st.CurrentLimit != 10 {
		t.Fatalf("charging: %+v, %v", st, err)
	}
	if srv.EVCurrent() != 10 || ch.SerialNumber() != srv.EVChargerSerial {
		t.Errorf("fake current %v", srv.EVCurrent())
	}
	if err := ch.SetCharging(ctx, false); err != nil || srv.EVStatus(srv.EVChargerSerial) != 4 {
		t.Fatalf("stop: %v, status %d", err, srv.EVStatus(srv.EVChargerSerial))
	}
}

func TestChargerFailures(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	ctx := context.Background()
	srv.SetEVStatus(srv.EVChargerSerial, 1)
	var ae *alphaess.APIError
	if err := c.Charger(srv.EVChargerSerial).SetCharging(ctx, true); !errors.As(err, &ae) || ae.Code != alphaess.CodeOperationFailed {
		t.Errorf("start while unplugged: %v", err)
	}
	if _, err := c.Charger("AE0000000000000").ChargerStatus(ctx); !errors.As(err, &ae) || ae.Code != alphaess.CodeDataNotFound {
		t.Errorf("unknown charger: %v", err)
	}
	var fe *energy.FieldError
	if _, err := c.Charger(" ").ChargerStatus(ctx); !errors.As(err, &fe) {
		t.Errorf("empty charger: %v", err)
	}
	c2, _, _ := newFake(t, []alphaesstest.Option{alphaesstest.WithoutEVCharger()})
	if list, err := c2.Chargers(ctx); err != nil || len(list) != 0 {
		t.Errorf("no charger: %v, %v", list, err)
	}
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
	if !errors.As(err, &me) || me.Fields[0] != "pevDetail.ev2Power" {
		t.Fatalf("err = %v", err)
	}
}
