package amber

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCurrentPrices(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/prices/current",
		"next=1&previous=1&resolution=5", respond(t, 200, "prices_current.json", rateHeaders(50, 48, 120)))
	ivs, err := c.Site(siteID).CurrentPrices(t.Context(), CurrentPricesParams{Next: 1, Previous: 1, Resolution: Resolution5})
	require.NoError(t, err)
	require.Len(t, ivs, 6)
	require.IsType(t, &ActualInterval{}, ivs[0])
	a := ivs[0].(*ActualInterval)
	assert.Equal(t, CentsPerKWh(12.40211), a.PerKWh)
	assert.Equal(t, CentsPerKWh(3.351), a.SpotPerKWh)
	assert.Equal(t, DescriptorVeryLow, a.Descriptor)
	assert.Equal(t, SpikeNone, a.SpikeStatus)
	require.NotNil(t, a.TariffInformation)
	assert.Equal(t, PeriodShoulder, a.TariffInformation.Period)
	assert.Equal(t, SeasonDefault, a.TariffInformation.Season)
	require.IsType(t, &CurrentInterval{}, ivs[1])
	cur := ivs[1].(*CurrentInterval)
	wantStart := time.Date(2026, 1, 28, 0, 15, 0, 0, time.UTC)
	assert.True(t, cur.Estimate)
	assert.Nil(t, cur.Range)
	require.NotNil(t, cur.AdvancedPrice)
	assert.Equal(t, AdvancedPrice{Low: 9.10297, Predicted: 10.0136, High: 11.07191}, *cur.AdvancedPrice)
	assert.Equal(t, 5*time.Minute, cur.Duration)
	assert.Equal(t, 41.951, cur.Renewables)
	assert.Equal(t, ChannelGeneral, cur.ChannelType)
	assert.True(t, cur.StartTime.Equal(wantStart.Add(time.Second)), "raw start %v", cur.StartTime)
	assert.True(t, cur.Start().Equal(wantStart), "Start %v, want the boundary %v", cur.Start(), wantStart)
	assert.True(t, cur.End().Equal(wantStart.Add(5*time.Minute)), "End %v", cur.End())
	assert.Equal(t, NewDate(2026, 1, 28), cur.Date)
	assert.True(t, cur.NEMTime.Equal(cur.EndTime), "nemTime %v", cur.NEMTime)
	_, off := cur.NEMTime.Zone()
	assert.Equal(t, 10*3600, off, "nemTime offset")
	require.IsType(t, &ForecastInterval{}, ivs[2])
	f := ivs[2].(*ForecastInterval)
	assert.Nil(t, f.TariffInformation)
	require.NotNil(t, f.Range)
	assert.Equal(t, Range{20.5, 80.25}, *f.Range)
	assert.Equal(t, SpikePotential, f.SpikeStatus)
	fi := ivs[5].(*ForecastInterval)
	assert.Nil(t, fi.AdvancedPrice, "feed-in forecast")
	assert.Equal(t, CentsPerKWh(-33.345), fi.PerKWh, "feed-in forecast")
	got := ivs.ByChannel(ChannelFeedIn)
	require.Len(t, got, 3)
	assert.Equal(t, ChannelFeedIn, got[0].Base().ChannelType)
	assert.InDelta(t, 0.1111343, CentsPerKWh(11.11343).DollarsPerKWh(), 1e-12)
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
	_, err := c.CurrentPrices(t.Context(), siteID, CurrentPricesParams{Next: 2000, Previous: 48})
	assert.NoError(t, err, "Next + Previous = 2048")
}

func TestPricesDateRange(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/prices",
		"startDate=2021-05-05&endDate=2021-05-06&resolution=30", respond(t, 200, "prices_range.json", nil))
	ivs, err := c.Prices(t.Context(), siteID, PricesParams{StartDate: NewDate(2021, 5, 5), EndDate: NewDate(2021, 5, 6), Resolution: Resolution30})
	require.NoError(t, err)
	require.Len(t, ivs, 4)
	// The last interval of 5 May ends at midnight: its date is the 5th,
	// its nemTime's the 6th.
	last := ivs[0].Base()
	assert.Equal(t, NewDate(2021, 5, 5), last.Date)
	assert.Equal(t, NewDate(2021, 5, 6), DateOf(last.NEMTime))
	ti := ivs[1].Base().TariffInformation
	require.NotNil(t, ti)
	require.NotNil(t, ti.Block)
	assert.Equal(t, 1, *ti.Block)
	require.NotNil(t, ti.DemandWindow)
	assert.False(t, *ti.DemandWindow)
	assert.Equal(t, SeasonWinter, ti.Season)
}

func TestPricesDefaultsToTodayInNEMTime(t *testing.T) {
	c, mt, fc := newMock(t)
	// 15:00 UTC on the 27th is 01:00 on the 28th in the NEM.
	fc.Set(time.Date(2026, 1, 27, 15, 0, 0, 0, time.UTC))
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/prices",
		"startDate=2026-01-28&endDate=2026-01-28", httpmock.NewStringResponder(200, "[]"))
	_, err := c.Prices(t.Context(), siteID, PricesParams{})
	require.NoError(t, err)
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
	require.NoError(t, err)
	var got []string
	for _, iv := range ivs {
		b := iv.Base()
		got = append(got, string(b.ChannelType)+" "+b.EndTime.Format("15:04")+" "+strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%T", iv), "*amber."), "Interval"))
	}
	want := "general 13:30 Actual|general 14:00 Actual|general 14:30 Forecast|feedIn 14:00 Actual|feedIn 14:30 Forecast"
	assert.Equal(t, want, strings.Join(got, "|"), "merged")
}

func TestIntervalsUnknownValues(t *testing.T) {
	var ivs Intervals
	require.NoError(t, json.Unmarshal(fixture(t, "prices_unknown_descriptor.json"), &ivs), "an unknown enum value failed the decode")
	b := ivs[0].Base()
	assert.Equal(t, PriceDescriptor("bargain"), b.Descriptor)
	assert.False(t, b.Descriptor.Known())
	assert.False(t, b.SpikeStatus.Known())
	assert.False(t, b.TariffInformation.Period.Known())
	assert.False(t, b.TariffInformation.Season.Known())
	for _, k := range []interface{ Known() bool }{DescriptorSpike, SpikeNone, PeriodPeak, SeasonWinter, ChannelFeedIn, SiteClosed, QualityBillable, RenewablesOK, VIC} {
		assert.True(t, k.Known(), "Known(%v)", k)
	}
	assert.False(t, ChannelType("x").Known())
	assert.False(t, State("tas").Known())
}

func TestIntervalsRejectsWhatCannotBePlaced(t *testing.T) {
	// Each body is whole but for the one fault its name says.
	const price = `,"perKwh":12,"spotPerKwh":3}]`
	cases := map[string]string{
		"unknown type":     string(fixture(t, "prices_unknown_type.json")),
		"no endTime":       `[{"type":"ActualInterval","duration":30,"channelType":"general"` + price,
		"no duration":      `[{"type":"ActualInterval","endTime":"2026-01-28T01:00:00Z","channelType":"general"` + price,
		"odd duration":     `[{"type":"ActualInterval","duration":7.5,"endTime":"2026-01-28T01:00:00Z","channelType":"general"` + price,
		"no channel":       `[{"type":"ActualInterval","duration":30,"endTime":"2026-01-28T01:00:00Z"` + price,
		"bad time":         `[{"type":"ActualInterval","duration":30,"endTime":"yesterday","channelType":"general"` + price,
		"bad date":         `[{"type":"ActualInterval","duration":30,"endTime":"2026-01-28T01:00:00Z","date":"28/01/2026","channelType":"general"` + price,
		"not an array":     `{"type":"ActualInterval"}`,
		"null":             `null`,
		"wrong price type": `[{"type":"ActualInterval","duration":30,"endTime":"2026-01-28T01:00:00Z","channelType":"general","perKwh":"12","spotPerKwh":3}]`,
		"null price":       `[{"type":"ActualInterval","duration":30,"endTime":"2026-01-28T01:00:00Z","channelType":"general","perKwh":null,"spotPerKwh":3}]`,
	}
	for name, body := range cases {
		var ivs Intervals
		assert.Error(t, json.Unmarshal([]byte(body), &ivs), "%s: decoded without error: %v", name, ivs)
	}
	var ok Intervals
	require.NoError(t, json.Unmarshal([]byte(`[{"type":"ActualInterval","duration":30,"endTime":"2026-01-28T01:00:00Z","channelType":"general"`+price), &ok),
		"the whole body the cases start from")
	// Through the client it is a decode error.
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/sites/"+siteID+"/prices/current", respond(t, 200, "prices_unknown_type.json", nil))
	_, err := c.CurrentPrices(t.Context(), siteID, CurrentPricesParams{})
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "SettledInterval", "a decode error naming the type")
}

func TestCurrentIntervalMissingEstimateIsAnEstimate(t *testing.T) {
	var ivs Intervals
	body := `[{"type":"CurrentInterval","duration":5,"endTime":"2026-01-28T00:20:00Z","channelType":"general","perKwh":20,"spotPerKwh":10}]`
	require.NoError(t, json.Unmarshal([]byte(body), &ivs))
	assert.True(t, ivs[0].(*CurrentInterval).Estimate, "a current interval without estimate was taken as locked in")
}
