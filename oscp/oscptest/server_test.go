package oscptest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/oscp"
	"github.com/gridwire/gridwire/oscp/oscptest"
	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestLifecycle(t *testing.T) {
	srv := oscptest.NewServer(oscptest.WithClock(clock.NewFake(time.Date(2026, 3, 1, 10, 0, 0, 123456789, time.UTC))))
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	groups, err := c.CapacityGroups(ctx)
	require.NoError(t, err)
	require.Len(t, groups, 1, "seeded")
	assets, err := c.CapacityGroupAssets(ctx, groups[0].ConfigID)
	require.NoError(t, err)
	require.Len(t, assets, 2)
	assert.Equal(t, "2026-03-01 10:00:00.123456Z", assets[0].Created.String())

	in := oscp.SystemInput{Name: "New CP", Enabled: true, BaseURL: "https://cp.example/oscp/cp/2.0", OSCPVersion: "2.0",
		ServiceProps: oscp.ServiceProps{OAuth: &oscp.OAuthClient{TokenURL: "https://a/t", ClientID: "id", ClientSecret: oscp.NewSecret("cs")}}}
	cp, tok, err := c.CreateCapacityProvider(ctx, in)
	require.NoError(t, err)
	assert.Len(t, tok.Reveal(), 64)
	assert.Equal(t, oscp.RegistrationPending, cp.RegistrationStatus)
	assert.True(t, cp.ServiceProps.OAuth.ClientSecret.IsZero(), "secret never returned")
	got, err := c.CapacityProvider(ctx, cp.ConfigID)
	require.NoError(t, err)
	assert.Equal(t, "https://a/t", got.ServiceProps.OAuth.TokenURL)

	optimizer, tok2, err := c.CreateCapacityOptimizer(ctx, in)
	require.NoError(t, err)
	assert.NotEqual(t, tok.Reveal(), tok2.Reveal())

	gin := oscp.CapacityGroupInput{Name: "G2", Identifier: "g2", CapacityProviderID: cp.ConfigID, CapacityOptimizerID: optimizer.ConfigID,
		CapacityProviderMeasurementPeriod: oscp.PeriodHour, CapacityOptimizerMeasurementPeriod: oscp.PeriodMinute}
	g, err := c.CreateCapacityGroup(ctx, gin)
	require.NoError(t, err)
	_, err = c.CreateCapacityGroup(ctx, gin)
	var ae *oscp.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "DAO.00101", ae.Code)

	gin.Name = "G2 renamed"
	g2, err := c.UpdateCapacityGroup(ctx, g.ConfigID, gin)
	require.NoError(t, err)
	assert.Equal(t, "G2 renamed", g2.Name)
	assert.Equal(t, g.Created, g2.Created)

	_, err = c.UpdateCapacityGroupSettings(ctx, g.ConfigID, oscp.SettingsInput{NodeID: 9})
	require.NoError(t, err)
	all, err := c.AllCapacityGroupSettings(ctx)
	require.NoError(t, err)
	assert.Len(t, all, 2)
	gs, err := c.CapacityGroupSettings(ctx, g.ConfigID)
	require.NoError(t, err)
	assert.Equal(t, oscp.DefaultSourceIDTemplate, gs.SourceIDTemplate)

	ain := oscp.AssetInput{Name: "Meter", CapacityGroupID: g.ConfigID, Identifier: "M1", Audience: oscp.AudienceCapacityOptimizer,
		NodeID: 1, SourceID: "meter/1", Category: oscp.CategoryConsumption, Phase: oscp.PhaseB,
		Energy: &oscp.EnergySettings{InstantaneousSettings: oscp.InstantaneousSettings{PropertyNames: []string{"wattHours"}, Unit: oscp.UnitKWh,
			StatisticType: oscp.StatEnd}, Type: oscp.EnergyNonFlexible, Direction: oscp.DirectionExport}}
	a, err := c.CreateAsset(ctx, ain)
	require.NoError(t, err)
	ain.Enabled = true
	a2, err := c.UpdateAsset(ctx, a.ConfigID, ain)
	require.NoError(t, err)
	assert.True(t, a2.Enabled)
	got2, err := c.Asset(ctx, a.ConfigID)
	require.NoError(t, err)
	assert.Equal(t, oscp.DirectionExport, got2.Energy.Direction)

	ain.CapacityGroupID = 999
	_, err = c.CreateAsset(ctx, ain)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "DAO.00105", ae.Code)

	require.NoError(t, c.DeleteCapacityGroup(ctx, g.ConfigID))
	_, err = c.Asset(ctx, a.ConfigID)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusNotFound, ae.StatusCode)
	assert.Equal(t, "DAO.00102", ae.Code)

	require.NoError(t, c.DeleteSettings(ctx))
	_, err = c.Settings(ctx)
	require.ErrorAs(t, err, &ae)
	us, err := c.UpdateSettings(ctx, oscp.SettingsInput{NodeID: 5, PublishToSolarIn: true})
	require.NoError(t, err)
	assert.Equal(t, int64(5), us.NodeID)
	for _, f := range []func() error{
		func() error { _, err := c.UpdateCapacityProvider(ctx, cp.ConfigID, in); return err },
		func() error { _, err := c.UpdateCapacityOptimizer(ctx, optimizer.ConfigID, in); return err },
		func() error { return c.DeleteCapacityProvider(ctx, cp.ConfigID) },
		func() error { return c.DeleteCapacityOptimizer(ctx, optimizer.ConfigID) },
		func() error { return c.DeleteCapacityGroupSettings(ctx, groups[0].ConfigID) },
		func() error { return c.DeleteAsset(ctx, assets[1].ConfigID) },
	} {
		require.NoError(t, f())
	}
	l, err := c.CapacityOptimizers(ctx)
	require.NoError(t, err)
	assert.Len(t, l, 1)
	assert.Greater(t, srv.Requests(), 20)
}

// signedRequest returns a request signed for srv, its body readable.
func signedRequest(t *testing.T, srv *oscptest.Server, method, path, body string) *http.Request {
	t.Helper()
	s, err := snws2.NewSigner(srv.TokenID, srv.TokenSecret)
	require.NoError(t, err)
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+oscp.APIPath+path, r)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	require.NoError(t, s.Sign(req))
	return req
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	return resp.StatusCode, m
}

func TestSignatureChecked(t *testing.T) {
	srv := oscptest.NewServer()
	defer srv.Close()

	status, _ := do(t, signedRequest(t, srv, "GET", "/capacity-groups", ""))
	assert.Equal(t, 200, status)

	// Tampered: the body changes after signing.
	req := signedRequest(t, srv, "PUT", "/settings", `{"nodeId":1}`)
	req.Body = io.NopCloser(strings.NewReader(`{"nodeId":2}`))
	req.GetBody = nil
	status, m := do(t, req)
	assert.Equal(t, 403, status)
	assert.Equal(t, false, m["success"])

	// Tampered: the path changes after signing.
	req = signedRequest(t, srv, "GET", "/capacity-groups/1", "")
	req.URL.Path = oscp.APIPath + "/capacity-groups/2"
	status, _ = do(t, req)
	assert.Equal(t, 403, status)

	// Unsigned.
	req, _ = http.NewRequest("GET", srv.URL+oscp.APIPath+"/settings", nil)
	status, _ = do(t, req)
	assert.Equal(t, 401, status)

	// Wrong secret, through the client: a typed error.
	c := srv.Client()
	bad, err := oscp.New(srv.TokenID, "wrong", oscp.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = bad.Settings(context.Background())
	require.ErrorIs(t, err, energy.ErrUnauthorized)

	// A clock 20 minutes off: date skew.
	skewed := srv.Client(oscp.WithClock(clock.NewFake(time.Now().Add(-20 * time.Minute))))
	_, err = skewed.Settings(context.Background())
	require.ErrorIs(t, err, energy.ErrUnauthorized)
	_, err = c.Settings(context.Background())
	require.NoError(t, err)

	// The Date header instead of X-SN-Date is accepted too.
	_, err = srv.Client(oscp.WithSignerOptions(snws2.WithDateHeader())).Settings(context.Background())
	require.NoError(t, err)
}

func TestServerValidates(t *testing.T) {
	srv := oscptest.NewServer(oscptest.WithEmptyAccount())
	defer srv.Close()
	status, m := do(t, signedRequest(t, srv, "POST", "/capacity-groups", `{"name":"x"}`))
	assert.Equal(t, 422, status)
	assert.Equal(t, "VAL.00004", m["code"])
	assert.NotEmpty(t, m["errors"])
	status, m = do(t, signedRequest(t, srv, "POST", "/assets", `{"name":`))
	assert.Equal(t, 422, status)
	assert.Contains(t, m["message"], "Malformed JSON")
	status, m = do(t, signedRequest(t, srv, "POST", "/assets",
		`{"name":"a","capacityGroupId":1,"identifier":"a","audience":"CapacityProvider","nodeId":1,"sourceId":"s",`+
			`"category":"charging","phase":"all","instantaneous":{"propertyNames":["w"],"unit":"w","statisticType":"maximum"}}`))
	assert.Equal(t, 422, status, "statisticType by exact name only, as SolarNetwork parses it")
	assert.Contains(t, m["message"], "StatisticType")
	status, _ = do(t, signedRequest(t, srv, "GET", "/nothing", ""))
	assert.Equal(t, 404, status)
	l, err := srv.Client().CapacityGroups(context.Background())
	require.NoError(t, err)
	assert.Empty(t, l)
}

func TestFailNext(t *testing.T) {
	srv := oscptest.NewServer()
	defer srv.Close()
	c := srv.Client(oscp.WithRetries(0))
	ctx := context.Background()
	srv.FailNext(1, oscptest.Fault{Endpoint: "CapacityGroups", Status: 429, Code: "DAO.00200"})
	srv.FailNext(1, oscptest.Fault{Endpoint: "Settings"})
	_, err := c.Settings(ctx)
	require.ErrorIs(t, err, energy.ErrUnavailable)
	_, err = c.Settings(ctx)
	require.NoError(t, err)
	srv.FailNext(1, oscptest.Fault{Endpoint: "CapacityGroups", Status: 429, Code: "DAO.00200"})
	// A 429 is waited out once by the client; two in a row surface.
	srv.FailNext(1, oscptest.Fault{Endpoint: "CapacityGroups", Status: 429, Code: "DAO.00200"})
	_, err = c.CapacityGroups(ctx)
	require.ErrorIs(t, err, energy.ErrRateLimited)

	// Reads are retried through a transient 500 by default.
	srv.FailNext(1, oscptest.Fault{Endpoint: "CapacityProviders", Status: 503})
	before := srv.Requests()
	_, err = srv.Client(oscp.WithClock(clock.NewFake(time.Now()))).CapacityProviders(ctx)
	require.NoError(t, err)
	assert.Equal(t, before+2, srv.Requests())
}

func TestHandlerMounts(t *testing.T) {
	srv := oscptest.NewServer()
	defer srv.Close()
	other := httptest.NewServer(srv.Handler())
	defer other.Close()
	c, err := oscp.New(srv.TokenID, srv.TokenSecret, oscp.WithBaseURL(other.URL))
	require.NoError(t, err)
	_, err = c.CapacityOptimizers(context.Background())
	require.NoError(t, err)
}
