package balanz_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/ocppj"
)

// fixtureClient answers every request with the fixture frame in
// testdata/name, and records the requests.
func fixtureClient(t *testing.T, name string, opts ...balanz.Option) (*balanz.Client, *[]ocppj.Frame) {
	t.Helper()
	frame, err := readFixture(name)
	require.NoError(t, err)
	var got []ocppj.Frame // appended before each answer is written, read after it arrives
	url := scripted(t, func(ctx context.Context, ws *websocket.Conn, f ocppj.Frame) {
		got = append(got, f)
		write(ctx, ws, withID(string(frame), f.ID))
	})
	return dialScripted(t, url, opts...), &got
}

func TestFixtureLogin(t *testing.T) {
	c, reqs := fixtureClient(t, "Login.json")
	typ, err := c.Login(ctx(t), "adminadmin")
	require.NoError(t, err)
	assert.Equal(t, balanz.UserAdmin, typ)
	assert.JSONEq(t, `{"token":"adminadmin"}`, string((*reqs)[0].Payload))
	assert.Equal(t, "Login", (*reqs)[0].Action)
}

func TestFixtureStatusAndLogs(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	require.NoError(t, err)
	c, _ := fixtureClient(t, "GetStatus.json", balanz.WithLocation(oslo))
	st, err := c.ServerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 6, 1, 7, 12, 44, 0, oslo), st.StartTime.Time)
	assert.Equal(t, balanz.Int(23), st.Chargers)
	assert.Equal(t, balanz.LogLevel("WARNING"), st.Logging["ocpp"])

	c, reqs := fixtureClient(t, "GetLogs.json", balanz.WithLocation(oslo))
	logs, err := c.Logs(ctx(t), balanz.LogFilter{Level: "INFO", Start: time.Date(2026, 6, 1, 5, 0, 0, 0, time.UTC), Logger: balanz.AuditLogger})
	require.NoError(t, err)
	require.Len(t, logs, 3)
	assert.Equal(t, balanz.AuditLogger, logs[2].Logger)
	assert.Equal(t, time.Date(2026, 6, 1, 18, 2, 55, 0, oslo), logs[2].Timestamp.Time)
	// the filter names the code uses, and times in the server's zone
	assert.JSONEq(t, `{"filters":{"level":"INFO","timeStampStart":"2026-06-01 07:00:00","logger":"AUDIT"}}`, string((*reqs)[0].Payload))
}

func TestFixtureChargers(t *testing.T) {
	c, reqs := fixtureClient(t, "GetChargers.json")
	chs, err := c.Chargers(ctx(t), balanz.ChargerFilter{GroupID: "RR2"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"group_id":"RR2"}`, string((*reqs)[0].Payload))
	require.Len(t, chs, 2)
	a, b := chs[0], chs[1]
	assert.Equal(t, balanz.Number(32), a.ConnMax)
	cn := a.Connectors[1]
	require.NotNil(t, cn.TransactionID)
	assert.Equal(t, balanz.Int(1043), *cn.TransactionID)
	assert.Equal(t, balanz.ConnectorCharging, cn.Status)
	tx := cn.Transaction
	require.NotNil(t, tx)
	assert.Equal(t, time.Unix(1780336975, 482117000).UTC(), tx.StartTime.Time.Round(time.Microsecond))
	assert.InDelta(t, 5580.5, tx.SessionEnergy(), 1e-9)
	assert.Len(t, tx.ChargingHistory, 2)
	assert.Equal(t, "pulsar-6.7.2", a.FirmwareOptions[0].FirmwareID)
	assert.False(t, b.NetworkConnected)
	assert.Empty(t, b.ChargePointModel) // null until the charger boots
	assert.Equal(t, balanz.ConnectorNone, b.Connectors[1].Status)
	require.NotNil(t, b.Connectors[2].SuspendUntil)
	assert.Equal(t, int64(1780340000), b.Connectors[2].SuspendUntil.Unix())
	assert.Nil(t, b.Connectors[1].Offered)
}

func TestFixtureGroups(t *testing.T) {
	c, reqs := fixtureClient(t, "GetGroups.json")
	gs, err := c.Groups(ctx(t), false)
	require.NoError(t, err)
	assert.JSONEq(t, `{"charger_details":false}`, string((*reqs)[0].Payload))
	require.Len(t, gs, 2)
	assert.True(t, gs[0].IsAllocation())
	assert.Equal(t, []balanz.Allocation{{0, 32}, {1, 64}}, gs[0].MaxAllocationNow)
	assert.False(t, gs[1].IsAllocation())
	assert.Equal(t, []string{"TACW224317G670", "TACW224317G671"}, gs[1].ChargerIDs)

	c, _ = fixtureClient(t, "GetGroups_details.json")
	gs, err = c.Groups(ctx(t), true)
	require.NoError(t, err)
	require.Len(t, gs[0].Chargers, 1)
	assert.Equal(t, []string{"TACW224317G671"}, gs[0].ChargerIDs)
}

func TestFixtureSessions(t *testing.T) {
	// a zone other than UTC, so that a wall-clock time left unplaced shows
	oslo, err := time.LoadLocation("Europe/Oslo")
	require.NoError(t, err)
	c, reqs := fixtureClient(t, "GetSessions.json", balanz.WithLocation(oslo))
	ss, err := c.Sessions(ctx(t), balanz.SessionFilter{ChargerID: "TACW224317G670", IncludeLive: true})
	require.NoError(t, err)
	assert.JSONEq(t, `{"charger_id":"TACW224317G670","include_live":true}`, string((*reqs)[0].Payload))
	require.Len(t, ss, 2)
	assert.False(t, ss[0].Live())
	assert.Equal(t, balanz.Number(14.82), ss[0].KWh)
	assert.Equal(t, 13071*time.Second, ss[0].Duration.Duration())
	assert.Equal(t, time.Date(2026, 5, 31, 18, 2, 11, 0, oslo), ss[0].StartTime.Time)
	assert.Equal(t, time.Date(2026, 5, 31, 21, 40, 2, 0, oslo), ss[0].EndTime.Time)
	assert.Equal(t, time.Unix(1780336975, 482117000).UTC(), ss[1].StartTime.Time.Round(time.Microsecond), "an epoch time stays the instant it is")
	assert.True(t, ss[1].Live())
	assert.Nil(t, ss[1].Reason)

	c, _ = fixtureClient(t, "GetCSVSessions.json")
	csv, err := c.SessionsCSV(ctx(t))
	require.NoError(t, err)
	assert.Contains(t, csv, "EVDisconnected,14.820\n")
}

func TestFixtureLists(t *testing.T) {
	c, _ := fixtureClient(t, "GetTags.json")
	tags, err := c.Tags(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, balanz.TagBlocked, tags[1].Status)
	assert.Empty(t, tags[0].ParentIDTag)

	c, _ = fixtureClient(t, "GetUsers.json")
	users, err := c.Users(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, "example-ui", users[1].UserID)

	c, _ = fixtureClient(t, "GetFirmware.json")
	fw, err := c.Firmware(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, "6.6.21", fw[0].UpgradeFromVersions)

	c, reqs := fixtureClient(t, "GetConfiguration.json")
	cfg, err := c.GetConfiguration(ctx(t), balanz.ByAlias("RR2-01"), "HeartbeatInterval", "NumberOfConnectors", "Foo")
	require.NoError(t, err)
	assert.JSONEq(t, `{"alias":"RR2-01","key":["HeartbeatInterval","NumberOfConnectors","Foo"]}`, string((*reqs)[0].Payload))
	assert.True(t, cfg.Keys[1].ReadOnly)
	assert.Equal(t, []string{"Foo"}, cfg.UnknownKeys)

	c, _ = fixtureClient(t, "DrawAll.json")
	d, err := c.DrawAll(ctx(t), false)
	require.NoError(t, err)
	assert.Contains(t, d, "Charging")
}

// Every command that answers Accepted sends the payload balanz reads.
func TestFixtureAcceptedPayloads(t *testing.T) {
	c, reqs := fixtureClient(t, "Accepted.json")
	ref := balanz.ByAlias("RR2-01")
	calls := []struct {
		call func() error
		want string
	}{
		{func() error { return c.SetConfig(ctx(t), "host", "port", "9999") }, `{"section":"host","key":"port","value":"9999"}`},
		{func() error { return c.CreateUser(ctx(t), balanz.User{UserID: "u", UserType: balanz.UserTags}, "pw") }, `{"user_id":"u","user_type":"Tags","password":"pw"}`},
		{func() error { return c.UpdateUser(ctx(t), balanz.User{UserID: "u", Description: "d"}, "pw") }, `{"user_id":"u","description":"d","password":"pw"}`},
		{func() error { return c.DeleteUser(ctx(t), "u") }, `{"user_id":"u"}`},
		{func() error { return c.CreateFirmware(ctx(t), balanz.Firmware{FirmwareID: "f", URL: "u"}) }, `{"firmware_id":"f","charge_point_vendor":"","charge_point_model":"","firmware_version":"","meter_type":"","url":"u","upgrade_from_versions":""}`},
		{func() error { return c.ModifyFirmware(ctx(t), balanz.Firmware{FirmwareID: "f"}) }, `{"firmware_id":"f","charge_point_vendor":"","charge_point_model":"","firmware_version":"","meter_type":"","url":"","upgrade_from_versions":""}`},
		{func() error { return c.DeleteFirmware(ctx(t), "f") }, `{"firmware_id":"f"}`},
		{func() error { return c.ReloadFirmware(ctx(t)) }, `{}`},
		{func() error { return c.ReloadGroups(ctx(t)) }, `{}`},
		{func() error { return c.ReloadChargers(ctx(t)) }, `{}`},
		{func() error { return c.ReloadTags(ctx(t)) }, `{}`},
		{func() error {
			return c.UpdateGroup(ctx(t), balanz.GroupUpdate{GroupID: "RR", MaxAllocation: new("00:00-23:59>0=32")})
		}, `{"group_id":"RR","max_allocation":"00:00-23:59>0=32"}`},
		{func() error { return c.SetBalanzState(ctx(t), "RR", true) }, `{"group_id":"RR","suspend":true}`},
		{func() error {
			return c.CreateCharger(ctx(t), balanz.NewCharger{ChargerID: "X", Alias: "x", GroupID: "RR", ConnMax: 32, Connectors: 2})
		}, `{"charger_id":"X","alias":"x","group_id":"RR","conn_max":32,"no_connectors":2}`},
		{func() error { return c.UpdateCharger(ctx(t), balanz.ChargerUpdate{ChargerID: "X", Priority: new(3)}) }, `{"charger_id":"X","priority":3}`},
		{func() error { return c.DeleteCharger(ctx(t), ref) }, `{"alias":"RR2-01"}`},
		{func() error { return c.ResetChargerAuth(ctx(t), balanz.ByID("X")) }, `{"charger_id":"X"}`},
		{func() error { return c.CreateTag(ctx(t), balanz.Tag{IDTag: "t", Status: balanz.TagActivated}) }, `{"id_tag":"t","status":"Activated","priority":0}`},
		{func() error { return c.CreateTag(ctx(t), balanz.Tag{IDTag: "t", UserName: "Ola"}) }, `{"id_tag":"t","user_name":"Ola","priority":0}`},
		{func() error { return c.UpdateTag(ctx(t), balanz.TagUpdate{IDTag: "t", Priority: new(4)}) }, `{"id_tag":"t","priority":4}`},
		{func() error { return c.DeleteTag(ctx(t), "t") }, `{"id_tag":"t"}`},
		{func() error { return c.SetLogLevel(ctx(t), "ocpp", "DEBUG") }, `{"component":"ocpp","loglevel":"DEBUG"}`},
		{func() error { return c.SetChargePriority(ctx(t), ref, 2, 7) }, `{"alias":"RR2-01","connector_id":2,"priority":7}`},
		{func() error { return c.ClearDefaultProfiles(ctx(t), ref) }, `{"alias":"RR2-01"}`},
		{func() error { return c.ClearDefaultProfile(ctx(t), ref, 1, 9) }, `{"alias":"RR2-01","connector_id":1,"charging_profile_id":9}`},
		{func() error {
			return c.SetDefaultProfile(ctx(t), ref, balanz.DefaultProfile{ChargingProfileID: 9, StackLevel: 2, Limit: 20})
		}, `{"alias":"RR2-01","charging_profile_id":9,"stack_level":2,"limit":20}`},
		{func() error { return c.SetTxProfile(ctx(t), ref, 1, 1043, 6) }, `{"alias":"RR2-01","connector_id":1,"transaction_id":1043,"limit":6}`},
		{func() error { return c.Reset(ctx(t), ref, balanz.ResetHard) }, `{"alias":"RR2-01","type":"Hard"}`},
		{func() error { return c.RemoteStartTransaction(ctx(t), ref, 1, "04A2C1B2") }, `{"alias":"RR2-01","connector_id":1,"id_tag":"04A2C1B2"}`},
		{func() error { return c.RemoteStopTransaction(ctx(t), ref, 1043) }, `{"alias":"RR2-01","transaction_id":1043}`},
		{func() error { return c.ChangeConfiguration(ctx(t), ref, "HeartbeatInterval", "60") }, `{"alias":"RR2-01","key":"HeartbeatInterval","value":"60"}`},
		{func() error { return c.TriggerMessage(ctx(t), ref, balanz.TriggerMeterValues, 1) }, `{"alias":"RR2-01","requested_message":"MeterValues","connector_id":1}`},
		{func() error { return c.UpdateFirmware(ctx(t), ref, "ftp://fw") }, `{"alias":"RR2-01","location":"ftp://fw"}`},
	}
	for i, tc := range calls {
		require.NoError(t, tc.call(), tc.want)
		require.Len(t, *reqs, i+1)
		assert.JSONEq(t, tc.want, string((*reqs)[i].Payload), (*reqs)[i].Action)
	}
}

func TestFixtureErrors(t *testing.T) {
	for _, tc := range []struct {
		file     string
		status   balanz.Status
		sentinel error
		orphan   bool
	}{
		{"error_NotAuthorized.json", balanz.StatusNotAuthorized, energy.ErrUnauthorized, false},
		{"error_InvalidLogin.json", balanz.StatusInvalidLogin, energy.ErrUnauthorized, false},
		{"error_ChargerNotConnected.json", balanz.StatusChargerNotConnected, energy.ErrUnavailable, false},
		{"error_InvalidParameters.json", balanz.StatusInvalidParameters, energy.ErrInvalid, false},
		{"error_IllegalArguments_bare.json", balanz.StatusIllegalArguments, energy.ErrInvalid, false},
		{"error_InvalidCommand.json", "Invalid Command GetConfig", energy.ErrUnsupported, false},
		{"error_Rejected.json", balanz.StatusRejected, nil, false},
		{"error_007_unexpected.json", balanz.StatusUnexpectedError, nil, true},
		{"error_007_protocol.json", balanz.StatusProtocolError, nil, true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			c, _ := fixtureClient(t, tc.file)
			err := c.Call(ctx(t), "GetConfig", nil, nil)
			var be *balanz.Error
			require.ErrorAs(t, err, &be)
			assert.Equal(t, "GetConfig", be.Command)
			assert.Equal(t, tc.status, be.Status)
			assert.Equal(t, tc.orphan, be.Orphan)
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			for _, s := range []error{energy.ErrUnauthorized, energy.ErrUnavailable, energy.ErrInvalid, energy.ErrUnsupported} {
				if s != tc.sentinel {
					assert.NotErrorIs(t, err, s)
				}
			}
			assert.Contains(t, err.Error(), string(tc.status))
		})
	}
}

func readFixture(name string) ([]byte, error) { return os.ReadFile("testdata/" + name) }

// A command that only says yes may say it as {"status":"Accepted"}, {},
// null or the bare string; any other status in a success frame is an
// *Error.
func TestAcceptedShapes(t *testing.T) {
	for frame, want := range map[string]balanz.Status{
		`[3,"ID",{"status":"Accepted"}]`: "",
		`[3,"ID",{}]`:                    "",
		`[3,"ID",null]`:                  "",
		`[3,"ID","Accepted"]`:            "",
		`[3,"ID",{"status":"Rejected"}]`: balanz.StatusRejected,
		`[3,"ID","Rejected"]`:            balanz.StatusRejected,
	} {
		url := scripted(t, func(ctx context.Context, ws *websocket.Conn, f ocppj.Frame) {
			write(ctx, ws, withID(frame, f.ID))
		})
		err := dialScripted(t, url).ReloadTags(ctx(t))
		if want == "" {
			assert.NoError(t, err, frame)
			continue
		}
		assert.ErrorIs(t, err, &balanz.Error{Command: "ReloadTags", Status: want}, frame)
	}
}
