package volue_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/volue"
)

func TestSecretsNeverShown(t *testing.T) {
	var logs strings.Builder
	c, mt, _ := newMock(t, volue.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	mt.RegisterResponder(http.MethodGet, base+"/users", httpmock.NewStringResponder(500, "boom"))
	_, err := c.ListUsers(t.Context())
	require.Error(t, err)
	for _, s := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), err.Error(), logs.String()} {
		assert.NotContains(t, s, clientSecret)
		assert.NotContains(t, s, accessToken)
	}
	assert.Contains(t, logs.String(), "retrying")
	w := volue.NewWebhook{URL: "https://x.example/h", Secret: "hook-secret-xyz"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.NotContains(t, fmt.Sprintf(verb, w), "hook-secret-xyz", verb)
	}
	// slog's JSON handler encodes structs with encoding/json.
	var js strings.Builder
	slog.New(slog.NewJSONHandler(&js, nil)).Info("registering", "webhook", w, "secret", w.Secret)
	assert.NotContains(t, js.String(), "hook-secret-xyz")
	assert.Contains(t, js.String(), "x.example")
}

func TestWebhookSecretEchoedByTheAPIIsRedacted(t *testing.T) {
	const secret = "hook-secret-xyz"
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"validation message quoting it", 400, `{"title":"One or more validation errors occurred.","detail":"webhookSecret hook-secret-xyz is too short",` +
			`"errors":{"WebhookSecret":["'hook-secret-xyz' is too short"]}}`},
		{"malformed echo of the request", 201, `{"webhookId":"w1","webhookSecret":"hook-secret-xyz",`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterResponder(http.MethodPost, base+"/webhooks", httpmock.NewStringResponder(tc.status, tc.body))
			_, err := c.CreateWebhook(t.Context(), volue.NewWebhook{URL: "https://x.example/h", Secret: secret})
			require.Error(t, err)
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				assert.NotContains(t, s, secret)
			}
			var ae *volue.APIError
			if errors.As(err, &ae) {
				assert.Contains(t, ae.Detail, "[redacted]", "the rest of the answer is kept")
				assert.NotContains(t, ae.Errors["WebhookSecret"][0], secret)
			}
		})
	}
}

func TestReceiverDoesNotPrintItsSecrets(t *testing.T) {
	const secret = "hook-secret-xyz"
	r, err := volue.NewReceiver(func(context.Context, volue.Event) error { return nil }, []string{secret})
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		out := fmt.Sprintf(verb, r)
		for _, leak := range []string{secret, fmt.Sprint([]byte(secret)), fmt.Sprintf("%#v", []byte(secret)), fmt.Sprintf("%x", secret)} {
			assert.NotContains(t, out, strings.Trim(leak, "[]{}"), verb)
		}
	}
}

func TestTokenEndpointQuotingTheSecretIsRedacted(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodPost, tokenURL, httpmock.NewStringResponder(400,
		`{"error":"invalid_client","error_description":"client_secret `+clientSecret+` does not match"}`).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	_, err := c.ListUsers(t.Context())
	var ae *volue.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "client_secret [redacted] does not match", ae.Description)
	assert.NotContains(t, fmt.Sprintf("%v %+v", err, err), clientSecret)
}
