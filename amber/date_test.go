package amber

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	// 14:30 UTC on 31 December is half past midnight on New Year's Day in
	// the NEM, whatever the local zone.
	if d := DateOf(time.Date(2025, 12, 31, 14, 30, 0, 0, time.UTC)); d != NewDate(2026, 1, 1) {
		t.Errorf("DateOf = %v, want 2026-01-01", d)
	}
	if s := NewDate(2026, 1, 1).Start(); !s.Equal(time.Date(2025, 12, 31, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("Start = %v", s)
	}
	if d := NewDate(2026, 1, 32); d != (Date{2026, 2, 1}) {
		t.Errorf("NewDate normalises to %v", d)
	}
	if n := NewDate(2026, 1, 1).DaysUntil(NewDate(2026, 3, 1)); n != 59 {
		t.Errorf("DaysUntil = %d", n)
	}
	if !NewDate(2026, 1, 1).Before(NewDate(2026, 1, 2)) || !NewDate(2027, 1, 1).After(NewDate(2026, 12, 31)) || NewDate(2026, 5, 5).Compare(NewDate(2026, 5, 5)) != 0 {
		t.Error("ordering")
	}
	if !(Date{}).IsZero() || NewDate(2026, 1, 1).IsZero() {
		t.Error("IsZero")
	}
	for in, want := range map[string]Date{"2026-01-28": {2026, 1, 28}, "2024-02-29": {2024, 2, 29}} {
		var d Date
		if err := d.UnmarshalText([]byte(in)); err != nil || d != want {
			t.Errorf("UnmarshalText(%q) = %v, %v", in, d, err)
		}
		if b, _ := d.MarshalText(); string(b) != in {
			t.Errorf("MarshalText = %s, want %s", b, in)
		}
	}
	for _, bad := range []string{"2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-1-28", "28/01/2026", "", "2026-01-28T00:00:00Z", "+026-01-28"} {
		var d Date
		if err := d.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) = %v; want an error", bad, d)
		}
	}
	var v struct{ D Date }
	if err := json.Unmarshal([]byte(`{"D":"2026-01-28"}`), &v); err != nil || v.D != NewDate(2026, 1, 28) {
		t.Errorf("JSON: %v %v", v.D, err)
	}
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
		if got := "[" + strings.Join(spans, " ") + "]"; got != tc.want {
			t.Errorf("splitDates(%v, %v) = %s, want %s", tc.start, tc.end, got, tc.want)
		}
	}
}

func TestMinutes(t *testing.T) {
	for in, want := range map[string]minutes{"5": 5, "30": 30, "30.0": 30, "1440": 1440, "null": 0} {
		var m minutes
		if err := json.Unmarshal([]byte(in), &m); err != nil || m != want {
			t.Errorf("%s: %v, %v", in, m, err)
		}
	}
	for _, bad := range []string{"7.5", "-5", "1441", "1e9", `"30"`, "true"} {
		var m minutes
		if err := json.Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("%s decoded as %v", bad, m)
		}
	}
}
