package oscp_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/oscp"
)

var (
	settingsIn = oscp.SettingsInput{NodeID: 2, PublishToSolarIn: true, PublishToSolarFlux: true, SourceIDTemplate: oscp.DefaultSourceIDTemplate}
	systemIn   = oscp.SystemInput{Name: "Lines Co.", Enabled: true, BaseURL: "https://oscp.example.com/oscp/cp/2.0", OSCPVersion: "2.0",
		ServiceProps: oscp.ServiceProps{OAuth: &oscp.OAuthClient{TokenURL: "https://auth.example.com/oauth2/token", ClientID: "client-123", ClientSecret: oscp.NewSecret("Secret.123")}}}
	groupIn = oscp.CapacityGroupInput{Name: "My Group", Identifier: "my-group", CapacityProviderID: 1, CapacityProviderMeasurementPeriod: oscp.PeriodFifteenMinute,
		CapacityOptimizerID: 2, CapacityOptimizerMeasurementPeriod: oscp.PeriodFiveMinute, Enabled: true}
	assetIn = oscp.AssetInput{Name: "Charger 1", CapacityGroupID: 1, Identifier: "XYZ.ABC.123", Audience: oscp.AudienceCapacityProvider, Enabled: true,
		NodeID: 123, SourceID: "charger/1", Category: oscp.CategoryCharging, Phase: oscp.PhaseAll,
		Instantaneous: &oscp.InstantaneousSettings{PropertyNames: []string{"watts"}, Unit: oscp.UnitW, StatisticType: oscp.StatMaximum},
		Energy: &oscp.EnergySettings{InstantaneousSettings: oscp.InstantaneousSettings{PropertyNames: []string{"wattHours"}, Unit: oscp.UnitWh, StatisticType: oscp.StatDifference},
			Type: oscp.EnergyTotal, Direction: oscp.DirectionImport}}
)

// endpoint is one API call with the fixture of its success answer.
type endpoint struct {
	name    string
	method  string
	path    string
	fixture string
	status  int
	// body is the JSON the request must carry, or "".
	body  string
	call  func(ctx context.Context, c *oscp.Client) (any, error)
	check func(t *testing.T, got any)
}

var endpoints = []endpoint{
	{"Settings", "GET", "/settings", "settings.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.Settings(ctx) },
		func(t *testing.T, got any) {
			s := got.(oscp.UserSettings)
			assert.Equal(t, int64(2), s.NodeID)
			assert.Equal(t, "2022-10-11 06:37:59.087763Z", s.Created.String())
		}},
	{"UpdateSettings", "PUT", "/settings", "settings.json", 200,
		`{"nodeId":2,"publishToSolarIn":true,"publishToSolarFlux":true,"sourceIdTemplate":"/oscp/{role}/{action}/{cp}/{co}/{cgIdentifier}"}`,
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.UpdateSettings(ctx, settingsIn) },
		func(t *testing.T, got any) { assert.True(t, got.(oscp.UserSettings).PublishToSolarFlux) }},
	{"DeleteSettings", "DELETE", "/settings", "success.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return nil, c.DeleteSettings(ctx) }, nil},
	{"CapacityProviders", "GET", "/capacity-providers", "providers.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CapacityProviders(ctx) },
		func(t *testing.T, got any) {
			l := got.([]oscp.System)
			require.Len(t, l, 2)
			assert.Equal(t, oscp.RegistrationFailed, l[1].RegistrationStatus)
			assert.True(t, l[1].ServiceProps.IsZero())
		}},
	{"CreateCapacityProvider", "POST", "/capacity-providers", "provider_create.json", 201,
		`{"name":"Lines Co.","enabled":true,"baseUrl":"https://oscp.example.com/oscp/cp/2.0","oscpVersion":"2.0","serviceProps":{"oauth-client-id":"client-123","oauth-client-secret":"Secret.123","oauth-token-url":"https://auth.example.com/oauth2/token"}}`,
		func(ctx context.Context, c *oscp.Client) (any, error) {
			s, tok, err := c.CreateCapacityProvider(ctx, systemIn)
			return []any{s, tok}, err
		},
		func(t *testing.T, got any) {
			s, tok := got.([]any)[0].(oscp.System), got.([]any)[1].(oscp.Secret)
			assert.Equal(t, int64(1), s.ConfigID)
			assert.Equal(t, "EL+47CQHeIXjoNiGmUOnDa1gpEf9+WD50R9ax4hOkBbc2S2rmPNyYoSvcwWM1oAO", tok.Reveal())
			assert.Equal(t, oscp.RegistrationPending, s.RegistrationStatus)
			assert.True(t, s.ServiceProps.OAuth.ClientSecret.IsZero(), "secret never returned")
		}},
	{"CapacityProvider", "GET", "/capacity-providers/1", "provider.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CapacityProvider(ctx, 1) },
		func(t *testing.T, got any) {
			s := got.(oscp.System)
			assert.Equal(t, 60, s.Settings.HeartbeatSeconds)
			assert.Equal(t, []oscp.MeasurementStyle{oscp.StyleContinuous}, s.Settings.MeasurementStyles)
			assert.Equal(t, "42", s.ServiceProps.HTTPHeaders["x-api-num"])
			assert.Equal(t, "/hb", s.ServiceProps.URLPaths[oscp.ActionHeartbeat])
			assert.Equal(t, 500, s.OfflineDate.Nanosecond()/1e6)
		}},
	{"UpdateCapacityProvider", "PUT", "/capacity-providers/1", "provider.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) {
			return c.UpdateCapacityProvider(ctx, 1, systemIn)
		}, nil},
	{"DeleteCapacityProvider", "DELETE", "/capacity-providers/1", "success.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return nil, c.DeleteCapacityProvider(ctx, 1) }, nil},
	{"CapacityOptimizers", "GET", "/capacity-optimizers", "optimizers.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CapacityOptimizers(ctx) },
		func(t *testing.T, got any) { assert.Equal(t, "Optimizer Co.", got.([]oscp.System)[0].Name) }},
	{"CreateCapacityOptimizer", "POST", "/capacity-optimizers", "optimizer_create.json", 201, "",
		func(ctx context.Context, c *oscp.Client) (any, error) {
			s, tok, err := c.CreateCapacityOptimizer(ctx, systemIn)
			return []any{s, tok}, err
		},
		func(t *testing.T, got any) { assert.False(t, got.([]any)[1].(oscp.Secret).IsZero()) }},
	{"CapacityOptimizer", "GET", "/capacity-optimizers/1", "optimizer.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CapacityOptimizer(ctx, 1) }, nil},
	{"UpdateCapacityOptimizer", "PUT", "/capacity-optimizers/1", "optimizer.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) {
			return c.UpdateCapacityOptimizer(ctx, 1, systemIn)
		}, nil},
	{"DeleteCapacityOptimizer", "DELETE", "/capacity-optimizers/1", "success.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return nil, c.DeleteCapacityOptimizer(ctx, 1) }, nil},
	{"CapacityGroups", "GET", "/capacity-groups", "groups.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CapacityGroups(ctx) },
		func(t *testing.T, got any) {
			l := got.([]oscp.CapacityGroup)
			require.Len(t, l, 2)
			assert.Equal(t, oscp.PeriodFifteenMinute, l[0].CapacityProviderMeasurementPeriod)
			assert.Equal(t, 900, l[0].CapacityProviderMeasurementPeriod.Seconds())
			assert.False(t, l[1].CapacityOptimizerMeasurementPeriod.Known(), "unknown value kept")
			assert.Equal(t, oscp.MeasurementPeriod("FortyMinute"), l[1].CapacityOptimizerMeasurementPeriod)
		}},
	{"CreateCapacityGroup", "POST", "/capacity-groups", "group.json", 201,
		`{"name":"My Group","identifier":"my-group","capacityProviderId":1,"capacityProviderMeasurementPeriod":"FifteenMinute","capacityOptimizerId":2,"capacityOptimizerMeasurementPeriod":"FiveMinute","enabled":true}`,
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CreateCapacityGroup(ctx, groupIn) },
		func(t *testing.T, got any) { assert.Equal(t, "my-group", got.(oscp.CapacityGroup).Identifier) }},
	{"CapacityGroup", "GET", "/capacity-groups/1", "group.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CapacityGroup(ctx, 1) }, nil},
	{"UpdateCapacityGroup", "PUT", "/capacity-groups/1", "group.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.UpdateCapacityGroup(ctx, 1, groupIn) }, nil},
	{"DeleteCapacityGroup", "DELETE", "/capacity-groups/1", "success.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return nil, c.DeleteCapacityGroup(ctx, 1) }, nil},
	{"CapacityGroupAssets", "GET", "/capacity-groups/1/assets", "group_assets.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CapacityGroupAssets(ctx, 1) },
		func(t *testing.T, got any) {
			l := got.([]oscp.Asset)
			require.Len(t, l, 2)
			assert.Equal(t, oscp.CategoryStorage, l[1].Category, "case-insensitive")
			assert.Equal(t, oscp.Phase(""), l[1].Phase, "null phase")
			assert.InDelta(t, 0.001, *l[1].Instantaneous.Multiplier, 1e-12)
		}},
	{"AllCapacityGroupSettings", "GET", "/capacity-groups/settings", "group_settings_list.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.AllCapacityGroupSettings(ctx) },
		func(t *testing.T, got any) { assert.Equal(t, int64(1), got.([]oscp.GroupSettings)[0].GroupID) }},
	{"CapacityGroupSettings", "GET", "/capacity-groups/1/settings", "group_settings.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CapacityGroupSettings(ctx, 1) },
		func(t *testing.T, got any) { assert.False(t, got.(oscp.GroupSettings).PublishToSolarFlux) }},
	{"UpdateCapacityGroupSettings", "PUT", "/capacity-groups/1/settings", "group_settings.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) {
			return c.UpdateCapacityGroupSettings(ctx, 1, settingsIn)
		}, nil},
	{"DeleteCapacityGroupSettings", "DELETE", "/capacity-groups/1/settings", "success.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) {
			return nil, c.DeleteCapacityGroupSettings(ctx, 1)
		}, nil},
	{"CreateAsset", "POST", "/assets", "asset.json", 201,
		`{"name":"Charger 1","capacityGroupId":1,"identifier":"XYZ.ABC.123","enabled":true,"audience":"CapacityProvider","nodeId":123,"sourceId":"charger/1","category":"Charging","phase":"All","instantaneous":{"propertyNames":["watts"],"unit":"W","statisticType":"Maximum"},"energy":{"propertyNames":["wattHours"],"unit":"Wh","statisticType":"Difference","type":"Total","direction":"Import"}}`,
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.CreateAsset(ctx, assetIn) },
		func(t *testing.T, got any) {
			a := got.(oscp.Asset)
			assert.Equal(t, oscp.EnergyTotal, a.Energy.Type)
			assert.Equal(t, oscp.StatDifference, a.Energy.StatisticType)
		}},
	{"Asset", "GET", "/assets/1", "asset.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.Asset(ctx, 1) }, nil},
	{"UpdateAsset", "PUT", "/assets/1", "asset.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return c.UpdateAsset(ctx, 1, assetIn) }, nil},
	{"DeleteAsset", "DELETE", "/assets/1", "success.json", 200, "",
		func(ctx context.Context, c *oscp.Client) (any, error) { return nil, c.DeleteAsset(ctx, 1) }, nil},
}

func TestEndpointsSuccess(t *testing.T) {
	require.Len(t, endpoints, 27, "every SolarUser OSCP endpoint")
	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) {
			c, mt := newMock(t)
			mt.RegisterResponder(ep.method, url(ep.path), func(r *http.Request) (*http.Response, error) {
				assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "SNWS2 Credential=test-token-id,SignedHeaders="), r.Header.Get("Authorization"))
				assert.NotEmpty(t, r.Header.Get("X-SN-Date"))
				if r.Body != nil && r.Body != http.NoBody {
					b, _ := io.ReadAll(r.Body)
					if len(b) > 0 {
						assert.True(t, strings.HasPrefix(r.Header.Get("Digest"), "sha-256="))
						assert.Contains(t, r.Header.Get("Authorization"), "content-type;digest;host;x-sn-date")
						if ep.body != "" {
							assert.JSONEq(t, ep.body, string(b))
						}
					}
				}
				resp := httpmock.NewStringResponse(ep.status, fixture(t, ep.fixture))
				resp.Header.Set("Content-Type", "application/json;charset=UTF-8")
				if ep.status == http.StatusCreated {
					resp.Header.Set("Location", oscp.APIPath+ep.path+"/1")
				}
				return resp, nil
			})
			got, err := ep.call(context.Background(), c)
			require.NoError(t, err)
			assert.Equal(t, 1, mt.GetTotalCallCount())
			if ep.check != nil {
				ep.check(t, got)
			}
		})
	}
}

// errorCase is one failure shape, checked against every endpoint.
type errorCase struct {
	name     string
	status   int
	fixture  string
	sentinel error
	code     string
	check    func(t *testing.T, err error)
}

var errorCases = []errorCase{
	{"403 access denied", 403, "error_403.json", energy.ErrUnauthorized, "", nil},
	{"403 bad signature", 403, "error_403_signature.json", energy.ErrUnauthorized, "", nil},
	{"401", 401, "error_401.json", energy.ErrUnauthorized, "", nil},
	{"404 not found", 404, "error_404.json", nil, "DAO.00102", func(t *testing.T, err error) {
		for _, s := range []error{energy.ErrInvalid, energy.ErrUnauthorized, energy.ErrUnavailable, energy.ErrRateLimited} {
			assert.NotErrorIs(t, err, s)
		}
	}},
	{"422 validation", 422, "error_422_validation.json", energy.ErrInvalid, "VAL.00004", func(t *testing.T, err error) {
		var ae *oscp.APIError
		require.ErrorAs(t, err, &ae)
		require.Len(t, ae.Errors, 2, "whole body kept, beyond internal/rest's excerpt")
		assert.Equal(t, "baseUrl", ae.Errors[1].Location)
	}},
	{"422 malformed json", 422, "error_422_malformed.json", energy.ErrInvalid, "", nil},
	{"422 duplicate", 422, "error_422_duplicate.json", energy.ErrInvalid, "DAO.00101", nil},
	{"429", 429, "error_429.json", energy.ErrRateLimited, "DAO.00200", nil},
	{"500", 500, "error_500.json", energy.ErrUnavailable, "E.00500", nil},
	{"502 html", 502, "error_502.html", energy.ErrUnavailable, "", func(t *testing.T, err error) {
		var ae *oscp.APIError
		require.ErrorAs(t, err, &ae)
		assert.Contains(t, ae.Body, "Bad Gateway")
	}},
	{"200 success false", 200, "error_200_false.json", energy.ErrInvalid, "422", nil},
}

func TestEndpointsErrors(t *testing.T) {
	for _, ep := range endpoints {
		for _, ec := range errorCases {
			t.Run(ep.name+"/"+ec.name, func(t *testing.T) {
				c, mt := newMock(t, oscp.WithRetries(1))
				resp := httpmock.NewStringResponder(ec.status, fixture(t, ec.fixture)).HeaderSet(http.Header{"Retry-After": {"0"}})
				mt.RegisterResponder(ep.method, url(ep.path), resp)
				_, err := ep.call(context.Background(), c)
				var ae *oscp.APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, ec.status, ae.StatusCode)
				assert.Equal(t, ec.code, ae.Code)
				assert.Equal(t, ep.method, ae.Method)
				if ec.sentinel != nil {
					assert.ErrorIs(t, err, ec.sentinel)
				}
				if ec.check != nil {
					ec.check(t, err)
				}
				calls := mt.GetTotalCallCount()
				switch {
				case ec.status >= 500 && ep.method == "GET":
					assert.Equal(t, 2, calls, "reads retried")
				case ec.status == 429:
					assert.Equal(t, 2, calls, "a 429 is waited out once (the server did not act)")
				default:
					assert.Equal(t, 1, calls, "writes never retried")
				}
			})
		}
	}
}

func TestEndpointsMalformedAndCancelled(t *testing.T) {
	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) {
			c, mt := newMock(t)
			mt.RegisterResponder(ep.method, url(ep.path), httpmock.NewStringResponder(200, fixture(t, "not_envelope.json")))
			_, err := ep.call(context.Background(), c)
			var de *oscp.DecodeError
			require.ErrorAs(t, err, &de)

			if ep.check != nil && ep.method == "GET" {
				mt.RegisterResponder(ep.method, url(ep.path), httpmock.NewStringResponder(200, fixture(t, "malformed.json")))
				_, err = ep.call(context.Background(), c)
				require.ErrorAs(t, err, &de)
			}

			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			n := mt.GetTotalCallCount()
			_, err = ep.call(ctx, c)
			require.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, n, mt.GetTotalCallCount(), "nothing sent")
		})
	}
}

func TestNetworkErrorRetriesReadsOnly(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", url("/settings"), httpmock.NewErrorResponder(errors.New("connection reset")))
	mt.RegisterResponder("PUT", url("/settings"), httpmock.NewErrorResponder(errors.New("connection reset")))
	_, err := c.Settings(context.Background())
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Equal(t, 3, mt.GetTotalCallCount())
	_, err = c.UpdateSettings(context.Background(), settingsIn)
	require.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Equal(t, 4, mt.GetTotalCallCount())
}

func TestLocationFillsMissingConfigID(t *testing.T) {
	c, mt := newMock(t)
	body := `{"success":true,"data":{"userId":1,"name":"My Group","identifier":"my-group"}}`
	mt.RegisterResponder("POST", url("/capacity-groups"), httpmock.NewStringResponder(201, body).
		HeaderSet(http.Header{"Location": {oscp.APIPath + "/capacity-groups/77"}}))
	g, err := c.CreateCapacityGroup(context.Background(), groupIn)
	require.NoError(t, err)
	assert.Equal(t, int64(77), g.ConfigID)
}

func TestCreatedTokenNeverPrinted(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("POST", url("/capacity-providers"), httpmock.NewStringResponder(201, fixture(t, "provider_create.json")))
	s, tok, err := c.CreateCapacityProvider(context.Background(), systemIn)
	require.NoError(t, err)
	for _, out := range []string{fmtAll(tok), fmtAll(systemIn), fmtAll(s), fmtAll(c)} {
		assert.NotContains(t, out, "EL+47CQ")
		assert.NotContains(t, out, "Secret.123")
		assert.NotContains(t, out, "test-token-secret")
	}
	b, err := json.Marshal(tok)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "EL+47CQ")
}
