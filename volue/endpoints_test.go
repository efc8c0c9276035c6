package volue_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/volue"
)

// endpoint is one operation under test: how to call it, what goes on the
// wire, and what a success fixture gives back.
type endpoint struct {
	name     string
	method   string
	path     string
	status   int    // success status
	fixture  string // success body ("" for none)
	call     func(ctx context.Context, c *volue.Client) (any, error)
	wantBody string // the request body, "" for none
	check    func(t *testing.T, got any)
	read     bool // retried after a 5xx
	decodes  bool // a malformed body is an error
}

var (
	vehicleMeta = volue.VehicleMetadata{Brand: "Tesla", Model: "Model 3", Year: 2022, VIN: "5YJ3E1EA7KF317000"}
	tank        = &volue.HotWaterTankMetadata{Brand: "Oso", Model: "SuperTank", Capacity: 500, HeatingElements: []energy.Watts{1750, 1250}}
	hour        = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
)

func endpoints() []endpoint {
	return []endpoint{
		{name: "CreateUser", method: "POST", path: "/users", status: 201, fixture: "user.json", wantBody: `{}`, decodes: true,
			call: func(ctx context.Context, c *volue.Client) (any, error) { return c.CreateUser(ctx) },
			check: func(t *testing.T, got any) {
				assert.Equal(t, "8d1e7c2a-5b7f-4f4e-9a51-0f3c2b1d9e77", got.(*volue.User).ID)
			}},
		{name: "ListUsers", method: "GET", path: "/users", status: 200, fixture: "users.json", read: true, decodes: true,
			call:  func(ctx context.Context, c *volue.Client) (any, error) { return c.ListUsers(ctx) },
			check: func(t *testing.T, got any) { assert.Len(t, got.([]volue.User), 2) }},
		{name: "AddVehicle", method: "POST", path: "/users/u1/vehicles", status: 201, fixture: "vehicle.json",
			wantBody: `{"vehicleId":"veh-1","metadata":{"resourceType":"Vehicle","brand":"Tesla","model":"Model 3","year":2022,"vin":"5YJ3E1EA7KF317000"}}`,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return nil, c.AddVehicle(ctx, "u1", volue.Vehicle{ID: "veh-1", Metadata: vehicleMeta})
			}},
		{name: "AddMeter", method: "POST", path: "/users/u1/meters", status: 201, fixture: "meter.json", decodes: true,
			wantBody: `{"address":{"street":"Storgata 1","city":"Trondheim","zipCode":"7010"},"location":{"latitude":63.1,"longitude":10.7},"meterPointId":"707057500012345678","meterNumber":"6970631400000000","locationType":"Residential"}`,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return c.AddMeter(ctx, "u1", volue.Meter{Address: volue.Address{Street: "Storgata 1", City: "Trondheim", ZipCode: "7010"},
					Location: volue.Coordinates{Latitude: 63.1, Longitude: 10.7}, MeterPointID: "707057500012345678", MeterNumber: "6970631400000000"})
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "c2b4e8f0-1a2b-4c3d-9e8f-7a6b5c4d3e2f", got) }},
		{name: "AddResource", method: "POST", path: "/users/u1/resources", status: 201, fixture: "resource_created.json",
			wantBody: `{"resourceId":"tank-1","metadata":{"resourceType":"HotWaterTank","brand":"Oso","model":"SuperTank","capacity":500,"heatingElements":[1750,1250]}}`,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return nil, c.AddResource(ctx, "u1", volue.Resource{ID: "tank-1", Metadata: tank})
			}},
		{name: "AddLocationResource", method: "POST", path: "/users/u1/locations/home/resources", status: 201, fixture: "resource_created.json",
			wantBody: `{"resourceId":"hp-1","metadata":{"resourceType":"HeatPump","brand":"Nibe"}}`,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return nil, c.AddLocationResource(ctx, "u1", "home", volue.Resource{ID: "hp-1",
					Metadata: &volue.UnknownMetadata{Type: "HeatPump", Raw: []byte(`{"resourceType":"HeatPump","brand":"Nibe"}`)}})
			}},
		{name: "CreateLocation", method: "POST", path: "/users/u1/locations", status: 201, fixture: "location.json",
			wantBody: `{"locationId":"home","locationType":"Residential","meterPointIds":["707057500012345678"],"coordinates":{"latitude":63.1,"longitude":10.7}}`,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return nil, c.CreateLocation(ctx, "u1", volue.Location{ID: "home", MeterPointIDs: []string{"707057500012345678"},
					Coordinates: &volue.Coordinates{Latitude: 63.1, Longitude: 10.7}})
			}},
		{name: "UpdateLocation", method: "PATCH", path: "/users/u1/locations/home", status: 200, fixture: "location.json",
			wantBody: `{"meterPointIds":["707057500012345678"]}`,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return nil, c.UpdateLocation(ctx, "u1", "home", volue.LocationUpdate{MeterPointIDs: []string{"707057500012345678"}})
			}},
		{name: "GetResource", method: "GET", path: "/resources/e0fb2731-dadb-41c5-80f2-5dfcbc22b2b5", status: 200, fixture: "resource.json", read: true, decodes: true,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return c.GetResource(ctx, "e0fb2731-dadb-41c5-80f2-5dfcbc22b2b5")
			},
			check: func(t *testing.T, got any) {
				assert.Equal(t, &volue.ResourceInfo{ID: "e0fb2731-dadb-41c5-80f2-5dfcbc22b2b5", Type: volue.ResourceVehicle,
					UserID: "8d1e7c2a-5b7f-4f4e-9a51-0f3c2b1d9e77", LocationID: "home", MeterPointID: "707057500012345678"}, got)
			}},
		{name: "DeleteResource", method: "DELETE", path: "/resources/r%201", status: 204,
			call: func(ctx context.Context, c *volue.Client) (any, error) { return nil, c.DeleteResource(ctx, "r 1") }},
		{name: "CreateWebhook", method: "POST", path: "/webhooks", status: 201, fixture: "webhook.json", decodes: true,
			wantBody: `{"url":"https://partner.example/volue/webhook","webhookSecret":"hook-secret","operations":["Create","Update","Delete"],"eventTypes":["PriceDelta"]}`,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return c.CreateWebhook(ctx, volue.NewWebhook{URL: "https://partner.example/volue/webhook", Secret: "hook-secret",
					Operations: []volue.Operation{volue.OperationCreate, volue.OperationUpdate, volue.OperationDelete},
					EventTypes: []volue.EventType{volue.EventPriceDelta}})
			},
			check: func(t *testing.T, got any) {
				assert.Equal(t, "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", got.(*volue.Webhook).ID)
			}},
		{name: "ListWebhooks", method: "GET", path: "/webhooks", status: 200, fixture: "webhooks.json", read: true, decodes: true,
			call: func(ctx context.Context, c *volue.Client) (any, error) { return c.ListWebhooks(ctx) },
			check: func(t *testing.T, got any) {
				hooks := got.([]volue.Webhook)
				require.Len(t, hooks, 2)
				assert.Equal(t, "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d", hooks[1].ID, "id accepted for webhookId")
				assert.Equal(t, []volue.EventType{volue.EventLocationLPCCreated}, hooks[1].EventTypes)
			}},
		{name: "DeleteWebhook", method: "DELETE", path: "/webhooks/w1", status: 204,
			call: func(ctx context.Context, c *volue.Client) (any, error) { return nil, c.DeleteWebhook(ctx, "w1") }},
		{name: "TestWebhook", method: "POST", path: "/webhooks/w1/test", status: 202,
			call: func(ctx context.Context, c *volue.Client) (any, error) { return nil, c.TestWebhook(ctx, "w1") }},
		{name: "ListEvents", method: "GET", path: "/events", status: 200, fixture: "events.json", read: true, decodes: true,
			call:  func(ctx context.Context, c *volue.Client) (any, error) { return c.ListEvents(ctx) },
			check: func(t *testing.T, got any) { checkEvents(t, got.([]volue.Event)) }},
		{name: "GetEvent", method: "GET", path: "/events/evt-curve-1", status: 200, fixture: "event.json", read: true, decodes: true,
			call: func(ctx context.Context, c *volue.Client) (any, error) { return c.GetEvent(ctx, "evt-curve-1") },
			check: func(t *testing.T, got any) {
				e := got.(*volue.Event)
				assert.Equal(t, volue.EventPriceCurveCreated, e.Type)
				assert.Equal(t, time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC), e.CreatedAt)
				require.IsType(t, &volue.PriceCurveCreated{}, e.Payload)
			}},
		{name: "SendReport/VehicleChargeAction", method: "POST", path: "/reports", status: 201, fixture: "report_legacy.json", decodes: true,
			wantBody: `{"eventId":"evt-legacy-1","name":"Vehicle Started Charging","payloads":[{"payloadType":"VehicleChargeAction","resourceId":"e0fb2731-dadb-41c5-80f2-5dfcbc22b2b5","location":{"latitude":63.1,"longitude":10.7},"actionType":"Start","power":11000,"stateOfCharge":0.5,"batteryCapacity":75000}]}`,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return c.SendReport(ctx, volue.Report{EventID: "evt-legacy-1", Name: "Vehicle Started Charging",
					Payloads: []volue.ReportPayload{&volue.VehicleChargeAction{ResourceID: "e0fb2731-dadb-41c5-80f2-5dfcbc22b2b5",
						Location: volue.Coordinates{Latitude: 63.1, Longitude: 10.7}, ActionType: volue.ChargeStart,
						Power: 11000, StateOfCharge: 0.5, BatteryCapacity: 75000}}})
			},
			check: func(t *testing.T, got any) {
				r := got.(*volue.ReportReceipt)
				assert.Equal(t, "prog-1", r.ProgramID)
				assert.Equal(t, time.Date(2026, 12, 3, 3, 0, 0, 0, time.UTC), r.CreatedAt)
				assert.Equal(t, time.Date(2026, 12, 3, 3, 0, 1, 0, time.UTC), r.ModifiedAt)
			}},
		{name: "SendReport/EnergyUsage", method: "POST", path: "/reports", status: 201, fixture: "report.json", decodes: true,
			wantBody: `{"eventId":"evt-curve-1","payloads":[{"payloadType":"EnergyUsage","resourceId":"tank-1","locationId":"home","curvePoints":[{"kiloWattHours":1.25,"timestamp":"2026-12-02T10:00:00Z"},{"kiloWattHours":0,"timestamp":"2026-12-02T11:00:00Z"}]},{"payloadType":"LocationEnergyUsage","locationId":"home","meterPointId":"707057500012345678","points":[{"kiloWattHours":3.5,"timestamp":"2026-12-02T10:00:00Z"}],"resolution":"01:00:00"}]}`,
			call: func(ctx context.Context, c *volue.Client) (any, error) {
				return c.SendReport(ctx, volue.Report{EventID: "evt-curve-1", Payloads: []volue.ReportPayload{
					&volue.EnergyUsage{ResourceID: "tank-1", LocationID: "home", CurvePoints: []volue.EnergyPoint{
						{Start: hour.In(time.FixedZone("CET", 3600)), Energy: 1250}, {Start: hour.Add(time.Hour), Energy: 0}}},
					&volue.LocationEnergyUsage{LocationID: "home", MeterPointID: "707057500012345678",
						Points: []volue.EnergyPoint{{Start: hour, Energy: 3500}}},
				}})
			},
			check: func(t *testing.T, got any) {
				assert.Equal(t, &volue.ReportReceipt{ID: "5c7d9e1f-2a3b-4c5d-8e9f-0a1b2c3d4e5f", EventID: "evt-curve-1",
					CreatedAt: time.Date(2026, 12, 3, 3, 0, 0, 0, time.UTC)}, got)
			}},
	}
}

func TestEndpointsSuccess(t *testing.T) {
	for _, ep := range endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			c, mt, _ := newMock(t)
			cp := &capture{}
			mt.RegisterResponder(ep.method, base+ep.path, cp.responder(t, ep.status, ep.fixture))
			got, err := ep.call(t.Context(), c)
			require.NoError(t, err)
			assert.Equal(t, 1, mt.GetCallCountInfo()[ep.method+" "+base+ep.path])
			assert.Equal(t, "Bearer "+accessToken, cp.auth)
			if ep.wantBody != "" {
				jsonEq(t, ep.wantBody, cp.body)
			} else {
				assert.Empty(t, cp.body)
			}
			if ep.check != nil {
				ep.check(t, got)
			}
		})
	}
}

func TestEndpointsServerError(t *testing.T) {
	for _, ep := range endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(ep.method, base+ep.path, httpmock.NewStringResponder(502, string(fixture(t, "gateway_502.html"))))
			_, err := ep.call(t.Context(), c)
			require.ErrorIs(t, err, energy.ErrUnavailable)
			var ae *volue.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 502, ae.StatusCode)
			assert.Contains(t, ae.Body, "502 Bad Gateway")
			want := 1
			if ep.read {
				want = 3 // the default 2 retries
			}
			assert.Equal(t, want, mt.GetCallCountInfo()[ep.method+" "+base+ep.path], "reads retried, writes not")
		})
	}
}

func TestEndpointsProblemDetails(t *testing.T) {
	for _, ep := range endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(ep.method, base+ep.path, respond(t, 400, "problem_400.json"))
			_, err := ep.call(t.Context(), c)
			require.ErrorIs(t, err, energy.ErrInvalid)
			var ae *volue.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "One or more validation errors occurred.", ae.Title)
			assert.Equal(t, []string{"The MeterPointId field is required."}, ae.Errors["MeterPointId"])
			assert.Equal(t, ep.method, ae.Method)
		})
	}
}

func TestEndpointsNotFound(t *testing.T) {
	for _, ep := range endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(ep.method, base+ep.path, respond(t, 404, "problem_404.json"))
			_, err := ep.call(t.Context(), c)
			require.True(t, volue.IsNotFound(err), "%v", err)
			require.NotErrorIs(t, err, energy.ErrUnavailable)
		})
	}
}

func TestEndpointsMalformed(t *testing.T) {
	for _, ep := range endpoints() {
		if !ep.decodes {
			continue
		}
		t.Run(ep.name, func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(ep.method, base+ep.path, respond(t, ep.status, "malformed.json"))
			_, err := ep.call(t.Context(), c)
			var de *volue.DecodeError
			require.ErrorAs(t, err, &de, "%v", err)
			assert.ErrorIs(t, err, energy.ErrUnavailable, "as amber's and oscp's decode errors")
		})
	}
}

func TestEndpointsCancelled(t *testing.T) {
	for _, ep := range endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			c, mt, _ := newMock(t)
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			_, err := ep.call(ctx, c)
			require.ErrorIs(t, err, context.Canceled)
			assert.Zero(t, mt.GetTotalCallCount())
		})
	}
}

func TestEndpointsTransportFailure(t *testing.T) {
	for _, ep := range endpoints() {
		t.Run(ep.name, func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(ep.method, base+ep.path, httpmock.NewErrorResponder(http.ErrHandlerTimeout))
			_, err := ep.call(t.Context(), c)
			require.ErrorIs(t, err, energy.ErrUnavailable)
			var te *volue.TransportError
			require.ErrorAs(t, err, &te)
		})
	}
}

func checkEvents(t *testing.T, evs []volue.Event) {
	t.Helper()
	require.Len(t, evs, 6)
	curve, ok := evs[0].Payload.(*volue.PriceCurveCreated)
	require.True(t, ok)
	assert.Equal(t, "NOK", curve.Currency)
	assert.Equal(t, time.Hour, curve.Resolution.Duration())
	assert.Len(t, curve.Points, 3)
	delta, ok := evs[1].Payload.(*volue.PriceDelta)
	require.True(t, ok)
	assert.Equal(t, 0.72, delta.Points[0].Price)
	assert.Equal(t, &volue.UserEligibilityUpdated{UserID: "8d1e7c2a-5b7f-4f4e-9a51-0f3c2b1d9e77", LocationID: "home", Eligible: true}, evs[2].Payload)
	lpc, ok := evs[3].Payload.(*volue.LocationLPCCreated)
	require.True(t, ok)
	assert.Equal(t, energy.Watts(4200), lpc.MaxPower)
	unknown, ok := evs[4].Payload.(*volue.UnknownPayload)
	require.True(t, ok)
	assert.Equal(t, volue.EventType("SomethingNew"), unknown.Type)
	assert.JSONEq(t, `{"answer":42}`, string(unknown.Raw))
	legacy := evs[5]
	assert.Equal(t, volue.EventType("ChargingCurrent"), legacy.Type, "older events name their type in the payload")
	assert.Equal(t, time.Date(2026, 12, 2, 15, 30, 0, 0, time.UTC), legacy.CreatedAt)
	assert.Contains(t, string(legacy.Raw), `"programId":"prog-1"`)
}
