package alphaess_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// endpoints lists every Open API endpoint with its method,
// a call that reaches it, and the fixture of its success.
var endpoints = []struct {
	method, name, fixture string
	call                  func(ctx context.Context, c *alphaess.Client) error
}{
	{"GET", "getEssList", "getEssList.json", func(ctx context.Context, c *alphaess.Client) error { _, err := c.ListSystems(ctx); return err }},
	{"GET", "getLastPowerData", "getLastPowerData.json", func(ctx context.Context, c *alphaess.Client) error { _, err := c.LastPowerData(ctx); return err }},
	{"GET", "getOneDayPowerBySn", "getOneDayPowerBySn.json", func(ctx context.Context, c *alphaess.Client) error {
		_, err := c.OneDayPower(ctx, c.Today())
		return err
	}},
	{"GET", "getOneDateEnergyBySn", "getOneDateEnergyBySn.json", func(ctx context.Context, c *alphaess.Client) error {
		_, err := c.OneDateEnergy(ctx, c.Today())
		return err
	}},
	{"GET", "getSumDataForCustomer", "getSumDataForCustomer.json", func(ctx context.Context, c *alphaess.Client) error { _, err := c.Summary(ctx); return err }},
	{"GET", "getChargeConfigInfo", "getChargeConfigInfo.json", func(ctx context.Context, c *alphaess.Client) error { _, err := c.ChargeSettings(ctx); return err }},
	{"POST", "updateChargeConfigInfo", "ok_null.json", func(ctx context.Context, c *alphaess.Client) error {
		return c.SetChargeSettings(ctx, alphaess.ChargeSettings{StopAt: 1})
	}},
	{"GET", "getDisChargeConfigInfo", "getDisChargeConfigInfo.json", func(ctx context.Context, c *alphaess.Client) error {
		_, err := c.DischargeSettings(ctx)
		return err
	}},
	{"POST", "updateDisChargeConfigInfo", "ok_null.json", func(ctx context.Context, c *alphaess.Client) error {
		return c.SetDischargeSettings(ctx, alphaess.DischargeSettings{StopAt: 0.1})
	}},
	{"GET", "getVerificationCode", "ok_null.json", func(ctx context.Context, c *alphaess.Client) error {
		return c.RequestVerificationCode(ctx, "QWE123")
	}},
	{"POST", "bindSn", "ok_null.json", func(ctx context.Context, c *alphaess.Client) error { return c.Bind(ctx, "482913") }},
	{"POST", "unBindSn", "ok_null.json", func(ctx context.Context, c *alphaess.Client) error { return c.Unbind(ctx) }},
	{"GET", "getEvChargerConfigList", "getEvChargerConfigList.json", func(ctx context.Context, c *alphaess.Client) error {
		_, err := c.EVChargers(ctx)
		return err
	}},
	{"GET", "getEvChargerCurrentsBySn", "getEvChargerCurrentsBySn.json", func(ctx context.Context, c *alphaess.Client) error {
		_, err := c.EVChargerCurrent(ctx)
		return err
	}},
	{"POST", "setEvChargerCurrentsBySn", "ok_null.json", func(ctx context.Context, c *alphaess.Client) error {
		return c.SetEVChargerCurrent(ctx, 16)
	}},
	{"GET", "getEvChargerStatusBySn", "getEvChargerStatusBySn.json", func(ctx context.Context, c *alphaess.Client) error {
		_, err := c.EVChargerStatus(ctx, testEVSN)
		return err
	}},
	{"POST", "remoteControlEvCharger", "ok_null.json", func(ctx context.Context, c *alphaess.Client) error {
		return c.ControlEVCharger(ctx, testEVSN, alphaess.ControlStart)
	}},
	{"GET", "getTimeChargeBySn", "getTimeChargeBySn.json", func(ctx context.Context, c *alphaess.Client) error {
		_, err := c.TimeCharge(ctx)
		return err
	}},
	{"POST", "setTimeChargeBySn", "ok_null.json", func(ctx context.Context, c *alphaess.Client) error {
		return c.SetTimeCharge(ctx, validTimeCharge())
	}},
}

// Every endpoint: success with its fixture over the right method, and each
// failure mode — a 502 after the retries, a vendor code, a body that is
// not an envelope, a 405 — and a cancelled context that sends nothing.
func TestEveryEndpoint(t *testing.T) {
	require.Len(t, endpoints, 19, "the Open API has 19 endpoints")
	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) {
			ctx := context.Background()
			c, m := newMock(t)
			m.on(ep.method, ep.name, fixture(t, ep.fixture))
			require.NoError(t, ep.call(ctx, c), "success")
			r := m.last(t).req
			require.Equal(t, ep.method, r.Method)
			require.True(t, strings.HasSuffix(r.URL.Path, "/api/"+ep.name), "sent to %s", r.URL.Path)
			checkSigned(t, m.last(t).req, m.clock.Now())
			if ep.method == "POST" {
				r := m.last(t)
				assert.Empty(t, r.req.URL.RawQuery, "POST with a query")
				assert.Equal(t, testSN, r.json(t)["sysSn"], "POST body %s", r.body)
			} else if ep.name != "getEssList" {
				assert.Equal(t, testSN, m.last(t).req.URL.Query().Get("sysSn"), "GET without sysSn: %s", m.last(t).req.URL)
			}

			c, m = newMock(t, alphaess.WithMinInterval(0))
			m.on(ep.method, ep.name, body(502, "<html>502 Bad Gateway</html>"))
			err := ep.call(ctx, c)
			var he *alphaess.HTTPError
			if assert.ErrorAs(t, err, &he, "502") {
				assert.Equal(t, 502, he.StatusCode)
				assert.Equal(t, ep.name, he.Endpoint)
			}
			assert.ErrorIs(t, err, energy.ErrUnavailable, "502")

			c, m = newMock(t)
			m.on(ep.method, ep.name, fixture(t, "error_6005_localised.json"))
			err = ep.call(ctx, c)
			var ae *alphaess.APIError
			if assert.ErrorAs(t, err, &ae, "6005") {
				assert.Equal(t, alphaess.CodeAppIDNotBound, ae.Code)
				assert.Equal(t, ep.name, ae.Endpoint)
			}
			assert.ErrorIs(t, err, energy.ErrUnauthorized, "6005")

			c, m = newMock(t)
			m.on(ep.method, ep.name, body(200, "<html>maintenance</html>"))
			err = ep.call(ctx, c)
			require.Error(t, err, "malformed")
			assert.Contains(t, err.Error(), "malformed response")

			c, m = newMock(t)
			other := map[string]string{"GET": "POST", "POST": "GET"}[ep.method]
			m.on(ep.method, ep.name, body(405, `{"status":405,"error":"Method Not Allowed","path":"/api/`+ep.name+`"}`))
			if assert.ErrorAs(t, ep.call(ctx, c), &he, "405 (as if sent with %s)", other) {
				assert.Equal(t, 405, he.StatusCode)
				assert.Equal(t, "/api/"+ep.name, he.Path)
			}

			c, m = newMock(t)
			m.on(ep.method, ep.name, fixture(t, ep.fixture))
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			assert.ErrorIs(t, ep.call(cancelled, c), context.Canceled, "cancelled")
			assert.Empty(t, m.requests(), "cancelled")
		})
	}
}
