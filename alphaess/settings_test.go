package alphaess_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

func period(h1, m1, h2, m2 int) alphaess.Period {
	return alphaess.Period{Start: alphaess.At(h1, m1), End: alphaess.At(h2, m2)}
}

// Reference §1.4 example body (f = from, e = end).
func TestChargeSettings(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getChargeConfigInfo", fixture(t, "getChargeConfigInfo.json"))
	s, err := c.ChargeSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := alphaess.ChargeSettings{GridCharge: false, StopAt: 1, Period1: period(11, 0, 14, 0)}
	if *s != want {
		t.Errorf("got %+v, want %+v", *s, want)
	}
	if m.last(t).req.URL.Query().Get("sysSn") != testSN {
		t.Error("sysSn not sent")
	}
}

func TestDischargeSettings(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getDisChargeConfigInfo", fixture(t, "getDisChargeConfigInfo.json"))
	s, err := c.DischargeSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := alphaess.DischargeSettings{TimeControl: true, StopAt: 0.1, Period1: period(17, 0, 22, 30), Period2: period(6, 0, 8, 0)}
	if *s != want {
		t.Errorf("got %+v, want %+v", *s, want)
	}
}

func TestSettingsMalformed(t *testing.T) {
	for name, b := range map[string]string{
		"flag 2":       `{"code":200,"data":{"gridCharge":2,"batHighCap":100,"timeChaf1":"00:00","timeChae1":"00:00","timeChaf2":"00:00","timeChae2":"00:00"}}`,
		"null level":   `{"code":200,"data":{"gridCharge":1,"batHighCap":null,"timeChaf1":"00:00","timeChae1":"00:00","timeChaf2":"00:00","timeChae2":"00:00"}}`,
		"bad time":     `{"code":200,"data":{"gridCharge":1,"batHighCap":90,"timeChaf1":"25:00","timeChae1":"00:00","timeChaf2":"00:00","timeChae2":"00:00"}}`,
		"missing time": `{"code":200,"data":{"gridCharge":1,"batHighCap":90}}`,
	} {
		c, m := newMock(t)
		m.on(http.MethodGet, "getChargeConfigInfo", body(200, b))
		if _, err := c.ChargeSettings(context.Background()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A write sends all seven fields, as AlphaESS replaces the whole record
// (reference §1.3 #7 and #9).
func TestSetChargeSettingsBody(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
	err := c.SetChargeSettings(context.Background(), alphaess.ChargeSettings{
		GridCharge: true, StopAt: 0.9, Period1: period(1, 30, 5, 0), Period2: period(22, 0, 23, 45),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := m.last(t).json(t)
	want := map[string]any{"sysSn": testSN, "batHighCap": 90.0, "gridCharge": 1.0,
		"timeChaf1": "01:30", "timeChae1": "05:00", "timeChaf2": "22:00", "timeChae2": "23:45"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body = %v\nwant   %v", got, want)
	}
	if q := m.last(t).req.URL.RawQuery; q != "" {
		t.Errorf("POST with query %q", q)
	}
}

func TestSetDischargeSettingsBody(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "updateDisChargeConfigInfo", fixture(t, "ok_null.json"))
	err := c.SetDischargeSettings(context.Background(), alphaess.DischargeSettings{TimeControl: true, StopAt: 0.15, Period1: period(17, 0, 21, 0)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"sysSn": testSN, "batUseCap": 15.0, "ctrDis": 1.0,
		"timeDisf1": "17:00", "timeDise1": "21:00", "timeDisf2": "00:00", "timeDise2": "00:00"}
	if got := m.last(t).json(t); !reflect.DeepEqual(got, want) {
		t.Errorf("body = %v\nwant   %v", got, want)
	}
}

func TestSettingsValidation(t *testing.T) {
	ok := alphaess.ChargeSettings{GridCharge: true, StopAt: 0.9, Period1: period(1, 0, 5, 0)}
	tests := []struct {
		name  string
		mut   func(*alphaess.ChargeSettings)
		field string
	}{
		{"off-grid start", func(s *alphaess.ChargeSettings) { s.Period1.Start = alphaess.At(10, 7) }, "Period1.Start"},
		{"off-grid end", func(s *alphaess.ChargeSettings) { s.Period2 = period(3, 0, 4, 20) }, "Period2.End"},
		{"no such time", func(s *alphaess.ChargeSettings) { s.Period2.Start = alphaess.At(24, 0) }, "Period2.Start"},
		{"percent", func(s *alphaess.ChargeSettings) { s.StopAt = 90 }, "StopAt"},
		{"negative", func(s *alphaess.ChargeSettings) { s.StopAt = -0.1 }, "StopAt"},
		{"not whole percent", func(s *alphaess.ChargeSettings) { s.StopAt = 0.955 }, "StopAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, m := newMock(t)
			m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
			s := ok
			tt.mut(&s)
			err := c.SetChargeSettings(context.Background(), s)
			var fe *energy.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("err = %v, want a FieldError for %s", err, tt.field)
			}
			if len(m.requests()) != 0 {
				t.Fatal("sent before validating")
			}
		})
	}
	// Discharge settings share the rules.
	d := alphaess.DischargeSettings{StopAt: 0.1, Period1: period(10, 7, 11, 0)}
	if err := d.Validate(); err == nil || !strings.Contains(err.Error(), "Period1.Start") {
		t.Errorf("discharge 10:07 start: %v", err)
	}
	// 0.29 is 28.999999999999996 % in floating point: still a whole percent.
	if err := (alphaess.ChargeSettings{StopAt: 0.29}).Validate(); err != nil {
		t.Errorf("0.29: %v", err)
	}
}

func TestUpdateChargeSettings(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getChargeConfigInfo", fixture(t, "getChargeConfigInfo.json"))
	m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
	err := c.UpdateChargeSettings(context.Background(), func(s *alphaess.ChargeSettings) error {
		s.GridCharge = true
		s.Period2 = period(2, 0, 4, 0)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"sysSn": testSN, "batHighCap": 100.0, "gridCharge": 1.0,
		"timeChaf1": "11:00", "timeChae1": "14:00", "timeChaf2": "02:00", "timeChae2": "04:00"}
	if got := m.last(t).json(t); !reflect.DeepEqual(got, want) {
		t.Errorf("body = %v\nwant   %v (the read fields kept, the edit applied)", got, want)
	}
	// An error from edit stops before the write.
	stop := errors.New("no")
	c, m = newMock(t)
	m.on(http.MethodGet, "getChargeConfigInfo", fixture(t, "getChargeConfigInfo.json"))
	m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
	if err := c.UpdateChargeSettings(context.Background(), func(*alphaess.ChargeSettings) error { return stop }); err != stop {
		t.Fatalf("err = %v", err)
	}
	if n := len(m.requests()); n != 1 {
		t.Fatalf("%d requests, want only the read", n)
	}
}

func TestUpdateDischargeSettings(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getDisChargeConfigInfo", fixture(t, "getDisChargeConfigInfo.json"))
	m.on(http.MethodPost, "updateDisChargeConfigInfo", fixture(t, "ok_null.json"))
	err := c.UpdateDischargeSettings(context.Background(), func(s *alphaess.DischargeSettings) error {
		s.StopAt = 0.2
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"sysSn": testSN, "batUseCap": 20.0, "ctrDis": 1.0,
		"timeDisf1": "17:00", "timeDise1": "22:30", "timeDisf2": "06:00", "timeDise2": "08:00"}
	if got := m.last(t).json(t); !reflect.DeepEqual(got, want) {
		t.Errorf("body = %v\nwant   %v", got, want)
	}
}

// Writes "succeed" with code 200 and change nothing on some devices
// (reference §1.7): WithVerifyWrites reads back and says so.
func TestVerifyWrites(t *testing.T) {
	s := alphaess.ChargeSettings{GridCharge: true, StopAt: 0.9, Period1: period(1, 0, 5, 0)}
	t.Run("not applied", func(t *testing.T) {
		c, m := newMock(t, alphaess.WithVerifyWrites(true))
		m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
		m.on(http.MethodGet, "getChargeConfigInfo", fixture(t, "getChargeConfigInfo.json"))
		err := c.SetChargeSettings(context.Background(), s)
		var na *alphaess.NotAppliedError
		if !errors.As(err, &na) || !errors.Is(err, alphaess.ErrNotApplied) {
			t.Fatalf("err = %v", err)
		}
		fields := map[string]alphaess.FieldDiff{}
		for _, d := range na.Diffs {
			fields[d.Field] = d
		}
		if d := fields["Period1.Start"]; d.Sent != "01:00" || d.Got != "11:00" {
			t.Errorf("Period1.Start diff = %+v", d)
		}
		if _, ok := fields["GridCharge"]; !ok || len(fields) != 4 {
			t.Errorf("diffs = %+v, want GridCharge, StopAt, Period1.Start and Period1.End", na.Diffs)
		}
		if !strings.Contains(err.Error(), "accepted but not applied") {
			t.Errorf("message %q", err)
		}
	})
	t.Run("applied", func(t *testing.T) {
		c, m := newMock(t, alphaess.WithVerifyWrites(true))
		m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
		m.on(http.MethodGet, "getChargeConfigInfo", body(200, `{"code":200,"msg":"Success","data":{"gridCharge":1,"batHighCap":90,"timeChaf1":"01:00","timeChae1":"05:00","timeChaf2":"06:00","timeChae2":"06:00"}}`))
		if err := c.SetChargeSettings(context.Background(), s); err != nil {
			t.Fatalf("err = %v (06:00–06:00 is off, like 00:00–00:00)", err)
		}
	})
	t.Run("discharge", func(t *testing.T) {
		c, m := newMock(t, alphaess.WithVerifyWrites(true))
		m.on(http.MethodPost, "updateDisChargeConfigInfo", fixture(t, "ok_null.json"))
		m.on(http.MethodGet, "getDisChargeConfigInfo", fixture(t, "getDisChargeConfigInfo.json"))
		err := c.SetDischargeSettings(context.Background(), alphaess.DischargeSettings{TimeControl: true, StopAt: 0.1, Period1: period(17, 0, 22, 30)})
		var na *alphaess.NotAppliedError
		if !errors.As(err, &na) || len(na.Diffs) != 2 || na.Diffs[0].Field != "Period2.Start" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("off by default", func(t *testing.T) {
		c, m := newMock(t)
		m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
		if err := c.SetChargeSettings(context.Background(), s); err != nil || len(m.requests()) != 1 {
			t.Fatalf("err = %v, %d requests", err, len(m.requests()))
		}
	})
}

func TestSettingsWriteFailures(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "updateChargeConfigInfo", envelopeCode(6008, "Set failed"))
	err := c.SetChargeSettings(context.Background(), alphaess.ChargeSettings{StopAt: 1})
	var ae *alphaess.APIError
	if !errors.As(err, &ae) || ae.Code != alphaess.CodeSetFailed || ae.Endpoint != "updateChargeConfigInfo" {
		t.Fatalf("err = %v", err)
	}
	c, m = newMock(t)
	m.on(http.MethodPost, "updateDisChargeConfigInfo", fixture(t, "error_6042.json"))
	if err := c.SetDischargeSettings(context.Background(), alphaess.DischargeSettings{StopAt: 0.1}); !errors.Is(err, energy.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
}
