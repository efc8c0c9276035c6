package oscp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/oscp"
)

func TestTimestamp(t *testing.T) {
	for in, want := range map[string]time.Time{
		`"2022-09-08 22:54:31.746647Z"`: time.Date(2022, 9, 8, 22, 54, 31, 746647000, time.UTC),
		`"2020-03-01 10:30:49Z"`:        time.Date(2020, 3, 1, 10, 30, 49, 0, time.UTC),
		`"2020-03-01 10:30:49.3Z"`:      time.Date(2020, 3, 1, 10, 30, 49, 3e8, time.UTC),
		`"2020-03-01T12:30:49+02:00"`:   time.Date(2020, 3, 1, 10, 30, 49, 0, time.UTC),
		`null`:                          {},
	} {
		var ts oscp.Timestamp
		require.NoError(t, json.Unmarshal([]byte(in), &ts), in)
		assert.True(t, want.Equal(ts.Time), in)
	}
	for _, bad := range []string{`"2022-09-08"`, `"2022-09-08 22:54:31.1234567Z"`, `12`, `"yesterday"`} {
		var ts oscp.Timestamp
		assert.Error(t, json.Unmarshal([]byte(bad), &ts), bad)
	}
	for in, want := range map[time.Time]string{
		time.Date(2022, 9, 8, 22, 54, 31, 746647000, time.UTC):                `"2022-09-08 22:54:31.746647Z"`,
		time.Date(2022, 9, 8, 22, 54, 31, 0, time.UTC):                        `"2022-09-08 22:54:31Z"`,
		time.Date(2022, 9, 9, 0, 54, 31, 5e8, time.FixedZone("CEST", 2*3600)): `"2022-09-08 22:54:31.5Z"`,
		time.Date(2022, 9, 8, 22, 54, 31, 123456789, time.UTC):                `"2022-09-08 22:54:31.123456Z"`,
		{}: `null`,
	} {
		b, err := json.Marshal(oscp.Timestamp{Time: in})
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
	}
}

func TestEnums(t *testing.T) {
	var p oscp.Phase
	require.NoError(t, json.Unmarshal([]byte(`"all"`), &p))
	assert.Equal(t, oscp.PhaseAll, p)
	var u oscp.MeasurementUnit
	require.NoError(t, json.Unmarshal([]byte(`"KWH"`), &u))
	assert.Equal(t, oscp.UnitKWh, u)
	var s oscp.StatisticType
	require.NoError(t, json.Unmarshal([]byte(`"Median"`), &s))
	assert.Equal(t, oscp.StatisticType("Median"), s)
	assert.False(t, s.Known())
	_, err := json.Marshal(s)
	require.ErrorIs(t, err, energy.ErrInvalid, "unknown refused on encode")
	b, err := json.Marshal(oscp.UnitKW)
	require.NoError(t, err)
	assert.Equal(t, `"kW"`, string(b))
	assert.Len(t, oscp.MeasurementPeriodValues(), 7)
	for _, v := range oscp.ForecastTypeValues() {
		assert.True(t, v.Known())
	}
	require.Error(t, json.Unmarshal([]byte(`7`), &p))
}

func TestServiceProps(t *testing.T) {
	in := `{"oauth-token-url":"https://auth/t","oauth-client-id":"cid","http-headers":{"x-api-key":"k","n":1.5,"b":true},
		"url-paths":{"heartbeat":"/hb","Register":"/reg","Future":"/f"},"group-combined-asset-id":"abc"}`
	var p oscp.ServiceProps
	require.NoError(t, json.Unmarshal([]byte(in), &p))
	assert.Equal(t, "cid", p.OAuth.ClientID)
	assert.True(t, p.OAuth.ClientSecret.IsZero())
	assert.Equal(t, map[string]string{"x-api-key": "k", "n": "1.5", "b": "true"}, p.HTTPHeaders)
	assert.Equal(t, "/hb", p.URLPaths[oscp.ActionHeartbeat])
	assert.False(t, oscp.Action("Future").Known())
	assert.JSONEq(t, `"abc"`, string(p.Other["group-combined-asset-id"]))

	_, err := json.Marshal(p)
	require.ErrorIs(t, err, energy.ErrInvalid, "unknown action refused")
	delete(p.URLPaths, "Future")
	p.OAuth.ClientSecret = oscp.NewSecret("s3cret")
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"oauth-token-url":"https://auth/t","oauth-client-id":"cid","oauth-client-secret":"s3cret",
		"http-headers":{"x-api-key":"k","n":"1.5","b":"true"},"url-paths":{"Heartbeat":"/hb","Register":"/reg"},"group-combined-asset-id":"abc"}`, string(b))
	assert.NotContains(t, fmtAll(p), "s3cret")
	assert.NotContains(t, fmtAll(*p.OAuth), "s3cret")
	q := p.Clone()
	q.HTTPHeaders["x"] = "y"
	assert.NotContains(t, p.HTTPHeaders, "x")
	require.Error(t, json.Unmarshal([]byte(`[]`), &p))
	require.Error(t, json.Unmarshal([]byte(`{"url-paths":3}`), &p))
}

func TestValidationBeforeIO(t *testing.T) {
	c, mt := newMock(t)
	ctx := context.Background()
	long := func(n int) string {
		b := make([]rune, n)
		for i := range b {
			b[i] = 'é'
		}
		return string(b)
	}
	cases := map[string]func() error{
		"NodeID": func() error { _, err := c.UpdateSettings(ctx, oscp.SettingsInput{}); return err },
		"Name": func() error {
			in := systemIn
			in.Name = long(65)
			_, _, err := c.CreateCapacityProvider(ctx, in)
			return err
		},
		"BaseURL": func() error {
			in := systemIn
			in.BaseURL = "/relative"
			_, err := c.UpdateCapacityOptimizer(ctx, 1, in)
			return err
		},
		"ServiceProps.OAuth.ClientID": func() error {
			in := systemIn
			in.ServiceProps = oscp.ServiceProps{OAuth: &oscp.OAuthClient{TokenURL: "https://a"}}
			_, _, err := c.CreateCapacityOptimizer(ctx, in)
			return err
		},
		"Identifier": func() error {
			in := groupIn
			in.Identifier = long(129)
			_, err := c.CreateCapacityGroup(ctx, in)
			return err
		},
		"CapacityOptimizerMeasurementPeriod": func() error {
			in := groupIn
			in.CapacityOptimizerMeasurementPeriod = "FortyMinute"
			_, err := c.UpdateCapacityGroup(ctx, 1, in)
			return err
		},
		"SourceID": func() error {
			in := assetIn
			in.SourceID = long(65)
			_, err := c.CreateAsset(ctx, in)
			return err
		},
		"Energy.Direction": func() error {
			in := assetIn
			e := *in.Energy
			e.Direction = ""
			in.Energy = &e
			_, err := c.UpdateAsset(ctx, 1, in)
			return err
		},
		"Instantaneous.PropertyNames": func() error {
			in := assetIn
			in.Instantaneous = &oscp.InstantaneousSettings{Unit: oscp.UnitW, StatisticType: oscp.StatAverage}
			_, err := c.CreateAsset(ctx, in)
			return err
		},
		"assetID":  func() error { _, err := c.Asset(ctx, 0); return err },
		"groupID":  func() error { return c.DeleteCapacityGroupSettings(ctx, -1) },
		"Audience": func() error { in := assetIn; in.Audience = "Someone"; _, err := c.CreateAsset(ctx, in); return err },
	}
	for field, f := range cases {
		var fe *energy.FieldError
		err := f()
		require.ErrorAs(t, err, &fe, field)
		assert.Equal(t, field, fe.Field)
		assert.ErrorIs(t, err, energy.ErrInvalid)
	}
	assert.Equal(t, 0, mt.GetTotalCallCount(), "no request for invalid input")
	// At the limits is fine.
	in := groupIn
	in.Name, in.Identifier = long(64), long(128)
	require.NoError(t, in.Validate())
}

func TestNewValidates(t *testing.T) {
	var fe *energy.FieldError
	for field, f := range map[string]func() error{
		"tokenID":     func() error { _, err := oscp.New("", "s"); return err },
		"secret":      func() error { _, err := oscp.New("id", ""); return err },
		"WithBaseURL": func() error { _, err := oscp.New("id", "s", oscp.WithBaseURL("ftp://x")); return err },
		"WithLogger":  func() error { _, err := oscp.New("id", "s", oscp.WithLogger(nil)); return err },
		"WithClock":   func() error { _, err := oscp.New("id", "s", oscp.WithClock(nil)); return err },
		"WithRetries": func() error { _, err := oscp.New("id", "s", oscp.WithRetries(-1)); return err },
		"WithTimeout": func() error { _, err := oscp.New("id", "s", oscp.WithTimeout(-1)); return err },
	} {
		require.ErrorAs(t, f(), &fe, field)
		assert.Equal(t, field, fe.Field)
	}
	c, err := oscp.New("id", "s", oscp.WithUserAgent("me/1"))
	require.NoError(t, err)
	assert.Equal(t, `oscp.Client{TokenID: "id"}`, c.String())
}

func TestLogsHoldNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMock(t, oscp.WithLogger(log))
	mt.RegisterResponder("POST", url("/capacity-providers"), httpmock.NewStringResponder(201, fixture(t, "provider_create.json")))
	mt.RegisterResponder("GET", url("/settings"), httpmock.NewStringResponder(503, fixture(t, "error_500.json")))
	_, tok, err := c.CreateCapacityProvider(context.Background(), systemIn)
	require.NoError(t, err)
	_, err = c.Settings(context.Background())
	require.Error(t, err)
	out := buf.String()
	require.Contains(t, out, "retrying", "the logger was used")
	for _, secret := range []string{"test-token-secret", tok.Reveal(), "Secret.123", "Signature="} {
		assert.NotContains(t, out, secret)
		assert.NotContains(t, err.Error(), secret)
	}
}
