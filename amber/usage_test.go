package amber

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsage(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/usage",
		"startDate=2025-07-14&endDate=2025-07-14", respond(t, 200, "usage.json", rateHeaders(50, 47, 60)))
	us, err := c.Usage(t.Context(), siteID, UsageParams{StartDate: NewDate(2025, 7, 14)})
	require.NoError(t, err)
	require.Len(t, us, 3)
	u := us[0]
	assert.Equal(t, "E1", u.ChannelIdentifier)
	assert.Equal(t, 0.025, u.KWh)
	assert.Equal(t, Cents(0.4762), u.Cost)
	assert.Equal(t, QualityBillable, u.Quality)
	assert.Equal(t, CentsPerKWh(19.04971), u.PerKWh)
	assert.Equal(t, 5*time.Minute, u.Duration)
	require.NotNil(t, u.TariffInformation)
	assert.NotNil(t, u.TariffInformation.DemandWindow)
	// The spec gives cost no unit; it is cents: kWh × c/kWh.
	assert.InDelta(t, float64(u.Cost), u.KWh*float64(u.PerKWh), 1e-4, "cost is not kWh × perKwh")
	assert.InDelta(t, 0.004762, u.Cost.Dollars(), 1e-12)
	assert.Equal(t, QualityEstimated, us[1].Quality)
	assert.Equal(t, ChannelFeedIn, us[2].ChannelType)
	assert.Negative(t, us[2].KWh)
	assert.True(t, u.Start().Equal(time.Date(2025, 7, 13, 14, 0, 0, 0, time.UTC)), "Start() = %v", u.Start())
}

func TestUsageRejectsOtherTypes(t *testing.T) {
	var us []Usage
	err := json.Unmarshal([]byte(`[{"type":"ActualInterval","duration":5,"endTime":"2025-07-13T14:05:00Z","channelType":"general","perKwh":1,"spotPerKwh":1}]`), &us)
	require.Error(t, err, "a price interval decoded as usage")
	err = json.Unmarshal([]byte(`[{"type":"Usage","duration":5,"channelType":"general","perKwh":1,"spotPerKwh":1}]`), &us)
	require.Error(t, err, "usage without endTime decoded")
}

func TestUsageLimits(t *testing.T) {
	cases := []struct {
		site  string
		p     UsageParams
		field string
	}{
		{"", UsageParams{StartDate: NewDate(2026, 1, 1)}, "siteID"},
		{siteID, UsageParams{}, "StartDate"},
		{siteID, UsageParams{StartDate: NewDate(2026, 1, 5), EndDate: NewDate(2026, 1, 4)}, "EndDate"},
		// t0 is 10:17 on 28 January in the NEM: the 29th is the future.
		{siteID, UsageParams{StartDate: NewDate(2026, 1, 29)}, "StartDate"},
	}
	for _, tc := range cases {
		wantRejected(t, tc.p, tc.field, func(c *Client) error {
			_, err := c.Usage(t.Context(), tc.site, tc.p)
			return err
		})
	}
}

// TestUsageMergeDropsBoundaryDuplicates: a record that two neighbouring
// requests both return (the interval ending at midnight, say) appears once.
func TestUsageMergeDropsBoundaryDuplicates(t *testing.T) {
	c, mt, _ := newMock(t)
	rec := func(ch, id, end string, kwh float64) map[string]any {
		e, _ := time.Parse(time.RFC3339, end)
		return map[string]any{"type": "Usage", "duration": 30, "endTime": end, "startTime": e.Add(-29*time.Minute - 59*time.Second).Format(time.RFC3339),
			"nemTime": e.In(NEM).Format(time.RFC3339), "date": DateOf(e.Add(-time.Minute)).String(), "perKwh": 20, "spotPerKwh": 5,
			"renewables": 40, "channelType": ch, "channelIdentifier": id, "kwh": kwh, "cost": kwh * 20, "quality": "billable",
			"spikeStatus": "none", "descriptor": "low"}
	}
	first := []any{rec("general", "E1", "2026-01-07T13:30:00Z", 0.5), rec("general", "E1", "2026-01-07T14:00:00Z", 0.6),
		rec("feedIn", "B1", "2026-01-07T14:00:00Z", -0.2)}
	second := []any{rec("general", "E1", "2026-01-07T14:00:00Z", 0.6), rec("general", "E1", "2026-01-07T14:30:00Z", 0.7),
		rec("feedIn", "B1", "2026-01-07T14:00:00Z", -0.2)}
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/usage", "startDate=2026-01-01&endDate=2026-01-07",
		httpmock.NewJsonResponderOrPanic(200, first))
	mt.RegisterResponderWithQuery(http.MethodGet, base+"/sites/"+siteID+"/usage", "startDate=2026-01-08&endDate=2026-01-10",
		httpmock.NewJsonResponderOrPanic(200, second))
	us, err := c.Usage(t.Context(), siteID, UsageParams{StartDate: NewDate(2026, 1, 1), EndDate: NewDate(2026, 1, 10)})
	require.NoError(t, err)
	var got []string
	for _, u := range us {
		got = append(got, u.ChannelIdentifier+" "+u.EndTime.Format("15:04"))
	}
	assert.Equal(t, "E1 13:30|E1 14:00|E1 14:30|B1 14:00", strings.Join(got, "|"), "merged")
}
