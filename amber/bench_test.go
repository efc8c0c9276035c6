package amber_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gridwire/gridwire/amber"
	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/clock"
)

// benchBody is a realistic /prices/current answer: 12 actual intervals, the
// current one and 48 forecasts (a day at 30 minutes) on two channels, as
// ambertest renders them.
func benchBody(b *testing.B) []byte {
	b.Helper()
	fc := clock.NewFake(time.Date(2026, 1, 28, 0, 17, 0, 0, time.UTC))
	srv := ambertest.NewServer(ambertest.WithClock(fc))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/sites/"+srv.SiteID+"/prices/current?next=48&previous=12", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("%d %v", resp.StatusCode, err)
	}
	return body
}

// flatInterval is what a hand-written client would decode into: every
// field of every kind in one struct, dates left as strings.
type flatInterval struct {
	Type              string    `json:"type"`
	Duration          int       `json:"duration"`
	SpotPerKwh        float64   `json:"spotPerKwh"`
	PerKwh            float64   `json:"perKwh"`
	Date              string    `json:"date"`
	NemTime           time.Time `json:"nemTime"`
	StartTime         time.Time `json:"startTime"`
	EndTime           time.Time `json:"endTime"`
	Renewables        float64   `json:"renewables"`
	ChannelType       string    `json:"channelType"`
	TariffInformation *struct {
		Period string `json:"period"`
		Season string `json:"season"`
	} `json:"tariffInformation"`
	SpikeStatus   string  `json:"spikeStatus"`
	Descriptor    string  `json:"descriptor"`
	Estimate      *bool   `json:"estimate"`
	Range         *Rng    `json:"range"`
	AdvancedPrice *AdvPrc `json:"advancedPrice"`
}

// Rng mirrors Range for the baseline.
type Rng struct{ Min, Max float64 }

// AdvPrc mirrors AdvancedPrice for the baseline.
type AdvPrc struct{ Low, Predicted, High float64 }

// BenchmarkCurrentPrices compares CurrentPrices through the client (rest
// layer, rate-limit bookkeeping, typed decoding) with a bare net/http +
// encoding/json call against the same server returning the same bytes, in
// one run: time/op and allocs/op of each, and their ratio (goal ≤ 1.3).
//
//	go test -bench CurrentPrices -benchmem -run '^$' ./amber
func BenchmarkCurrentPrices(b *testing.B) {
	body := benchBody(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("RateLimit-Limit", "50")
		h.Set("RateLimit-Remaining", "49")
		h.Set("RateLimit-Reset", "300")
		h.Set("RateLimit-Policy", "50;w=300")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	b.Logf("body: %d bytes, 122 intervals", len(body))

	url := srv.URL + "/sites/" + ambertest.DefaultSiteID + "/prices/current?next=48&previous=12"
	bare := func(b *testing.B) {
		req, err := http.NewRequestWithContext(b.Context(), http.MethodGet, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+ambertest.DefaultToken)
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out []flatInterval
		err = json.NewDecoder(resp.Body).Decode(&out)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || len(out) != 122 {
			b.Fatalf("%d intervals, %v", len(out), err)
		}
	}
	viaClient := func(b *testing.B, c *amber.Client) {
		ivs, err := c.CurrentPrices(b.Context(), ambertest.DefaultSiteID, amber.CurrentPricesParams{Next: 48, Previous: 12})
		if err != nil || len(ivs) != 122 {
			b.Fatalf("%d intervals, %v", len(ivs), err)
		}
	}
	// The limiter stays on, with a budget the loop cannot spend (the
	// default 50 per 300 s would make the benchmark wait for minutes).
	limited := amber.WithRateLimit(1<<30, time.Second)

	b.Run("baseline-net-http", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			bare(b)
		}
	})
	run := func(name string, opts ...amber.Option) {
		b.Run(name, func(b *testing.B) {
			c := newBenchClient(b, srv.URL, opts...)
			b.ReportAllocs()
			for b.Loop() {
				viaClient(b, c)
			}
		})
	}
	run("client", limited)
	run("client-no-limiter", amber.WithRateLimit(0, 0))
	// The ratio, measured with the two calls interleaved so that both see
	// the same load on a machine whose cores are shared (CI's are): its
	// ns/op is one call of each; client/baseline is the goal's figure.
	b.Run("ratio", func(b *testing.B) {
		c := newBenchClient(b, srv.URL, limited)
		var n int
		var tBare, tClient time.Duration
		for b.Loop() {
			start := time.Now()
			bare(b)
			mid := time.Now()
			viaClient(b, c)
			tBare, tClient = tBare+mid.Sub(start), tClient+time.Since(mid)
			n++
		}
		b.ReportMetric(float64(tBare.Nanoseconds())/float64(n), "baseline-ns/op")
		b.ReportMetric(float64(tClient.Nanoseconds())/float64(n), "client-ns/op")
		b.ReportMetric(float64(tClient)/float64(tBare), "client/baseline")
	})
}

func newBenchClient(b *testing.B, url string, opts ...amber.Option) *amber.Client {
	c, err := amber.New(ambertest.DefaultToken, append([]amber.Option{amber.WithBaseURL(url)}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return c
}
