package alphaess_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

func period(h1, m1, h2, m2 int) alphaess.Period {
	return alphaess.Period{Start: alphaess.At(h1, m1), End: alphaess.At(h2, m2)}
}

// The vendor's example body (f = from, e = end).
func TestChargeSettings(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getChargeConfigInfo", fixture(t, "getChargeConfigInfo.json"))
	s, err := c.ChargeSettings(context.Background())
	require.NoError(t, err)
	assert.Equal(t, alphaess.ChargeSettings{GridCharge: false, StopAt: 1, Period1: period(11, 0, 14, 0)}, *s)
	assert.Equal(t, testSN, m.last(t).req.URL.Query().Get("sysSn"), "sysSn not sent")
}

func TestDischargeSettings(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getDisChargeConfigInfo", fixture(t, "getDisChargeConfigInfo.json"))
	s, err := c.DischargeSettings(context.Background())
	require.NoError(t, err)
	assert.Equal(t, alphaess.DischargeSettings{TimeControl: true, StopAt: 0.1, Period1: period(17, 0, 22, 30), Period2: period(6, 0, 8, 0)}, *s)
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
		_, err := c.ChargeSettings(context.Background())
		assert.Error(t, err, "%s: accepted", name)
	}
}

// A write sends all seven fields, as AlphaESS replaces the whole record.
func TestSetChargeSettingsBody(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
	err := c.SetChargeSettings(context.Background(), alphaess.ChargeSettings{
		GridCharge: true, StopAt: 0.9, Period1: period(1, 30, 5, 0), Period2: period(22, 0, 23, 45),
	})
	require.NoError(t, err)
	want := map[string]any{"sysSn": testSN, "batHighCap": 90.0, "gridCharge": 1.0,
		"timeChaf1": "01:30", "timeChae1": "05:00", "timeChaf2": "22:00", "timeChae2": "23:45"}
	assert.Equal(t, want, m.last(t).json(t), "body")
	assert.Empty(t, m.last(t).req.URL.RawQuery, "POST with a query")
}

func TestSetDischargeSettingsBody(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "updateDisChargeConfigInfo", fixture(t, "ok_null.json"))
	err := c.SetDischargeSettings(context.Background(), alphaess.DischargeSettings{TimeControl: true, StopAt: 0.15, Period1: period(17, 0, 21, 0)})
	require.NoError(t, err)
	want := map[string]any{"sysSn": testSN, "batUseCap": 15.0, "ctrDis": 1.0,
		"timeDisf1": "17:00", "timeDise1": "21:00", "timeDisf2": "00:00", "timeDise2": "00:00"}
	assert.Equal(t, want, m.last(t).json(t), "body")
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
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.Empty(t, m.requests(), "sent before validating")
		})
	}
	// Discharge settings share the rules.
	d := alphaess.DischargeSettings{StopAt: 0.1, Period1: period(10, 7, 11, 0)}
	if err := d.Validate(); assert.Error(t, err, "discharge 10:07 start") {
		assert.Contains(t, err.Error(), "Period1.Start")
	}
	// 0.29 is 28.999999999999996 % in floating point: still a whole percent.
	assert.NoError(t, alphaess.ChargeSettings{StopAt: 0.29}.Validate(), "0.29")
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
	require.NoError(t, err)
	want := map[string]any{"sysSn": testSN, "batHighCap": 100.0, "gridCharge": 1.0,
		"timeChaf1": "11:00", "timeChae1": "14:00", "timeChaf2": "02:00", "timeChae2": "04:00"}
	assert.Equal(t, want, m.last(t).json(t), "the read fields kept, the edit applied")
	// An error from edit stops before the write.
	stop := errors.New("no")
	c, m = newMock(t)
	m.on(http.MethodGet, "getChargeConfigInfo", fixture(t, "getChargeConfigInfo.json"))
	m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
	err = c.UpdateChargeSettings(context.Background(), func(*alphaess.ChargeSettings) error { return stop })
	require.Equal(t, stop, err)
	require.Len(t, m.requests(), 1, "only the read")
}

func TestUpdateDischargeSettings(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getDisChargeConfigInfo", fixture(t, "getDisChargeConfigInfo.json"))
	m.on(http.MethodPost, "updateDisChargeConfigInfo", fixture(t, "ok_null.json"))
	err := c.UpdateDischargeSettings(context.Background(), func(s *alphaess.DischargeSettings) error {
		s.StopAt = 0.2
		return nil
	})
	require.NoError(t, err)
	want := map[string]any{"sysSn": testSN, "batUseCap": 20.0, "ctrDis": 1.0,
		"timeDisf1": "17:00", "timeDise1": "22:30", "timeDisf2": "06:00", "timeDise2": "08:00"}
	assert.Equal(t, want, m.last(t).json(t), "body")
}

// Writes "succeed" with code 200 and change nothing on some devices:
// WithVerifyWrites reads back and says so.
func TestVerifyWrites(t *testing.T) {
	s := alphaess.ChargeSettings{GridCharge: true, StopAt: 0.9, Period1: period(1, 0, 5, 0)}
	t.Run("not applied", func(t *testing.T) {
		c, m := newMock(t, alphaess.WithVerifyWrites(true))
		m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
		m.on(http.MethodGet, "getChargeConfigInfo", fixture(t, "getChargeConfigInfo.json"))
		err := c.SetChargeSettings(context.Background(), s)
		var na *alphaess.NotAppliedError
		require.ErrorAs(t, err, &na)
		require.ErrorIs(t, err, alphaess.ErrNotApplied)
		fields := map[string]alphaess.FieldDiff{}
		for _, d := range na.Diffs {
			fields[d.Field] = d
		}
		assert.Equal(t, "01:00", fields["Period1.Start"].Sent, "Period1.Start diff")
		assert.Equal(t, "11:00", fields["Period1.Start"].Got, "Period1.Start diff")
		assert.Contains(t, fields, "GridCharge")
		assert.Len(t, fields, 4, "diffs = %+v, want GridCharge, StopAt, Period1.Start and Period1.End", na.Diffs)
		assert.Contains(t, err.Error(), "accepted but not applied")
	})
	t.Run("applied", func(t *testing.T) {
		c, m := newMock(t, alphaess.WithVerifyWrites(true))
		m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
		m.on(http.MethodGet, "getChargeConfigInfo", body(200, `{"code":200,"msg":"Success","data":{"gridCharge":1,"batHighCap":90,"timeChaf1":"01:00","timeChae1":"05:00","timeChaf2":"06:00","timeChae2":"06:00"}}`))
		require.NoError(t, c.SetChargeSettings(context.Background(), s), "06:00–06:00 is off, like 00:00–00:00")
	})
	t.Run("discharge", func(t *testing.T) {
		c, m := newMock(t, alphaess.WithVerifyWrites(true))
		m.on(http.MethodPost, "updateDisChargeConfigInfo", fixture(t, "ok_null.json"))
		m.on(http.MethodGet, "getDisChargeConfigInfo", fixture(t, "getDisChargeConfigInfo.json"))
		err := c.SetDischargeSettings(context.Background(), alphaess.DischargeSettings{TimeControl: true, StopAt: 0.1, Period1: period(17, 0, 22, 30)})
		var na *alphaess.NotAppliedError
		require.ErrorAs(t, err, &na)
		require.Len(t, na.Diffs, 2)
		assert.Equal(t, "Period2.Start", na.Diffs[0].Field)
	})
	t.Run("off by default", func(t *testing.T) {
		c, m := newMock(t)
		m.on(http.MethodPost, "updateChargeConfigInfo", fixture(t, "ok_null.json"))
		require.NoError(t, c.SetChargeSettings(context.Background(), s))
		assert.Len(t, m.requests(), 1)
	})
}

func TestSettingsWriteFailures(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodPost, "updateChargeConfigInfo", envelopeCode(6008, "Set failed"))
	err := c.SetChargeSettings(context.Background(), alphaess.ChargeSettings{StopAt: 1})
	var ae *alphaess.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, alphaess.CodeSetFailed, ae.Code)
	assert.Equal(t, "updateChargeConfigInfo", ae.Endpoint)
	c, m = newMock(t)
	m.on(http.MethodPost, "updateDisChargeConfigInfo", fixture(t, "error_6042.json"))
	require.ErrorIs(t, c.SetDischargeSettings(context.Background(), alphaess.DischargeSettings{StopAt: 0.1}), energy.ErrUnavailable)
}
