package alphaess_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gridwire/gridwire/alphaess"
)

func TestDate(t *testing.T) {
	// 00:30 on 5 August in Sydney is still 4 August in UTC: the date is
	// the system's, never UTC's.
	at := time.Date(2026, 8, 5, 0, 30, 0, 0, sydney)
	if got := alphaess.DateOf(at); got != (alphaess.Date{Year: 2026, Month: time.August, Day: 5}) {
		t.Errorf("DateOf(Sydney) = %v", got)
	}
	if got := alphaess.DateOf(at.UTC()); got.Day != 4 {
		t.Errorf("DateOf(UTC) = %v", got)
	}
	d, err := alphaess.ParseDate("2026-02-28")
	if err != nil || d.String() != "2026-02-28" {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	if got := d.AddDays(1); got.String() != "2026-03-01" {
		t.Errorf("AddDays(1) = %v", got)
	}
	if got := d.AddDays(-59); got.String() != "2025-12-31" {
		t.Errorf("AddDays(-59) = %v", got)
	}
	if !d.Before(d.AddDays(1)) || d.After(d) || d.Compare(d) != 0 || !d.AddDays(400).After(d) {
		t.Error("Compare wrong")
	}
	if got := d.In(sydney); !got.Equal(time.Date(2026, 2, 28, 0, 0, 0, 0, sydney)) {
		t.Errorf("In = %v", got)
	}
	for _, bad := range []string{"2026-02-30", "2026-8-4", "04.08.2026", "", "2026-08-04 00:00:00"} {
		if _, err := alphaess.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	for _, tt := range []struct {
		d    alphaess.Date
		want bool
	}{
		{alphaess.Date{2026, 2, 28}, true}, {alphaess.Date{2028, 2, 29}, true},
		{alphaess.Date{2026, 2, 29}, false}, {alphaess.Date{2026, 13, 1}, false}, {alphaess.Date{}, false},
	} {
		if tt.d.Valid() != tt.want {
			t.Errorf("%v.Valid() = %v", tt.d, !tt.want)
		}
	}
	b, _ := json.Marshal(struct{ D alphaess.Date }{d})
	var back struct{ D alphaess.Date }
	if err := json.Unmarshal(b, &back); err != nil || back.D != d || string(b) != `{"D":"2026-02-28"}` {
		t.Errorf("JSON round trip: %s, %v, %v", b, back.D, err)
	}
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
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v", tt.in, got, err)
		}
	}
	if !alphaess.At(10, 45).OnGrid() || alphaess.At(10, 7).OnGrid() || alphaess.At(25, 0).OnGrid() {
		t.Error("OnGrid wrong")
	}
	if got := alphaess.At(7, 5).String(); got != "07:05" {
		t.Errorf("String = %q", got)
	}
	if _, err := json.Marshal(alphaess.At(24, 0)); err == nil {
		t.Error("marshalled 24:00")
	}
	at := alphaess.At(1, 30).On(alphaess.Date{2026, 8, 4}, sydney)
	if !at.Equal(time.Date(2026, 8, 4, 1, 30, 0, 0, sydney)) || alphaess.TimeOfDayOf(at) != alphaess.At(1, 30) {
		t.Errorf("On = %v", at)
	}
}

func TestPeriod(t *testing.T) {
	night := alphaess.Period{Start: alphaess.At(22, 0), End: alphaess.At(6, 0)}
	day := alphaess.Period{Start: alphaess.At(11, 0), End: alphaess.At(14, 0)}
	off := alphaess.Period{}
	if night.Duration() != 8*time.Hour || day.Duration() != 3*time.Hour || off.Duration() != 0 {
		t.Error("Duration wrong")
	}
	for _, tt := range []struct {
		p    alphaess.Period
		at   alphaess.TimeOfDay
		want bool
	}{
		{night, alphaess.At(23, 0), true}, {night, alphaess.At(5, 45), true}, {night, alphaess.At(6, 0), false},
		{night, alphaess.At(12, 0), false}, {day, alphaess.At(11, 0), true}, {day, alphaess.At(14, 0), false},
		{off, alphaess.At(0, 0), false},
	} {
		if got := tt.p.Contains(tt.at); got != tt.want {
			t.Errorf("%v.Contains(%v) = %v", tt.p, tt.at, got)
		}
	}
	if !off.Off() || night.Off() || night.String() != "22:00–06:00" {
		t.Error("Off/String wrong")
	}
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
		if !tod.Valid() {
			t.Fatalf("ParseTimeOfDay(%q) = %v, not valid", s, tod)
		}
		again, err := alphaess.ParseTimeOfDay(tod.String())
		if err != nil || again != tod {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
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
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d)
		}
	})
}
