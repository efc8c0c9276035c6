package alphaess_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/energy"
)

// at returns 4 August 2026 (the day of t0) plus d, in Sydney.
func at(d time.Duration) time.Time { return time.Date(2026, 8, 4, 0, 0, 0, 0, sydney).Add(d) }

// daily is a daily schedule of ws.
func daily(ws ...energy.Window) energy.Schedule {
	return energy.Schedule{Repeat: energy.RepeatDaily, Windows: ws}
}

func TestSetScheduleWritesPeriods(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	s := daily(
		energy.Window{Start: at(22 * time.Hour), End: at(23 * time.Hour), Mode: energy.ModeCharge},
		energy.Window{Start: at(25 * time.Hour), End: at(29 * time.Hour), Mode: energy.ModeCharge, TargetSoC: 0.9},
		energy.Window{Start: at(41 * time.Hour), End: at(43*time.Hour + 30*time.Minute), Mode: energy.ModeDischarge},
	)
	require.NoError(t, c.Battery().SetSchedule(context.Background(), s))
	assert.Equal(t, alphaesstest.ChargeConfig{GridCharge: 1, BatHighCap: 90,
		TimeChaf1: "22:00", TimeChae1: "23:00", TimeChaf2: "01:00", TimeChae2: "05:00"}, srv.ChargeConfig())
	// No discharge target: the system's cut-off (10 %) is kept.
	assert.Equal(t, alphaesstest.DischargeConfig{CtrDis: 1, BatUseCap: 10,
		TimeDisf1: "17:00", TimeDise1: "19:30", TimeDisf2: "00:00", TimeDise2: "00:00"}, srv.DischargeConfig())
}

// A daily window is a time of day: one given on another day (yesterday,
// next week) sets the same periods.
func TestSetScheduleDailyTakesTimeOfDay(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	s := daily(energy.Window{Start: at(-22 * time.Hour), End: at(-19 * time.Hour), Mode: energy.ModeCharge}) // 02:00–05:00 yesterday
	require.NoError(t, c.Battery().SetSchedule(context.Background(), s))
	got := srv.ChargeConfig()
	assert.Equal(t, "02:00", got.TimeChaf1)
	assert.Equal(t, "05:00", got.TimeChae1)
}

// Windows are mapped to times of day in the system's zone, whatever zone
// they come in.
func TestSetScheduleZone(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	start := time.Date(2026, 8, 4, 14, 0, 0, 0, time.UTC) // midnight in Sydney (UTC+10 in August)
	s := daily(energy.Window{Start: start, End: start.Add(90 * time.Minute), Mode: energy.ModeDischarge, TargetSoC: 0.2})
	require.NoError(t, c.Battery().SetSchedule(context.Background(), s))
	assert.Equal(t, alphaesstest.DischargeConfig{CtrDis: 1, BatUseCap: 20,
		TimeDisf1: "00:00", TimeDise1: "01:30", TimeDisf2: "00:00", TimeDise2: "00:00"}, srv.DischargeConfig())
	assert.Zero(t, srv.RequestsTo("getDisChargeConfigInfo"), "read the discharge settings although the schedule sets the cut-off")
	got := srv.ChargeConfig()
	assert.Equal(t, 0, got.GridCharge)
	assert.Equal(t, "00:00", got.TimeChaf1)
	assert.Equal(t, "00:00", got.TimeChae1)
	assert.Equal(t, 100, got.BatHighCap)
}

func TestSetScheduleEmptyClears(t *testing.T) {
	for _, repeat := range []energy.Repeat{energy.RepeatOnce, energy.RepeatDaily} {
		t.Run(string(repeat), func(t *testing.T) {
			c, srv, _ := newFake(t, nil)
			srv.SetChargeConfig(alphaesstest.ChargeConfig{GridCharge: 1, BatHighCap: 80, TimeChaf1: "01:00", TimeChae1: "05:00", TimeChaf2: "13:00", TimeChae2: "14:00"})
			srv.SetDischargeConfig(alphaesstest.DischargeConfig{CtrDis: 1, BatUseCap: 25, TimeDisf1: "17:00", TimeDise1: "21:00", TimeDisf2: "06:00", TimeDise2: "08:00"})
			require.NoError(t, c.Battery().SetSchedule(context.Background(), energy.Schedule{Repeat: repeat}))
			assert.Equal(t, alphaesstest.ChargeConfig{GridCharge: 0, BatHighCap: 100, TimeChaf1: "00:00", TimeChae1: "00:00", TimeChaf2: "00:00", TimeChae2: "00:00"}, srv.ChargeConfig())
			assert.Equal(t, alphaesstest.DischargeConfig{CtrDis: 0, BatUseCap: 25, TimeDisf1: "00:00", TimeDise1: "00:00", TimeDisf2: "00:00", TimeDise2: "00:00"}, srv.DischargeConfig(),
				"the cut-off must be kept")
		})
	}
}

// AlphaESS periods repeat every day: a one-off schedule would become a
// nightly charge, so it is refused, saying what to use instead. (It was
// accepted and written.)
func TestSetScheduleRefusesOneOff(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	s := energy.Schedule{Windows: []energy.Window{{Start: at(26 * time.Hour), End: at(27 * time.Hour), Mode: energy.ModeCharge}}}
	err := c.Battery().SetSchedule(context.Background(), s)
	var ue *energy.UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.ErrorIs(t, err, energy.ErrUnsupported)
	assert.Contains(t, err.Error(), "RepeatDaily")
	assert.Contains(t, err.Error(), "repeat every day")
	assert.Zero(t, srv.Requests())
	assert.Equal(t, 0, srv.ChargeConfig().GridCharge, "nothing was written")
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
		{"two targets", []energy.Window{{Start: at(21 * h), End: at(22 * h), Mode: "charge", TargetSoC: 0.8}, {Start: at(23 * h), End: at(24 * h), Mode: "charge", TargetSoC: 0.9}}, "one charge level"},
		{"fractional percent", []energy.Window{{Start: at(21 * h), End: at(22 * h), Mode: "discharge", TargetSoC: 0.125}}, "whole percent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srv, _ := newFake(t, nil)
			err := c.Battery().SetSchedule(context.Background(), daily(tt.ws...))
			var ue *energy.UnsupportedError
			require.ErrorAs(t, err, &ue)
			assert.ErrorIs(t, err, energy.ErrUnsupported)
			assert.Contains(t, err.Error(), tt.says)
			assert.Zero(t, srv.Requests(), "requests before refusing")
		})
	}
}

// An invalid schedule is a FieldError, not "unsupported".
func TestSetScheduleInvalid(t *testing.T) {
	c, srv, _ := newFake(t, nil)
	err := c.Battery().SetSchedule(context.Background(), daily(energy.Window{Start: at(22 * time.Hour), End: at(21 * time.Hour), Mode: "charge"}))
	var fe *energy.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Windows[0].End", fe.Field)
	assert.Zero(t, srv.Requests())
}

// A device that ignores writes is caught by WithVerifyWrites.
func TestSetScheduleNotApplied(t *testing.T) {
	c, srv, _ := newFake(t, nil, alphaess.WithVerifyWrites(true))
	srv.SetIgnoreWrites(true)
	err := c.Battery().SetSchedule(context.Background(), daily(energy.Window{Start: at(22 * time.Hour), End: at(23 * time.Hour), Mode: energy.ModeCharge}))
	var na *alphaess.NotAppliedError
	require.ErrorAs(t, err, &na)
	assert.Equal(t, "updateChargeConfigInfo", na.Endpoint)
}
