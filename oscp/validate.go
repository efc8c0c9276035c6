package oscp

import (
	"net/url"
	"unicode/utf8"

	"github.com/gridwire/gridwire/energy"
)

// SolarNetwork's limits on input fields.
const (
	MaxNameLength       = 64
	MaxIdentifierLength = 128
	MaxSourceIDLength   = 64
)

// text checks a required string field with a maximum length (0 = none).
func text(field, v string, maxLen int) error {
	if v == "" {
		return energy.Invalid(field, "required")
	}
	if n := utf8.RuneCountInString(v); maxLen > 0 && n > maxLen {
		return energy.Invalid(field, "%d characters, at most %d allowed", n, maxLen)
	}
	return nil
}

func positive(field string, v int64) error {
	if v <= 0 {
		return energy.Invalid(field, "required (a positive id)")
	}
	return nil
}

// enum checks a required enumeration field.
func enum[T interface {
	~string
	Known() bool
}](field string, v T) error {
	switch {
	case v == "":
		return energy.Invalid(field, "required")
	case !v.Known():
		return energy.Invalid(field, "%q is not a known value", string(v))
	}
	return nil
}

func absoluteURL(field, v string) error {
	if v == "" {
		return energy.Invalid(field, "required")
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return energy.Invalid(field, "%q is not an absolute http(s) URL", v)
	}
	return nil
}
