package amber

import (
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCurrentRenewables(t *testing.T) {
	c, mt, _ := newMock(t, WithRateLimit(1, time.Hour), WithoutRateLimitWait())
	noAuth := httpmock.NewMatcher("no Authorization", func(r *http.Request) bool { return r.Header.Get("Authorization") == "" })
	mt.RegisterMatcherResponderWithQuery(http.MethodGet, base+"/state/vic/renewables/current", "next=1&previous=1&resolution=30",
		noAuth, respond(t, 200, "renewables.json", nil))
	// The endpoint is public and unmetered: a spent client-side budget
	// does not hold it back.
	for range 3 {
		rs, err := c.CurrentRenewables(t.Context(), VIC, RenewablesParams{Next: 1, Previous: 1, Resolution: Resolution30})
		require.NoError(t, err)
		require.Len(t, rs, 3)
		assert.Equal(t, []RenewableKind{RenewableActual, RenewableCurrent, RenewableForecast}, []RenewableKind{rs[0].Kind, rs[1].Kind, rs[2].Kind})
		r := rs[2]
		assert.Equal(t, 61.5, r.Renewables)
		assert.Equal(t, RenewablesGreat, r.Descriptor)
		assert.Equal(t, 30*time.Minute, r.Duration)
		assert.True(t, r.Start().Equal(time.Date(2021, 5, 5, 2, 30, 0, 0, time.UTC)), "Start %v", r.Start())
		assert.Equal(t, NewDate(2021, 5, 5), r.Date)
	}
	_, ok := c.RateLimit()
	assert.False(t, ok, "the renewables endpoint set the rate-limit state")
	assert.Equal(t, "ForecastRenewable", RenewableForecast.String())
	assert.Equal(t, "RenewableKind(9)", RenewableKind(9).String())
}

func TestCurrentRenewablesLimits(t *testing.T) {
	cases := []struct {
		state State
		p     RenewablesParams
		field string
	}{
		{"tas", RenewablesParams{}, "state"},
		{"VIC", RenewablesParams{}, "state"},
		{SA, RenewablesParams{Next: -1}, "Next"},
		{SA, RenewablesParams{Previous: -2}, "Previous"},
		{SA, RenewablesParams{Resolution: 10}, "Resolution"},
	}
	for _, tc := range cases {
		wantRejected(t, tc, tc.field, func(c *Client) error {
			_, err := c.CurrentRenewables(t.Context(), tc.state, tc.p)
			return err
		})
	}
}

func TestCurrentRenewablesUnknownType(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/state/nsw/renewables/current",
		httpmock.NewStringResponder(200, `[{"type":"PastRenewable","duration":30,"endTime":"2021-05-05T02:00:00Z"}]`))
	_, err := c.CurrentRenewables(t.Context(), NSW, RenewablesParams{})
	assert.Error(t, err, "an unknown renewable type decoded")
	mt.RegisterResponder(http.MethodGet, base+"/state/qld/renewables/current",
		httpmock.NewStringResponder(200, `[{"type":"ActualRenewable","duration":30}]`))
	_, err = c.CurrentRenewables(t.Context(), QLD, RenewablesParams{})
	assert.Error(t, err, "a renewable without endTime decoded")
	mt.RegisterResponder(http.MethodGet, base+"/state/sa/renewables/current",
		httpmock.NewStringResponder(404, `{"message":"State not found"}`))
	_, err = c.CurrentRenewables(t.Context(), SA, RenewablesParams{})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 404, ae.StatusCode)
	assert.Equal(t, "State not found", ae.Message)
}
