package alphaess_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// endpoints lists every Open API endpoint with its method (reference §1.3),
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
	if len(endpoints) != 19 {
		t.Fatalf("%d endpoints, the reference lists 19", len(endpoints))
	}
	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) {
			ctx := context.Background()
			c, m := newMock(t)
			m.on(ep.method, ep.name, fixture(t, ep.fixture))
			if err := ep.call(ctx, c); err != nil {
				t.Fatalf("success: %v", err)
			}
			if r := m.last(t).req; r.Method != ep.method || !strings.HasSuffix(r.URL.Path, "/api/"+ep.name) {
				t.Fatalf("sent %s %s", r.Method, r.URL.Path)
			}
			checkSigned(t, m.last(t).req, m.clock.Now())
			if ep.method == "POST" {
				if r := m.last(t); r.req.URL.RawQuery != "" || r.json(t)["sysSn"] != testSN {
					t.Errorf("POST: query %q, body %s", r.req.URL.RawQuery, r.body)
				}
			} else if ep.name != "getEssList" && m.last(t).req.URL.Query().Get("sysSn") != testSN {
				t.Errorf("GET without sysSn: %s", m.last(t).req.URL)
			}

			c, m = newMock(t, alphaess.WithMinInterval(0))
			m.on(ep.method, ep.name, body(502, "<html>502 Bad Gateway</html>"))
			err := ep.call(ctx, c)
			var he *alphaess.HTTPError
			if !errors.As(err, &he) || he.StatusCode != 502 || he.Endpoint != ep.name || !errors.Is(err, energy.ErrUnavailable) {
				t.Errorf("502: %v", err)
			}

			c, m = newMock(t)
			m.on(ep.method, ep.name, fixture(t, "error_6005_localised.json"))
			err = ep.call(ctx, c)
			var ae *alphaess.APIError
			if !errors.As(err, &ae) || ae.Code != alphaess.CodeAppIDNotBound || ae.Endpoint != ep.name || !errors.Is(err, energy.ErrUnauthorized) {
				t.Errorf("6005: %v", err)
			}

			c, m = newMock(t)
			m.on(ep.method, ep.name, body(200, "<html>maintenance</html>"))
			if err := ep.call(ctx, c); err == nil || !strings.Contains(err.Error(), "malformed response") {
				t.Errorf("malformed: %v", err)
			}

			c, m = newMock(t)
			other := map[string]string{"GET": "POST", "POST": "GET"}[ep.method]
			m.on(ep.method, ep.name, body(405, `{"status":405,"error":"Method Not Allowed","path":"/api/`+ep.name+`"}`))
			if err := ep.call(ctx, c); !errors.As(err, &he) || he.StatusCode != 405 || he.Path != "/api/"+ep.name {
				t.Errorf("405 (as if sent with %s): %v", other, err)
			}

			c, m = newMock(t)
			m.on(ep.method, ep.name, fixture(t, ep.fixture))
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			if err := ep.call(cancelled, c); !errors.Is(err, context.Canceled) || len(m.requests()) != 0 {
				t.Errorf("cancelled: %v, %d requests", err, len(m.requests()))
			}
		})
	}
}
