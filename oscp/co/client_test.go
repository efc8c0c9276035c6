package co_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/oscp"
	"github.com/gridwire/gridwire/oscp/co"
	"github.com/gridwire/gridwire/oscp/oscptest"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func TestClientMessages(t *testing.T) {
	fp := oscptest.NewFP(oscptest.WithFPClock(clock.NewFake(t0)))
	defer fp.Close()
	c := fp.Client()
	ctx := context.Background()

	require.NoError(t, c.Register(ctx, co.Register{Token: oscp.NewSecret("co-token"),
		VersionURLs: []co.VersionURL{{Version: "2.0", BaseURL: "http://127.0.0.1:1/oscp/co/2.0"}}}))
	require.NoError(t, c.HandshakeAcknowledge(co.WithCorrelationID(ctx, "hs-1"), co.HandshakeAcknowledge{
		RequiredBehaviour: &co.RequiredBehaviour{MeasurementConfiguration: []co.MeasurementConfiguration{co.Continuous}}}))
	require.NoError(t, c.Heartbeat(ctx, t0.Add(2*time.Minute)))
	require.NoError(t, c.UpdateGroupMeasurements(ctx, co.GroupMeasurements{GroupID: "my-group", Measurements: []co.EnergyMeasurement{
		{Value: 1.5, Phase: co.PhaseAll, Unit: co.EnergyKWH, Direction: co.DirectionImport, MeasureTime: t0}}}))
	require.NoError(t, c.UpdateAssetMeasurements(ctx, co.AssetMeasurements{GroupID: "my-group", Measurements: []co.AssetMeasurement{
		{AssetID: "XYZ.ABC.123", AssetCategory: co.CategoryCharging,
			InstantaneousMeasurement: &co.InstantaneousMeasurement{Value: 7.2, Phase: co.PhaseAll, Unit: co.UnitKW, MeasureTime: t0}}}}))
	require.NoError(t, c.Handshake(ctx, co.Handshake{}))
	require.NoError(t, c.AdjustGroupCapacityForecast(ctx, co.CapacityForecast{GroupID: "my-group", Type: co.Consumption,
		ForecastedBlocks: []co.ForecastedBlock{{Capacity: 16, Phase: co.PhaseAll, Unit: co.UnitA, StartTime: t0, EndTime: t0.Add(15 * time.Minute)}}}))

	got := fp.Received()
	require.Len(t, got, 7)
	assert.Equal(t, co.MsgAdjustGroupCapacityForecast, got[6].Name)
	assert.Equal(t, 16.0, got[6].Message.(co.CapacityForecast).ForecastedBlocks[0].Capacity)
	assert.Equal(t, co.MsgRegister, got[0].Name)
	assert.Equal(t, "co-token", got[0].Message.(co.Register).Token.Reveal())
	assert.Equal(t, "hs-1", got[1].CorrelationID)
	assert.Len(t, got[1].RequestID, 36)
	assert.NotEqual(t, got[1].RequestID, got[2].RequestID)
	assert.True(t, got[2].Message.(co.Heartbeat).OfflineModeAt.Equal(t0.Add(2*time.Minute)))
	assert.Equal(t, 7.2, got[4].Message.(co.AssetMeasurements).Measurements[0].InstantaneousMeasurement.Value)
}

func TestClientErrors(t *testing.T) {
	fp := oscptest.NewFP()
	defer fp.Close()
	ctx := context.Background()

	// Invalid input: refused before I/O.
	c := fp.Client()
	var fe *energy.FieldError
	require.ErrorAs(t, c.UpdateGroupMeasurements(ctx, co.GroupMeasurements{GroupID: "g"}), &fe)
	assert.Equal(t, "measurements", fe.Field)
	require.ErrorAs(t, c.Register(ctx, co.Register{}), &fe)
	assert.Equal(t, 0, fp.Requests())

	// No 2.0 → 501, unsupported.
	err := c.Register(ctx, co.Register{Token: oscp.NewSecret("x"), VersionURLs: []co.VersionURL{{Version: "1.0", BaseURL: "http://x"}}})
	var ce *co.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, http.StatusNotImplemented, ce.StatusCode)
	assert.ErrorIs(t, err, energy.ErrUnsupported)

	// Wrong token → 401.
	bad, err := co.NewClient("wrong", co.WithBaseURL(fp.URL))
	require.NoError(t, err)
	require.ErrorIs(t, bad.Heartbeat(ctx, time.Now()), energy.ErrUnauthorized)

	// A refused message, not retried; a failed heartbeat, retried.
	fp.FailNext(1, oscptest.Fault{Endpoint: co.MsgUpdateGroupMeasurements, Status: 400, Message: "unknown group"})
	n := fp.Requests()
	err = c.UpdateGroupMeasurements(ctx, co.GroupMeasurements{GroupID: "g", Measurements: []co.EnergyMeasurement{
		{Phase: co.PhaseAll, Unit: co.EnergyWH, Direction: co.DirectionNet, MeasureTime: t0}}})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "unknown group", ce.Reason)
	assert.ErrorIs(t, err, energy.ErrInvalid)
	assert.Equal(t, n+1, fp.Requests())
	fp.FailNext(1, oscptest.Fault{Endpoint: co.MsgHeartbeat, Status: 503})
	fc := clock.NewFake(t0)
	require.NoError(t, fp.Client(co.WithClock(fc)).Heartbeat(ctx, t0))

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	require.ErrorIs(t, c.Heartbeat(cctx, t0), context.Canceled)

	for field, f := range map[string]func() error{
		"token":       func() error { _, err := co.NewClient(""); return err },
		"WithBaseURL": func() error { _, err := co.NewClient("t"); return err },
		"WithLogger":  func() error { _, err := co.NewClient("t", co.WithBaseURL(fp.URL), co.WithLogger(nil)); return err },
	} {
		require.ErrorAs(t, f(), &fe)
		assert.Equal(t, field, fe.Field)
	}
}

func TestRunHeartbeat(t *testing.T) {
	fp := oscptest.NewFP()
	defer fp.Close()
	fc := clock.NewFake(t0)
	c := fp.Client(co.WithClock(fc))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.RunHeartbeat(ctx, time.Minute) }()
	require.Eventually(t, func() bool { return len(fp.Received()) >= 3 }, 5*time.Second, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	got := fp.Received()
	hb0, hb1 := got[0].Message.(co.Heartbeat), got[1].Message.(co.Heartbeat)
	assert.True(t, hb0.OfflineModeAt.Equal(t0.Add(2*time.Minute)))
	assert.Equal(t, time.Minute, hb1.OfflineModeAt.Sub(hb0.OfflineModeAt))
	require.Error(t, c.RunHeartbeat(context.Background(), 0))
}

// TestFPToCO connects the fake FP to a Handler: register, handshake, then a
// forecast that the application reads back as a limit.
func TestFPToCO(t *testing.T) {
	fc := co.NewForecasts()
	var fpToken string
	h, err := co.NewHandler(token, co.Hooks{Register: func(_ context.Context, m co.Register) error {
		fpToken = m.Token.Reveal()
		return nil
	}}, co.WithForecasts(fc))
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/oscp/co/2.0/", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	fp := oscptest.NewFP()
	defer fp.Close()
	ctx := context.Background()
	require.NoError(t, fp.Connect(ctx, srv.URL+"/oscp/co/2.0", token))
	assert.Equal(t, fp.Token, fpToken)
	require.NoError(t, fp.SendForecast(ctx, co.CapacityForecast{GroupID: "g", Type: co.Consumption, ForecastedBlocks: []co.ForecastedBlock{
		{Capacity: 11, Phase: co.PhaseAll, Unit: co.UnitKW, StartTime: t0, EndTime: t0.Add(time.Hour)}}}))
	c, ok := fc.MayDraw("g", t0.Add(30*time.Minute))
	require.True(t, ok)
	assert.Equal(t, co.Quantity{Value: 11, Unit: co.UnitKW}, c[co.PhaseAll])
	require.NoError(t, fp.Heartbeat(ctx, time.Minute))

	err = fp.Send(ctx, co.MsgUpdateGroupCapacityForecast, map[string]any{"group_id": "g"})
	var fe *oscptest.FPError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 400, fe.StatusCode)
}

func TestMeasurementValueRequired(t *testing.T) {
	var m co.GroupMeasurements
	err := co.Decode([]byte(`{"group_id":"g","measurements":[{"phase":"ALL","unit":"WH","direction":"NET","measure_time":"2026-03-01T10:00:00Z"}]}`), &m)
	require.ErrorIs(t, err, energy.ErrInvalid)
	require.NoError(t, co.Decode([]byte(`{"group_id":"g","measurements":[{"value":0,"phase":"ALL","unit":"WH","direction":"NET","measure_time":"2026-03-01T10:00:00Z"}]}`), &m))
	var a co.AssetMeasurements
	require.Error(t, co.Decode([]byte(`{"group_id":"g","measurements":[{"asset_id":"a","asset_category":"STORAGE","instantaneous_measurement":{"phase":"ALL","unit":"W","measure_time":"2026-03-01T10:00:00Z","x":1}}]}`), &a))
}

// TestClientErrorsAreNamed checks that no answer and a redirect to another
// server reach the caller as oscp's exported types, never internal ones.
func TestClientErrorsAreNamed(t *testing.T) {
	ctx := context.Background()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	c, err := co.NewClient("t", co.WithBaseURL(gone.URL), co.WithRetries(0))
	require.NoError(t, err)
	err = c.Heartbeat(ctx, t0)
	var te *oscp.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "/"+co.MsgHeartbeat, te.Endpoint)
	assert.Equal(t, 1, te.Attempts)
	assert.ErrorIs(t, err, energy.ErrUnavailable)

	moved := httptest.NewServer(http.RedirectHandler("http://127.0.0.2:1/elsewhere", http.StatusFound))
	defer moved.Close()
	c, err = co.NewClient("t", co.WithBaseURL(moved.URL))
	require.NoError(t, err)
	err = c.Heartbeat(ctx, t0)
	var re *oscp.RedirectError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "http://127.0.0.2:1", re.To)
	assert.NotErrorIs(t, err, energy.ErrUnavailable, "not retried")
}
