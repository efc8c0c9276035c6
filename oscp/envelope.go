package oscp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// envelope is SolarNetwork's Result: {success, code, message, errors, data}.
type envelope struct {
	Success *bool             `json:"success"`
	Code    flexString        `json:"code"`
	Message string            `json:"message"`
	Errors  []ValidationError `json:"errors"`
	Data    json.RawMessage   `json:"data"`
}

// flexString decodes a JSON string or number as a string: SolarNetwork
// sends codes such as "VAL.00004" and also bare HTTP statuses.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*f = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("code: %w", err)
	}
	*f = flexString(n.String())
	return nil
}

// decodeEnvelope parses body as an envelope; ok is false when it is not
// one.
func decodeEnvelope(body []byte) (envelope, bool) {
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil || e.Success == nil {
		return e, false
	}
	return e, true
}

// stringify returns a JSON value as a string: a string's content, any other
// value's JSON text (SolarNetwork converts service property values so).
func stringify(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if u, err := strconv.Unquote(string(raw)); err == nil {
		return u
	}
	return string(bytes.TrimSpace(raw))
}
