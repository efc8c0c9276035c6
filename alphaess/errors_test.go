package alphaess_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// Every code of the reference's return-code table (§1.5) and the sentinel
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
	if got, want := len(alphaess.Codes()), len(codeTable)+1; got != want {
		t.Errorf("Codes() lists %d codes, the table %d (with 200)", got, want)
	}
	for _, tt := range codeTable {
		t.Run(fmt.Sprint(tt.value), func(t *testing.T) {
			if int(tt.code) != tt.value {
				t.Fatalf("constant is %d, want %d", tt.code, tt.value)
			}
			// No pacing: a 6053 would otherwise wait and retry.
			c, m := newMock(t, alphaess.WithMinInterval(0))
			m.on(http.MethodGet, "getLastPowerData", envelopeCode(tt.value, "localised text"))
			_, err := c.LastPowerData(context.Background())
			var ae *alphaess.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if ae.Code != tt.code || ae.Endpoint != "getLastPowerData" || ae.Msg != "localised text" {
				t.Errorf("APIError = %+v", ae)
			}
			for _, s := range sentinels {
				if got, want := errors.Is(err, s), s == tt.sentinel; got != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v", s, got, want)
				}
			}
			if !strings.Contains(err.Error(), fmt.Sprint(tt.value)) || !strings.Contains(err.Error(), tt.code.String()) {
				t.Errorf("message %q lacks the code and its meaning", err)
			}
		})
	}
}

func TestUnknownCode(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", envelopeCode(7777, "?"))
	_, err := c.LastPowerData(context.Background())
	var ae *alphaess.APIError
	if !errors.As(err, &ae) || ae.Code != 7777 || ae.Retryable() {
		t.Fatalf("err = %v", err)
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			t.Errorf("unknown code wraps %v", s)
		}
	}
}

// The message is localised and inconsistent (reference §1.2): only the code
// counts.
func TestBranchesOnCodeNotMessage(t *testing.T) {
	t.Run("localised 6005", func(t *testing.T) {
		c, m := newMock(t)
		m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6005_localised.json"))
		_, err := c.LastPowerData(context.Background())
		if !errors.Is(err, energy.ErrUnauthorized) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("error code with a success message", func(t *testing.T) {
		c, m := newMock(t)
		m.on(http.MethodGet, "getLastPowerData", envelopeCode(6042, "Success"))
		if _, err := c.LastPowerData(context.Background()); !errors.Is(err, energy.ErrUnavailable) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("success with an error message", func(t *testing.T) {
		c, m := newMock(t)
		m.on(http.MethodPost, "unBindSn", envelopeCode(200, "Sign check error"))
		if err := c.Unbind(context.Background()); err != nil {
			t.Fatalf("err = %v", err)
		}
	})
}

// The portal documents "info" for the periodic endpoints (reference §1.2).
func TestInfoInPlaceOfMsg(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getTimeChargeBySn", fixture(t, "error_6017_info.json"))
	_, err := c.TimeCharge(context.Background())
	var ae *alphaess.APIError
	if !errors.As(err, &ae) || ae.Msg != "No operation permissions" || !errors.Is(err, energy.ErrUnsupported) {
		t.Fatalf("err = %v", err)
	}
}

func TestExpMsgKept(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6001_timelist.json"))
	_, err := c.LastPowerData(context.Background())
	var ae *alphaess.APIError
	if !errors.As(err, &ae) || ae.ExpMsg != "time list is null" || !strings.Contains(err.Error(), "time list is null") {
		t.Fatalf("err = %v", err)
	}
}

// A wrong method gets Spring Boot's 405 without an envelope; an unknown
// path a 404 (reference §1.2).
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
			if !errors.As(err, &he) || he.StatusCode != tt.status || he.Endpoint != "getEssList" || he.Method != "GET" {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("does not wrap %v", tt.sentinel)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q lacks %q", err, tt.want)
			}
			if tt.status == 405 && (he.Reason != "Method Not Allowed" || he.Path != "/api/getEssList") {
				t.Errorf("Spring body not read: %+v", he)
			}
			wantAttempts := 1
			if tt.status >= 500 {
				wantAttempts = 3 // retried twice by default
			}
			if n := len(m.requests()); n != wantAttempts {
				t.Errorf("%d attempts, want %d", n, wantAttempts)
			}
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
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
}

// For 6006/6009 the server's Date header shows how far the local clock is
// off (reference §1.6: the usual cause is a wrong host clock).
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
	if !errors.As(err, &ae) || !errors.Is(err, energy.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if skew, ok := ae.ClockSkew(); !ok || skew != 10*time.Minute {
		t.Errorf("ClockSkew = %v, %v", skew, ok)
	}
	if !strings.Contains(err.Error(), "local clock is 10m0s off") {
		t.Errorf("message %q does not report the skew", err)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.LastPowerData(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := len(m.requests()); n != 0 {
		t.Fatalf("%d requests", n)
	}
}

func TestTimeoutWhilePacing(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	if _, err := c.LastPowerData(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	<-ctx.Done()
	if _, err := c.LastPowerData(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
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
			if !errors.As(err, &fe) || fe.Field != tt.field || c != nil {
				t.Fatalf("New = %v, %v; want a FieldError for %s", c, err, tt.field)
			}
		})
	}
}

func TestMissingSerialNumberFailsBeforeIO(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "getLastPowerData.json"))
	_, err := c.System("").LastPowerData(context.Background())
	var fe *energy.FieldError
	if !errors.As(err, &fe) || fe.Field != "sysSn" {
		t.Fatalf("err = %v, want a FieldError for sysSn", err)
	}
	if len(m.requests()) != 0 {
		t.Fatal("a request was sent")
	}
}

// The app secret (and every signature made with it) never shows in %v
// output, errors or logs.
func TestSecretNeverShown(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, m := newMock(t, alphaess.WithLogger(logger), alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getLastPowerData", body(502, "bad gateway"), fixture(t, "error_6053.json"), fixture(t, "error_6007.json"))
	_, err := c.LastPowerData(context.Background())
	if err == nil {
		t.Fatal("want an error")
	}
	var signs []string
	for _, r := range m.requests() {
		signs = append(signs, r.req.Header.Get("sign"))
	}
	out := []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", *c),
		err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs.String(),
	}
	for _, s := range out {
		if strings.Contains(s, testSecret) {
			t.Errorf("the secret shows in %q", s)
		}
		for _, sign := range signs {
			if strings.Contains(s, sign) {
				t.Errorf("a signature shows in %q", s)
			}
		}
	}
	if !strings.Contains(logs.String(), "slowing down") {
		t.Errorf("the 6053 slow-down was not logged: %s", logs.String())
	}
}
