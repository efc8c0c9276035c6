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
	"github.com/gridwire/gridwire/internal/rest"
	"github.com/gridwire/gridwire/oscp"
)

// assertNoRestTypes checks that err reached the caller as this package's
// own types, which users can name, and none of internal/rest's.
func assertNoRestTypes(t *testing.T, err error) {
	t.Helper()
	var (
		he *rest.HTTPError
		te *rest.TransportError
		de *rest.DecodeError
		re *rest.RedirectError
	)
	assert.False(t, errors.As(err, &he), "internal *rest.HTTPError leaked: %v", err)
	assert.False(t, errors.As(err, &te), "internal *rest.TransportError leaked: %v", err)
	assert.False(t, errors.As(err, &de), "internal *rest.DecodeError leaked: %v", err)
	assert.False(t, errors.As(err, &re), "internal *rest.RedirectError leaked: %v", err)
}

func TestTransportErrorIsOwnType(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", url("/settings"), httpmock.NewErrorResponder(errors.New("connection reset")))
	_, err := c.Settings(context.Background())
	var te *oscp.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "GET", te.Method)
	assert.Equal(t, oscp.APIPath+"/settings", te.Endpoint)
	assert.Equal(t, 3, te.Attempts, "a read is retried twice by default")
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.ErrorContains(t, err, "connection reset")
	assertNoRestTypes(t, err)
}

func TestRedirectErrorIsOwnType(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", url("/capacity-groups"), httpmock.NewStringResponder(http.StatusFound, "").
		HeaderSet(http.Header{"Location": {"https://elsewhere.example/steal"}}))
	_, err := c.CapacityGroups(context.Background())
	var re *oscp.RedirectError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "https://sn.example", re.From)
	assert.Equal(t, "https://elsewhere.example", re.To)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "nothing sent to the other origin")
	for _, s := range []error{energy.ErrUnavailable, energy.ErrUnauthorized, energy.ErrInvalid, energy.ErrRateLimited} {
		assert.NotErrorIs(t, err, s, "a redirect is not retried")
	}
	assertNoRestTypes(t, err)
}

func TestDecodeErrorWrapsUnavailable(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", url("/capacity-groups"), httpmock.NewStringResponder(200, `{"success":true,"data":{"not":"a list"}}`))
	_, err := c.CapacityGroups(context.Background())
	var de *oscp.DecodeError
	require.ErrorAs(t, err, &de)
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	var je *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &je, "the decoder's error is kept")
	assertNoRestTypes(t, err)
}

func TestAPIErrorsAreOwnType(t *testing.T) {
	for _, status := range []int{400, 403, 404, 422, 429, 500} {
		c, mt := newMock(t, oscp.WithRetries(0))
		mt.RegisterResponder("GET", url("/settings"), httpmock.NewStringResponder(status, "plain text").
			HeaderSet(http.Header{"Retry-After": {"0"}}))
		_, err := c.Settings(context.Background())
		var ae *oscp.APIError
		require.ErrorAs(t, err, &ae, status)
		assert.Equal(t, "plain text", ae.Body)
		assertNoRestTypes(t, err)
	}
}

// echo answers with the request's Authorization header and body inside
// the given envelope template, as a misbehaving server or proxy might.
func echo(status int, tmpl string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.Body != nil {
			body, _ = io.ReadAll(req.Body)
		}
		auth := req.Header.Get("Authorization")
		// Padding takes the body past internal/rest's 512-byte excerpt, so
		// the whole body oscp keeps is what is checked.
		r := strings.NewReplacer("AUTH", auth, "BODY", strings.ReplaceAll(string(body), `"`, `'`), "PAD", strings.Repeat("x", 600))
		return httpmock.NewStringResponse(status, r.Replace(tmpl)), nil
	}
}

func TestErrorsRedactEchoedSecrets(t *testing.T) {
	cases := map[string]struct {
		status int
		tmpl   string
	}{
		"403 envelope":       {403, `{"success":false,"message":"PAD bad credentials AUTH","errors":[{"location":"x","message":"AUTH","rejectedValue":"BODY"}]}`},
		"422 rejected value": {422, `{"success":false,"code":"VAL.00004","message":"PAD","errors":[{"location":"serviceProps","message":"bad","rejectedValue":"BODY"}]}`},
		"502 html":           {502, `<html>AUTH BODY PAD</html>`},
		"200 success false":  {200, `{"success":false,"code":"422","message":"PAD AUTH BODY"}`},
		"200 not envelope":   {200, `{"echo":"AUTH BODY PAD"}`},
		"201 bad data":       {201, `{"success":true,"data":"AUTH BODY"}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newMock(t, oscp.WithRetries(0))
			mt.RegisterResponder("POST", url("/capacity-providers"), echo(tc.status, tc.tmpl))
			_, _, err := c.CreateCapacityProvider(context.Background(), systemIn)
			require.Error(t, err)
			assertNoRestTypes(t, err)
			out := err.Error() + fmtAll(err)
			var ae *oscp.APIError
			if errors.As(err, &ae) {
				out += fmtAll(*ae)
			}
			var de *oscp.DecodeError
			if errors.As(err, &de) {
				out += fmtAll(*de)
			}
			require.Contains(t, out, "[redacted]", "the echo reached the error")
			for _, secret := range []string{"Signature=", "SNWS2 Credential", "Secret.123", "test-token-secret"} {
				assert.NotContains(t, out, secret)
			}
		})
	}
}

func TestOversizedErrorBodyFallsBackOnExcerpt(t *testing.T) {
	c, mt := newMock(t, oscp.WithRetries(0))
	huge := `{"success":false,"code":"VAL.00004","message":"` + strings.Repeat("y", 100<<10) + `"}`
	mt.RegisterResponder("GET", url("/settings"), httpmock.NewStringResponder(422, huge))
	_, err := c.Settings(context.Background())
	var ae *oscp.APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, energy.ErrInvalid)
	assert.LessOrEqual(t, len(ae.Body), 520, "only an excerpt of a body beyond the bound is kept")
	assert.True(t, strings.HasPrefix(ae.Body, `{"success":false`))
}
