package amber

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

// pricesAt returns a PriceSource on the httpmock fixtures.
func pricesAt(t *testing.T, opts ...PriceSourceOption) *PriceSource {
	t.Helper()
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/sites/"+siteID+"/prices/current", respond(t, 200, "prices_current.json", nil))
	return c.Site(siteID).PriceSource(opts...)
}

// show renders a price as "HH:MM channel price [low,high] F descriptor".
func show(p energy.Price) string {
	s := fmt.Sprintf("%s %s %.7f", p.Start.Format("15:04"), p.Channel, p.PerKWh)
	if p.Low != nil {
		s += fmt.Sprintf(" [%.7f,%.7f]", *p.Low, *p.High)
	}
	if p.Forecast {
		s += " F"
	}
	if p.Currency != "AUD" || p.End.Sub(p.Start) != 5*time.Minute {
		s += " BAD " + p.Currency + " " + p.End.Sub(p.Start).String()
	}
	return s + " " + p.Descriptor
}

func TestPriceSourceConversion(t *testing.T) {
	ps, err := pricesAt(t).Prices(t.Context(), t0.Add(-10*time.Minute), t0.Add(10*time.Minute))
	require.NoError(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, show(p))
	}
	want := []string{
		// Actual: settled perKwh, c → $.
		"00:10 import 0.1240211 veryLow",
		// Export: Amber's −3.18345 c/kWh cost is 3.18345 c/kWh paid.
		"00:10 export 0.0318345 veryLow",
		// Current, estimate: advancedPrice.predicted and its band.
		"00:15 import 0.1001360 [0.0910297,0.1107191] F extremelyLow",
		"00:15 export 0.0213572 F extremelyLow",
		"00:20 import 0.4520000 [0.3050000,0.9500000] F high",
		// No advancedPrice: the spot range (20.5–80.25 around a spot of
		// 35.1) shifted onto the price paid.
		"00:20 export 0.3334500 [0.1874500,0.7849500] F high",
	}
	assert.Equal(t, want, got)
}

func TestPriceSourceOptions(t *testing.T) {
	ps, err := pricesAt(t, WithPlainPrices(), WithChannels(ChannelGeneral)).Prices(t.Context(), t0.Add(-10*time.Minute), t0.Add(10*time.Minute))
	require.NoError(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, show(p))
	}
	want := []string{
		"00:10 import 0.1240211 veryLow",
		"00:15 import 0.1111343 F extremelyLow",
		"00:20 import 0.4873012 [0.3413012,0.9388012] F high",
	}
	assert.Equal(t, want, got)
}

func TestPriceSourceOverlapsAndRejects(t *testing.T) {
	src := pricesAt(t)
	// Only the intervals overlapping [from, to) come back: [00:16, 00:17)
	// lies within the current interval.
	ps, err := src.Prices(t.Context(), t0.Add(-time.Minute), t0)
	require.NoError(t, err)
	require.Len(t, ps, 2, "want the current interval on both channels")
	assert.True(t, ps[0].Start.Equal(t0.Add(-2*time.Minute)), "from %v", ps[0].Start)
	for _, bad := range []struct {
		from, to time.Time
		field    string
	}{{time.Time{}, t0, "from"}, {t0, time.Time{}, "to"}, {t0, t0, "to"}} {
		_, err := src.Prices(t.Context(), bad.from, bad.to)
		wantField(t, err, bad.field)
	}
	_, err = pricesAt(t, WithChannels("solar")).Prices(t.Context(), t0, t0.Add(time.Hour))
	wantField(t, err, "channels[0]")
	_, err = pricesAt(t, WithPriceResolution(15)).Prices(t.Context(), t0, t0.Add(time.Hour))
	wantField(t, err, "Resolution")
	c, _, _ := newMock(t)
	_, err = c.Site("").PriceSource().Prices(t.Context(), t0, t0.Add(time.Hour))
	wantField(t, err, "siteID")
}

// TestPriceSourceKeepsTheMostSettled: where intervals overlap on a channel
// (a current interval the API also returned as actual, a 30-minute forecast
// over 5-minute ones) the most settled one wins, whatever the order.
func TestPriceSourceKeepsTheMostSettled(t *testing.T) {
	c, mt, _ := newMock(t)
	iv := func(typ string, minutes int, end string, price float64, estimate bool) string {
		e, _ := time.Parse(time.RFC3339, end)
		return fmt.Sprintf(`{"type":%q,"duration":%d,"endTime":%q,"startTime":%q,"nemTime":%q,"date":"2026-01-28","perKwh":%v,"spotPerKwh":1,`+
			`"renewables":40,"channelType":"general","spikeStatus":"none","descriptor":"low","estimate":%v}`,
			typ, minutes, end, e.Add(-time.Duration(minutes)*time.Minute+time.Second).Format(time.RFC3339), e.In(NEM).Format(time.RFC3339), price, estimate)
	}
	body := "[" + strings.Join([]string{
		iv("ForecastInterval", 30, "2026-01-28T00:30:00Z", 99, false),
		iv("CurrentInterval", 5, "2026-01-28T00:20:00Z", 30, false),
		iv("ActualInterval", 5, "2026-01-28T00:20:00Z", 20, false),
		iv("ActualInterval", 5, "2026-01-28T00:15:00Z", 10, false),
		iv("ForecastInterval", 5, "2026-01-28T00:35:00Z", 40, false),
	}, ",") + "]"
	mt.RegisterResponder(http.MethodGet, base+"/sites/"+siteID+"/prices/current", httpmock.NewStringResponder(200, body))
	ps, err := c.Site(siteID).PriceSource().Prices(t.Context(), t0.Add(-10*time.Minute), t0.Add(20*time.Minute))
	require.NoError(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%s-%s %.2f %v", p.Start.Format("15:04"), p.End.Format("15:04"), p.PerKWh, p.Forecast))
	}
	assert.Equal(t, "00:10-00:15 0.10 false|00:15-00:20 0.20 false|00:30-00:35 0.40 true", strings.Join(got, "|"))
}

// TestPriceSourceLockedInCurrentPrice: once the current interval's price is
// locked in (estimate false) it is the price billed, perKwh, not Amber's
// prediction, and it has no forecast band.
func TestPriceSourceLockedInCurrentPrice(t *testing.T) {
	c, mt, _ := newMock(t)
	body := `[{"type":"CurrentInterval","duration":5,"endTime":"2026-01-28T00:20:00Z","startTime":"2026-01-28T00:15:01Z",` +
		`"nemTime":"2026-01-28T10:20:00+10:00","date":"2026-01-28","perKwh":12.5,"spotPerKwh":3,"renewables":40,` +
		`"channelType":"general","spikeStatus":"none","descriptor":"low","estimate":false,` +
		`"range":{"min":1,"max":9},"advancedPrice":{"low":9,"predicted":10,"high":11}}]`
	mt.RegisterResponder(http.MethodGet, base+"/sites/"+siteID+"/prices/current", httpmock.NewStringResponder(200, body))
	ps, err := c.Site(siteID).PriceSource().Prices(t.Context(), t0, t0.Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, 0.125, ps[0].PerKWh)
	assert.False(t, ps[0].Forecast)
	assert.Nil(t, ps[0].Low, "a settled price has no band")
	assert.Nil(t, ps[0].High, "a settled price has no band")
}

func TestPriceSourceChoosesEndpoints(t *testing.T) {
	cases := []struct {
		name     string
		opts     []PriceSourceOption
		from, to time.Duration
		want     []string // path?query of each request, in order
	}{
		{"near now, sized at 5 minutes", nil, -time.Hour, 12 * time.Hour,
			[]string{"/prices/current?next=144&previous=12"}},
		{"near now at 30 minutes", []PriceSourceOption{WithPriceResolution(Resolution30)}, -time.Hour, 12 * time.Hour,
			[]string{"/prices/current?next=24&previous=2&resolution=30"}},
		{"the past", nil, -72 * time.Hour, -70 * time.Hour,
			[]string{"/prices?endDate=2026-01-25&startDate=2026-01-25"}},
		{"the past into the future", nil, -72 * time.Hour, 2 * time.Hour,
			[]string{"/prices?endDate=2026-01-28&startDate=2026-01-25", "/prices/current?next=24"}},
		{"far ahead is capped", nil, time.Hour, 30 * 24 * time.Hour,
			[]string{"/prices/current?next=2048"}},
		{"the end of time is capped", nil, time.Hour, time.Duration(math.MaxInt64),
			[]string{"/prices/current?next=2048"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, _ := newMock(t)
			var got []string
			rec := func(r *http.Request) (*http.Response, error) {
				got = append(got, strings.TrimPrefix(r.URL.Path, "/v1/sites/"+siteID)+"?"+r.URL.Query().Encode())
				return httpmock.NewStringResponse(200, "[]"), nil
			}
			mt.RegisterNoResponder(rec)
			_, err := c.Site(siteID).PriceSource(tc.opts...).Prices(t.Context(), t0.Add(tc.from), t0.Add(tc.to))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "requests")
		})
	}
}

// TestPriceSourceLearnsIntervalLength: after an answer in 30-minute
// intervals, requests are sized for 30 minutes, not 5.
func TestPriceSourceLearnsIntervalLength(t *testing.T) {
	c, mt, _ := newMock(t)
	var queries []url.Values
	body := `[{"type":"CurrentInterval","duration":30,"endTime":"2026-01-28T00:30:00Z","channelType":"general","estimate":true,"perKwh":20,"spotPerKwh":10}]`
	mt.RegisterResponder(http.MethodGet, base+"/sites/"+siteID+"/prices/current", func(r *http.Request) (*http.Response, error) {
		queries = append(queries, r.URL.Query())
		return httpmock.NewStringResponse(200, body), nil
	})
	src := c.Site(siteID).PriceSource()
	for range 2 {
		_, err := src.Prices(t.Context(), t0, t0.Add(6*time.Hour))
		require.NoError(t, err)
	}
	require.Len(t, queries, 2)
	assert.Equal(t, "72", queries[0].Get("next"), "the 5-minute guess")
	assert.Equal(t, "12", queries[1].Get("next"), "the learned 30 minutes")
}
