package volue_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/volue"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 12, 3, 0, 30, 0, 0, time.UTC)

const (
	clientID     = "partner-client"
	clientSecret = "s3cr3t-client-value-do-not-leak"
	base         = volue.SandboxBaseURL
	tokenURL     = volue.DefaultTokenURL
	accessToken  = "eyJhbGciOiJSUzI1NiIsImtpZCI6IkE4QjQ2RjA1In0.c2FuZGJveA.c2lnbmF0dXJl"
)

// newMock returns a client on an httpmock transport with a fake clock at
// t0, the token endpoint answering token.json.
func newMock(t *testing.T, opts ...volue.Option) (*volue.Client, *httpmock.MockTransport, *clock.Fake) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	fc := clock.NewFake(t0)
	mt.RegisterResponder(http.MethodPost, tokenURL, respond(t, 200, "token.json"))
	all := append([]volue.Option{volue.WithHTTPClient(&http.Client{Transport: mt}), volue.WithClock(fc),
		volue.WithBaseURL(base), volue.WithRetryBackoff(time.Millisecond)}, opts...)
	c, err := volue.New(clientID, clientSecret, all...)
	require.NoError(t, err)
	return c, mt, fc
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func respond(t testing.TB, status int, file string) httpmock.Responder {
	t.Helper()
	body := fixture(t, file)
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(status, body)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	}
}

// capture answers with the fixture and records the request's body and
// Authorization header.
type capture struct {
	body []byte
	auth string
}

func (c *capture) responder(t testing.TB, status int, file string) httpmock.Responder {
	next := httpmock.NewStringResponder(status, "")
	if file != "" {
		next = respond(t, status, file)
	}
	return func(r *http.Request) (*http.Response, error) {
		c.auth = r.Header.Get("Authorization")
		if r.Body != nil {
			c.body, _ = io.ReadAll(r.Body)
		}
		return next(r)
	}
}

// jsonEq checks that got is the JSON want.
func jsonEq(t *testing.T, want string, got []byte) {
	t.Helper()
	require.True(t, json.Valid(got), "not JSON: %s", got)
	require.JSONEq(t, want, string(got))
}

// wantField checks that err is a *energy.FieldError naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var fe *energy.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, field, fe.Field, "%v", err)
	require.ErrorIs(t, err, energy.ErrInvalid)
}

func isErr[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}
