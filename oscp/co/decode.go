package co

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
