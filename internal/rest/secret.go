package rest

import (
	"fmt"
	"log/slog"
)

// Secret holds a credential so that it cannot leak through formatting. It
// prints as "[redacted]" with every fmt verb and in slog. Inside another
// struct (where fmt cannot call its methods, in an unexported field) it
// prints as a pointer address, because the value lives behind one.
type Secret struct{ p *string }

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{p: &s} }

// Reveal returns the secret itself, for signing and headers.
func (s Secret) Reveal() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// String implements fmt.Stringer.
func (s Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer.
func (s Secret) GoString() string { return `"[redacted]"` }

// Format implements fmt.Formatter, so that %x or %q do not leak it either.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("[redacted]")) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }
