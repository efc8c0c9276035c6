package alphaess_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// Shape from reference §1.4 (getTimeChargeBySn fields and list elements).
func TestTimeCharge(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getTimeChargeBySn", fixture(t, "getTimeChargeBySn.json"))
	tc, err := c.TimeCharge(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m.last(t).req.URL.Query().Get("sysSn") != testSN {
		t.Error("sysSn not sent")
	}
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
	if !reflect.DeepEqual(tc, want) {
		t.Errorf("got  %+v\nwant %+v", tc, want)
	}
	if tc.GridCharge != nil || tc.TimeControl != nil {
		t.Error("the write-only flags were read as values (they read 0 whatever is set)")
	}
	if err := tc.Validate(); err != nil {
		t.Errorf("the read schedule does not validate: %v", err)
	}
}

func TestTimeChargeWeeksAsString(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getTimeChargeBySn", body(200, `{"code":200,"msg":"Success","data":{"executeCycleType":1,
		"chargeTimeList":[{"beginTime":"01:00","endTime":"02:00","weeks":"1,3","chargePower":1000,"chargeLimit":50}],
		"dischargeTimeList":[{"beginTime":"18:00","endTime":"19:00","weeks":null,"chargePower":1000,"chargeLimit":20}]}}`))
	tc, err := c.TimeCharge(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tc.Charge[0].Days, []time.Weekday{time.Monday, time.Wednesday}) || tc.Discharge[0].Days != nil {
		t.Errorf("days = %v, %v", tc.Charge[0].Days, tc.Discharge[0].Days)
	}
	for _, bad := range []string{`"weeks":[0]`, `"weeks":[8]`, `"weeks":"mon"`, `"weeks":[1.5]`} {
		c, m := newMock(t)
		m.on(http.MethodGet, "getTimeChargeBySn", body(200, `{"code":200,"data":{"executeCycleType":1,
			"chargeTimeList":[{"beginTime":"01:00","endTime":"02:00",`+bad+`,"chargePower":1,"chargeLimit":50}],"dischargeTimeList":[]}}`))
		if _, err := c.TimeCharge(context.Background()); err == nil {
			t.Errorf("%s accepted", bad)
		}
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
	tc.GridCharge = energy.Ptr(true)
	if err := c.SetTimeCharge(context.Background(), tc); err != nil {
		t.Fatal(err)
	}
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
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body = %v\nwant   %v", got, want)
	}
	if _, sent := got["ctrDisCycle"]; sent {
		t.Error("a nil flag was sent")
	}
}

// The rules of reference §1.4 (setTimeChargeBySn), each checked before any
// request.
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
			if !errors.As(err, &fe) || fe.Field != tt.field || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("err = %v, want a FieldError for %s saying %q", err, tt.field, tt.says)
			}
			if len(m.requests()) != 0 {
				t.Fatal("sent before validating")
			}
		})
	}
	daily := alphaess.TimeCharge{
		Charge:    []alphaess.TimePeriod{{Start: alphaess.At(22, 0), End: alphaess.At(6, 0), Power: 3000, Limit: 1}},
		Discharge: []alphaess.TimePeriod{{Start: alphaess.At(6, 0), End: alphaess.At(22, 0), Power: 3000, Limit: 0.1}},
	}
	if err := daily.Validate(); err != nil {
		t.Errorf("a daily schedule covering the whole day: %v", err)
	}
}

// Reference §1.4/§1.5: 6001 carries "time list is null" in expMsg; many
// accounts get 6017, which is "not available", not "unauthorized".
func TestSetTimeChargeFailures(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "setTimeChargeBySn", fixture(t, "error_6017_info.json"))
	err := c.SetTimeCharge(context.Background(), validTimeCharge())
	if !errors.Is(err, energy.ErrUnsupported) || errors.Is(err, energy.ErrUnauthorized) {
		t.Fatalf("6017: %v", err)
	}
	if n := len(m.requests()); n != 1 {
		t.Fatalf("6017 was retried: %d requests", n)
	}
	c, m = newMock(t)
	m.on(http.MethodPost, "setTimeChargeBySn", fixture(t, "error_6001_timelist.json"))
	err = c.SetTimeCharge(context.Background(), validTimeCharge())
	var ae *alphaess.APIError
	if !errors.As(err, &ae) || ae.ExpMsg != "time list is null" || !errors.Is(err, energy.ErrInvalid) {
		t.Fatalf("6001: %v", err)
	}
}

func TestSetTimeChargeVerify(t *testing.T) {
	c, m := newMock(t, alphaess.WithVerifyWrites(true))
	m.on(http.MethodPost, "setTimeChargeBySn", fixture(t, "ok_null.json"))
	m.on(http.MethodGet, "getTimeChargeBySn", fixture(t, "getTimeChargeBySn.json"))
	tc := validTimeCharge()
	if err := c.SetTimeCharge(context.Background(), tc); err == nil || !errors.Is(err, alphaess.ErrNotApplied) ||
		!strings.Contains(err.Error(), "Discharge[0]") || strings.Contains(err.Error(), "Charge[0]") {
		t.Fatalf("err = %v, want only Discharge[0] to differ (its days)", err)
	}
	tc.Discharge[0].Days = []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	if err := c.SetTimeCharge(context.Background(), tc); err != nil {
		t.Fatalf("err = %v", err)
	}
	// Sent daily, read back weekly: the cycle did not stick.
	daily := alphaess.TimeCharge{
		Cycle:     alphaess.CycleDaily,
		Charge:    []alphaess.TimePeriod{{Start: alphaess.At(1, 0), End: alphaess.At(5, 0), Power: 3000, Limit: 0.9}},
		Discharge: []alphaess.TimePeriod{{Start: alphaess.At(17, 0), End: alphaess.At(21, 0), Power: 5000, Limit: 0.1}},
	}
	var na *alphaess.NotAppliedError
	if err := c.SetTimeCharge(context.Background(), daily); !errors.As(err, &na) || na.Diffs[0].Field != "Cycle" ||
		na.Diffs[0].Sent != "daily" || na.Diffs[0].Got != "weekly" {
		t.Fatalf("err = %v, want Cycle first among the differences", err)
	}
}
