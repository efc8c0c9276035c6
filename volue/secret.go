package volue

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// Secret is a webhook secret. It prints as "[redacted]" with every fmt verb
// and in slog, so a request or a Webhook logged with %+v cannot leak it; only
// its JSON encoding (what is sent to the API) carries the value.
type Secret string

// String implements fmt.Stringer.
func (Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer.
func (Secret) GoString() string { return `"[redacted]"` }

// Format implements fmt.Formatter, so that %x or %q do not leak it either.
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("[redacted]")) }

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// MarshalJSON sends the secret itself: the API needs it to sign deliveries.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(string(s)) }
