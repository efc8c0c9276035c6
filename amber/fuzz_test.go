package amber

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzIntervals feeds arbitrary bodies to the interval decoder: it must
// return an error or intervals it can place in time, and never panic.
func FuzzIntervals(f *testing.F) {
	for _, name := range []string{"prices_current.json", "prices_range.json", "prices_unknown_descriptor.json",
		"prices_unknown_type.json", "malformed.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`[{"type":"CurrentInterval","duration":1e300,"endTime":"2026-01-28T00:20:00Z","channelType":"general"}]`))
	f.Add([]byte(`[null]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var ivs Intervals
		if err := json.Unmarshal(b, &ivs); err != nil {
			return
		}
		for i, iv := range ivs {
			require.NotNil(t, iv, "interval %d", i)
			base := iv.Base()
			placed := base.Duration > 0 && !base.EndTime.IsZero() && base.ChannelType != "" && base.Start().Before(base.End())
			require.True(t, placed, "interval %d accepted without a place in time: %+v", i, base)
		}
		if len(ivs) > 0 {
			_ = (&PriceSource{channels: []ChannelType{ChannelGeneral, ChannelFeedIn, ChannelControlledLoad}}).convert(ivs, ivs[0].Base().Start(), ivs[0].Base().End())
		}
	})
}

// FuzzUsageAndRenewables does the same for the other two list decoders.
func FuzzUsageAndRenewables(f *testing.F) {
	f.Add(fixture(f, "usage.json"))
	f.Add(fixture(f, "renewables.json"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var us []Usage
		if json.Unmarshal(b, &us) == nil {
			for _, u := range us {
				require.True(t, u.Duration > 0 && !u.EndTime.IsZero(), "usage accepted without a place in time: %+v", u)
			}
		}
		var rs []Renewable
		if json.Unmarshal(b, &rs) == nil {
			for _, r := range rs {
				require.True(t, r.Duration > 0 && !r.EndTime.IsZero() && r.Kind != 0, "renewable accepted without a place in time or kind: %+v", r)
			}
		}
	})
}

// FuzzRateLimitHeaders: headers come from the network; parsing them must
// never panic, and what it accepts must be sane.
func FuzzRateLimitHeaders(f *testing.F) {
	f.Add("50", "37", "212", "50;w=300")
	f.Add("1000", "3", "9", `50;w=300, 1000;w=86400;comment="daily"`)
	f.Add("", "", "", `"default";q=50;w=300`)
	f.Add("5", "x", "-1", ";;,")
	f.Fuzz(func(t *testing.T, limit, remaining, reset, policy string) {
		h := http.Header{}
		h.Set("RateLimit-Limit", limit)
		h.Set("RateLimit-Remaining", remaining)
		h.Set("RateLimit-Reset", reset)
		h.Set("RateLimit-Policy", policy)
		st, ok, err := parseRateLimit(h, t0)
		if err != nil || !ok {
			return
		}
		sane := st.Reset >= 0 && st.Window >= 0 && (st.Limit >= 0 || limit == "" || policy == "")
		require.True(t, sane, "accepted an insane state %+v", st)
	})
}
