package volue

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// TimeSpan is a duration written as the API writes them, "hh:mm:ss" or
// "d.hh:mm:ss" (such as "01:00:00" for an hour).
type TimeSpan time.Duration

// Duration returns d as a time.Duration.
func (d TimeSpan) Duration() time.Duration { return time.Duration(d) }

// String formats d as "hh:mm:ss", with a day part when it is a day or more.
func (d TimeSpan) String() string {
	t := time.Duration(d)
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	days := t / (24 * time.Hour)
	t -= days * 24 * time.Hour
	s := fmt.Sprintf("%02d:%02d:%02d", int(t/time.Hour), int(t%time.Hour/time.Minute), int(t%time.Minute/time.Second))
	if days > 0 {
		s = strconv.Itoa(int(days)) + "." + s
	}
	return sign + s
}

// MarshalJSON writes d as "hh:mm:ss".
func (d TimeSpan) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "[-][d.]hh:mm:ss[.fffffff]".
func (d *TimeSpan) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseTimeSpan(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// maxSeconds is the longest span a time.Duration holds (about 292 years).
const maxSeconds = float64(math.MaxInt64) / float64(time.Second)

// ParseTimeSpan reads "[-][d.]hh:mm:ss[.fffffff]".
func ParseTimeSpan(s string) (TimeSpan, error) {
	bad := fmt.Errorf("volue: time span %q is not [d.]hh:mm:ss", s)
	neg := strings.HasPrefix(s, "-")
	rest := strings.TrimPrefix(s, "-")
	var days int64
	hms := strings.Split(rest, ":")
	if len(hms) != 3 {
		return 0, bad
	}
	if d, h, ok := strings.Cut(hms[0], "."); ok {
		n, err := strconv.ParseInt(d, 10, 32)
		if err != nil || n < 0 {
			return 0, bad
		}
		days, hms[0] = n, h
	}
	h, err1 := strconv.ParseUint(hms[0], 10, 8)
	m, err2 := strconv.ParseUint(hms[1], 10, 8)
	sec, err3 := strconv.ParseFloat(hms[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || h > 23 || m > 59 || !(sec >= 0 && sec < 60) {
		return 0, bad
	}
	// A span longer than a time.Duration holds would wrap around to a
	// wrong, possibly negative, one.
	if float64(days)*86400+float64(h)*3600+float64(m)*60+sec >= maxSeconds {
		return 0, bad
	}
	t := time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(sec*float64(time.Second))
	if neg {
		t = -t
	}
	return TimeSpan(t), nil
}
