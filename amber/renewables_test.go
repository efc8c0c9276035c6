package amber

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
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
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 3 {
			t.Fatalf("got %d, want 3", len(rs))
		}
		if rs[0].Kind != RenewableActual || rs[1].Kind != RenewableCurrent || rs[2].Kind != RenewableForecast {
			t.Errorf("kinds %v %v %v", rs[0].Kind, rs[1].Kind, rs[2].Kind)
		}
		r := rs[2]
		if r.Renewables != 61.5 || r.Descriptor != RenewablesGreat || r.Duration != 30*time.Minute ||
			!r.Start().Equal(time.Date(2021, 5, 5, 2, 30, 0, 0, time.UTC)) || r.Date != NewDate(2021, 5, 5) {
			t.Errorf("forecast = %+v", r)
		}
	}
	if _, ok := c.RateLimit(); ok {
		t.Error("the renewables endpoint set the rate-limit state")
	}
	if RenewableForecast.String() != "ForecastRenewable" || RenewableKind(9).String() != "RenewableKind(9)" {
		t.Error("RenewableKind.String")
	}
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
	if _, err := c.CurrentRenewables(t.Context(), NSW, RenewablesParams{}); err == nil {
		t.Error("an unknown renewable type decoded")
	}
	mt.RegisterResponder(http.MethodGet, base+"/state/qld/renewables/current",
		httpmock.NewStringResponder(200, `[{"type":"ActualRenewable","duration":30}]`))
	if _, err := c.CurrentRenewables(t.Context(), QLD, RenewablesParams{}); err == nil {
		t.Error("a renewable without endTime decoded")
	}
	mt.RegisterResponder(http.MethodGet, base+"/state/sa/renewables/current",
		httpmock.NewStringResponder(404, `{"message":"State not found"}`))
	_, err := c.CurrentRenewables(t.Context(), SA, RenewablesParams{})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 || ae.Message != "State not found" {
		t.Errorf("err = %v; want a 404 *APIError", err)
	}
}
