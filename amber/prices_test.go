package amber

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

func TestCurrentPrices(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/prices/current",
		"next=1&previous=1&resolution=5", respond(t, 200, "prices_current.json", rateHeaders(50, 48, 120)))
	ivs, err := c.Site(siteID).CurrentPrices(t.Context(), CurrentPricesParams{Next: 1, Previous: 1, Resolution: Resolution5})
	if err != nil {
		t.Fatal(err)
	}
	if len(ivs) != 6 {
		t.Fatalf("got %d intervals, want 6", len(ivs))
	}
	a, ok := ivs[0].(*ActualInterval)
	if !ok {
		t.Fatalf("ivs[0] is %T, want *ActualInterval", ivs[0])
	}
	if a.PerKWh != 12.40211 || a.SpotPerKWh != 3.351 || a.Descriptor != DescriptorVeryLow || a.SpikeStatus != SpikeNone ||
		a.TariffInformation == nil || a.TariffInformation.Period != PeriodShoulder || a.TariffInformation.Season != SeasonDefault {
		t.Errorf("actual = %+v", a)
	}
	cur, ok := ivs[1].(*CurrentInterval)
	if !ok {
		t.Fatalf("ivs[1] is %T, want *CurrentInterval", ivs[1])
	}
	wantStart := time.Date(2026, 1, 28, 0, 15, 0, 0, time.UTC)
	switch {
	case !cur.Estimate, cur.Range != nil, cur.AdvancedPrice == nil,
		*cur.AdvancedPrice != AdvancedPrice{Low: 9.10297, Predicted: 10.0136, High: 11.07191}:
		t.Errorf("current = %+v", cur)
	case cur.Duration != 5*time.Minute, cur.Renewables != 41.951, cur.ChannelType != ChannelGeneral:
		t.Errorf("current base = %+v", cur.BaseInterval)
	case !cur.StartTime.Equal(wantStart.Add(time.Second)), !cur.Start().Equal(wantStart), !cur.End().Equal(wantStart.Add(5 * time.Minute)):
		t.Errorf("current spans %v (raw %v) – %v; want the boundary %v", cur.Start(), cur.StartTime, cur.End(), wantStart)
	case cur.Date != NewDate(2026, 1, 28), !cur.NEMTime.Equal(cur.EndTime):
		t.Errorf("current date %v, nemTime %v", cur.Date, cur.NEMTime)
	}
	if _, off := cur.NEMTime.Zone(); off != 10*3600 {
		t.Errorf("nemTime offset %d, want +10:00", off)
	}
	f, ok := ivs[2].(*ForecastInterval)
	if !ok {
		t.Fatalf("ivs[2] is %T, want *ForecastInterval", ivs[2])
	}
	if f.TariffInformation != nil || f.Range == nil || *f.Range != (Range{20.5, 80.25}) || f.SpikeStatus != SpikePotential {
		t.Errorf("forecast = %+v", f)
	}
	if fi := ivs[5].(*ForecastInterval); fi.AdvancedPrice != nil || fi.PerKWh != -33.345 {
		t.Errorf("feed-in forecast = %+v", fi)
	}
	if got := ivs.ByChannel(ChannelFeedIn); len(got) != 3 || got[0].Base().ChannelType != ChannelFeedIn {
		t.Errorf("ByChannel(feedIn) = %d intervals", len(got))
	}
	if cents := CentsPerKWh(11.11343); math.Abs(cents.DollarsPerKWh()-0.1111343) > 1e-12 {
		t.Errorf("DollarsPerKWh = %v", cents.DollarsPerKWh())
	}
}

func TestCurrentPricesLimits(t *testing.T) {
	cases := []struct {
		site  string
		p     CurrentPricesParams
		field string
	}{
		{"", CurrentPricesParams{}, "siteID"},
		{siteID, CurrentPricesParams{Next: -1}, "Next"},
		{siteID, CurrentPricesParams{Previous: -1}, "Previous"},
		{siteID, CurrentPricesParams{Next: 2000, Previous: 49}, "Next"},
		{siteID, CurrentPricesParams{Next: MaxIntervals + 1}, "Next"},
		{siteID, CurrentPricesParams{Resolution: 15}, "Resolution"},
	}
	for _, tc := range cases {
		wantRejected(t, tc.p, tc.field, func(c *Client) error {
			_, err := c.CurrentPrices(t.Context(), tc.site, tc.p)
			return err
		})
	}
	// The limit itself is allowed.
	c, mt, _ := newMock(t)
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/prices/current", "next=2000&previous=48",
		httpmock.NewStringResponder(200, "[]"))
	if _, err := c.CurrentPrices(t.Context(), siteID, CurrentPricesParams{Next: 2000, Previous: 48}); err != nil {
		t.Errorf("Next + Previous = 2048: %v", err)
	}
}

func TestPricesDateRange(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/prices",
		"startDate=2021-05-05&endDate=2021-05-06&resolution=30", respond(t, 200, "prices_range.json", nil))
	ivs, err := c.Prices(t.Context(), siteID, PricesParams{StartDate: NewDate(2021, 5, 5), EndDate: NewDate(2021, 5, 6), Resolution: Resolution30})
	if err != nil {
		t.Fatal(err)
	}
	if len(ivs) != 4 {
		t.Fatalf("got %d intervals, want 4", len(ivs))
	}
	// The last interval of 5 May ends at midnight: its date is the 5th,
	// its nemTime's the 6th.
	last := ivs[0].Base()
	if last.Date != NewDate(2021, 5, 5) || DateOf(last.NEMTime) != NewDate(2021, 5, 6) {
		t.Errorf("date %v, nemTime %v", last.Date, last.NEMTime)
	}
	ti := ivs[1].Base().TariffInformation
	if ti == nil || ti.Block == nil || *ti.Block != 1 || ti.DemandWindow == nil || *ti.DemandWindow || ti.Season != SeasonWinter {
		t.Errorf("tariffInformation = %+v", ti)
	}
}

func TestPricesDefaultsToTodayInNEMTime(t *testing.T) {
	c, mt, fc := newMock(t)
	// 15:00 UTC on the 27th is 01:00 on the 28th in the NEM.
	fc.Set(time.Date(2026, 1, 27, 15, 0, 0, 0, time.UTC))
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/prices",
		"startDate=2026-01-28&endDate=2026-01-28", httpmock.NewStringResponder(200, "[]"))
	if _, err := c.Prices(t.Context(), siteID, PricesParams{}); err != nil {
		t.Fatal(err)
	}
}

func TestPricesLimits(t *testing.T) {
	cases := []struct {
		site  string
		p     PricesParams
		field string
	}{
		{"", PricesParams{}, "siteID"},
		{siteID, PricesParams{StartDate: NewDate(2026, 1, 2), EndDate: NewDate(2026, 1, 1)}, "EndDate"},
		{siteID, PricesParams{Resolution: 60}, "Resolution"},
	}
	for _, tc := range cases {
		wantRejected(t, tc.p, tc.field, func(c *Client) error {
			_, err := c.Prices(t.Context(), tc.site, tc.p)
			return err
		})
	}
}

// TestPricesMergeDropsBoundaryDuplicates: when neighbouring requests both
// return an interval (the one ending at midnight, say), it appears once, and
// the most settled version is kept.
func TestPricesMergeDropsBoundaryDuplicates(t *testing.T) {
	c, mt, _ := newMock(t)
	iv := func(typ, ch, end string) map[string]any {
		e, _ := time.Parse(time.RFC3339, end)
		return map[string]any{"type": typ, "duration": 30, "endTime": end, "startTime": e.Add(-29*time.Minute - 59*time.Second).Format(time.RFC3339),
			"nemTime": e.In(NEM).Format(time.RFC3339), "date": DateOf(e.Add(-time.Minute)).String(), "perKwh": 20, "spotPerKwh": 5,
			"renewables": 40, "channelType": ch, "spikeStatus": "none", "descriptor": "low", "estimate": true}
	}
	// The settled version comes first on the general channel and last on
	// the feed-in one: the merge must not depend on the order.
	first := []any{iv("ActualInterval", "general", "2026-01-07T13:30:00Z"), iv("ActualInterval", "general", "2026-01-07T14:00:00Z"),
		iv("ForecastInterval", "feedIn", "2026-01-07T14:00:00Z")}
	second := []any{iv("CurrentInterval", "general", "2026-01-07T14:00:00Z"), iv("ForecastInterval", "general", "2026-01-07T14:30:00Z"),
		iv("ActualInterval", "feedIn", "2026-01-07T14:00:00Z"), iv("ForecastInterval", "feedIn", "2026-01-07T14:30:00Z")}
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/prices", "startDate=2026-01-01&endDate=2026-01-07",
		httpmock.NewJsonResponderOrPanic(200, first))
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/prices", "startDate=2026-01-08&endDate=2026-01-10",
		httpmock.NewJsonResponderOrPanic(200, second))
	ivs, err := c.Prices(t.Context(), siteID, PricesParams{StartDate: NewDate(2026, 1, 1), EndDate: NewDate(2026, 1, 10)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, iv := range ivs {
		b := iv.Base()
		got = append(got, string(b.ChannelType)+" "+b.EndTime.Format("15:04")+" "+strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%T", iv), "*amber."), "Interval"))
	}
	want := "general 13:30 Actual|general 14:00 Actual|general 14:30 Forecast|feedIn 14:00 Actual|feedIn 14:30 Forecast"
	if strings.Join(got, "|") != want {
		t.Errorf("merged:\n %s\nwant\n %s", strings.Join(got, "|"), want)
	}
}

func TestIntervalsUnknownValues(t *testing.T) {
	var ivs Intervals
	if err := json.Unmarshal(fixture(t, "prices_unknown_descriptor.json"), &ivs); err != nil {
		t.Fatalf("an unknown enum value failed the decode: %v", err)
	}
	b := ivs[0].Base()
	if b.Descriptor != "bargain" || b.Descriptor.Known() || b.SpikeStatus.Known() ||
		b.TariffInformation.Period.Known() || b.TariffInformation.Season.Known() {
		t.Errorf("unknown values not kept as is: %+v", b)
	}
	if !DescriptorSpike.Known() || !SpikeNone.Known() || !PeriodPeak.Known() || !SeasonWinter.Known() || !ChannelFeedIn.Known() ||
		ChannelType("x").Known() || !SiteClosed.Known() || !QualityBillable.Known() || !RenewablesOK.Known() || !VIC.Known() || State("tas").Known() {
		t.Error("Known is wrong for a listed value")
	}
}

func TestIntervalsRejectsWhatCannotBePlaced(t *testing.T) {
	cases := map[string]string{
		"unknown type":     string(fixture(t, "prices_unknown_type.json")),
		"no endTime":       `[{"type":"ActualInterval","duration":30,"channelType":"general"}]`,
		"no duration":      `[{"type":"ActualInterval","endTime":"2026-01-28T01:00:00Z","channelType":"general"}]`,
		"odd duration":     `[{"type":"ActualInterval","duration":7.5,"endTime":"2026-01-28T01:00:00Z","channelType":"general"}]`,
		"no channel":       `[{"type":"ActualInterval","duration":30,"endTime":"2026-01-28T01:00:00Z"}]`,
		"bad time":         `[{"type":"ActualInterval","duration":30,"endTime":"yesterday","channelType":"general"}]`,
		"bad date":         `[{"type":"ActualInterval","duration":30,"endTime":"2026-01-28T01:00:00Z","date":"28/01/2026","channelType":"general"}]`,
		"not an array":     `{"type":"ActualInterval"}`,
		"wrong price type": `[{"type":"ActualInterval","duration":30,"endTime":"2026-01-28T01:00:00Z","channelType":"general","perKwh":"12"}]`,
	}
	for name, body := range cases {
		var ivs Intervals
		if err := json.Unmarshal([]byte(body), &ivs); err == nil {
			t.Errorf("%s: decoded without error: %v", name, ivs)
		}
	}
	// Through the client it is a decode error.
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/sites/"+siteID+"/prices/current", respond(t, 200, "prices_unknown_type.json", nil))
	_, err := c.CurrentPrices(t.Context(), siteID, CurrentPricesParams{})
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "SettledInterval") {
		t.Errorf("err = %v; want a decode error naming the type", err)
	}
}

func TestCurrentIntervalMissingEstimateIsAnEstimate(t *testing.T) {
	var ivs Intervals
	body := `[{"type":"CurrentInterval","duration":5,"endTime":"2026-01-28T00:20:00Z","channelType":"general","perKwh":20,"spotPerKwh":10}]`
	if err := json.Unmarshal([]byte(body), &ivs); err != nil {
		t.Fatal(err)
	}
	if !ivs[0].(*CurrentInterval).Estimate {
		t.Error("a current interval without estimate was taken as locked in")
	}
}
