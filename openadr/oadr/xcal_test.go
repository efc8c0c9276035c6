package oadr_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestParseDuration(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"PT0S", 0},
		{"PT0M", 0},
		{"PT1H", time.Hour},
		{"PT10S", 10 * time.Second},
		{"PT15M", 15 * time.Minute},
		{"PT120M", 2 * time.Hour}, // EPRI VEN: not normalised
		{"PT1H15M", 75 * time.Minute},
		{"P1D", day},
		{"P1DT2H30M5S", day + 2*time.Hour + 30*time.Minute + 5*time.Second},
		{"P2W", 14 * day},
		{"2W", 14 * day}, // the schema's pattern admits a bare week count
		{"-PT5M", -5 * time.Minute},
		{"+PT5M", 5 * time.Minute},
		{"PT0.5S", 500 * time.Millisecond},
		{"PT1.000000001S", time.Second + 1},
		{"P5M", 5 * 30 * day}, // Alliance samples: months, read as 30 days
		{"P1Y", 365 * day},
		{"P1Y2M3DT4H5M6S", 365*day + 60*day + 3*day + 4*time.Hour + 5*time.Minute + 6*time.Second},
	}
	for _, tt := range tests {
		got, err := oadr.ParseDuration(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestParseDurationErrors(t *testing.T) {
	tests := []struct{ in, why string }{
		{"", `must start with "P"`},
		{"1H", `must start with "P"`},
		{"P", "no components"},
		{"PT", "no components"},
		{"P1H", `needs a "T"`},
		{"PT1D", `unknown unit "D"`},
		{"P1DT", `no component after "T"`},
		{"PT1H1H", "out of order"},
		{"PT1M1H", "out of order"},
		{"PTT1H", `"T" appears twice`},
		{"PT1", "no unit designator"},
		{"PTH", "expected a number"},
		{"PT1.5M", "only seconds may have a fraction"},
		{"PT1..5S", "bad number"},
		{"P99999999999999999999D", "too long"},
		{"P106752D", "too long"}, // just beyond 292 years
		{"PT9223372037S", "too long"},
		{"P106751DT23H47M17S", "too long"},
		{"pt1h", `must start with "P"`},
		{"PT1X", `unknown unit "X"`},
	}
	for _, tt := range tests {
		_, err := oadr.ParseDuration(tt.in)
		require.Error(t, err, tt.in)
		assert.ErrorIs(t, err, oadr.ErrInvalidValue, tt.in)
		assert.Contains(t, err.Error(), tt.why, tt.in)
		assert.Contains(t, err.Error(), `"`+tt.in+`"`, "the error quotes the input")
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "PT0S"},
		{time.Second, "PT1S"},
		{10 * time.Second, "PT10S"},
		{90 * time.Second, "PT1M30S"},
		{time.Hour, "PT1H"},
		{75 * time.Minute, "PT1H15M"},
		{24 * time.Hour, "P1D"},
		{26*time.Hour + 3*time.Second, "P1DT2H3S"},
		{-5 * time.Minute, "-PT5M"},
		{1500 * time.Millisecond, "PT1.5S"},
		{time.Nanosecond, "PT0.000000001S"},
		{math.MaxInt64, "P106751DT23H47M16.854775807S"},
		{math.MinInt64, "-P106751DT23H47M16.854775808S"},
	}
	for _, tt := range tests {
		got := oadr.FormatDuration(tt.in)
		assert.Equal(t, tt.want, got)
		back, err := oadr.ParseDuration(got)
		require.NoError(t, err, got)
		assert.Equal(t, tt.in, back, got)
	}
}

func TestDateTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2025-06-01T13:00:00Z", time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC)},
		{"2025-06-01T13:00:00.000Z", time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC)},
		{"2026-11-22T01:45:33.916363Z", time.Date(2026, 11, 22, 1, 45, 33, 916363000, time.UTC)},
		{"2025-06-01T15:00:00+02:00", time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC)},
		{"2025-06-01T13:00:00", time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC)}, // no zone: UTC
	}
	for _, tt := range tests {
		got, err := oadr.ParseDateTime(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, time.UTC, got.Location())
	}
	for _, bad := range []string{"", "2025-06-01", "yesterday", "2025-13-01T00:00:00Z", "2025-06-01 13:00:00Z"} {
		_, err := oadr.ParseDateTime(bad)
		assert.ErrorIs(t, err, oadr.ErrInvalidValue, bad)
	}

	local := time.FixedZone("CEST", 2*3600)
	assert.Equal(t, "2025-06-01T13:00:00Z", oadr.FormatDateTime(time.Date(2025, 6, 1, 15, 0, 0, 0, local)))
	assert.Equal(t, "2025-06-01T13:00:00.25Z", oadr.FormatDateTime(time.Date(2025, 6, 1, 13, 0, 0, 250_000_000, time.UTC)))
}

// TestDateTimeShortcut: ParseDateTime reads "YYYY-MM-DDThh:mm:ssZ" without
// time.Parse; on every date of leap and common years, every field out of
// range and every byte changed, it must give what time.Parse gives, to the
// bit, errors included.
func TestDateTimeShortcut(t *testing.T) {
	var ins []string
	for _, y := range []string{"0000", "0001", "1900", "1999", "2000", "2023", "2024", "2100", "9999"} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				ins = append(ins, fmt.Sprintf("%s-%02d-%02dT12:34:56Z", y, m, d))
			}
		}
	}
	for _, hms := range []int{0, 1, 9, 10, 23, 24, 29, 59, 60, 61, 99} {
		ins = append(ins,
			fmt.Sprintf("2025-06-01T%02d:00:00Z", hms), fmt.Sprintf("2025-06-01T00:%02d:00Z", hms),
			fmt.Sprintf("2025-06-01T00:00:%02dZ", hms))
	}
	const base = "2024-02-29T23:59:59Z"
	for i := range base {
		for _, c := range "09-T:Zz+ .a\x00\xff" {
			ins = append(ins, base[:i]+string(c)+base[i+1:], base[:i]+base[i+1:], base[:i]+string(c)+base[i:])
		}
	}
	ins = append(ins, base+"Z", " "+base, "2024-02-29T23:59:59.5Z", "2024-02-29T23:59:59+00:00", "+2024-02-29T23:59:59Z")
	for _, in := range ins {
		require.True(t, oadr.ShortcutsAgree(in), "%q as bytes", in)
		want, wantErr := oadr.ParseDateTimeGeneral(in)
		got, err := oadr.ParseDateTime(in)
		require.True(t, want == got, "%q: %#v, want %#v", in, got, want)
		if wantErr == nil {
			require.NoError(t, err, in)
		} else {
			require.EqualError(t, err, wantErr.Error(), in)
		}
	}
}

// TestDurationShortcut: ParseDuration reads "PT<n>H", "PT<n>M" and
// "PT<n>S" without the general parser; on those and their neighbours it
// must give what the general parser gives, errors included.
func TestDurationShortcut(t *testing.T) {
	var ins []string
	for _, n := range []string{"", "0", "1", "01", "15", "59", "60", "999999", "0000001", "9999999", "2562047", "2562048", "1.5", "-1", "+1", "1a", " 1"} {
		for _, unit := range []string{"H", "M", "S", "D", "W", "Y", "h", "", "MS", "S "} {
			for _, prefix := range []string{"PT", "P", "T", "-PT", "+PT", "PTT", "pt", "P1DT"} {
				ins = append(ins, prefix+n+unit)
			}
		}
	}
	for _, in := range ins {
		require.True(t, oadr.ShortcutsAgree(in), "%q as bytes", in)
		want, wantErr := oadr.ParseDurationGeneral(in)
		got, err := oadr.ParseDuration(in)
		require.Equal(t, want, got, in)
		if wantErr == nil {
			require.NoError(t, err, in)
		} else {
			require.EqualError(t, err, wantErr.Error(), in)
		}
	}
}
