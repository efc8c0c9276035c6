package alphaess_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// getVerificationCode is a GET with query parameters; bindSn a POST with
// code, not Code (the Postman collections get both wrong).
func TestBindingFlow(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getVerificationCode", fixture(t, "ok_null.json"))
	m.on(http.MethodPost, "bindSn", fixture(t, "ok_null.json"))
	m.on(http.MethodPost, "unBindSn", fixture(t, "ok_null.json"))
	ctx := context.Background()
	s := c.System("AL2002321010043")
	require.NoError(t, s.RequestVerificationCode(ctx, " QWE123 "))
	q := m.last(t).req.URL.Query()
	assert.Equal(t, "AL2002321010043", q.Get("sysSn"))
	assert.Equal(t, "QWE123", q.Get("checkCode"))
	require.NoError(t, s.Bind(ctx, "482913"))
	assert.Equal(t, map[string]any{"sysSn": "AL2002321010043", "code": "482913"}, m.last(t).json(t), "bindSn body")
	require.NoError(t, s.Unbind(ctx))
	assert.Equal(t, map[string]any{"sysSn": "AL2002321010043"}, m.last(t).json(t), "unBindSn body")
}

func TestBindingFailures(t *testing.T) {
	ctx := context.Background()
	c, m := newMock(t)
	m.on(http.MethodPost, "bindSn", envelopeCode(6003, "You have bound this SN"))
	assert.NoError(t, c.Bind(ctx, "482913"), "6003 (already bound) is success")
	for code, sentinel := range map[int]error{6046: energy.ErrInvalid, 6038: energy.ErrInvalid} {
		c, m = newMock(t)
		m.on(http.MethodPost, "bindSn", envelopeCode(code, ""))
		assert.ErrorIs(t, c.Bind(ctx, "000000"), sentinel, "bind %d", code)
	}
	c, m = newMock(t)
	m.on(http.MethodGet, "getVerificationCode", envelopeCode(6002, ""))
	var ae *alphaess.APIError
	if assert.ErrorAs(t, c.RequestVerificationCode(ctx, "QWE123"), &ae, "6002") {
		assert.Equal(t, alphaess.CodeSNNotBoundToUser, ae.Code)
	}
	for name, call := range map[string]func() error{
		"empty check code": func() error { return c.RequestVerificationCode(ctx, "") },
		"empty code":       func() error { return c.Bind(ctx, " ") },
		"no system":        func() error { return c.System("").Unbind(ctx) },
	} {
		var fe *energy.FieldError
		assert.ErrorAs(t, call(), &fe, name)
	}
	assert.Len(t, m.requests(), 1)
}

// getVerificationCode e-mails the system's owner: a 502 must not make the
// client send it again, though it is a GET.
func TestVerificationCodeNeverRepeated(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getVerificationCode", body(http.StatusBadGateway, "<html>Bad Gateway</html>"), fixture(t, "ok_null.json"))
	err := c.RequestVerificationCode(context.Background(), "QWE123")
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.Len(t, m.requests(), 1, "getVerificationCode must be sent once")
}
