package alphaess_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
)

func TestDate(t *testing.T) {
	// 00:30 on 5 August in Sydney is still 4 August in UTC: the date is
	// the system's, never UTC's.
	at := time.Date(2026, 8, 5, 0, 30, 0, 0, sydney)
	assert.Equal(t, alphaess.Date{Year: 2026, Month: time.August, Day: 5}, alphaess.DateOf(at), "DateOf(Sydney)")
	assert.Equal(t, 4, alphaess.DateOf(at.UTC()).Day, "DateOf(UTC)")
	d, err := alphaess.ParseDate("2026-02-28")
	require.NoError(t, err)
	require.Equal(t, "2026-02-28", d.String())
	assert.Equal(t, "2026-03-01", d.AddDays(1).String())
	assert.Equal(t, "2025-12-31", d.AddDays(-59).String())
	assert.True(t, d.Before(d.AddDays(1)))
	assert.False(t, d.After(d))
	assert.Zero(t, d.Compare(d))
	assert.True(t, d.AddDays(400).After(d))
	assert.True(t, d.In(sydney).Equal(time.Date(2026, 2, 28, 0, 0, 0, 0, sydney)), "In = %v", d.In(sydney))
	for _, bad := range []string{"2026-02-30", "2026-8-4", "04.08.2026", "", "2026-08-04 00:00:00"} {
		_, err := alphaess.ParseDate(bad)
		assert.Error(t, err, "ParseDate(%q)", bad)
	}
	for _, tt := range []struct {
		d    alphaess.Date
		want bool
	}{
		{alphaess.Date{2026, 2, 28}, true}, {alphaess.Date{2028, 2, 29}, true},
		{alphaess.Date{2026, 2, 29}, false}, {alphaess.Date{2026, 13, 1}, false}, {alphaess.Date{}, false},
	} {
		assert.Equal(t, tt.want, tt.d.Valid(), "%v.Valid()", tt.d)
	}
	b, err := json.Marshal(struct{ D alphaess.Date }{d})
	require.NoError(t, err)
	assert.JSONEq(t, `{"D":"2026-02-28"}`, string(b))
	var back struct{ D alphaess.Date }
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, d, back.D)
}

func TestTimeOfDay(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want alphaess.TimeOfDay
		ok   bool
	}{
		{"00:00", alphaess.At(0, 0), true}, {"23:45", alphaess.At(23, 45), true}, {"7:30", alphaess.At(7, 30), true},
		{"10:07", alphaess.At(10, 7), true}, {"14:00:00", alphaess.At(14, 0), true},
		{"24:00", alphaess.TimeOfDay{}, false}, {"12:60", alphaess.TimeOfDay{}, false}, {"10:7", alphaess.TimeOfDay{}, false},
		{"10:00:30", alphaess.TimeOfDay{}, false}, {"ab:cd", alphaess.TimeOfDay{}, false}, {"", alphaess.TimeOfDay{}, false},
		{"-1:00", alphaess.TimeOfDay{}, false}, {"1000", alphaess.TimeOfDay{}, false},
	} {
		got, err := alphaess.ParseTimeOfDay(tt.in)
		if tt.ok {
			assert.NoError(t, err, "ParseTimeOfDay(%q)", tt.in)
		} else {
			assert.Error(t, err, "ParseTimeOfDay(%q)", tt.in)
		}
		assert.Equal(t, tt.want, got, "ParseTimeOfDay(%q)", tt.in)
	}
	assert.True(t, alphaess.At(10, 45).OnGrid())
	assert.False(t, alphaess.At(10, 7).OnGrid())
	assert.False(t, alphaess.At(25, 0).OnGrid())
	assert.Equal(t, "07:05", alphaess.At(7, 5).String())
	_, err := json.Marshal(alphaess.At(24, 0))
	assert.Error(t, err, "24:00 must not marshal")
	at := alphaess.At(1, 30).On(alphaess.Date{2026, 8, 4}, sydney)
	assert.True(t, at.Equal(time.Date(2026, 8, 4, 1, 30, 0, 0, sydney)), "On = %v", at)
	assert.Equal(t, alphaess.At(1, 30), alphaess.TimeOfDayOf(at))
}

func TestPeriod(t *testing.T) {
	night := alphaess.Period{Start: alphaess.At(22, 0), End: alphaess.At(6, 0)}
	day := alphaess.Period{Start: alphaess.At(11, 0), End: alphaess.At(14, 0)}
	off := alphaess.Period{}
	assert.Equal(t, 8*time.Hour, night.Duration())
	assert.Equal(t, 3*time.Hour, day.Duration())
	assert.Zero(t, off.Duration())
	for _, tt := range []struct {
		p    alphaess.Period
		at   alphaess.TimeOfDay
		want bool
	}{
		{night, alphaess.At(23, 0), true}, {night, alphaess.At(5, 45), true}, {night, alphaess.At(6, 0), false},
		{night, alphaess.At(12, 0), false}, {day, alphaess.At(11, 0), true}, {day, alphaess.At(14, 0), false},
		{off, alphaess.At(0, 0), false},
	} {
		assert.Equal(t, tt.want, tt.p.Contains(tt.at), "%v.Contains(%v)", tt.p, tt.at)
	}
	assert.True(t, off.Off())
	assert.False(t, night.Off())
	assert.Equal(t, "22:00–06:00", night.String())
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"00:00", "23:45", "7:30", "14:00:00", "24:00", "1:2", "12:3a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tod, err := alphaess.ParseTimeOfDay(s)
		if err != nil {
			return
		}
		require.True(t, tod.Valid(), "ParseTimeOfDay(%q) = %v, not valid", s, tod)
		again, err := alphaess.ParseTimeOfDay(tod.String())
		require.NoError(t, err, "round trip of %q", s)
		require.Equal(t, tod, again, "round trip of %q", s)
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-08-04", "2026-02-29", "0000-01-01", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := alphaess.ParseDate(s)
		if err != nil {
			return
		}
		require.Equal(t, s, d.String(), "ParseDate(%q).String()", s)
	})
}
