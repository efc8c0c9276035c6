package balanz_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/energy"
)

func TestModelCommands(t *testing.T) {
	srv, c, _ := fake(t)
	st, err := c.ServerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, "1.2.3", st.Version)
	assert.True(t, st.StartTime.Local)
	assert.Equal(t, t0.Add(-26*time.Hour), st.StartTime.Time)
	assert.Equal(t, 4, st.Chargers)

	logs, err := c.Logs(ctx(t), balanz.LogFilter{Level: "WARNING"})
	require.NoError(t, err)
	require.Len(t, logs, 1)
	assert.Equal(t, "ocpp", logs[0].Logger)

	require.NoError(t, c.SetConfig(ctx(t), "balanz", "default_priority", "2"))
	draw, err := c.DrawAll(ctx(t), true)
	require.NoError(t, err)
	assert.Contains(t, draw, balanztest.SeedHomeCharger1)

	users, err := c.Users(ctx(t))
	require.NoError(t, err)
	assert.Len(t, users, 5)
	require.NoError(t, c.CreateUser(ctx(t), balanz.User{UserID: "eve", UserType: balanz.UserStatus}, "pw"))
	require.NoError(t, c.UpdateUser(ctx(t), balanz.User{UserID: "eve", UserType: balanz.UserAnalysis}, "pw2"))
	require.NoError(t, c.DeleteUser(ctx(t), "eve"))
	err = c.DeleteUser(ctx(t), "eve")
	assert.ErrorIs(t, err, energy.ErrInvalid)
	assert.ErrorIs(t, err, &balanz.Error{Status: balanz.StatusIllegalArguments})

	fw, err := c.Firmware(ctx(t))
	require.NoError(t, err)
	require.Len(t, fw, 1)
	require.NoError(t, c.CreateFirmware(ctx(t), balanz.Firmware{FirmwareID: "x-1", URL: "https://x"}))
	require.NoError(t, c.ModifyFirmware(ctx(t), balanz.Firmware{FirmwareID: "x-1", URL: "https://y"}))
	require.NoError(t, c.DeleteFirmware(ctx(t), "x-1"))
	require.NoError(t, c.ReloadFirmware(ctx(t)))
	var be *balanz.Error
	require.ErrorAs(t, c.ModifyFirmware(ctx(t), balanz.Firmware{FirmwareID: "nope"}), &be)
	assert.True(t, be.Orphan)
	assert.Equal(t, balanz.StatusUnexpectedError, be.Status)

	groups, err := c.Groups(ctx(t), false)
	require.NoError(t, err)
	require.Len(t, groups, 2)
	assert.False(t, groups[0].IsAllocation())
	assert.True(t, groups[1].IsAllocation())
	assert.Equal(t, []string{balanztest.SeedHomeCharger1, balanztest.SeedHomeCharger2}, groups[0].ChargerIDs)
	assert.NotEmpty(t, groups[1].MaxAllocationNow)
	groups, err = c.Groups(ctx(t), true)
	require.NoError(t, err)
	require.Len(t, groups[1].Chargers, 2)
	require.NoError(t, c.ReloadGroups(ctx(t)))
	require.NoError(t, c.UpdateGroup(ctx(t), balanz.GroupUpdate{GroupID: "HOME", Description: new("Garage")}))
	assert.ErrorIs(t, c.UpdateGroup(ctx(t), balanz.GroupUpdate{GroupID: "NOPE"}), &balanz.Error{Status: balanz.StatusNoSuchGroup})
	require.NoError(t, c.SetBalanzState(ctx(t), balanztest.SeedSiteGroup, true))
	assert.ErrorIs(t, c.SetBalanzState(ctx(t), "HOME", true), &balanz.Error{Status: balanz.StatusNotAllocationGroup})

	chs, err := c.Chargers(ctx(t), balanz.ChargerFilter{GroupID: balanztest.SeedSiteGroup})
	require.NoError(t, err)
	require.Len(t, chs, 2)
	assert.Len(t, chs[0].Connectors, 2)
	assert.Equal(t, balanz.ConnectorAvailable, chs[0].Connectors[2].Status)
	assert.False(t, chs[1].NetworkConnected)
	assert.Empty(t, chs[1].ChargePointModel)
	chs, err = c.Chargers(ctx(t), balanz.ChargerFilter{Charger: balanz.ByAlias("garage")})
	require.NoError(t, err)
	require.Len(t, chs, 1)
	assert.Equal(t, balanztest.SeedHomeCharger1, chs[0].ChargerID)
	chs, err = c.Chargers(ctx(t), balanz.ChargerFilter{GroupID: "NOPE"})
	require.NoError(t, err)
	assert.Empty(t, chs)
	require.NoError(t, c.ReloadChargers(ctx(t)))
	require.NoError(t, c.CreateCharger(ctx(t), balanz.NewCharger{ChargerID: "CP-NEW", Alias: "new", GroupID: "HOME", ConnMax: 16, Connectors: 2}))
	assert.ErrorIs(t, c.CreateCharger(ctx(t), balanz.NewCharger{ChargerID: "CP-NEW", GroupID: "HOME"}), &balanz.Error{Status: balanz.StatusChargerAlreadyExists})
	require.NoError(t, c.UpdateCharger(ctx(t), balanz.ChargerUpdate{ChargerID: "CP-NEW", ConnMax: new(20.0)}))
	require.NoError(t, c.ResetChargerAuth(ctx(t), balanz.ByAlias("new")))
	require.NoError(t, c.DeleteCharger(ctx(t), balanz.ByID("CP-NEW")))
	assert.ErrorIs(t, c.DeleteCharger(ctx(t), balanz.ByID("CP-NEW")), &balanz.Error{Status: balanz.StatusNoSuchCharger})

	tags, err := c.Tags(ctx(t))
	require.NoError(t, err)
	assert.NotEmpty(t, tags)
	require.NoError(t, c.ReloadTags(ctx(t)))
	require.NoError(t, c.CreateTag(ctx(t), balanz.Tag{IDTag: "new1", UserName: "Nia", Status: balanz.TagActivated}))
	assert.ErrorIs(t, c.CreateTag(ctx(t), balanz.Tag{IDTag: "NEW1"}), &balanz.Error{Status: balanz.StatusTagExists})
	require.NoError(t, c.UpdateTag(ctx(t), balanz.TagUpdate{IDTag: "NEW1", Status: new(balanz.TagBlocked)}))
	require.NoError(t, c.DeleteTag(ctx(t), "NEW1"))
	assert.ErrorIs(t, c.DeleteTag(ctx(t), "NEW1"), &balanz.Error{Status: balanz.StatusNoSuchTag})

	require.NoError(t, c.SetLogLevel(ctx(t), "ocpp", "DEBUG"))
	assert.ErrorIs(t, c.SetLogLevel(ctx(t), "nope", "DEBUG"), &balanz.Error{Status: balanz.StatusNoSuchComponent})

	sessions, err := c.Sessions(ctx(t), balanz.SessionFilter{})
	require.NoError(t, err)
	require.Len(t, sessions, 2)
	assert.False(t, sessions[0].Live())
	assert.InDelta(t, 14.82, float64(sessions[0].KWh), 1e-9)
	csv, err := c.SessionsCSV(ctx(t))
	require.NoError(t, err)
	assert.Contains(t, csv, "session_id,")

	assert.ErrorIs(t, c.SetChargePriority(ctx(t), balanz.ByAlias("garage"), 1, 5), &balanz.Error{Status: balanz.StatusConnectorNotInTransaction})
	assert.ErrorIs(t, c.SetChargePriority(ctx(t), balanz.ByAlias("garage"), 3, 5), &balanz.Error{Status: balanz.StatusNoSuchConnector})
	assert.ErrorIs(t, c.SetChargePriority(ctx(t), balanz.ByID(balanztest.SeedOfflineCharger), 1, 5), energy.ErrUnavailable)
	_ = srv
}

func TestOCPPCommands(t *testing.T) {
	srv, c, clk := fake(t)
	home := balanz.ByID(balanztest.SeedHomeCharger1)
	require.NoError(t, c.ClearDefaultProfiles(ctx(t), home))
	require.NoError(t, c.ClearDefaultProfile(ctx(t), home, 1, 7))
	require.NoError(t, c.SetDefaultProfile(ctx(t), home, balanz.DefaultProfile{ChargingProfileID: 7, Limit: 16}))
	require.NoError(t, c.Reset(ctx(t), home, balanz.ResetSoft))
	cfg, err := c.GetConfiguration(ctx(t), home, "HeartbeatInterval", "Nope")
	require.NoError(t, err)
	require.Len(t, cfg.Keys, 1)
	assert.Equal(t, "300", *cfg.Keys[0].Value)
	assert.Equal(t, []string{"Nope"}, cfg.UnknownKeys)
	cfg, err = c.GetConfiguration(ctx(t), home)
	require.NoError(t, err)
	assert.Len(t, cfg.Keys, 4)
	require.NoError(t, c.ChangeConfiguration(ctx(t), home, "HeartbeatInterval", "60"))
	assert.ErrorIs(t, c.ChangeConfiguration(ctx(t), home, "NumberOfConnectors", "2"), &balanz.Error{Status: balanz.StatusRejected})
	assert.ErrorIs(t, c.ChangeConfiguration(ctx(t), home, "Nope", "2"), energy.ErrUnsupported)
	require.NoError(t, c.TriggerMessage(ctx(t), home, balanz.TriggerStatusNotification, 0))
	require.NoError(t, c.UpdateFirmware(ctx(t), home, "https://firmware.example/x.bin"))

	// a session: plug in, start, limit, charge for an hour, stop
	require.NoError(t, srv.PlugIn(balanztest.SeedHomeCharger1, 1, balanztest.Vehicle{MaxCurrent: 16}))
	assert.ErrorIs(t, c.RemoteStartTransaction(ctx(t), home, 1, balanztest.SeedBlockedTag), &balanz.Error{Status: balanz.StatusRejected})
	require.NoError(t, c.RemoteStartTransaction(ctx(t), home, 1, balanztest.SeedTag))
	chs, err := c.Chargers(ctx(t), balanz.ChargerFilter{Charger: home})
	require.NoError(t, err)
	cn := chs[0].Connectors[1]
	require.NotNil(t, cn.TransactionID)
	require.NotNil(t, cn.Transaction)
	assert.Equal(t, balanz.ConnectorCharging, cn.Status)
	assert.Equal(t, t0, cn.Transaction.StartTime.Time)
	require.NoError(t, c.SetTxProfile(ctx(t), home, 1, *cn.TransactionID, 10))
	clk.Advance(time.Hour)
	chs, err = c.Chargers(ctx(t), balanz.ChargerFilter{Charger: home})
	require.NoError(t, err)
	cn = chs[0].Connectors[1]
	assert.InDelta(t, 10, float64(*cn.Offered), 1e-9)
	assert.InDelta(t, 10*230*3, cn.Transaction.SessionEnergy(), 1e-6)
	assert.ErrorIs(t, c.RemoteStopTransaction(ctx(t), home, 999), &balanz.Error{Status: balanz.StatusRejected})
	live, err := c.Sessions(ctx(t), balanz.SessionFilter{ChargerID: balanztest.SeedHomeCharger1, IncludeLive: true})
	require.NoError(t, err)
	require.Len(t, live, 2)
	assert.True(t, live[1].Live())
	require.NoError(t, c.RemoteStopTransaction(ctx(t), home, *cn.TransactionID))
	sessions, err := c.Sessions(ctx(t), balanz.SessionFilter{ChargerID: balanztest.SeedHomeCharger1})
	require.NoError(t, err)
	require.Len(t, sessions, 2)
	assert.InDelta(t, 6900, float64(sessions[1].EnergyMeter), 1e-6)
	assert.Equal(t, t0.Add(time.Hour), sessions[1].EndTime.Time)

	for _, f := range []func() error{
		func() error { return c.ClearDefaultProfiles(ctx(t), balanz.ByID("NOPE")) },
		func() error { return c.Reset(ctx(t), balanz.ByID("NOPE"), balanz.ResetHard) },
	} {
		assert.ErrorIs(t, f(), &balanz.Error{Status: balanz.StatusNoSuchCharger})
	}
	assert.ErrorIs(t, c.Reset(ctx(t), balanz.ByID(balanztest.SeedOfflineCharger), balanz.ResetHard), energy.ErrUnavailable)
}
