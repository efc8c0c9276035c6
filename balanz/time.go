package balanz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// LocalLayout is how balanz writes times in its server's local time zone.
const LocalLayout = "2006-01-02 15:04:05"

// Time is a time as balanz sends it: either epoch seconds (a float, such as
// a transaction's start_time) or a "YYYY-MM-DD HH:MM:SS" wall-clock string
// in the server's local time (such as a log entry's timestamp). The client
// reads wall-clock strings in the location set by WithLocation. JSON null
// leaves the zero Time.
type Time struct {
	time.Time
	// Local is true when balanz sent a wall-clock string rather than an
	// instant.
	Local bool
}

// UnmarshalJSON implements json.Unmarshaler. A wall-clock string is read
// as UTC until the client places it in its location.
func (t *Time) UnmarshalJSON(b []byte) error {
	s, isString, empty, err := scalar(b)
	switch {
	case err != nil:
		return err
	case empty:
		*t = Time{}
		return nil
	case isString:
		v, err := time.Parse(LocalLayout, s)
		if err != nil {
			return fmt.Errorf("balanz: time %q: %w", s, err)
		}
		*t = Time{Time: v, Local: true}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("balanz: time %s is neither epoch seconds nor a local time string", b)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e12 {
		return fmt.Errorf("balanz: epoch time %s out of range", b)
	}
	sec, frac := math.Modf(f)
	*t = Time{Time: time.Unix(int64(sec), int64(frac*1e9)).UTC()}
	return nil
}

// MarshalJSON implements json.Marshaler, in the form the time came in.
func (t Time) MarshalJSON() ([]byte, error) {
	switch {
	case t.IsZero():
		return []byte("null"), nil
	case t.Local:
		return json.Marshal(t.Format(LocalLayout))
	}
	return strconv.AppendFloat(nil, float64(t.UnixNano())/1e9, 'f', -1, 64), nil
}

// in places a wall-clock time in loc; instants are left alone.
func (t *Time) in(loc *time.Location) {
	if t == nil || !t.Local || t.IsZero() {
		return
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	t.Time = time.Date(y, mo, d, h, mi, s, 0, loc)
}

// Number is a number balanz may send as an integer, a float or a numeric
// string (a session's kwh is "1.500"). null leaves 0.
type Number float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Number) UnmarshalJSON(b []byte) error {
	s, isString, empty, err := scalar(b)
	switch {
	case err != nil:
		return err
	case empty:
		*n = 0
		return nil
	case isString:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("balanz: %q is not a number", s)
		}
		*n = Number(f)
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("balanz: %s is not a number", b)
	}
	*n = Number(f)
	return nil
}

// scalar reads a JSON value that may be a string: its text, whether it is
// a string, and whether it is null or "" (the zero value either way).
func scalar(b []byte) (s string, isString, empty bool, err error) {
	switch {
	case bytes.Equal(b, []byte("null")):
		return "", false, true, nil
	case len(b) > 0 && b[0] == '"':
		err = json.Unmarshal(b, &s)
		return s, true, s == "", err
	}
	return "", false, false, nil
}

// localizer is a decoded answer holding wall-clock times to place.
type localizer interface{ localize(loc *time.Location) }
