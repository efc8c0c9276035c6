package alphaess_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// Shapes from reference §1.3 (#13–#17) and §1.4.
func TestEVChargers(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEvChargerConfigList", fixture(t, "getEvChargerConfigList.json"))
	got, err := c.EVChargers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []alphaess.EVCharger{{SerialNumber: testEVSN, Model: "SMILE-EVCT11"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	if m.last(t).req.URL.Query().Get("sysSn") != testSN {
		t.Error("sysSn not sent")
	}
	c, m = newMock(t)
	m.on(http.MethodGet, "getEvChargerConfigList", fixture(t, "getEvChargerConfigList_empty.json"))
	if got, err := c.EVChargers(context.Background()); err != nil || len(got) != 0 {
		t.Errorf("no charger: %v, %v", got, err)
	}
}

func TestEVChargerCurrent(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEvChargerCurrentsBySn", fixture(t, "getEvChargerCurrentsBySn.json"))
	m.on(http.MethodPost, "setEvChargerCurrentsBySn", fixture(t, "ok_null.json"))
	ctx := context.Background()
	if a, err := c.EVChargerCurrent(ctx); err != nil || a != 32 {
		t.Fatalf("current = %v, %v", a, err)
	}
	if err := c.SetEVChargerCurrent(ctx, 16); err != nil {
		t.Fatal(err)
	}
	if got := m.last(t).json(t); !reflect.DeepEqual(got, map[string]any{"sysSn": testSN, "currentsetting": 16.0}) {
		t.Errorf("body = %v (currentsetting is all lower-case)", got)
	}
	for _, bad := range []energy.Amperes{0, -6, energy.Amperes(math.NaN()), energy.Amperes(math.Inf(1))} {
		var fe *energy.FieldError
		if err := c.SetEVChargerCurrent(ctx, bad); !errors.As(err, &fe) || fe.Field != "currentsetting" {
			t.Errorf("SetEVChargerCurrent(%v) = %v", bad, err)
		}
	}
	if n := len(m.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	c, m = newMock(t)
	m.on(http.MethodGet, "getEvChargerCurrentsBySn", body(200, `{"code":200,"msg":"Success","data":{"currentsetting":null}}`))
	if _, err := c.EVChargerCurrent(ctx); !errors.Is(err, energy.ErrUnavailable) {
		t.Errorf("null current: %v", err)
	}
}

func TestEVChargerCurrentVerify(t *testing.T) {
	c, m := newMock(t, alphaess.WithVerifyWrites(true))
	m.on(http.MethodPost, "setEvChargerCurrentsBySn", fixture(t, "ok_null.json"))
	m.on(http.MethodGet, "getEvChargerCurrentsBySn", fixture(t, "getEvChargerCurrentsBySn.json"))
	err := c.SetEVChargerCurrent(context.Background(), 16)
	var na *alphaess.NotAppliedError
	if !errors.As(err, &na) || na.Diffs[0].Sent != "16.0 A" || na.Diffs[0].Got != "32.0 A" {
		t.Fatalf("err = %v", err)
	}
	if err := c.SetEVChargerCurrent(context.Background(), 32); err != nil {
		t.Fatalf("err = %v", err)
	}
	// A failed read-back says so, and keeps the cause inspectable.
	c, m = newMock(t, alphaess.WithVerifyWrites(true))
	m.on(http.MethodPost, "setEvChargerCurrentsBySn", fixture(t, "ok_null.json"))
	m.on(http.MethodGet, "getEvChargerCurrentsBySn", fixture(t, "error_6042.json"))
	if err := c.SetEVChargerCurrent(context.Background(), 16); !errors.Is(err, energy.ErrUnavailable) ||
		!strings.Contains(err.Error(), "reading back setEvChargerCurrentsBySn") {
		t.Fatalf("err = %v", err)
	}
}

func TestEVChargerStatus(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEvChargerStatusBySn", fixture(t, "getEvChargerStatusBySn.json"))
	st, err := c.EVChargerStatus(context.Background(), testEVSN)
	if err != nil || st != alphaess.EVCharging || st.String() != "Charging" {
		t.Fatalf("status = %v, %v", st, err)
	}
	if q := m.last(t).req.URL.Query(); q.Get("sysSn") != testSN || q.Get("evchargerSn") != testEVSN {
		t.Errorf("query = %v", q)
	}
	var fe *energy.FieldError
	if _, err := c.EVChargerStatus(context.Background(), ""); !errors.As(err, &fe) {
		t.Errorf("empty charger: %v", err)
	}
	c, m = newMock(t)
	m.on(http.MethodGet, "getEvChargerStatusBySn", body(200, `{"code":200,"msg":"Success","data":{"evchargerStatus":2.5}}`))
	if _, err := c.EVChargerStatus(context.Background(), testEVSN); err == nil {
		t.Error("status 2.5 accepted")
	}
}

// OCPP 1.6's statuses, mapped as evcc maps OCPP (reference §1.4).
func TestEVStatusState(t *testing.T) {
	want := map[alphaess.EVStatus]energy.ChargerState{
		1: energy.ChargerUnplugged, 2: energy.ChargerConnected, 3: energy.ChargerCharging,
		4: energy.ChargerSuspended, 5: energy.ChargerSuspended, 6: energy.ChargerConnected,
		7: energy.ChargerUnknown, 8: energy.ChargerUnknown, 9: energy.ChargerFaulted,
		0: energy.ChargerUnknown, 42: energy.ChargerUnknown,
	}
	names := []string{"EVStatus(0)", "Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted"}
	for s, st := range want {
		if got := s.State(); got != st {
			t.Errorf("%d (%v).State() = %v, want %v", int(s), s, got, st)
		}
		if int(s) < len(names) && s.String() != names[s] {
			t.Errorf("%d.String() = %q", int(s), s.String())
		}
	}
}

func TestControlEVCharger(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "remoteControlEvCharger", fixture(t, "ok_null.json"))
	ctx := context.Background()
	if err := c.ControlEVCharger(ctx, testEVSN, alphaess.ControlStart); err != nil {
		t.Fatal(err)
	}
	if got := m.last(t).json(t); !reflect.DeepEqual(got, map[string]any{"sysSn": testSN, "evchargerSn": testEVSN, "controlMode": 1.0}) {
		t.Errorf("body = %v", got)
	}
	if err := c.ControlEVCharger(ctx, testEVSN, alphaess.ControlStop); err != nil || m.last(t).json(t)["controlMode"] != 0.0 {
		t.Errorf("stop: %v, %v", err, m.last(t).json(t))
	}
	var fe *energy.FieldError
	if err := c.ControlEVCharger(ctx, testEVSN, 2); !errors.As(err, &fe) || fe.Field != "controlMode" {
		t.Errorf("mode 2: %v", err)
	}
	if err := c.ControlEVCharger(ctx, "", alphaess.ControlStart); !errors.As(err, &fe) || fe.Field != "evchargerSn" {
		t.Errorf("no charger: %v", err)
	}
	c, m = newMock(t)
	m.on(http.MethodPost, "remoteControlEvCharger", envelopeCode(6029, "operation failed"))
	var ae *alphaess.APIError
	if err := c.ControlEVCharger(ctx, testEVSN, alphaess.ControlStart); !errors.As(err, &ae) || ae.Code != alphaess.CodeOperationFailed {
		t.Errorf("6029: %v", err)
	}
}
