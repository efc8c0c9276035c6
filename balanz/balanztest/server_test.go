package balanztest_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestHashVectors(t *testing.T) {
	assert.Equal(t, "d82494f05d6917ba02f7aaa29689ccb444bb73f20380876cb05d1f37537b7892", balanztest.Hash("adminadmin"))
	assert.Equal(t, "a602774dffcacf0c4b329a384d3d309143af221179f176c18cc1e39c869ac315", balanztest.Hash("I_Am_Random27"))
}

// raw opens an API connection without the client, to send what a client
// would not.
func raw(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.Dial(t.Context(), url, &websocket.DialOptions{Subprotocols: []string{"ocpp1.6"}})
	require.NoError(t, err)
	t.Cleanup(func() { ws.CloseNow() })
	return ws
}

func exchange(t *testing.T, ws *websocket.Conn, frame string) string {
	t.Helper()
	require.NoError(t, ws.Write(t.Context(), websocket.MessageText, []byte(frame)))
	_, data, err := ws.Read(t.Context())
	require.NoError(t, err)
	return string(data)
}

func TestWireAnswers(t *testing.T) {
	srv := balanztest.NewServer()
	defer srv.Close()
	ws := raw(t, srv.URL)
	for _, tc := range []struct{ in, want string }{
		{`[2,"1","GetTags",{}]`, `[4,"1",{"status":"NotAuthorized"}]`},
		{`[2,"2","Login",{}]`, `[4,"2",{"status":"InvalidLogin"}]`},
		{`[2,"3","Login",{"token":"adminadmin"}]`, `[3,"3",{"user_type":"Admin"}]`},
		{`not json`, `[4,"007","Unexpected Error"]`},
		{`[3,"4",{}]`, `[4,"007",{"status":"ProtocolError"}]`},
		{`[2,"5","GetTags"]`, `[4,"007",{"status":"ProtocolError"}]`},
		{`[2,"6","GetTags",null]`, `[4,"007","Unexpected Error"]`},
		{`[2,"7","GetStatus",null]`, ``}, // works with null, as on the real server
		{`[2,"8","GetConfig",{}]`, `[4,"8","Invalid Command GetConfig"]`},
		{`[2,"9","DeleteUser",{"user_id":"nobody"}]`, `[4,"9","IllegalArguments"]`},
		{`[2,"10","TriggerMessage",{"charger_id":"CP-HOME-1","message_type":"Heartbeat"}]`, `[4,"007","Unexpected Error"]`},
		{`[2,"11","SetTxProfile",{"alias":"garage"}]`, `[4,"11",{"status":"InvalidParameters"}]`},
	} {
		got := exchange(t, ws, tc.in)
		if tc.want == "" {
			assert.True(t, strings.HasPrefix(got, `[3,"7",{`), got)
			continue
		}
		assert.JSONEq(t, tc.want, got, tc.in)
	}
	assert.Equal(t, 12, srv.Requests())
}

func TestHandlerMounts(t *testing.T) {
	srv := balanztest.NewServer()
	defer srv.Close()
	other := httptest.NewServer(srv.Handler())
	defer other.Close()
	c, err := balanz.Dial(t.Context(), "ws"+strings.TrimPrefix(other.URL, "http")+"/api/")
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Login(t.Context(), balanztest.TokenAnalysis)
	require.NoError(t, err)
	_, err = balanz.Dial(t.Context(), "ws"+strings.TrimPrefix(other.URL, "http")+"/CP-HOME-1")
	assert.ErrorIs(t, err, energy.ErrUnavailable)
}

func TestFailNextQueue(t *testing.T) {
	srv := balanztest.NewServer()
	defer srv.Close()
	c, err := srv.Client(t.Context())
	require.NoError(t, err)
	defer c.Close()
	srv.FailNext(2, balanztest.Fault{Endpoint: "GetTags", Status: "NoSuchTag"})
	_, err = c.Chargers(t.Context(), balanz.ChargerFilter{}) // not matched
	require.NoError(t, err)
	for range 2 {
		_, err = c.Tags(t.Context())
		assert.ErrorIs(t, err, &balanz.Error{Status: balanz.StatusNoSuchTag})
	}
	_, err = c.Tags(t.Context())
	require.NoError(t, err)
	srv.FailNext(1, balanztest.Fault{Raw: `[3, "x"`})
	_, err = c.Tags(t.Context())
	var de *balanz.DecodeError
	assert.ErrorAs(t, err, &de)
}

// The sandbox's evening: two chargers, a car arriving at 18:00 on one and
// at 19:30 on the other, on a fake clock.
func TestEvening(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	require.NoError(t, err)
	clk := clock.NewFake(time.Date(2026, 11, 20, 17, 0, 0, 0, oslo))
	srv := balanztest.NewServer(balanztest.WithClock(clk), balanztest.WithLocation(oslo))
	defer srv.Close()
	c, err := srv.Client(t.Context())
	require.NoError(t, err)
	defer c.Close()

	garage, err := c.EVCharger(balanz.ByAlias("garage"), 1, balanz.WithIDTag(balanztest.SeedTag))
	require.NoError(t, err)
	driveway, err := c.EVCharger(balanz.ByID(balanztest.SeedHomeCharger2), 1)
	require.NoError(t, err)

	clk.Advance(time.Hour) // 18:00
	require.NoError(t, srv.PlugIn(balanztest.SeedHomeCharger1, 1, balanztest.Vehicle{MaxCurrent: 16, Need: 30_000}))
	require.NoError(t, garage.SetCharging(t.Context(), true))
	require.NoError(t, garage.SetCurrentLimit(t.Context(), 10))
	clk.Advance(90 * time.Minute) // 19:30
	require.NoError(t, srv.PlugIn(balanztest.SeedHomeCharger2, 1, balanztest.Vehicle{MaxCurrent: 32, Phases: 1}))
	require.NoError(t, driveway.SetCharging(t.Context(), true))
	clk.Advance(30 * time.Minute) // 20:00

	st, err := garage.ChargerStatus(t.Context())
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerCharging, st.State)
	assert.InDelta(t, 10*230*3*2, float64(st.SessionEnergy), 1e-6)
	assert.InDelta(t, 10*230*3*2, srv.Energy(balanztest.SeedHomeCharger1, 1), 1e-6)
	st, err = driveway.ChargerStatus(t.Context())
	require.NoError(t, err)
	assert.InDelta(t, 32*230*0.5, float64(st.SessionEnergy), 1e-6)

	clk.Advance(10 * time.Hour) // the garage car is full long before
	st, err = garage.ChargerStatus(t.Context())
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerSuspended, st.State)
	assert.InDelta(t, 30_000, float64(st.SessionEnergy), 1e-6)

	require.NoError(t, srv.Unplug(balanztest.SeedHomeCharger1, 1))
	sessions, err := c.Sessions(t.Context(), balanz.SessionFilter{ChargerID: balanztest.SeedHomeCharger1})
	require.NoError(t, err)
	last := sessions[len(sessions)-1]
	assert.Equal(t, time.Date(2026, 11, 20, 18, 0, 0, 0, oslo), last.StartTime.Time)
	assert.Equal(t, "EVDisconnected", *last.Reason)
	assert.InDelta(t, 30, float64(last.KWh), 1e-9)
	assert.NotEmpty(t, last.ChargingHistory)
}

func TestSimErrors(t *testing.T) {
	srv := balanztest.NewServer()
	defer srv.Close()
	assert.Error(t, srv.PlugIn("NOPE", 1, balanztest.Vehicle{}))
	assert.Error(t, srv.PlugIn(balanztest.SeedHomeCharger1, 2, balanztest.Vehicle{}))
	require.NoError(t, srv.PlugIn(balanztest.SeedHomeCharger1, 1, balanztest.Vehicle{}))
	assert.Error(t, srv.PlugIn(balanztest.SeedHomeCharger1, 1, balanztest.Vehicle{}))
	assert.Error(t, srv.Unplug("NOPE", 1))
	assert.Error(t, srv.SetConnected("NOPE", true))
	assert.Zero(t, srv.Energy("NOPE", 1))
}

func ExampleServer() {
	ctx := context.Background()
	srv := balanztest.NewServer() // add balanztest.WithClock(clock.NewFake(…)) to drive time
	defer srv.Close()
	c, err := srv.Client(ctx) // dialled and logged in as admin
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	// a car arrives at the driveway charger
	if err := srv.PlugIn(balanztest.SeedHomeCharger2, 1, balanztest.Vehicle{MaxCurrent: 16}); err != nil {
		fmt.Println(err)
		return
	}
	ev, err := c.EVCharger(balanz.ByAlias("driveway"), 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := ev.ChargerStatus(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.State)
	// Output: connected
}
