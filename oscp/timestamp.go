package oscp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Timestamp is a SolarNetwork timestamp: "2022-09-08 22:54:31.746647Z" in
// UTC, with 0 to 6 fraction digits (as many as the value needs). Decoding
// also accepts RFC 3339 ("2022-09-08T22:54:31Z") and null (the zero
// Timestamp); a zero Timestamp encodes as null.
type Timestamp struct{ time.Time }

// TimestampLayout is SolarNetwork's timestamp format, for time.Format.
const TimestampLayout = "2006-01-02 15:04:05.999999Z"

// String returns t in SolarNetwork's format.
func (t Timestamp) String() string { return t.UTC().Format(TimestampLayout) }

// MarshalJSON implements json.Marshaler.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.String())
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("oscp: timestamp: %w", err)
	}
	v, err := ParseTimestamp(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// ParseTimestamp parses a SolarNetwork timestamp (0–6 fraction digits) or
// an RFC 3339 one.
func ParseTimestamp(s string) (time.Time, error) {
	layout := "2006-01-02 15:04:05Z07:00"
	if strings.Contains(s, "T") {
		layout = time.RFC3339
	}
	v, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("oscp: timestamp %q: want \"2006-01-02 15:04:05.999999Z\" or RFC 3339", s)
	}
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		n := 0
		for _, c := range s[dot+1:] {
			if c < '0' || c > '9' {
				break
			}
			n++
		}
		if n > 6 && layout != time.RFC3339 {
			return time.Time{}, fmt.Errorf("oscp: timestamp %q: more than 6 fraction digits", s)
		}
	}
	return v.UTC(), nil
}
