package alphaess_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// getTimeChargeBySn's fields and list elements.
func TestTimeCharge(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getTimeChargeBySn", fixture(t, "getTimeChargeBySn.json"))
	tc, err := c.TimeCharge(context.Background())
	require.NoError(t, err)
	assert.Equal(t, testSN, m.last(t).req.URL.Query().Get("sysSn"), "sysSn not sent")
	want := &alphaess.TimeCharge{
		Cycle: alphaess.CycleWeekly,
		Charge: []alphaess.TimePeriod{
			{Start: alphaess.At(1, 0), End: alphaess.At(5, 0), Days: weekdays, Power: 3000, Limit: 0.9, Sort: 1},
			{Start: alphaess.At(23, 0), End: alphaess.At(1, 0), Days: []time.Weekday{time.Saturday, time.Sunday}, Power: 2500, Limit: 0.8, Sort: 2},
		},
		Discharge: []alphaess.TimePeriod{
			{Start: alphaess.At(17, 0), End: alphaess.At(21, 0), Days: []time.Weekday{1, 2, 3, 4, 5, 6, 0}, Power: 5000, Limit: 0.1, Sort: 1},
		},
	}
	assert.Equal(t, want, tc)
	assert.Nil(t, tc.GridCharge, "the write-only flags were read as values (they read 0 whatever is set)")
	assert.Nil(t, tc.TimeControl, "the write-only flags were read as values (they read 0 whatever is set)")
	assert.NoError(t, tc.Validate(), "the read schedule does not validate")
}

func TestTimeChargeWeeksAsString(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getTimeChargeBySn", body(200, `{"code":200,"msg":"Success","data":{"executeCycleType":1,
		"chargeTimeList":[{"beginTime":"01:00","endTime":"02:00","weeks":"1,3","chargePower":1000,"chargeLimit":50}],
		"dischargeTimeList":[{"beginTime":"18:00","endTime":"19:00","weeks":null,"chargePower":1000,"chargeLimit":20}]}}`))
	tc, err := c.TimeCharge(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []time.Weekday{time.Monday, time.Wednesday}, tc.Charge[0].Days)
	assert.Nil(t, tc.Discharge[0].Days)
	for _, bad := range []string{`"weeks":[0]`, `"weeks":[8]`, `"weeks":"mon"`, `"weeks":[1.5]`} {
		c, m := newMock(t)
		m.on(http.MethodGet, "getTimeChargeBySn", body(200, `{"code":200,"data":{"executeCycleType":1,
			"chargeTimeList":[{"beginTime":"01:00","endTime":"02:00",`+bad+`,"chargePower":1,"chargeLimit":50}],"dischargeTimeList":[]}}`))
		_, err := c.TimeCharge(context.Background())
		assert.Error(t, err, "%s accepted", bad)
	}
}

func validTimeCharge() alphaess.TimeCharge {
	return alphaess.TimeCharge{
		Cycle: alphaess.CycleWeekly,
		Charge: []alphaess.TimePeriod{
			{Start: alphaess.At(1, 0), End: alphaess.At(5, 0), Days: weekdays, Power: 3000, Limit: 0.9},
			{Start: alphaess.At(23, 0), End: alphaess.At(1, 0), Days: []time.Weekday{time.Sunday, time.Saturday}, Power: 2500, Limit: 0.8},
		},
		Discharge: []alphaess.TimePeriod{{Start: alphaess.At(17, 0), End: alphaess.At(21, 0), Days: weekdays, Power: 5000, Limit: 0.1}},
	}
}

func TestSetTimeChargeBody(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "setTimeChargeBySn", fixture(t, "ok_null.json"))
	tc := validTimeCharge()
	tc.GridCharge = new(true)
	require.NoError(t, c.SetTimeCharge(context.Background(), tc))
	got := m.last(t).json(t)
	want := map[string]any{
		"sysSn": testSN, "executeCycleType": 1.0, "gridChargeCycle": 1.0,
		"chargeTimeList": []any{
			map[string]any{"beginTime": "01:00", "endTime": "05:00", "weeks": []any{1.0, 2.0, 3.0, 4.0, 5.0}, "chargePower": 3000.0, "chargeLimit": 90.0},
			map[string]any{"beginTime": "23:00", "endTime": "01:00", "weeks": []any{6.0, 7.0}, "chargePower": 2500.0, "chargeLimit": 80.0},
		},
		"dischargeTimeList": []any{
			map[string]any{"beginTime": "17:00", "endTime": "21:00", "weeks": []any{1.0, 2.0, 3.0, 4.0, 5.0}, "chargePower": 5000.0, "chargeLimit": 10.0},
		},
	}
	assert.Equal(t, want, got, "body")
	assert.NotContains(t, got, "ctrDisCycle", "a nil flag was sent")
}

// The rules of setTimeChargeBySn, each checked before any request.
func TestTimeChargeValidation(t *testing.T) {
	tests := []struct {
		name  string
		mut   func(*alphaess.TimeCharge)
		field string
		says  string
	}{
		{"unknown cycle", func(tc *alphaess.TimeCharge) { tc.Cycle = 2 }, "Cycle", "CycleDaily"},
		{"empty charge list", func(tc *alphaess.TimeCharge) { tc.Charge = nil }, "Charge", "cannot clear"},
		{"empty discharge list", func(tc *alphaess.TimeCharge) { tc.Discharge = []alphaess.TimePeriod{} }, "Discharge", "at least one"},
		{"off grid", func(tc *alphaess.TimeCharge) { tc.Charge[0].Start = alphaess.At(10, 7) }, "Charge[0].Start", "15-minute grid"},
		{"empty period", func(tc *alphaess.TimeCharge) { tc.Discharge[0].End = tc.Discharge[0].Start }, "Discharge[0].End", "empty"},
		{"limit below 10 %", func(tc *alphaess.TimeCharge) { tc.Charge[1].Limit = 0.05 }, "Charge[1].Limit", "10 … 100"},
		{"limit in percent", func(tc *alphaess.TimeCharge) { tc.Charge[1].Limit = 90 }, "Charge[1].Limit", "fraction"},
		{"negative power", func(tc *alphaess.TimeCharge) { tc.Discharge[0].Power = -1 }, "Discharge[0].Power", "whole number"},
		{"fractional power", func(tc *alphaess.TimeCharge) { tc.Discharge[0].Power = 1000.5 }, "Discharge[0].Power", "whole number"},
		{"weekly without days", func(tc *alphaess.TimeCharge) { tc.Charge[0].Days = nil }, "Charge[0].Days", "weekly"},
		{"bad weekday", func(tc *alphaess.TimeCharge) { tc.Charge[0].Days = []time.Weekday{7} }, "Charge[0].Days", "Weekday"},
		{"day twice", func(tc *alphaess.TimeCharge) { tc.Charge[0].Days = []time.Weekday{1, 1} }, "Charge[0].Days", "twice"},
		{"daily with some days", func(tc *alphaess.TimeCharge) { tc.Cycle = alphaess.CycleDaily }, "Charge[0].Days", "daily"},
		{"charge overlaps discharge", func(tc *alphaess.TimeCharge) {
			tc.Discharge[0].Start = alphaess.At(4, 0)
		}, "Discharge[0].Start", "overlaps Charge[0] on Monday"},
		{"overlap past midnight", func(tc *alphaess.TimeCharge) {
			// Saturday 23:00–01:00 runs into Sunday 00:30.
			tc.Discharge[0] = alphaess.TimePeriod{Start: alphaess.At(0, 30), End: alphaess.At(2, 0), Days: []time.Weekday{time.Sunday}, Power: 1, Limit: 0.5}
		}, "Discharge[0].Start", "overlaps Charge[1] on Sunday"},
		{"seven a day", func(tc *alphaess.TimeCharge) {
			tc.Charge = nil
			for h := range 7 {
				tc.Charge = append(tc.Charge, alphaess.TimePeriod{Start: alphaess.At(h, 0), End: alphaess.At(h, 30), Days: []time.Weekday{time.Monday}, Power: 1, Limit: 1})
			}
		}, "Charge", "more than 6 periods on Monday"},
		{"29 a week", func(tc *alphaess.TimeCharge) {
			tc.Charge = nil
			for d := range 7 {
				for h := range 5 {
					if d*5+h < 29 {
						tc.Charge = append(tc.Charge, alphaess.TimePeriod{Start: alphaess.At(h, 0), End: alphaess.At(h, 30), Days: []time.Weekday{time.Weekday(d)}, Power: 1, Limit: 1})
					}
				}
			}
		}, "Charge", "at most 28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, m := newMock(t)
			m.on(http.MethodPost, "setTimeChargeBySn", fixture(t, "ok_null.json"))
			tc := validTimeCharge()
			tt.mut(&tc)
			err := c.SetTimeCharge(context.Background(), tc)
			var fe *energy.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.Contains(t, err.Error(), tt.says)
			assert.Empty(t, m.requests(), "sent before validating")
		})
	}
	daily := alphaess.TimeCharge{
		Charge:    []alphaess.TimePeriod{{Start: alphaess.At(22, 0), End: alphaess.At(6, 0), Power: 3000, Limit: 1}},
		Discharge: []alphaess.TimePeriod{{Start: alphaess.At(6, 0), End: alphaess.At(22, 0), Power: 3000, Limit: 0.1}},
	}
	assert.NoError(t, daily.Validate(), "a daily schedule covering the whole day")
}

// 6001 carries "time list is null" in expMsg; many accounts get 6017,
// which is "not available", not "unauthorized".
func TestSetTimeChargeFailures(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "setTimeChargeBySn", fixture(t, "error_6017_info.json"))
	err := c.SetTimeCharge(context.Background(), validTimeCharge())
	require.ErrorIs(t, err, energy.ErrUnsupported, "6017")
	require.NotErrorIs(t, err, energy.ErrUnauthorized, "6017")
	require.Len(t, m.requests(), 1, "6017 was retried")
	c, m = newMock(t)
	m.on(http.MethodPost, "setTimeChargeBySn", fixture(t, "error_6001_timelist.json"))
	err = c.SetTimeCharge(context.Background(), validTimeCharge())
	var ae *alphaess.APIError
	require.ErrorAs(t, err, &ae, "6001")
	assert.Equal(t, "time list is null", ae.ExpMsg)
	assert.ErrorIs(t, err, energy.ErrInvalid)
}

func TestSetTimeChargeVerify(t *testing.T) {
	c, m := newMock(t, alphaess.WithVerifyWrites(true))
	m.on(http.MethodPost, "setTimeChargeBySn", fixture(t, "ok_null.json"))
	m.on(http.MethodGet, "getTimeChargeBySn", fixture(t, "getTimeChargeBySn.json"))
	tc := validTimeCharge()
	err := c.SetTimeCharge(context.Background(), tc)
	require.ErrorIs(t, err, alphaess.ErrNotApplied)
	assert.Contains(t, err.Error(), "Discharge[0]", "only Discharge[0] differs (its days)")
	assert.NotContains(t, err.Error(), "Charge[0]", "only Discharge[0] differs (its days)")
	tc.Discharge[0].Days = []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	require.NoError(t, c.SetTimeCharge(context.Background(), tc))
	// Sent daily, read back weekly: the cycle did not stick.
	daily := alphaess.TimeCharge{
		Cycle:     alphaess.CycleDaily,
		Charge:    []alphaess.TimePeriod{{Start: alphaess.At(1, 0), End: alphaess.At(5, 0), Power: 3000, Limit: 0.9}},
		Discharge: []alphaess.TimePeriod{{Start: alphaess.At(17, 0), End: alphaess.At(21, 0), Power: 5000, Limit: 0.1}},
	}
	var na *alphaess.NotAppliedError
	require.ErrorAs(t, c.SetTimeCharge(context.Background(), daily), &na)
	assert.Equal(t, alphaess.FieldDiff{Field: "Cycle", Sent: "daily", Got: "weekly"}, na.Diffs[0], "Cycle first among the differences")
}
