package oadr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Nominal lengths for the calendar components of an ISO 8601 duration, which
// have no fixed length. 2.0b peers use days, hours, minutes and seconds; the
// Alliance samples write "P5M" where they mean five minutes, which only a
// nominal month can accept.
const (
	nominalDay   = 24 * time.Hour
	nominalWeek  = 7 * nominalDay
	nominalMonth = 30 * nominalDay
	nominalYear  = 365 * nominalDay
)

// ParseDuration parses an xcal duration (ISO 8601, the 2.0b DurationValueType):
// "PT1H", "PT15M", "PT0S", "P1D", "P1DT2H30M", "-PT5M", "P2W". Seconds may carry a
// fraction ("PT0.5S"). Years and months have no fixed length and are read as 365
// and 30 days. It returns an error wrapping ErrInvalidValue that quotes the input
// and says what is wrong.
func ParseDuration(s string) (time.Duration, error) {
	if d, ok := parseDurationTime(s); ok {
		return d, nil
	}
	return parseDuration(s)
}

// parseDurationTime reads the form report durations have, a single time
// component of up to six digits ("PT1M", "PT15M", "PT0S", "PT1H"), giving
// what parseDuration gives; it returns false for any other text.
func parseDurationTime[S ~string | ~[]byte](s S) (time.Duration, bool) {
	if len(s) < len("PT0S") || len(s) > len("PT999999S") || s[0] != 'P' || s[1] != 'T' {
		return 0, false
	}
	n := digits(s[2 : len(s)-1])
	if n < 0 {
		return 0, false
	}
	switch s[len(s)-1] {
	case 'H':
		return time.Duration(n) * time.Hour, true
	case 'M':
		return time.Duration(n) * time.Minute, true
	case 'S':
		return time.Duration(n) * time.Second, true
	}
	return 0, false
}

// parseDuration is ParseDuration for any text.
func parseDuration(s string) (time.Duration, error) {
	// Errors quote copies (strings.Clone), so that s does not escape and
	// the decoder can pass a []byte converted to string without copying it.
	bad := func(why string) (time.Duration, error) {
		return 0, fmt.Errorf("%w: duration %q: %s", ErrInvalidValue, strings.Clone(s), why)
	}
	in := s
	neg := false
	switch {
	case strings.HasPrefix(in, "-"):
		neg, in = true, in[1:]
	case strings.HasPrefix(in, "+"):
		in = in[1:]
	}
	if !strings.HasPrefix(in, "P") {
		// The schema's pattern also admits a bare week count such as "2W".
		if strings.HasSuffix(in, "W") && len(in) > 1 {
			in = "P" + in
		} else {
			return bad(`must start with "P" (e.g. PT1H)`)
		}
	}
	in = in[1:]
	if in == "" || in == "T" {
		return bad("has no components")
	}
	// The magnitude is summed unsigned so that -P…S can reach math.MinInt64.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var total uint64
	inTime := false
	lastRank := -1
	for in != "" {
		if in[0] == 'T' {
			if inTime {
				return bad(`"T" appears twice`)
			}
			inTime = true
			in = in[1:]
			if in == "" {
				return bad(`no component after "T"`)
			}
			continue
		}
		i := 0
		for i < len(in) && (in[i] >= '0' && in[i] <= '9' || in[i] == '.') {
			i++
		}
		if i == 0 {
			return bad(fmt.Sprintf("expected a number at %q", strings.Clone(in)))
		}
		if i == len(in) {
			return bad(fmt.Sprintf("number %q has no unit designator", strings.Clone(in)))
		}
		num, unit := in[:i], in[i]
		in = in[i+1:]

		var size uint64
		rank := -1
		switch {
		case !inTime && unit == 'Y':
			size, rank = uint64(nominalYear), 0
		case !inTime && unit == 'M':
			size, rank = uint64(nominalMonth), 1
		case !inTime && unit == 'W':
			size, rank = uint64(nominalWeek), 2
		case !inTime && unit == 'D':
			size, rank = uint64(nominalDay), 3
		case inTime && unit == 'H':
			size, rank = uint64(time.Hour), 4
		case inTime && unit == 'M':
			size, rank = uint64(time.Minute), 5
		case inTime && unit == 'S':
			size, rank = uint64(time.Second), 6
		case !inTime && (unit == 'H' || unit == 'S'):
			return bad(fmt.Sprintf(`%q needs a "T" before it (e.g. PT1H)`, string(unit)))
		default:
			return bad(fmt.Sprintf("unknown unit %q", string(unit)))
		}
		if rank <= lastRank {
			return bad("components out of order (expected Y M W D T H M S)")
		}
		lastRank = rank

		whole, frac, hasFrac := strings.Cut(num, ".")
		if hasFrac && unit != 'S' {
			return bad("only seconds may have a fraction")
		}
		if whole == "" || strings.Contains(frac, ".") || hasFrac && frac == "" {
			return bad(fmt.Sprintf("bad number %q", strings.Clone(num)))
		}
		n, err := strconv.ParseUint(whole, 10, 64)
		if err != nil || n > limit/size {
			return bad("too long for time.Duration")
		}
		part := n * size
		if hasFrac {
			// Nanoseconds from the first nine fraction digits; the rest is
			// below time.Duration's resolution.
			var ns uint64
			for k := 0; k < 9; k++ {
				ns *= 10
				if k < len(frac) {
					ns += uint64(frac[k] - '0')
				}
			}
			part += ns
		}
		if part > limit-total {
			return bad("too long for time.Duration")
		}
		total += part
	}
	if neg {
		return time.Duration(-total), nil // total <= 2^63; 2^63 wraps to math.MinInt64
	}
	return time.Duration(total), nil
}

// FormatDuration writes d as an xcal duration: days, hours, minutes and seconds,
// "PT0S" for zero, a leading "-" when negative, fractional seconds only when d
// has them (the 2.0b schema's pattern admits whole seconds only, so keep
// durations on whole seconds for valid output). ParseDuration reads it back.
func FormatDuration(d time.Duration) string {
	return string(AppendDuration(make([]byte, 0, 16), d))
}

// AppendDuration appends FormatDuration(d) to b.
func AppendDuration(b []byte, d time.Duration) []byte {
	if d == 0 {
		return append(b, "PT0S"...)
	}
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = uint64(-d) // also right for math.MinInt64
	}
	b = append(b, 'P')
	days := u / uint64(nominalDay)
	u -= days * uint64(nominalDay)
	if days > 0 {
		b = strconv.AppendUint(b, days, 10)
		b = append(b, 'D')
	}
	if u == 0 {
		return b
	}
	b = append(b, 'T')
	if h := u / uint64(time.Hour); h > 0 {
		b = strconv.AppendUint(b, h, 10)
		b = append(b, 'H')
		u -= h * uint64(time.Hour)
	}
	if m := u / uint64(time.Minute); m > 0 {
		b = strconv.AppendUint(b, m, 10)
		b = append(b, 'M')
		u -= m * uint64(time.Minute)
	}
	if u > 0 {
		sec, frac := u/uint64(time.Second), u%uint64(time.Second)
		b = strconv.AppendUint(b, sec, 10)
		if frac > 0 {
			f := strconv.AppendUint(nil, frac+uint64(time.Second), 10)[1:] // 9 digits, zero-padded
			for len(f) > 0 && f[len(f)-1] == '0' {
				f = f[:len(f)-1]
			}
			b = append(b, '.')
			b = append(b, f...)
		}
		b = append(b, 'S')
	}
	return b
}

// ParseDateTime parses an xcal date-time (xs:dateTime as 2.0b restricts it):
// "2025-06-01T13:00:00Z", with optional fractional seconds. Peers also send a
// numeric offset ("+02:00"), which is honoured, or no zone at all, which is read
// as UTC. The result is always in UTC.
func ParseDateTime(s string) (time.Time, error) {
	if t, ok := parseDateTimeZ(s); ok {
		return t, nil
	}
	return parseDateTime(s)
}

// parseDateTimeZ reads the form nearly every date-time has,
// "2025-06-01T13:00:00Z", more cheaply than time.Parse, giving what
// parseDateTime gives; it returns false for any other text, and for values
// out of range, which parseDateTime then judges.
func parseDateTimeZ[S ~string | ~[]byte](s S) (time.Time, bool) {
	if len(s) != len("2006-01-02T15:04:05Z") || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return time.Time{}, false
	}
	year, month, day := digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
	hour, minute, sec := digits(s[11:13]), digits(s[14:16]), digits(s[17:19])
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), true
}

// digits returns the value of the decimal digits s, -1 if s holds anything
// else.
func digits[S ~string | ~[]byte](s S) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// daysIn returns the number of days of month (1-12) in year.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseDateTime is ParseDateTime for any text.
func parseDateTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		var err2 error
		t, err2 = time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC)
		if err2 != nil {
			// A copy of s, so that s does not escape (see ParseDuration).
			return time.Time{}, fmt.Errorf("%w: date-time %q: want YYYY-MM-DDThh:mm:ss[.fff]Z", ErrInvalidValue, strings.Clone(s))
		}
	}
	return t.UTC(), nil
}

// FormatDateTime writes t in UTC as the 2.0b schema wants it:
// "2025-06-01T13:00:00Z", with fractional seconds only when t has them.
func FormatDateTime(t time.Time) string {
	return string(AppendDateTime(make([]byte, 0, 32), t))
}

// AppendDateTime appends FormatDateTime(t) to b.
func AppendDateTime(b []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(b, "2006-01-02T15:04:05.999999999Z")
}
