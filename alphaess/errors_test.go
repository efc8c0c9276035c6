package alphaess_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// Every code of the Open API's return-code table and the sentinel
// it must wrap. Written out here rather than read from the package, so that
// a wrong mapping fails.
var codeTable = []struct {
	code     alphaess.Code
	value    int
	sentinel error
}{
	{alphaess.CodeParameterError, 6001, energy.ErrInvalid},
	{alphaess.CodeSNNotBoundToUser, 6002, nil},
	{alphaess.CodeSNAlreadyBound, 6003, nil},
	{alphaess.CodeCheckCodeError, 6004, energy.ErrInvalid},
	{alphaess.CodeAppIDNotBound, 6005, energy.ErrUnauthorized},
	{alphaess.CodeTimestampError, 6006, energy.ErrUnauthorized},
	{alphaess.CodeSignError, 6007, energy.ErrUnauthorized},
	{alphaess.CodeSetFailed, 6008, nil},
	{alphaess.CodeWhitelistFailed, 6009, energy.ErrUnauthorized},
	{alphaess.CodeSignEmpty, 6010, energy.ErrUnauthorized},
	{alphaess.CodeTimestampEmpty, 6011, energy.ErrUnauthorized},
	{alphaess.CodeAppIDEmpty, 6012, energy.ErrUnauthorized},
	{alphaess.CodeDataNotFound, 6016, nil},
	{alphaess.CodeNoPermission, 6017, energy.ErrUnsupported},
	{alphaess.CodeInternalError, 6026, energy.ErrUnavailable},
	{alphaess.CodeOperationFailed, 6029, nil},
	{alphaess.CodeSNNotFound, 6038, energy.ErrInvalid},
	{alphaess.CodeSystemOffline, 6042, energy.ErrUnavailable},
	{alphaess.CodeVerificationCodeError, 6046, energy.ErrInvalid},
	{alphaess.CodeTooFast, 6053, energy.ErrRateLimited},
	{alphaess.CodeMalformedRequest, 10001, energy.ErrInvalid},
}

var sentinels = []error{energy.ErrInvalid, energy.ErrUnauthorized, energy.ErrUnsupported, energy.ErrUnavailable, energy.ErrRateLimited}

func TestCodesMapToSentinels(t *testing.T) {
	assert.Len(t, alphaess.Codes(), len(codeTable)+1, "Codes() and the table (with 200)")
	for _, tt := range codeTable {
		t.Run(fmt.Sprint(tt.value), func(t *testing.T) {
			require.Equal(t, tt.value, int(tt.code), "constant")
			// No pacing: a 6053 would otherwise wait and retry.
			c, m := newMock(t, alphaess.WithMinInterval(0))
			m.on(http.MethodGet, "getLastPowerData", envelopeCode(tt.value, "localised text"))
			_, err := c.LastPowerData(context.Background())
			var ae *alphaess.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.code, ae.Code)
			assert.Equal(t, "getLastPowerData", ae.Endpoint)
			assert.Equal(t, "localised text", ae.Msg)
			for _, s := range sentinels {
				assert.Equal(t, s == tt.sentinel, errors.Is(err, s), "errors.Is(err, %v)", s)
			}
			assert.Contains(t, err.Error(), fmt.Sprint(tt.value), "the message names the code")
			assert.Contains(t, err.Error(), tt.code.String(), "the message says what the code means")
		})
	}
}

func TestUnknownCode(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", envelopeCode(7777, "?"))
	_, err := c.LastPowerData(context.Background())
	var ae *alphaess.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, alphaess.Code(7777), ae.Code)
	assert.False(t, ae.Retryable())
	for _, s := range sentinels {
		assert.NotErrorIs(t, err, s, "an unknown code wraps no sentinel")
	}
}

// The message is localised and inconsistent: only the code counts.
func TestBranchesOnCodeNotMessage(t *testing.T) {
	t.Run("localised 6005", func(t *testing.T) {
		c, m := newMock(t)
		m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6005_localised.json"))
		_, err := c.LastPowerData(context.Background())
		require.ErrorIs(t, err, energy.ErrUnauthorized)
	})
	t.Run("error code with a success message", func(t *testing.T) {
		c, m := newMock(t)
		m.on(http.MethodGet, "getLastPowerData", envelopeCode(6042, "Success"))
		_, err := c.LastPowerData(context.Background())
		require.ErrorIs(t, err, energy.ErrUnavailable)
	})
	t.Run("success with an error message", func(t *testing.T) {
		c, m := newMock(t)
		m.on(http.MethodPost, "unBindSn", envelopeCode(200, "Sign check error"))
		require.NoError(t, c.Unbind(context.Background()))
	})
}

// The portal documents "info" for the periodic endpoints.
func TestInfoInPlaceOfMsg(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getTimeChargeBySn", fixture(t, "error_6017_info.json"))
	_, err := c.TimeCharge(context.Background())
	var ae *alphaess.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "No operation permissions", ae.Msg)
	assert.ErrorIs(t, err, energy.ErrUnsupported)
}

func TestExpMsgKept(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6001_timelist.json"))
	_, err := c.LastPowerData(context.Background())
	var ae *alphaess.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "time list is null", ae.ExpMsg)
	assert.Contains(t, err.Error(), "time list is null")
}

// A wrong method gets Spring Boot's 405 without an envelope; an unknown
// path a 404.
func TestNonEnvelopeStatuses(t *testing.T) {
	tests := []struct {
		name     string
		resp     httpmock.Responder
		status   int
		sentinel error
		want     string
	}{
		{"405", body(405, string(readFixture(t, "spring_405.json"))), 405, nil, "does not take GET (path /api/getEssList)"},
		{"404", body(404, string(readFixture(t, "spring_404.json"))), 404, energy.ErrUnsupported, "no such endpoint"},
		{"502", body(502, string(readFixture(t, "gateway_502.html"))), 502, energy.ErrUnavailable, "502 Bad Gateway"},
		{"401", body(401, ""), 401, energy.ErrUnauthorized, "401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, m := newMock(t)
			m.on(http.MethodGet, "getEssList", tt.resp)
			_, err := c.ListSystems(context.Background())
			var he *alphaess.HTTPError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, tt.status, he.StatusCode)
			assert.Equal(t, "getEssList", he.Endpoint)
			assert.Equal(t, "GET", he.Method)
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
			}
			assert.Contains(t, err.Error(), tt.want)
			if tt.status == 405 {
				assert.Equal(t, "Method Not Allowed", he.Reason, "Spring body not read")
				assert.Equal(t, "/api/getEssList", he.Path, "Spring body not read")
			}
			wantAttempts := 1
			if tt.status >= 500 {
				wantAttempts = 3 // retried twice by default
			}
			assert.Len(t, m.requests(), wantAttempts, "attempts")
		})
	}
}

func TestMalformedAnswers(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"html with 200", "<html>maintenance</html>", "malformed response"},
		{"json without code", `{"status":200,"data":[]}`, "no code field"},
		{"data of the wrong type", `{"code":200,"msg":"Success","data":{"ppv":"abc"}}`, "not a number"},
		{"empty body", ``, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, m := newMock(t)
			m.on(http.MethodGet, "getLastPowerData", body(200, tt.body))
			_, err := c.LastPowerData(context.Background())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// For 6006/6009 the server's Date header shows how far the local clock is
// off (the usual cause of both is a wrong host clock).
func TestClockSkewReported(t *testing.T) {
	c, m := newMock(t)
	server := t0.Add(-10 * time.Minute)
	m.on(http.MethodGet, "getLastPowerData", func(req *http.Request) (*http.Response, error) {
		resp, _ := fixture(t, "error_6009_timestamp.json")(req)
		resp.Header.Set("Date", server.UTC().Format(http.TimeFormat))
		return resp, nil
	})
	_, err := c.LastPowerData(context.Background())
	var ae *alphaess.APIError
	require.ErrorAs(t, err, &ae)
	require.ErrorIs(t, err, energy.ErrUnauthorized)
	skew, ok := ae.ClockSkew()
	assert.True(t, ok)
	assert.Equal(t, 10*time.Minute, skew)
	assert.Contains(t, err.Error(), "local clock is 10m0s off", "the message reports the skew")
}

func TestCancelledContextSendsNothing(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.LastPowerData(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, m.requests())
}

func TestTimeoutWhilePacing(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	_, err := c.LastPowerData(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	<-ctx.Done()
	_, err = c.LastPowerData(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestNewRejectsMissingCredentials(t *testing.T) {
	for _, tt := range []struct{ name, appID, secret, field string }{
		{"no app id", "", testSecret, "appID"},
		{"blank app id", "  ", testSecret, "appID"},
		{"no secret", testAppID, "", "appSecret"},
		{"blank secret", testAppID, " ", "appSecret"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := alphaess.New(tt.appID, tt.secret)
			var fe *energy.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.Nil(t, c)
		})
	}
}

func TestMissingSerialNumberFailsBeforeIO(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	_, err := c.System("").LastPowerData(context.Background())
	var fe *energy.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "sysSn", fe.Field)
	assert.Empty(t, m.requests(), "a request was sent")
}

// The app secret (and every signature made with it) never shows in %v
// output, errors or logs.
func TestSecretNeverShown(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, m := newMock(t, alphaess.WithLogger(logger), alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getLastPowerData", body(502, "bad gateway"), fixture(t, "error_6053.json"), fixture(t, "error_6007.json"))
	_, err := c.LastPowerData(context.Background())
	require.Error(t, err)
	var signs []string
	for _, r := range m.requests() {
		signs = append(signs, r.req.Header.Get("sign"))
	}
	out := []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", *c),
		err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs.String(),
	}
	for _, s := range out {
		assert.NotContains(t, s, testSecret, "the secret shows")
		for _, sign := range signs {
			assert.NotContains(t, s, sign, "a signature shows")
		}
	}
	assert.Contains(t, logs.String(), "slowing down", "the 6053 slow-down was not logged")
}

// Every error a call returns is this package's own type (no alias of an
// internal one), so callers outside the module can name it in errors.As.
func TestErrorTypesAreOwn(t *testing.T) {
	c, m := newMock(t, alphaess.WithRetries(0))
	m.on(http.MethodGet, "getLastPowerData", httpmock.NewErrorResponder(errors.New("connection reset")))
	m.on(http.MethodGet, "getEssList", body(200, `{"code":200,"msg":"Success","data":[null]}`))
	_, err := c.LastPowerData(context.Background())
	var te *alphaess.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "getLastPowerData", te.Endpoint)
	assert.Equal(t, 1, te.Attempts)
	assert.ErrorIs(t, err, energy.ErrUnavailable)

	_, err = c.ListSystems(context.Background())
	var de *alphaess.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "getEssList", de.Endpoint)
	assert.Equal(t, "GET", de.Method)
	assert.Contains(t, err.Error(), "malformed response: item 0 is null")
}
