package voluetest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/volue"
	"github.com/gridwire/gridwire/volue/voluetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 12, 3, 0, 30, 0, 0, time.UTC)

func TestTokenEndpoint(t *testing.T) {
	srv := voluetest.NewServer(voluetest.WithTokenLifetime(90 * time.Second))
	defer srv.Close()
	post := func(form url.Values, basic bool) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, srv.TokenURL, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic {
			req.SetBasicAuth(srv.ClientID, srv.ClientSecret)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var body map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		return resp.StatusCode, body
	}
	status, body := post(url.Values{"grant_type": {"client_credentials"}, "client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}}, false)
	assert.Equal(t, 200, status)
	assert.Equal(t, 90.0, body["expires_in"])
	assert.Equal(t, "Bearer", body["token_type"])
	status, _ = post(url.Values{"grant_type": {"client_credentials"}}, true)
	assert.Equal(t, 200, status, "Basic credentials accepted too")
	status, body = post(url.Values{"grant_type": {"client_credentials"}, "client_id": {srv.ClientID}, "client_secret": {"nope"}}, false)
	assert.Equal(t, 400, status)
	assert.Equal(t, "invalid_client", body["error"])
	status, body = post(url.Values{"grant_type": {"password"}}, true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "unsupported_grant_type", body["error"])
	assert.Equal(t, 2, srv.Tokens())
	assert.Equal(t, 4, srv.Requests())
}

func TestAPIRequiresAValidToken(t *testing.T) {
	fc := clock.NewFake(t0)
	srv := voluetest.NewServer(voluetest.WithClock(fc), voluetest.WithTokenLifetime(time.Minute))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/users")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)

	// A client on another clock does not know its token lapsed: the 401
	// makes it fetch a new one.
	c := srv.Client()
	_, err = c.ListUsers(t.Context())
	require.NoError(t, err)
	fc.Advance(2 * time.Minute)
	_, err = c.ListUsers(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Tokens())
}

func TestFailNext(t *testing.T) {
	srv := voluetest.NewServer()
	defer srv.Close()
	c := srv.Client()
	srv.FailNext(1, voluetest.Fault{Endpoint: "POST /connect/token", Code: "unauthorized_client"})
	_, err := c.ListUsers(t.Context())
	var ae *volue.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "unauthorized_client", ae.Code)

	srv.FailNext(2, voluetest.Fault{Endpoint: "GET /users", Status: 503})
	_, err = c.ListUsers(t.Context())
	require.NoError(t, err, "two 503s, then the third attempt succeeds")

	srv.FailNext(1, voluetest.Fault{Endpoint: "POST /users", Status: 503})
	_, err = c.CreateUser(t.Context())
	require.ErrorIs(t, err, energy.ErrUnavailable, "a write is not retried")

	srv.FailNext(1, voluetest.Fault{Endpoint: "GET /events", Body: `{"events":[`})
	_, err = c.ListEvents(t.Context())
	var de *volue.DecodeError
	require.ErrorAs(t, err, &de)

	// A 429 is waited out once (the API did not act), the second returned.
	srv.FailNext(2, voluetest.Fault{Status: 429, Body: `{"title":"slow down"}`})
	_, err = c.CreateUser(t.Context())
	require.ErrorIs(t, err, energy.ErrRateLimited)
	var apiErr *volue.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "slow down", apiErr.Title)
}

func TestEveryOperationAgainstTheFake(t *testing.T) {
	srv := voluetest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := t.Context()
	u, err := c.CreateUser(ctx)
	require.NoError(t, err)
	users, err := c.ListUsers(ctx)
	require.NoError(t, err)
	assert.Equal(t, []volue.User{*u}, users)

	require.NoError(t, c.AddVehicle(ctx, u.ID, volue.Vehicle{ID: "car-1", Metadata: volue.VehicleMetadata{Brand: "Tesla"}}))
	_, err = c.AddMeter(ctx, u.ID, volue.Meter{MeterPointID: "707057500012345678", Location: volue.Coordinates{Latitude: 63.1, Longitude: 10.7}})
	require.NoError(t, err)
	require.NoError(t, c.AddResource(ctx, u.ID, volue.Resource{ID: "tank-1", Metadata: &volue.HotWaterTankMetadata{Capacity: 300}}))
	require.NoError(t, c.CreateLocation(ctx, u.ID, volue.Location{ID: "home", MeterPointIDs: []string{"707057500012345678"}}))
	require.NoError(t, c.UpdateLocation(ctx, u.ID, "home", volue.LocationUpdate{Coordinates: &volue.Coordinates{Latitude: 63.4, Longitude: 10.4}}))
	require.NoError(t, c.AddLocationResource(ctx, u.ID, "home", volue.Resource{ID: "hp-1",
		Metadata: &volue.UnknownMetadata{Type: "HeatPump", Raw: json.RawMessage(`{"resourceType":"HeatPump"}`)}}))

	r, err := c.GetResource(ctx, "hp-1")
	require.NoError(t, err)
	assert.Equal(t, &volue.ResourceInfo{ID: "hp-1", Type: "HeatPump", UserID: u.ID, LocationID: "home", MeterPointID: "707057500012345678"}, r)
	r, err = c.GetResource(ctx, "car-1")
	require.NoError(t, err)
	assert.Equal(t, volue.ResourceVehicle, r.Type)
	require.NoError(t, c.DeleteResource(ctx, "hp-1"))
	err = c.DeleteResource(ctx, "hp-1")
	assert.True(t, volue.IsNotFound(err), "%v", err)
	err = c.AddVehicle(ctx, "nobody", volue.Vehicle{ID: "car-2"})
	assert.True(t, volue.IsNotFound(err))

	hook, err := c.CreateWebhook(ctx, volue.NewWebhook{URL: "http://127.0.0.1:1/none", Secret: "s", EventTypes: []volue.EventType{volue.EventPriceDelta}})
	require.NoError(t, err)
	hooks, err := c.ListWebhooks(ctx)
	require.NoError(t, err)
	require.Len(t, hooks, 1)
	assert.Equal(t, hook.ID, hooks[0].ID)
	require.NoError(t, c.DeleteWebhook(ctx, hook.ID))
	assert.True(t, volue.IsNotFound(c.TestWebhook(ctx, hook.ID)))

	e := srv.Publish(voluetest.PriceCurve("home", t0, 3))
	got, err := c.GetEvent(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, volue.EventPriceCurveCreated, got.Type)
	assert.Equal(t, e.Payload, got.Payload)
	_, err = c.GetEvent(ctx, "nope")
	assert.True(t, volue.IsNotFound(err))

	rr, err := c.SendReport(ctx, volue.Report{EventID: e.ID, Payloads: []volue.ReportPayload{
		&volue.LocationEnergyUsage{LocationID: "home", MeterPointID: "707057500012345678",
			Points: []volue.EnergyPoint{{Start: t0.Truncate(time.Hour), Energy: 1500}}}}})
	require.NoError(t, err)
	assert.Equal(t, e.ID, rr.EventID)
	require.Len(t, srv.Reports(), 1)
	assert.Contains(t, string(srv.Reports()[0]), `"kiloWattHours":1.5`)
}

func TestCloseStopsDeliveriesInProgress(t *testing.T) {
	srv := voluetest.NewServer(voluetest.WithDeliveryBackoff(time.Hour))
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) }))
	defer app.Close()
	c := srv.Client()
	hook, err := c.CreateWebhook(context.Background(), volue.NewWebhook{URL: app.URL, Secret: "s"})
	require.NoError(t, err)
	require.NoError(t, c.TestWebhook(context.Background(), hook.ID))
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		require.FailNow(t, "Close waited for an hour-long back-off")
	}
	require.Len(t, srv.Deliveries(), 1)
	assert.False(t, srv.Deliveries()[0].Delivered)
}

func TestHandlerMountsElsewhere(t *testing.T) {
	srv := voluetest.NewServer()
	defer srv.Close()
	other := httptest.NewServer(srv.Handler())
	defer other.Close()
	c, err := volue.New(srv.ClientID, srv.ClientSecret, volue.WithBaseURL(other.URL+voluetest.APIPath),
		volue.WithTokenURL(other.URL+voluetest.TokenPath))
	require.NoError(t, err)
	_, err = c.CreateUser(t.Context())
	require.NoError(t, err)
}

func TestClientPanicsOnInvalidOptions(t *testing.T) {
	srv := voluetest.NewServer()
	defer srv.Close()
	assert.Panics(t, func() { srv.Client(volue.WithRetries(-1)) })
}

func TestPublishHonoursTheWebhooksOperations(t *testing.T) {
	srv := voluetest.NewServer()
	defer srv.Close()
	var got []volue.Event
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var e volue.Event
		if json.NewDecoder(r.Body).Decode(&e) == nil {
			got = append(got, e) // deliveries are waited for one by one below
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer app.Close()
	c := srv.Client()
	_, err := c.CreateWebhook(t.Context(), volue.NewWebhook{URL: app.URL, Secret: "s",
		Operations: []volue.Operation{volue.OperationCreate}, EventTypes: []volue.EventType{volue.EventPriceCurveCreated, volue.EventPriceDelta}})
	require.NoError(t, err)
	srv.Publish(voluetest.PriceDelta("home", t0, 1)) // an Update: not asked for
	srv.WaitDeliveries()
	srv.Publish(voluetest.PriceCurve("home", t0, 2)) // a Create
	srv.WaitDeliveries()
	srv.Publish(volue.Event{Type: volue.EventUserEligibilityUpdated, Operation: volue.OperationCreate}) // another type
	srv.WaitDeliveries()
	require.Len(t, got, 1)
	assert.Equal(t, volue.EventPriceCurveCreated, got[0].Type)
	assert.Len(t, srv.Deliveries(), 1)
}

func TestNewServerPanicsOnInvalidOptions(t *testing.T) {
	assert.Panics(t, func() { voluetest.NewServer(voluetest.WithClock(nil)) })
	assert.Panics(t, func() { voluetest.NewServer(voluetest.WithDeliveryClient(nil)) })
}

// The fake refuses what the API would: missing required fields (400),
// taken ids (409), payload types it does not know (400).
func TestFakeRefusesBadRequests(t *testing.T) {
	srv := voluetest.NewServer(voluetest.WithCredentials("my-id", "my-secret"))
	defer srv.Close()
	c, err := volue.New("my-id", "my-secret", volue.WithBaseURL(srv.URL), volue.WithTokenURL(srv.TokenURL))
	require.NoError(t, err)
	u, err := c.CreateUser(t.Context())
	require.NoError(t, err)
	require.NoError(t, c.AddVehicle(t.Context(), u.ID, volue.Vehicle{ID: "car-1"}))
	err = c.AddVehicle(t.Context(), u.ID, volue.Vehicle{ID: "car-1"})
	var ae *volue.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusConflict, ae.StatusCode)
	require.ErrorIs(t, err, energy.ErrInvalid)

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"my-id"}, "client_secret": {"my-secret"}}
	resp, err := http.PostForm(srv.TokenURL, form)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	for _, tc := range []struct{ path, body string }{
		{"/users/" + u.ID + "/vehicles", `{"metadata":{"resourceType":"Vehicle"}}`},
		{"/users/" + u.ID + "/meters", `{"address":{}}`},
		{"/users/" + u.ID + "/resources", `{"resourceId":"r1","metadata":{}}`},
		{"/users/" + u.ID + "/locations", `{"locationType":"Residential"}`},
		{"/reports", `{"eventId":"e1","payloads":[{"payloadType":"Nonsense"}]}`},
		{"/reports", `{"eventId":"e1","payloads":[]}`},
		{"/webhooks", `{"url":"/relative","webhookSecret":"s"}`},
		{"/webhooks", `not json`},
	} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+tc.path, strings.NewReader(tc.body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var p struct {
			Status int    `json:"status"`
			Detail string `json:"detail"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&p), tc.path)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s %s", tc.path, tc.body)
		assert.Equal(t, http.StatusBadRequest, p.Status, "problem details")
		assert.NotEmpty(t, p.Detail)
	}
}
