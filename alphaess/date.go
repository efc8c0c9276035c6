package alphaess

import (
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// Date is a civil date, a day on the calendar of a system's time zone, as in
// queryDate and theDate. AlphaESS counts days in the system's local time:
// asking with the UTC date returns the wrong day around midnight, so dates
// are never derived from UTC by accident here; use DateOf with a time in
// the system's zone, or Client.Today.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "yyyy-MM-dd".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("alphaess: date %q is not yyyy-MM-dd", s)
	}
	return DateOf(t), nil
}

// String returns the date as "yyyy-MM-dd".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real day of the Gregorian calendar in years
// 1..9999.
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && DateOf(d.In(time.UTC)) == d
}

// In returns the first instant of d in loc (midnight, or the first instant
// after a daylight-saving gap at midnight).
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp(int(d.Month), int(e.Month))
	}
	return cmp(d.Day, e.Day)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TimeOfDay is a wall-clock time in a system's zone, "HH:mm" on the wire.
// The charge and discharge windows take times on the 15-minute grid only
// (00:00 … 23:45); off-grid values are accepted by the API and then ignored
// by the device, so the client rejects them before sending.
type TimeOfDay struct {
	Hour, Minute int
}

// Grid is the step of every schedule time AlphaESS accepts.
const Grid = 15 * time.Minute

// At returns the TimeOfDay h:m.
func At(h, m int) TimeOfDay { return TimeOfDay{h, m} }

// TimeOfDayOf returns the wall-clock time of t in t's location, dropping
// seconds.
func TimeOfDayOf(t time.Time) TimeOfDay { return TimeOfDay{t.Hour(), t.Minute()} }

// ParseTimeOfDay parses "HH:mm" (also "H:mm", and "HH:mm:00" as some answers
// carry seconds).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	var t TimeOfDay
	bad := fmt.Errorf("alphaess: time of day %q is not HH:mm", s)
	rest := s
	if len(s) == 8 {
		if s[5:] != ":00" {
			return t, bad
		}
		rest = s[:5]
	}
	switch len(rest) {
	case 4:
		rest = "0" + rest
	case 5:
	default:
		return t, bad
	}
	if rest[2] != ':' || !digits(rest[:2]) || !digits(rest[3:]) {
		return t, bad
	}
	t = TimeOfDay{int(rest[0]-'0')*10 + int(rest[1]-'0'), int(rest[3]-'0')*10 + int(rest[4]-'0')}
	if !t.Valid() {
		return TimeOfDay{}, bad
	}
	return t, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String returns "HH:mm".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// Valid reports whether t is a time from 00:00 to 23:59.
func (t TimeOfDay) Valid() bool { return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60 }

// OnGrid reports whether t is valid and on the 15-minute grid.
func (t TimeOfDay) OnGrid() bool { return t.Valid() && t.Minute%15 == 0 }

// Minutes returns the minutes since midnight.
func (t TimeOfDay) Minutes() int { return t.Hour*60 + t.Minute }

// On returns the instant t on day d in loc.
func (t TimeOfDay) On(d Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, t.Hour, t.Minute, 0, 0, loc)
}

// MarshalText implements encoding.TextMarshaler.
func (t TimeOfDay) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("alphaess: time of day %d:%d out of range", t.Hour, t.Minute)
	}
	return []byte(t.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	v, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// validate returns a *energy.FieldError naming field if t is not a valid
// time on the 15-minute grid.
func (t TimeOfDay) validate(field string) error {
	switch {
	case !t.Valid():
		return energy.Invalid(field, "%02d:%02d is not a time of day (00:00 … 23:59)", t.Hour, t.Minute)
	case !t.OnGrid():
		return energy.Invalid(field, "%s is not on the 15-minute grid (AlphaESS accepts :00, :15, :30 and :45 only)", t)
	}
	return nil
}

// Period is a daily window from Start to End. End before Start wraps past
// midnight (22:00–06:00); Start equal to End means the window is off, which
// AlphaESS writes as 00:00–00:00.
type Period struct {
	Start, End TimeOfDay
}

// Off reports whether p is switched off (Start == End).
func (p Period) Off() bool { return p.Start == p.End }

// Duration returns how long p lasts, 0 when off.
func (p Period) Duration() time.Duration {
	d := p.End.Minutes() - p.Start.Minutes()
	if d < 0 {
		d += 24 * 60
	}
	return time.Duration(d) * time.Minute
}

// Contains reports whether the wall-clock time t lies in [Start, End).
func (p Period) Contains(t TimeOfDay) bool {
	s, e, m := p.Start.Minutes(), p.End.Minutes(), t.Minutes()
	switch {
	case s == e:
		return false
	case s < e:
		return m >= s && m < e
	}
	return m >= s || m < e
}

// String returns "HH:mm–HH:mm".
func (p Period) String() string { return p.Start.String() + "–" + p.End.String() }
