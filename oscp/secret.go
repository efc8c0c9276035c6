package oscp

import (
	"fmt"
	"log/slog"

	"github.com/gridwire/gridwire/internal/rest"
)

// Secret holds a credential (an OSCP token, an OAuth client secret) so that
// it cannot leak through formatting: it prints as "[redacted]" with every
// fmt verb, in slog and in errors. Reveal returns the value itself.
type Secret struct{ s rest.Secret }

// NewSecret wraps v.
func NewSecret(v string) Secret { return Secret{rest.NewSecret(v)} }

// Reveal returns the secret itself, to store it or hand it to its owner.
func (s Secret) Reveal() string { return s.s.Reveal() }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.s.IsZero() }

// String implements fmt.Stringer.
func (s Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer.
func (s Secret) GoString() string { return `"[redacted]"` }

// Format implements fmt.Formatter, so that no verb prints the value.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("[redacted]")) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }
