package volue_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/volue"
)

func TestUpdateLocationCanClearMeterPoints(t *testing.T) {
	c, mt, _ := newMock(t)
	cp := &capture{}
	mt.RegisterResponder(http.MethodPatch, base+"/users/u1/locations/home", cp.responder(t, 200, "location.json"))
	require.NoError(t, c.UpdateLocation(t.Context(), "u1", "home", volue.LocationUpdate{MeterPointIDs: []string{}}))
	jsonEq(t, `{"meterPointIds":[]}`, cp.body)
	require.NoError(t, c.UpdateLocation(t.Context(), "u1", "home", volue.LocationUpdate{}))
	jsonEq(t, `{}`, cp.body)
}

func TestCreateWebhookLeavesOutEmptyLists(t *testing.T) {
	c, mt, _ := newMock(t)
	cp := &capture{}
	mt.RegisterResponder(http.MethodPost, base+"/webhooks", cp.responder(t, 201, "webhook.json"))
	_, err := c.CreateWebhook(t.Context(), volue.NewWebhook{URL: "https://partner.example/volue/webhook", Secret: "hook-secret"})
	require.NoError(t, err)
	jsonEq(t, `{"url":"https://partner.example/volue/webhook","webhookSecret":"hook-secret"}`, cp.body)
}

// Metadata of a type the package knows decodes typed; of one it does not,
// it is kept whole and goes back out unchanged.
func TestResourceMetadataDecodesByType(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/resources/hp-1", respond(t, 200, "resource_legacy_unknown.json"))
	info, err := c.GetResource(t.Context(), "hp-1")
	require.NoError(t, err)
	assert.Equal(t, volue.ResourceType("HeatPump"), info.Type, "the type comes from the metadata when the answer has none on top")
	assert.Equal(t, "8d1e7c2a-5b7f-4f4e-9a51-0f3c2b1d9e77", info.UserID)
	unknown, ok := info.Metadata.(*volue.UnknownMetadata)
	require.True(t, ok, "%T", info.Metadata)
	assert.JSONEq(t, `{"resourceType":"HeatPump","brand":"Nibe","model":"F2120","nominalPower":8000}`, string(unknown.Raw))
	out, err := json.Marshal(volue.Resource{ID: "hp-1", Metadata: unknown})
	require.NoError(t, err)
	assert.JSONEq(t, `{"resourceId":"hp-1","metadata":{"resourceType":"HeatPump","brand":"Nibe","model":"F2120","nominalPower":8000}}`, string(out))

	var r volue.Resource
	require.NoError(t, json.Unmarshal(fixture(t, "resource_created.json"), &r))
	assert.Equal(t, volue.Resource{ID: "tank-1", Metadata: tank}, r)
	require.NoError(t, json.Unmarshal(fixture(t, "vehicle.json"), &r))
	assert.Equal(t, volue.Resource{ID: "", Metadata: &vehicleMeta}, r, "vehicle.json names its id vehicleId")
	require.Error(t, json.Unmarshal([]byte(`{"resourceId":"x","metadata":{"resourceType":"HotWaterTank","capacity":"big"}}`), &r))
}

// An answer that is JSON but lacks what the call promises is a DecodeError
// too, not an empty id or list handed on.
func TestAnswersMissingWhatTheyPromise(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodPost, base+"/users", httpmock.NewStringResponder(201, `{}`))
	mt.RegisterResponder(http.MethodPost, base+"/users/u1/meters", httpmock.NewStringResponder(201, `{"id":"m1"}`))
	mt.RegisterResponder(http.MethodPost, base+"/webhooks", httpmock.NewStringResponder(201, `{"url":"https://x.example/h"}`))
	mt.RegisterResponder(http.MethodGet, base+"/webhooks", httpmock.NewStringResponder(200, `{"webhooks":"none"}`))
	var de *volue.DecodeError
	_, err := c.CreateUser(t.Context())
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "userId")
	_, err = c.AddMeter(t.Context(), "u1", volue.Meter{MeterPointID: "mp"})
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "meterId")
	_, err = c.CreateWebhook(t.Context(), volue.NewWebhook{URL: "https://x.example/h", Secret: "s"})
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "webhookId")
	_, err = c.ListWebhooks(t.Context())
	require.ErrorAs(t, err, &de)
	assert.Equal(t, `{"webhooks":"none"}`, de.Body)
}
