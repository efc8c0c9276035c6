package amber

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
)

// headers builds an http.Header from key, value pairs.
func headers(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// TestLimiterWaitsAreBounded: a 200 announcing that the quota is spent for
// a year, or a policy with a year-long window, must not make the next call
// block for a year. It fails at once with a *RateLimitError (no request
// sent), or goes ahead; every wait stays within Amber's window plus the
// margin; and once that bound has passed the client asks the server again.
func TestLimiterWaitsAreBounded(t *testing.T) {
	const year = "31536000"
	for _, tc := range []struct {
		name string
		h    http.Header
	}{
		{"remaining 0, reset in a year", headers("RateLimit-Limit", "50", "RateLimit-Remaining", "0", "RateLimit-Reset", year, "RateLimit-Policy", "50;w=300")},
		{"policy of one a year", headers("RateLimit-Policy", "1;w="+year)},
		{"all of them", headers("RateLimit-Limit", "1", "RateLimit-Remaining", "0", "RateLimit-Reset", year, "RateLimit-Policy", "1;w="+year)},
		{"reset too large for a duration", headers("RateLimit-Remaining", "0", "RateLimit-Reset", "9223372037")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, fc := newMock(t)
			mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 200, "sites.json", tc.h))
			_, err := c.Sites(t.Context())
			require.NoError(t, err)
			for range 3 {
				_, err = c.Sites(t.Context())
				if err != nil {
					var rle *RateLimitError
					require.ErrorAs(t, err, &rle)
					assert.True(t, rle.Local, "the refused call was sent")
					assert.True(t, rle.ResetAt.After(fc.Now()), "reset %v is not ahead", rle.ResetAt)
				}
			}
			for _, d := range fc.Sleeps() {
				assert.LessOrEqual(t, d, maxRateWait)
				assert.GreaterOrEqual(t, d, time.Duration(0))
			}
			st, ok := c.RateLimit()
			require.True(t, ok)
			assert.GreaterOrEqual(t, st.Limit, 0)
			assert.GreaterOrEqual(t, st.Remaining, 0)
			// After the bound the server's claim is stale: the call goes out.
			fc.Advance(maxRateWait)
			before := mt.GetTotalCallCount()
			_, err = c.Sites(t.Context())
			require.NoError(t, err)
			assert.Equal(t, before+1, mt.GetTotalCallCount())
		})
	}
}

// TestExplicitBudgetStillWaits: a window the caller chose is theirs; the
// bound does not cut it short.
func TestExplicitBudgetStillWaits(t *testing.T) {
	c, mt, fc := newMock(t, WithRateLimit(1, time.Hour))
	mt.RegisterResponder(http.MethodGet, base+"/sites", httpmock.NewStringResponder(200, "[]"))
	for range 2 {
		_, err := c.Sites(t.Context())
		require.NoError(t, err)
	}
	assert.Equal(t, []time.Duration{time.Hour}, fc.Sleeps())
}

// Test429ResetOverflow: a 429 whose reset does not fit a time.Duration is
// not waited out (nor retried at once after a negative wait) and reports a
// reset ahead, not one in the past.
func Test429ResetOverflow(t *testing.T) {
	for _, h := range []http.Header{
		headers("RateLimit-Reset", "9223372037"),
		headers("Retry-After", "9223372037"),
	} {
		c, mt, fc := newMock(t)
		mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 429, "error_429.json", h))
		_, err := c.Sites(t.Context())
		var rle *RateLimitError
		require.ErrorAs(t, err, &rle)
		assert.Equal(t, 1, mt.GetTotalCallCount())
		assert.Empty(t, fc.Sleeps())
		assert.True(t, rle.ResetAt.After(fc.Now()), "ResetAt %v", rle.ResetAt)
		assert.Less(t, rle.ResetAt.Year(), 2100, "ResetAt %v", rle.ResetAt)
	}
}

// Test429WithOnlyAReset: API Gateway's 429 with RateLimit-Reset alone
// leaves Limit and Remaining known, before and after other answers.
func Test429WithOnlyAReset(t *testing.T) {
	c, mt, _ := newMock(t, WithoutRateLimitWait())
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 429, "error_429.json", headers("RateLimit-Reset", "30")))
	_, err := c.Sites(t.Context())
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	st, ok := c.RateLimit()
	require.True(t, ok)
	assert.Equal(t, DefaultRateLimit, st.Limit)
	assert.Equal(t, 0, st.Remaining)
	assert.Equal(t, 30*time.Second, st.Reset)
	assert.Equal(t, DefaultRateLimit, rle.Limit)
	assert.Equal(t, 0, rle.Remaining)

	c, mt, _ = newMock(t, WithoutRateLimitWait())
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 200, "sites.json", rateHeaders(40, 12, 100)))
	_, err = c.Sites(t.Context())
	require.NoError(t, err)
	mt.RegisterResponder(http.MethodGet, base+"/sites", respond(t, 429, "error_429.json", headers("RateLimit-Reset", "30")))
	_, err = c.Sites(t.Context())
	require.ErrorAs(t, err, &rle)
	st, _ = c.RateLimit()
	assert.Equal(t, 40, st.Limit)
	assert.Equal(t, 0, st.Remaining)
	assert.Equal(t, 300*time.Second, st.Window)
	assert.Equal(t, 40, rle.Limit)
}

// TestNullPriceIsNotFree: a null (or missing) perKwh, spotPerKwh or
// advancedPrice field is a *DecodeError wrapping energy.ErrUnavailable, on
// every price endpoint and through the PriceSource, never a price of 0.
func TestNullPriceIsNotFree(t *testing.T) {
	const ok = `"type":"ForecastInterval","duration":30,"endTime":"2026-01-28T01:00:00Z","channelType":"general"`
	for _, iv := range []string{
		`{` + ok + `,"perKwh":null,"spotPerKwh":10}`,
		`{` + ok + `,"spotPerKwh":10}`,
		`{` + ok + `,"perKwh":20,"spotPerKwh":null}`,
		`{` + ok + `,"perKwh":20,"spotPerKwh":10,"advancedPrice":{"low":1,"predicted":null,"high":3}}`,
		`{` + ok + `,"perKwh":20,"spotPerKwh":10,"range":{"min":1}}`,
	} {
		body := "[" + iv + "]"
		calls := map[string]func(c *Client) error{
			"CurrentPrices": func(c *Client) error {
				_, err := c.CurrentPrices(t.Context(), siteID, CurrentPricesParams{Next: 1})
				return err
			},
			"Prices": func(c *Client) error {
				_, err := c.Prices(t.Context(), siteID, PricesParams{})
				return err
			},
			"PriceSource": func(c *Client) error {
				_, err := c.Site(siteID).PriceSource().Prices(t.Context(), t0, t0.Add(time.Hour))
				return err
			},
		}
		for name, call := range calls {
			t.Run(name, func(t *testing.T) {
				c, mt, _ := newMock(t)
				mt.RegisterNoResponder(httpmock.NewStringResponder(200, body))
				err := call(c)
				var de *DecodeError
				require.ErrorAs(t, err, &de, body)
				assert.ErrorIs(t, err, energy.ErrUnavailable)
			})
		}
	}
}

// TestNullBodyIsNotAnEmptyList: a literal null where a list is due is a
// *DecodeError on every endpoint, not "no sites" or "no prices".
func TestNullBodyIsNotAnEmptyList(t *testing.T) {
	for _, ep := range endpoints {
		for _, body := range []string{"null", " null\n"} {
			t.Run(fmt.Sprintf("%s/%q", ep.name, body), func(t *testing.T) {
				c, mt, _ := newMock(t)
				mt.RegisterNoResponder(httpmock.NewStringResponder(200, body))
				err := ep.call(t.Context(), c)
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.ErrorIs(t, err, energy.ErrUnavailable)
				assert.Equal(t, ep.path, de.Endpoint)
			})
		}
	}
}

// TestUsageRefusesFutureEndDate: a range ending after today is refused
// before any request, as the docs say future days are.
func TestUsageRefusesFutureEndDate(t *testing.T) {
	today := DateOf(t0)
	for _, end := range []Date{today.AddDays(1), today.AddDays(10)} {
		wantRejected(t, end, "EndDate", func(c *Client) error {
			_, err := c.Usage(t.Context(), siteID, UsageParams{StartDate: today.AddDays(-3), EndDate: end})
			return err
		})
	}
}

// TestRedirectKeepsTheToken: a redirect to another origin is a
// *RedirectError, and the token is not sent there.
func TestRedirectKeepsTheToken(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/sites", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(http.StatusFound, "")
		r.Header.Set("Location", "http://api.amber.com.au/v1/sites")
		return r, nil
	})
	var leaked bool
	mt.RegisterResponder(http.MethodGet, "http://api.amber.com.au/v1/sites", func(r *http.Request) (*http.Response, error) {
		leaked = true
		return httpmock.NewStringResponse(200, "[]"), nil
	})
	_, err := c.Sites(t.Context())
	var re *RedirectError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "https://api.amber.com.au", re.From)
	assert.Equal(t, "http://api.amber.com.au", re.To)
	assert.False(t, leaked)
	assert.NotErrorIs(t, err, energy.ErrUnavailable)
}
