package balanz_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/energytest"
)

func TestEVChargerContract(t *testing.T) {
	srv, c, clk := fake(t)
	require.NoError(t, srv.PlugIn(balanztest.SeedHomeCharger1, 1, balanztest.Vehicle{MaxCurrent: 32}))
	ev, err := c.EVCharger(balanz.ByAlias("garage"), 1, balanz.WithIDTag(balanztest.SeedTag))
	require.NoError(t, err)
	require.NoError(t, ev.SetCharging(ctx(t), true)) // a live transaction to limit
	energytest.TestCharger(t, energytest.ChargerHarness{Charger: ev, Requests: srv.Requests, Now: clk.Now, MaxAge: time.Minute})
}

func TestEVChargerOptions(t *testing.T) {
	_, c, _ := fake(t)
	for _, tc := range []struct {
		ref   balanz.ChargerRef
		conn  int
		opt   balanz.ChargerOption
		field string
	}{
		{balanz.ChargerRef{}, 1, nil, "charger"},
		{balanz.ByID("A"), 0, nil, "connector"},
		{balanz.ByID("A"), 1, balanz.WithVoltage(0), "WithVoltage"},
		{balanz.ByID("A"), 1, balanz.WithPhases(4), "WithPhases"},
	} {
		var opts []balanz.ChargerOption
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		_, err := c.EVCharger(tc.ref, tc.conn, opts...)
		var fe *energy.FieldError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, tc.field, fe.Field)
	}
}

// An evening: the car arrives at 18:00, charges, is limited, fills up,
// leaves.
func TestEVChargerSession(t *testing.T) {
	srv, c, clk := fake(t)
	ev, err := c.EVCharger(balanz.ByID(balanztest.SeedHomeCharger2), 1, balanz.WithPhases(1), balanz.WithVoltage(240))
	require.NoError(t, err)
	st, err := ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerUnplugged, st.State)
	assert.Equal(t, clk.Now(), st.MeasuredAt)

	err = ev.SetCurrentLimit(ctx(t), 16)
	assert.ErrorIs(t, err, balanz.ErrNoTransaction)
	assert.ErrorContains(t, err, "start one first")

	require.NoError(t, srv.PlugIn(balanztest.SeedHomeCharger2, 1, balanztest.Vehicle{MaxCurrent: 16, Phases: 1, Need: 7360}))
	st, err = ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerConnected, st.State)

	require.NoError(t, ev.SetCharging(ctx(t), true)) // id tag: the charger's free-vending tag
	require.NoError(t, ev.SetCharging(ctx(t), true)) // already on: nothing to do
	st, err = ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerCharging, st.State)
	assert.Equal(t, energy.Amperes(32), st.CurrentLimit)
	assert.Equal(t, energy.Watts(16*240), st.Power)

	before := srv.Requests()
	for _, bad := range []energy.Amperes{3, 5.9, -1, energy.Amperes(math.NaN())} {
		var fe *energy.FieldError
		require.ErrorAs(t, ev.SetCurrentLimit(ctx(t), bad), &fe, bad)
		assert.Equal(t, "limit", fe.Field)
	}
	assert.Equal(t, before, srv.Requests())

	require.NoError(t, ev.SetCurrentLimit(ctx(t), 8))
	clk.Advance(time.Hour)
	st, err = ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.Amperes(8), st.CurrentLimit)
	assert.InDelta(t, 8*230, float64(st.SessionEnergy), 1e-6) // the fake's grid is 230 V
	assert.Equal(t, energy.Watts(8*240), st.Power)

	require.NoError(t, ev.SetCurrentLimit(ctx(t), 0))
	st, err = ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerSuspended, st.State)
	assert.Zero(t, st.Power)

	require.NoError(t, ev.SetCurrentLimit(ctx(t), 16))
	clk.Advance(3 * time.Hour) // full after 7360 Wh
	st, err = ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerSuspended, st.State)
	assert.InDelta(t, 7360, float64(st.SessionEnergy), 1e-6)

	require.NoError(t, ev.SetCharging(ctx(t), false))
	require.NoError(t, ev.SetCharging(ctx(t), false))
	st, err = ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerConnected, st.State)
	require.NoError(t, srv.Unplug(balanztest.SeedHomeCharger2, 1))
	st, err = ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerUnplugged, st.State)
}

func TestEVChargerAllocationGroup(t *testing.T) {
	srv, c, _ := fake(t)
	require.NoError(t, srv.PlugIn(balanztest.SeedSiteCharger, 2, balanztest.Vehicle{}))
	ev, err := c.EVCharger(balanz.ByID(balanztest.SeedSiteCharger), 2)
	require.NoError(t, err)
	require.NoError(t, ev.SetCharging(ctx(t), true))
	err = ev.SetCurrentLimit(ctx(t), 16)
	assert.ErrorIs(t, err, energy.ErrUnsupported)
	assert.ErrorContains(t, err, "SetChargePriority")
	require.NoError(t, c.SetChargePriority(ctx(t), balanz.ByID(balanztest.SeedSiteCharger), 2, 5))
}

func TestEVChargerOfflineAndMissing(t *testing.T) {
	srv, c, _ := fake(t)
	ev, err := c.EVCharger(balanz.ByID(balanztest.SeedOfflineCharger), 1)
	require.NoError(t, err)
	st, err := ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerOffline, st.State)
	assert.ErrorIs(t, ev.SetCharging(ctx(t), true), energy.ErrUnavailable)

	require.NoError(t, srv.SetConnected(balanztest.SeedOfflineCharger, true))
	st, err = ev.ChargerStatus(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, energy.ChargerUnplugged, st.State)

	ev, err = c.EVCharger(balanz.ByID("NOPE"), 1)
	require.NoError(t, err)
	_, err = ev.ChargerStatus(ctx(t))
	assert.ErrorIs(t, err, &balanz.Error{Status: balanz.StatusNoSuchCharger})
	ev, err = c.EVCharger(balanz.ByID(balanztest.SeedHomeCharger1), 2)
	require.NoError(t, err)
	_, err = ev.ChargerStatus(ctx(t))
	assert.ErrorIs(t, err, &balanz.Error{Status: balanz.StatusNoSuchConnector})
}
