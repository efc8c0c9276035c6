package co

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gridwire/gridwire/energy"
)

// strict decodes exactly one JSON value from b into v, refusing unknown
// fields and trailing data.
func strict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

// Decode decodes an OSCP message strictly into m and validates it:
// unknown fields, trailing data, missing required fields, unknown enum
// values, empty required arrays, negative capacities and blocks that end
// before they start are errors.
func Decode(b []byte, m Message) error {
	if err := strict(b, m); err != nil {
		return err
	}
	return m.Validate()
}

// requireKeys reports the first of keys missing from the JSON object b, for
// required numbers whose zero value is valid.
func requireKeys(b []byte, keys ...string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return energy.Invalid(k, "required")
		}
	}
	return nil
}

// UnmarshalJSON implements json.Unmarshaler, strictly: value must be
// present (0 is a reading; missing is an error).
func (e *EnergyMeasurement) UnmarshalJSON(b []byte) error {
	type plain EnergyMeasurement
	if err := requireKeys(b, "value"); err != nil {
		return err
	}
	return strict(b, (*plain)(e))
}

// UnmarshalJSON implements json.Unmarshaler, strictly: value must be
// present.
func (m *InstantaneousMeasurement) UnmarshalJSON(b []byte) error {
	type plain InstantaneousMeasurement
	if err := requireKeys(b, "value"); err != nil {
		return err
	}
	return strict(b, (*plain)(m))
}
