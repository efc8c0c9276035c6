package volue

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// Secret is a webhook secret. It prints as "[redacted]" with every fmt
// verb, in slog and in JSON, so a NewWebhook logged with %+v or by a JSON
// log handler cannot leak it; only the request CreateWebhook sends carries
// the value.
type Secret string

// String implements fmt.Stringer.
func (Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer.
func (Secret) GoString() string { return `"[redacted]"` }

// Format implements fmt.Formatter, so that %x or %q do not leak it either.
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("[redacted]")) }

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// MarshalJSON writes "[redacted]" too: slog's JSON handler encodes a
// struct holding a Secret with encoding/json, where LogValue does not
// reach. CreateWebhook sends the value itself.
func (Secret) MarshalJSON() ([]byte, error) { return json.Marshal("[redacted]") }
