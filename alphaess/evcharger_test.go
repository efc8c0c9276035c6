package alphaess_test

import (
	"context"
	"math"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

func TestEVChargers(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEvChargerConfigList", fixture(t, "getEvChargerConfigList.json"))
	got, err := c.EVChargers(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []alphaess.EVCharger{{SerialNumber: testEVSN, Model: "SMILE-EVCT11"}}, got)
	assert.Equal(t, testSN, m.last(t).req.URL.Query().Get("sysSn"), "sysSn not sent")
	c, m = newMock(t)
	m.on(http.MethodGet, "getEvChargerConfigList", fixture(t, "getEvChargerConfigList_empty.json"))
	got, err = c.EVChargers(context.Background())
	require.NoError(t, err, "no charger")
	assert.Empty(t, got)
}

func TestEVChargerCurrent(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEvChargerCurrentsBySn", fixture(t, "getEvChargerCurrentsBySn.json"))
	m.on(http.MethodPost, "setEvChargerCurrentsBySn", fixture(t, "ok_null.json"))
	ctx := context.Background()
	a, err := c.EVChargerCurrent(ctx)
	require.NoError(t, err)
	require.Equal(t, energy.Amperes(32), a)
	require.NoError(t, c.SetEVChargerCurrent(ctx, 16))
	assert.Equal(t, map[string]any{"sysSn": testSN, "currentsetting": 16.0}, m.last(t).json(t), "currentsetting is all lower-case")
	for _, bad := range []energy.Amperes{0, -6, energy.Amperes(math.NaN()), energy.Amperes(math.Inf(1))} {
		var fe *energy.FieldError
		if assert.ErrorAs(t, c.SetEVChargerCurrent(ctx, bad), &fe, "SetEVChargerCurrent(%v)", bad) {
			assert.Equal(t, "currentsetting", fe.Field)
		}
	}
	assert.Len(t, m.requests(), 2)
	c, m = newMock(t)
	m.on(http.MethodGet, "getEvChargerCurrentsBySn", body(200, `{"code":200,"msg":"Success","data":{"currentsetting":null}}`))
	_, err = c.EVChargerCurrent(ctx)
	assert.ErrorIs(t, err, energy.ErrUnavailable, "null current")
}

func TestEVChargerCurrentVerify(t *testing.T) {
	c, m := newMock(t, alphaess.WithVerifyWrites(true))
	m.on(http.MethodPost, "setEvChargerCurrentsBySn", fixture(t, "ok_null.json"))
	m.on(http.MethodGet, "getEvChargerCurrentsBySn", fixture(t, "getEvChargerCurrentsBySn.json"))
	err := c.SetEVChargerCurrent(context.Background(), 16)
	var na *alphaess.NotAppliedError
	require.ErrorAs(t, err, &na)
	assert.Equal(t, "16.0 A", na.Diffs[0].Sent)
	assert.Equal(t, "32.0 A", na.Diffs[0].Got)
	require.NoError(t, c.SetEVChargerCurrent(context.Background(), 32))
	// A failed read-back says so, and keeps the cause inspectable.
	c, m = newMock(t, alphaess.WithVerifyWrites(true))
	m.on(http.MethodPost, "setEvChargerCurrentsBySn", fixture(t, "ok_null.json"))
	m.on(http.MethodGet, "getEvChargerCurrentsBySn", fixture(t, "error_6042.json"))
	err = c.SetEVChargerCurrent(context.Background(), 16)
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Contains(t, err.Error(), "reading back setEvChargerCurrentsBySn")
}

func TestEVChargerStatus(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEvChargerStatusBySn", fixture(t, "getEvChargerStatusBySn.json"))
	st, err := c.EVChargerStatus(context.Background(), testEVSN)
	require.NoError(t, err)
	require.Equal(t, alphaess.EVCharging, st)
	assert.Equal(t, "Charging", st.String())
	q := m.last(t).req.URL.Query()
	assert.Equal(t, testSN, q.Get("sysSn"))
	assert.Equal(t, testEVSN, q.Get("evchargerSn"))
	var fe *energy.FieldError
	_, err = c.EVChargerStatus(context.Background(), "")
	assert.ErrorAs(t, err, &fe, "empty charger")
	c, m = newMock(t)
	m.on(http.MethodGet, "getEvChargerStatusBySn", body(200, `{"code":200,"msg":"Success","data":{"evchargerStatus":2.5}}`))
	_, err = c.EVChargerStatus(context.Background(), testEVSN)
	assert.Error(t, err, "status 2.5 accepted")
}

// OCPP 1.6's statuses, mapped as evcc maps OCPP.
func TestEVStatusState(t *testing.T) {
	want := map[alphaess.EVStatus]energy.ChargerState{
		1: energy.ChargerUnplugged, 2: energy.ChargerConnected, 3: energy.ChargerCharging,
		4: energy.ChargerSuspended, 5: energy.ChargerSuspended, 6: energy.ChargerConnected,
		7: energy.ChargerUnknown, 8: energy.ChargerUnknown, 9: energy.ChargerFaulted,
		0: energy.ChargerUnknown, 42: energy.ChargerUnknown,
	}
	names := []string{"EVStatus(0)", "Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted"}
	for s, st := range want {
		assert.Equal(t, st, s.State(), "%d (%v).State()", int(s), s)
		if int(s) < len(names) {
			assert.Equal(t, names[s], s.String(), "%d.String()", int(s))
		}
	}
}

func TestControlEVCharger(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "remoteControlEvCharger", fixture(t, "ok_null.json"))
	ctx := context.Background()
	require.NoError(t, c.ControlEVCharger(ctx, testEVSN, alphaess.ControlStart))
	assert.Equal(t, map[string]any{"sysSn": testSN, "evchargerSn": testEVSN, "controlMode": 1.0}, m.last(t).json(t))
	require.NoError(t, c.ControlEVCharger(ctx, testEVSN, alphaess.ControlStop), "stop")
	assert.Equal(t, 0.0, m.last(t).json(t)["controlMode"], "stop")
	var fe *energy.FieldError
	if assert.ErrorAs(t, c.ControlEVCharger(ctx, testEVSN, 2), &fe, "mode 2") {
		assert.Equal(t, "controlMode", fe.Field)
	}
	if assert.ErrorAs(t, c.ControlEVCharger(ctx, "", alphaess.ControlStart), &fe, "no charger") {
		assert.Equal(t, "evchargerSn", fe.Field)
	}
	c, m = newMock(t)
	m.on(http.MethodPost, "remoteControlEvCharger", envelopeCode(6029, "operation failed"))
	var ae *alphaess.APIError
	if assert.ErrorAs(t, c.ControlEVCharger(ctx, testEVSN, alphaess.ControlStart), &ae, "6029") {
		assert.Equal(t, alphaess.CodeOperationFailed, ae.Code)
	}
}
