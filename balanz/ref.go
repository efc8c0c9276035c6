package balanz

import (
	"context"
	"encoding/json"

	"github.com/gridwire/gridwire/energy"
)

// ChargerRef names a charger by its id or by its alias; balanz resolves an
// alias when exactly one charger has it.
type ChargerRef struct {
	// ID is the charger id (its OCPP identity); it wins when both are set.
	ID string `json:"charger_id,omitempty"`
	// Alias is the charger's alias.
	Alias string `json:"alias,omitempty"`
}

// ByID names a charger by its id.
func ByID(id string) ChargerRef { return ChargerRef{ID: id} }

// ByAlias names a charger by its alias.
func ByAlias(alias string) ChargerRef { return ChargerRef{Alias: alias} }

// String returns the id, or the alias.
func (r ChargerRef) String() string {
	if r.ID != "" {
		return r.ID
	}
	return r.Alias
}

func (r ChargerRef) check() error {
	if r.ID == "" && r.Alias == "" {
		return energy.Invalid("charger", "neither an id nor an alias")
	}
	return nil
}

// accepted is the success payload of commands that only say yes:
// {"status": "Accepted"}, or (read as the same) the bare string or null.
type accepted struct {
	Status string `json:"status"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (a *accepted) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &a.Status)
	}
	type plain accepted
	return json.Unmarshal(b, (*plain)(a))
}

// callAccepted sends a command that answers {"status": "Accepted"}; any
// other status in a success frame is reported as an *Error too.
func (c *Client) callAccepted(ctx context.Context, action string, payload any) error {
	var out accepted
	if err := c.Call(ctx, action, payload, &out); err != nil {
		return err
	}
	if out.Status != "" && out.Status != "Accepted" {
		return &Error{Command: action, Status: Status(out.Status)}
	}
	return nil
}

// callInto sends a command and decodes its answer, placing wall-clock
// times in the client's location.
func (c *Client) callInto(ctx context.Context, action string, payload any, out any) error {
	if err := c.Call(ctx, action, payload, out); err != nil {
		return err
	}
	if l, ok := out.(localizer); ok {
		l.localize(c.o.loc)
	}
	return nil
}

// callList sends a command that answers a list and decodes it, placing
// the wall-clock times of each element in the client's location.
func callList[T any](ctx context.Context, c *Client, action string, payload any) ([]T, error) {
	var out []T
	if err := c.Call(ctx, action, payload, &out); err != nil {
		return nil, err
	}
	for i := range out {
		if l, ok := any(&out[i]).(localizer); ok {
			l.localize(c.o.loc)
		}
	}
	return out, nil
}
