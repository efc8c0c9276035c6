package co_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/oscp/co"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const token = "co-token"

const forecastJSON = `{"group_id":"my-group","type":"CONSUMPTION","forecasted_blocks":[
 {"capacity":32,"phase":"ALL","unit":"A","start_time":"2026-03-01T10:00:00Z","end_time":"2026-03-01T10:15:00Z"},
 {"capacity":16,"phase":"ONE","unit":"A","start_time":"2026-03-01T10:00:00Z","end_time":"2026-03-01T10:15:00Z"},
 {"capacity":0,"phase":"ALL","unit":"A","start_time":"2026-03-01T10:15:00Z","end_time":"2026-03-01T10:30:00Z"}]}`

func post(t *testing.T, h http.Handler, msg, body string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("POST", "/oscp/co/2.0/"+msg, strings.NewReader(body))
	req.Header.Set("Authorization", "Token "+token)
	req.Header.Set("X-Request-ID", "req-1")
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandlerAcceptsEveryMessage(t *testing.T) {
	got := map[string]any{}
	record := func(name string) func(context.Context, any) error {
		return func(ctx context.Context, m any) error {
			info, ok := co.RequestInfoFrom(ctx)
			require.True(t, ok)
			assert.Equal(t, "req-1", info.RequestID)
			got[name] = m
			return nil
		}
	}
	hooks := co.Hooks{
		Register:             func(ctx context.Context, m co.Register) error { return record("register")(ctx, m) },
		Handshake:            func(ctx context.Context, m co.Handshake) error { return record("handshake")(ctx, m) },
		HandshakeAcknowledge: func(ctx context.Context, m co.HandshakeAcknowledge) error { return record("ack")(ctx, m) },
		Heartbeat:            func(ctx context.Context, m co.Heartbeat) error { return record("heartbeat")(ctx, m) },
		UpdateGroupCapacityForecast: func(ctx context.Context, m co.CapacityForecast) error {
			return record("update")(ctx, m)
		},
		AdjustGroupCapacityForecast: func(ctx context.Context, m co.CapacityForecast) error {
			return record("adjust")(ctx, m)
		},
		GroupCapacityComplianceError: func(ctx context.Context, m co.ComplianceError) error {
			return record("compliance")(ctx, m)
		},
		UpdateGroupMeasurements: func(ctx context.Context, m co.GroupMeasurements) error {
			return record("group measurements")(ctx, m)
		},
		UpdateAssetMeasurements: func(ctx context.Context, m co.AssetMeasurements) error {
			return record("asset measurements")(ctx, m)
		},
	}
	fc := co.NewForecasts()
	h, err := co.NewHandler(token, hooks, co.WithForecasts(fc))
	require.NoError(t, err)
	for msg, body := range map[string]string{
		co.MsgRegister:                     `{"token":"fp-token","version_url":[{"version":"2.0","base_url":"https://fp/oscp/fp/2.0"}]}`,
		co.MsgHandshake:                    `{"required_behaviour":{"heartbeat_interval":60,"measurement_configuration":["CONTINUOUS"]}}`,
		co.MsgHandshakeAcknowledge:         `{}`,
		co.MsgHeartbeat:                    `{"offline_mode_at":"2026-03-01T10:05:00Z"}`,
		co.MsgUpdateGroupCapacityForecast:  forecastJSON,
		co.MsgAdjustGroupCapacityForecast:  strings.Replace(forecastJSON, "CONSUMPTION", "generation", 1),
		co.MsgGroupCapacityComplianceError: `{"message":"over capacity"}`,
		co.MsgUpdateGroupMeasurements: `{"group_id":"my-group","measurements":[{"value":0,"phase":"ALL","unit":"KWH","direction":"IMPORT",` +
			`"measure_time":"2026-03-01T10:00:00Z"}]}`,
		co.MsgUpdateAssetMeasurements: `{"group_id":"my-group","measurements":[{"asset_id":"XYZ.ABC.123","asset_category":"CHARGING",` +
			`"instantaneous_measurement":{"value":7.2,"phase":"ALL","unit":"KW","measure_time":"2026-03-01T10:00:00Z"}}]}`,
	} {
		resp := post(t, h, msg, body, nil)
		assert.Equal(t, http.StatusNoContent, resp.StatusCode, "%s: %s", msg, resp.Header.Get("X-Error-Message"))
	}
	require.Len(t, got, 9)
	gm := got["group measurements"].(co.GroupMeasurements)
	assert.Equal(t, co.EnergyKWH, gm.Measurements[0].Unit)
	am := got["asset measurements"].(co.AssetMeasurements)
	assert.Equal(t, 7.2, am.Measurements[0].InstantaneousMeasurement.Value)
	reg := got["register"].(co.Register)
	assert.Equal(t, "fp-token", reg.Token.Reveal())
	assert.NotContains(t, fmt.Sprintf("%v %+v", reg, reg), "fp-token")
	base, ok := reg.BaseURL("2.0")
	assert.True(t, ok)
	assert.Equal(t, "https://fp/oscp/fp/2.0", base)
	assert.Equal(t, 60.0, got["handshake"].(co.Handshake).RequiredBehaviour.HeartbeatInterval)
	assert.Equal(t, co.Generation, got["adjust"].(co.CapacityForecast).Type, "case-insensitive")
	hb := got["heartbeat"].(co.Heartbeat)
	assert.True(t, hb.OfflineModeAt.Equal(time.Date(2026, 3, 1, 10, 5, 0, 0, time.UTC)))

	c, ok := fc.MayDraw("my-group", time.Date(2026, 3, 1, 10, 5, 0, 0, time.UTC))
	require.True(t, ok)
	assert.Equal(t, co.Capacity{co.PhaseAll: {Value: 32, Unit: co.UnitA}, co.PhaseOne: {Value: 16, Unit: co.UnitA}}, c)
	c, ok = fc.MayDraw("my-group", time.Date(2026, 3, 1, 10, 15, 0, 0, time.UTC))
	require.True(t, ok)
	assert.Equal(t, 0.0, c[co.PhaseAll].Value, "a zero capacity is a limit, not a gap")
	_, ok = fc.MayDraw("my-group", time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC))
	assert.False(t, ok, "block ends are exclusive")
	_, ok = fc.MayDraw("other", time.Date(2026, 3, 1, 10, 5, 0, 0, time.UTC))
	assert.False(t, ok)
	assert.Equal(t, []string{"my-group"}, fc.Groups())
}

func TestHandlerRefuses(t *testing.T) {
	called := false
	h, err := co.NewHandler(token, co.Hooks{
		UpdateGroupCapacityForecast: func(context.Context, co.CapacityForecast) error { called = true; return nil },
		Heartbeat:                   func(context.Context, co.Heartbeat) error { called = true; return nil },
		Register:                    func(context.Context, co.Register) error { called = true; return nil },
	})
	require.NoError(t, err)
	block := func(s string) string {
		return `{"group_id":"g","type":"CONSUMPTION","forecasted_blocks":[` + s + `]}`
	}
	const ok = `{"capacity":1,"phase":"ALL","unit":"A","start_time":"2026-03-01T10:00:00Z","end_time":"2026-03-01T10:15:00Z"}`
	tests := []struct {
		name, msg, body string
		hdr             map[string]string
		status          int
	}{
		{"no token", co.MsgHeartbeat, `{"offline_mode_at":"2026-03-01T10:05:00Z"}`, map[string]string{"Authorization": ""}, 401},
		{"wrong token", co.MsgHeartbeat, `{"offline_mode_at":"2026-03-01T10:05:00Z"}`, map[string]string{"Authorization": "Token nope"}, 401},
		{"bearer", co.MsgHeartbeat, `{"offline_mode_at":"2026-03-01T10:05:00Z"}`, map[string]string{"Authorization": "Bearer " + token}, 401},
		{"no request id", co.MsgHeartbeat, `{"offline_mode_at":"2026-03-01T10:05:00Z"}`, map[string]string{"X-Request-ID": ""}, 400},
		{"missing offline_mode_at", co.MsgHeartbeat, `{}`, nil, 400},
		{"unknown field", co.MsgHeartbeat, `{"offline_mode_at":"2026-03-01T10:05:00Z","x":1}`, nil, 400},
		{"trailing data", co.MsgHeartbeat, `{"offline_mode_at":"2026-03-01T10:05:00Z"}{}`, nil, 400},
		{"not json", co.MsgHeartbeat, `offline`, nil, 400},
		{"bad time", co.MsgHeartbeat, `{"offline_mode_at":"soon"}`, nil, 400},
		{"no blocks", co.MsgUpdateGroupCapacityForecast, `{"group_id":"g","type":"CONSUMPTION","forecasted_blocks":[]}`, nil, 400},
		{"no group", co.MsgUpdateGroupCapacityForecast, `{"type":"CONSUMPTION","forecasted_blocks":[` + ok + `]}`, nil, 400},
		{"unknown type", co.MsgUpdateGroupCapacityForecast, strings.Replace(block(ok), "CONSUMPTION", "EVERYTHING", 1), nil, 400},
		{"no capacity", co.MsgUpdateGroupCapacityForecast, block(strings.Replace(ok, `"capacity":1,`, "", 1)), nil, 400},
		{"negative capacity", co.MsgUpdateGroupCapacityForecast, block(strings.Replace(ok, `"capacity":1`, `"capacity":-1`, 1)), nil, 400},
		{"end before start", co.MsgUpdateGroupCapacityForecast, block(strings.Replace(ok, "10:15", "09:15", 1)), nil, 400},
		{"unknown unit", co.MsgUpdateGroupCapacityForecast, block(strings.Replace(ok, `"A"`, `"EUR"`, 1)), nil, 400},
		{"unknown phase", co.MsgUpdateGroupCapacityForecast, block(strings.Replace(ok, `"ALL"`, `"FOUR"`, 1)), nil, 400},
		{"unknown message", "update_everything", `{}`, nil, 404},
		{"register without 2.0", co.MsgRegister, `{"token":"t","version_url":[{"version":"1.0","base_url":"http://x"}]}`, nil, 501},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			called = false
			resp := post(t, h, tc.msg, tc.body, tc.hdr)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.NotEmpty(t, resp.Header.Get("X-Error-Message"))
			assert.False(t, called, "an invalid message never reaches the application")
		})
	}
	req := httptest.NewRequest("GET", "/oscp/co/2.0/heartbeat", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
}

func TestHandlerHookErrors(t *testing.T) {
	var hookErr error
	h, err := co.NewHandler(token, co.Hooks{Heartbeat: func(context.Context, co.Heartbeat) error { return hookErr }})
	require.NoError(t, err)
	hookErr = energy.Invalid("offline_mode_at", "in the past")
	assert.Equal(t, 400, post(t, h, co.MsgHeartbeat, `{"offline_mode_at":"2026-03-01T10:05:00Z"}`, nil).StatusCode)
	hookErr = errors.New("database down")
	resp := post(t, h, co.MsgHeartbeat, `{"offline_mode_at":"2026-03-01T10:05:00Z"}`, nil)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "database down", resp.Header.Get("X-Error-Message"))

	require.NoError(t, h.SetToken("new"))
	assert.Equal(t, 401, post(t, h, co.MsgHeartbeat, `{}`, nil).StatusCode)
	require.Error(t, h.SetToken(""))
}

func TestNewHandlerValidates(t *testing.T) {
	var fe *energy.FieldError
	_, err := co.NewHandler("", co.Hooks{})
	require.ErrorAs(t, err, &fe)
	_, err = co.NewHandler("t", co.Hooks{}, co.WithForecasts(nil))
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "WithForecasts", fe.Field)
	_, err = co.NewHandler("t", co.Hooks{}, co.WithHandlerLogger(nil))
	require.ErrorAs(t, err, &fe)
	_, err = co.NewHandler("t", co.Hooks{}, co.WithMaxBodyBytes(0))
	require.ErrorAs(t, err, &fe)
	h, err := co.NewHandler("t", co.Hooks{}, co.WithMaxBodyBytes(10))
	require.NoError(t, err)
	req := httptest.NewRequest("POST", "/heartbeat", strings.NewReader(`{"offline_mode_at":"2026-03-01T10:05:00Z"}`))
	req.Header.Set("Authorization", "Token t")
	req.Header.Set("X-Request-ID", "1")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, 400, rec.Code)
}

func TestHandlerBearer(t *testing.T) {
	var seen string
	h, err := co.NewHandler(token, co.Hooks{}, co.WithBearer(func(_ context.Context, tok string) bool {
		seen = tok
		return tok == "good-jwt"
	}))
	require.NoError(t, err)
	const hb = `{"offline_mode_at":"2026-03-01T10:05:00Z"}`
	assert.Equal(t, 204, post(t, h, co.MsgHeartbeat, hb, map[string]string{"Authorization": "Bearer good-jwt"}).StatusCode)
	assert.Equal(t, "good-jwt", seen)
	assert.Equal(t, 401, post(t, h, co.MsgHeartbeat, hb, map[string]string{"Authorization": "Bearer bad-jwt"}).StatusCode)
	assert.Equal(t, 401, post(t, h, co.MsgHeartbeat, hb, map[string]string{"Authorization": "Bearer "}).StatusCode)
	assert.Equal(t, 204, post(t, h, co.MsgHeartbeat, hb, nil).StatusCode, "the Token still works")

	var fe *energy.FieldError
	_, err = co.NewHandler(token, co.Hooks{}, co.WithBearer(nil))
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "WithBearer", fe.Field)
}
