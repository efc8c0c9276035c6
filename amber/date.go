package amber

import (
	"cmp"
	"fmt"
	"time"
)

// NEM is the time zone of Australia's National Electricity Market: AEST,
// UTC+10 all year round (the market never observes daylight saving). Amber's
// nemTime fields and the date fields and query parameters are in this zone.
// It is a fixed zone, so it does not depend on a time zone database being
// installed.
var NEM = time.FixedZone("AEST", 10*60*60)

// Date is a civil date (year, month, day) without a time or a zone. Amber's
// dates are NEM dates: the day, in NEM time, that an interval belongs to.
// The zero Date means "not set".
type Date struct {
	Year  int        // such as 2026
	Month time.Month // January is 1
	Day   int        // day of the month, from 1
}

// DateOf returns the NEM date that the instant t falls on.
func DateOf(t time.Time) Date {
	y, m, d := t.In(NEM).Date()
	return Date{y, m, d}
}

// NewDate returns the Date for year, month and day, normalised as time.Date
// normalises (so January 32 is February 1).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, NEM))
}

// ParseDate parses an ISO 8601 calendar date, "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, NEM)
	if err != nil {
		return Date{}, fmt.Errorf("amber: parsing date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Start returns the instant d begins: midnight NEM time.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, NEM) }

// AddDays returns d plus n days (n may be negative).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	return cmp.Or(cmp.Compare(d.Year, e.Year), cmp.Compare(d.Month, e.Month), cmp.Compare(d.Day, e.Day))
}

// DaysUntil returns the number of days from d to e (negative when e is
// before d).
func (d Date) DaysUntil(e Date) int {
	// Both are midnights in a fixed zone, so every day is exactly 24 hours.
	return int(e.Start().Sub(d.Start()) / (24 * time.Hour))
}

// String formats d as "2006-01-02", the form the API uses.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	// Fast path for the API's "2006-01-02", without allocating; it
	// accepts only real calendar dates.
	if len(b) == 10 && b[4] == '-' && b[7] == '-' {
		y, ok1 := atoi(b[:4])
		m, ok2 := atoi(b[5:7])
		day, ok3 := atoi(b[8:])
		if v := NewDate(y, time.Month(m), day); ok1 && ok2 && ok3 && v == (Date{y, time.Month(m), day}) {
			*d = v
			return nil
		}
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// dateSpan is an inclusive range of NEM dates, one request's worth.
type dateSpan struct{ start, end Date }

// MaxDays is the longest date range, in days counted inclusively, that one
// request to a date-range endpoint asks for. Amber rejects ranges whose
// start and end are more than 7 days apart with 422; Prices and Usage split
// longer ranges into requests of at most MaxDays days and merge the answers.
const MaxDays = 7

// splitDates splits the inclusive range [start, end] into consecutive spans
// of at most MaxDays days each.
func splitDates(start, end Date) []dateSpan {
	var spans []dateSpan
	for s := start; !s.After(end); s = s.AddDays(MaxDays) {
		e := s.AddDays(MaxDays - 1)
		if e.After(end) {
			e = end
		}
		spans = append(spans, dateSpan{s, e})
	}
	return spans
}
