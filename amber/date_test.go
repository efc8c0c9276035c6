package amber

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDate(t *testing.T) {
	// 14:30 UTC on 31 December is half past midnight on New Year's Day in
	// the NEM, whatever the local zone.
	assert.Equal(t, NewDate(2026, 1, 1), DateOf(time.Date(2025, 12, 31, 14, 30, 0, 0, time.UTC)))
	s := NewDate(2026, 1, 1).Start()
	assert.True(t, s.Equal(time.Date(2025, 12, 31, 14, 0, 0, 0, time.UTC)), "Start = %v", s)
	assert.Equal(t, Date{2026, 2, 1}, NewDate(2026, 1, 32), "NewDate normalises")
	assert.Equal(t, 59, NewDate(2026, 1, 1).DaysUntil(NewDate(2026, 3, 1)))
	assert.True(t, NewDate(2026, 1, 1).Before(NewDate(2026, 1, 2)))
	assert.True(t, NewDate(2027, 1, 1).After(NewDate(2026, 12, 31)))
	assert.Zero(t, NewDate(2026, 5, 5).Compare(NewDate(2026, 5, 5)))
	assert.True(t, (Date{}).IsZero())
	assert.False(t, NewDate(2026, 1, 1).IsZero())
	for in, want := range map[string]Date{"2026-01-28": {2026, 1, 28}, "2024-02-29": {2024, 2, 29}} {
		var d Date
		assert.NoError(t, d.UnmarshalText([]byte(in)), in)
		assert.Equal(t, want, d, "UnmarshalText(%q)", in)
		b, _ := d.MarshalText()
		assert.Equal(t, in, string(b), "MarshalText")
	}
	for _, bad := range []string{"2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-1-28", "28/01/2026", "", "2026-01-28T00:00:00Z", "+026-01-28"} {
		var d Date
		assert.Error(t, d.UnmarshalText([]byte(bad)), "UnmarshalText(%q) = %v", bad, d)
	}
	var v struct{ D Date }
	assert.NoError(t, json.Unmarshal([]byte(`{"D":"2026-01-28"}`), &v))
	assert.Equal(t, NewDate(2026, 1, 28), v.D)
}

func TestSplitDates(t *testing.T) {
	cases := []struct {
		start, end Date
		want       string
	}{
		{NewDate(2026, 1, 1), NewDate(2026, 1, 1), "[{2026-01-01 2026-01-01}]"},
		{NewDate(2026, 1, 1), NewDate(2026, 1, 7), "[{2026-01-01 2026-01-07}]"},
		{NewDate(2026, 1, 1), NewDate(2026, 1, 8), "[{2026-01-01 2026-01-07} {2026-01-08 2026-01-08}]"},
		{NewDate(2025, 12, 28), NewDate(2026, 1, 10), "[{2025-12-28 2026-01-03} {2026-01-04 2026-01-10}]"},
	}
	for _, tc := range cases {
		var spans []string
		for _, s := range splitDates(tc.start, tc.end) {
			spans = append(spans, fmt.Sprintf("{%s %s}", s.start, s.end))
		}
		assert.Equal(t, tc.want, "["+strings.Join(spans, " ")+"]", "splitDates(%v, %v)", tc.start, tc.end)
	}
}

func TestMinutes(t *testing.T) {
	for in, want := range map[string]minutes{"5": 5, "30": 30, "30.0": 30, "1440": 1440, "null": 0} {
		var m minutes
		assert.NoError(t, json.Unmarshal([]byte(in), &m), in)
		assert.Equal(t, want, m, in)
	}
	for _, bad := range []string{"7.5", "-5", "1441", "1e9", `"30"`, "true"} {
		var m minutes
		assert.Error(t, json.Unmarshal([]byte(bad), &m), "%s decoded as %v", bad, m)
	}
}
