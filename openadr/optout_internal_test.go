package openadr

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestOptOutOf(t *testing.T) {
	v, _ := newVTN(t)
	ev := &EventState{Event: Event{ID: "EVT", Start: t0, Signals: []Signal{{Intervals: []Interval{{Duration: time.Hour}}}}}}
	eventOpt := func(id string, typ oadr.OptType) Opt {
		return Opt{OptID: id, Type: typ, Event: &oadr.QualifiedEventID{EventID: "EVT"}}
	}
	window := func(id string, typ oadr.OptType, start time.Time, d time.Duration) Opt {
		return Opt{OptID: id, Type: typ, Availability: []oadr.Period{{Start: start, Duration: d}}}
	}
	for _, tc := range []struct {
		name     string
		opts     []Opt
		resource string
		want     string
	}{
		{"none", nil, "", ""},
		{"event opt-out", []Opt{eventOpt("A", oadr.OptOut)}, "", "A"},
		{"another event", []Opt{{OptID: "A", Type: oadr.OptOut, Event: &oadr.QualifiedEventID{EventID: "OTHER"}}}, "", ""},
		{"opt-in after opt-out", []Opt{eventOpt("A", oadr.OptOut), eventOpt("B", oadr.OptIn)}, "", ""},
		{"opt-out after opt-in", []Opt{eventOpt("A", oadr.OptIn), eventOpt("B", oadr.OptOut)}, "", "B"},
		{"window overlaps the end", []Opt{window("W", oadr.OptOut, t0.Add(59*time.Minute), time.Hour)}, "", "W"},
		{"window ends at the start", []Opt{window("W", oadr.OptOut, t0.Add(-time.Hour), time.Hour)}, "", ""},
		{"window starts at the end", []Opt{window("W", oadr.OptOut, t0.Add(time.Hour), time.Hour)}, "", ""},
		{"open window", []Opt{window("W", oadr.OptOut, t0.Add(-time.Hour), 0)}, "", "W"},
		{"opt-in window", []Opt{window("W", oadr.OptIn, t0, time.Hour)}, "", ""},
		{"other market", []Opt{{OptID: "M", Type: oadr.OptOut, MarketContext: "http://elsewhere", Event: &oadr.QualifiedEventID{EventID: "EVT"}}}, "", ""},
		{"this market", []Opt{{OptID: "M", Type: oadr.OptOut, MarketContext: DefaultMarketContext, Event: &oadr.QualifiedEventID{EventID: "EVT"}}}, "", "M"},
		{"other resource", []Opt{{OptID: "R", Type: oadr.OptOut, Target: oadr.Target{ResourceIDs: []string{"b2"}}, Event: &oadr.QualifiedEventID{EventID: "EVT"}}}, "b1", ""},
		{"whole VEN", []Opt{{OptID: "R", Type: oadr.OptOut, Target: oadr.Target{ResourceIDs: []string{"b2"}}, Event: &oadr.QualifiedEventID{EventID: "EVT"}}}, "", "R"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := v.optOutOf(&VENState{Opts: tc.opts}, ev, tc.resource)
			if tc.want == "" {
				assert.Nil(t, got)
				return
			}
			if assert.NotNil(t, got) {
				assert.Equal(t, tc.want, got.OptID)
			}
		})
	}
}
