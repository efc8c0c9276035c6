package rest_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

func TestOptionsValidate(t *testing.T) {
	ok := rest.DefaultOptions("https://api.example.com/v1")
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tt := range []struct {
		name  string
		mut   func(*rest.Options)
		field string
	}{
		{"nil logger", func(o *rest.Options) { o.Logger = nil }, "WithLogger"},
		{"nil clock", func(o *rest.Options) { o.Clock = nil }, "WithClock"},
		{"negative retries", func(o *rest.Options) { o.Retries = -1 }, "WithRetries"},
		{"negative timeout", func(o *rest.Options) { o.Timeout = -time.Second }, "WithTimeout"},
		{"user agent newline", func(o *rest.Options) { o.UserAgent = "a\r\nX-Evil: 1" }, "WithUserAgent"},
		{"relative URL", func(o *rest.Options) { o.BaseURL = "/v1" }, "WithBaseURL"},
		{"ftp URL", func(o *rest.Options) { o.BaseURL = "ftp://host/v1" }, "WithBaseURL"},
		{"no host", func(o *rest.Options) { o.BaseURL = "https:///v1" }, "WithBaseURL"},
		{"query", func(o *rest.Options) { o.BaseURL = "https://h/v1?x=1" }, "WithBaseURL"},
		{"empty", func(o *rest.Options) { o.BaseURL = "" }, "WithBaseURL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.mut(&o)
			err := o.Validate()
			var fe *energy.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, energy.ErrInvalid) {
				t.Fatalf("err = %v, want a FieldError for %s", err, tt.field)
			}
		})
	}
}

func TestOptionsConfig(t *testing.T) {
	o := rest.DefaultOptions("https://api.example.com/v1/")
	o.UserAgent = "myapp/1.0"
	o.Retries = 0
	cfg := o.Config("test")
	if cfg.BaseURL != "https://api.example.com/v1" {
		t.Errorf("BaseURL %q", cfg.BaseURL)
	}
	if !strings.HasPrefix(cfg.UserAgent, "myapp/1.0 gridwire/") {
		t.Errorf("UserAgent %q", cfg.UserAgent)
	}
	if cfg.Retries != 0 || cfg.HTTPClient == nil || cfg.HTTPClient.Timeout != rest.DefaultTimeout {
		t.Errorf("cfg %+v", cfg)
	}
	hc := &http.Client{}
	o.HTTPClient = hc
	if o.Config("test").HTTPClient != hc {
		t.Error("HTTPClient not kept")
	}
}
