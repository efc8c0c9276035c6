package rest

import (
	"fmt"
	"log/slog"
)

// Secret holds a credential. It prints as "[redacted]" with every fmt verb
// and in slog, so a client struct that holds one can be logged safely.
type Secret string

// Reveal returns the secret itself, for signing and headers.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer.
func (s Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer.
func (s Secret) GoString() string { return `"[redacted]"` }

// Format implements fmt.Formatter, so that %x or %q do not leak it either.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("[redacted]")) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }
