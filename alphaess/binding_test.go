package alphaess_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/energy"
)

// getVerificationCode is a GET with query parameters; bindSn a POST with
// code, not Code (reference §1.3: the Postman collections get both wrong).
func TestBindingFlow(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getVerificationCode", fixture(t, "ok_null.json"))
	m.on(http.MethodPost, "bindSn", fixture(t, "ok_null.json"))
	m.on(http.MethodPost, "unBindSn", fixture(t, "ok_null.json"))
	ctx := context.Background()
	s := c.System("AL2002321010043")
	if err := s.RequestVerificationCode(ctx, " QWE123 "); err != nil {
		t.Fatal(err)
	}
	if q := m.last(t).req.URL.Query(); q.Get("sysSn") != "AL2002321010043" || q.Get("checkCode") != "QWE123" {
		t.Errorf("query = %v", q)
	}
	if err := s.Bind(ctx, "482913"); err != nil {
		t.Fatal(err)
	}
	if got := m.last(t).json(t); !reflect.DeepEqual(got, map[string]any{"sysSn": "AL2002321010043", "code": "482913"}) {
		t.Errorf("bindSn body = %v", got)
	}
	if err := s.Unbind(ctx); err != nil {
		t.Fatal(err)
	}
	if got := m.last(t).json(t); !reflect.DeepEqual(got, map[string]any{"sysSn": "AL2002321010043"}) {
		t.Errorf("unBindSn body = %v", got)
	}
}

func TestBindingFailures(t *testing.T) {
	ctx := context.Background()
	c, m := newMock(t)
	m.on(http.MethodPost, "bindSn", envelopeCode(6003, "You have bound this SN"))
	if err := c.Bind(ctx, "482913"); err != nil {
		t.Errorf("6003 (already bound) = %v, want success", err)
	}
	for code, sentinel := range map[int]error{6046: energy.ErrInvalid, 6038: energy.ErrInvalid} {
		c, m = newMock(t)
		m.on(http.MethodPost, "bindSn", envelopeCode(code, ""))
		if err := c.Bind(ctx, "000000"); !errors.Is(err, sentinel) {
			t.Errorf("bind %d: %v", code, err)
		}
	}
	c, m = newMock(t)
	m.on(http.MethodGet, "getVerificationCode", envelopeCode(6002, ""))
	var ae *alphaess.APIError
	if err := c.RequestVerificationCode(ctx, "QWE123"); !errors.As(err, &ae) || ae.Code != alphaess.CodeSNNotBoundToUser {
		t.Errorf("6002: %v", err)
	}
	for name, call := range map[string]func() error{
		"empty check code": func() error { return c.RequestVerificationCode(ctx, "") },
		"empty code":       func() error { return c.Bind(ctx, " ") },
		"no system":        func() error { return c.System("").Unbind(ctx) },
	} {
		var fe *energy.FieldError
		if err := call(); !errors.As(err, &fe) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := len(m.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// getVerificationCode e-mails the system's owner: a 502 must not make the
// client send it again, though it is a GET.
func TestVerificationCodeNeverRepeated(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getVerificationCode", body(http.StatusBadGateway, "<html>Bad Gateway</html>"), fixture(t, "ok_null.json"))
	err := c.RequestVerificationCode(context.Background(), "QWE123")
	if !errors.Is(err, energy.ErrUnavailable) {
		t.Errorf("err = %v, want ErrUnavailable", err)
	}
	if n := len(m.requests()); n != 1 {
		t.Errorf("getVerificationCode sent %d times, want 1", n)
	}
	var de *alphaess.DecodeError
	_ = errors.As(err, &de) // the alias is nameable outside the module
}
