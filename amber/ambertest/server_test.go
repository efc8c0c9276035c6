package ambertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/clock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// now is 16:47 in the NEM on 28 January 2026.
var now = time.Date(2026, 1, 28, 6, 47, 0, 0, time.UTC)

type fixture struct {
	t   *testing.T
	srv *Server
	fc  *clock.Fake
}

func start(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	fc := clock.NewFake(now)
	srv := NewServer(append([]Option{WithClock(fc)}, opts...)...)
	t.Cleanup(srv.Close)
	return &fixture{t, srv, fc}
}

// get sends a GET with the server's token (auth false: without one) and
// returns the status, headers and body.
func (f *fixture) get(path string, auth bool) (int, http.Header, []byte) {
	f.t.Helper()
	req, err := http.NewRequestWithContext(f.t.Context(), http.MethodGet, f.srv.URL+path, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+f.srv.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// getJSON expects 200 and decodes the body into out.
func (f *fixture) getJSON(path string, out any) http.Header {
	f.t.Helper()
	status, h, b := f.get(path, true)
	if status != http.StatusOK {
		f.t.Fatalf("GET %s: %d %s", path, status, b)
	}
	if ct := h.Get("Content-Type"); ct != "application/json" {
		f.t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		f.t.Fatalf("GET %s: %v\n%s", path, err, b)
	}
	return h
}

func TestListensOnLoopback(t *testing.T) {
	f := start(t)
	if !strings.HasPrefix(f.srv.URL, "http://127.0.0.1:") || !strings.HasSuffix(f.srv.URL, "/v1") {
		t.Errorf("URL = %s", f.srv.URL)
	}
}

func TestAuth(t *testing.T) {
	f := start(t, WithToken("psk_other"))
	for _, path := range []string{"/sites", "/sites/" + DefaultSiteID + "/prices/current", "/sites/" + DefaultSiteID + "/prices",
		"/sites/" + DefaultSiteID + "/usage?startDate=2026-01-20&endDate=2026-01-20"} {
		status, h, body := f.get(path, false)
		if status != http.StatusUnauthorized || !strings.Contains(string(body), `"message"`) {
			t.Errorf("GET %s without a token: %d %s", path, status, body)
		}
		if h.Get("RateLimit-Limit") != "" {
			t.Errorf("GET %s: a 401 carries rate-limit headers", path)
		}
	}
	var sites []wireSite
	f.getJSON("/sites", &sites)
	if len(sites) != 2 || sites[1].ID != f.srv.SiteID || sites[1].Status != "active" || sites[0].ClosedOn == "" {
		t.Errorf("sites = %+v", sites)
	}
}

func TestCurrentPricesShape(t *testing.T) {
	f := start(t, WithIntervalLength(5), WithControlledLoad())
	var ivs []wireInterval
	h := f.getJSON("/sites/"+DefaultSiteID+"/prices/current?next=6&previous=3", &ivs)
	if h.Get("RateLimit-Policy") != "50;w=300" || h.Get("RateLimit-Remaining") != "49" || h.Get("RateLimit-Reset") != "300" {
		t.Errorf("rate-limit headers %v", h)
	}
	if len(ivs) != 3*10 {
		t.Fatalf("got %d intervals, want 30 (3 channels × (3 + 1 + 6))", len(ivs))
	}
	for i, iv := range ivs {
		ch := []string{"general", "controlledLoad", "feedIn"}[i/10]
		typ := map[bool]string{true: "ActualInterval"}[i%10 < 3]
		if i%10 == 3 {
			typ = "CurrentInterval"
		} else if i%10 > 3 {
			typ = "ForecastInterval"
		}
		if iv.ChannelType != ch || iv.Type != typ || iv.Duration != 5 {
			t.Fatalf("ivs[%d] = %s %s %d; want %s %s 5", i, iv.ChannelType, iv.Type, iv.Duration, ch, typ)
		}
		end, _ := time.Parse(time.RFC3339, iv.EndTime)
		startT, _ := time.Parse(time.RFC3339, iv.StartTime)
		nem, _ := time.Parse(time.RFC3339, iv.NEMTime)
		if end.Sub(startT) != 5*time.Minute-time.Second || !nem.Equal(end) || !strings.HasSuffix(iv.NEMTime, "+10:00") ||
			!strings.HasSuffix(iv.EndTime, "Z") || iv.Date != "2026-01-28" {
			t.Errorf("ivs[%d] times: start %s end %s nem %s date %s", i, iv.StartTime, iv.EndTime, iv.NEMTime, iv.Date)
		}
		if (typ == "ActualInterval") != (iv.AdvancedPrice == nil) || (typ == "CurrentInterval") != (iv.Estimate != nil) {
			t.Errorf("ivs[%d] %s: advancedPrice %v, estimate %v", i, typ, iv.AdvancedPrice, iv.Estimate)
		}
		if a := iv.AdvancedPrice; a != nil && !(a.Low <= a.Predicted && a.Predicted <= a.High) {
			t.Errorf("ivs[%d]: advancedPrice %+v out of order", i, a)
		}
		if ch == "feedIn" && iv.PerKWh != -round(iv.SpotPerKWh*0.95, 5) {
			t.Errorf("ivs[%d]: feed-in perKwh %v for spot %v", i, iv.PerKWh, iv.SpotPerKWh)
		}
	}
	cur := ivs[3]
	if !strings.HasPrefix(cur.EndTime, "2026-01-28T06:50:00") || !*cur.Estimate {
		t.Errorf("current = %+v (now %v)", cur, now)
	}
	// In the interval's last sixth the price is locked in.
	f.fc.Set(time.Date(2026, 1, 28, 6, 49, 30, 0, time.UTC))
	f.getJSON("/sites/"+DefaultSiteID+"/prices/current", &ivs)
	if len(ivs) != 3 || *ivs[0].Estimate {
		t.Errorf("late in the interval: %+v", ivs[0])
	}
}

func TestDeterministic(t *testing.T) {
	f := start(t)
	path := "/sites/" + DefaultSiteID + "/prices?startDate=2026-01-20&endDate=2026-01-26"
	_, _, a := f.get(path, true)
	_, _, b := f.get(path, true)
	if !bytes.Equal(a, b) {
		t.Error("the same request gave different answers")
	}
	// Same interval, same price, whichever endpoint returns it.
	var ranged, current []wireInterval
	f.getJSON("/sites/"+DefaultSiteID+"/prices?startDate=2026-01-28&endDate=2026-01-28", &ranged)
	f.getJSON("/sites/"+DefaultSiteID+"/prices/current?previous=2&next=2", &current)
	byEnd := map[string]wireInterval{}
	for _, iv := range ranged {
		byEnd[iv.ChannelType+iv.EndTime] = iv
	}
	for _, iv := range current {
		r := byEnd[iv.ChannelType+iv.EndTime]
		if r.PerKWh != iv.PerKWh || r.Type != iv.Type {
			t.Errorf("%s %s: /prices says %v %s, /prices/current %v %s", iv.ChannelType, iv.EndTime, r.PerKWh, r.Type, iv.PerKWh, iv.Type)
		}
	}
}

func TestPriceShape(t *testing.T) {
	f := start(t)
	var ivs []wireInterval
	f.getJSON("/sites/"+DefaultSiteID+"/prices?startDate=2026-01-01&endDate=2026-01-07&resolution=30", &ivs)
	if len(ivs) != 2*7*48 {
		t.Fatalf("got %d, want %d", len(ivs), 2*7*48)
	}
	spikes, negative := 0, 0
	var night, evening float64
	descriptors := map[string]bool{}
	for _, iv := range ivs[:7*48] {
		descriptors[iv.Descriptor] = true
		if iv.SpikeStatus == "spike" {
			spikes++
		}
		if iv.SpotPerKWh < 0 {
			negative++
		}
		end, _ := time.Parse(time.RFC3339, iv.EndTime)
		switch end.In(nem).Hour() {
		case 3:
			night += iv.PerKWh
		case 19:
			evening += iv.PerKWh
		}
	}
	if spikes == 0 || spikes > 20 {
		t.Errorf("%d spike intervals in a week; want a few", spikes)
	}
	if negative == 0 {
		t.Error("no negative spot price at midday all week")
	}
	if evening <= night {
		t.Errorf("evening prices (%v) not above night prices (%v)", evening, night)
	}
	if len(descriptors) < 4 {
		t.Errorf("descriptors %v; want a spread", descriptors)
	}
}

func TestLimits(t *testing.T) {
	f := start(t)
	site := "/sites/" + DefaultSiteID
	cases := []struct {
		path   string
		status int
	}{
		{site + "/prices/current?next=2000&previous=49", 422},
		{site + "/prices/current?next=2000&previous=48", 200},
		{site + "/prices/current?next=9223372036854775807&previous=1", 422},
		{"/state/sa/renewables/current?next=1&previous=9223372036854775807", 422},
		{site + "/prices/current?next=-1", 400},
		{site + "/prices/current?next=ten", 400},
		{site + "/prices/current?resolution=15", 400},
		{site + "/prices?startDate=2026-01-01&endDate=2026-01-09", 422},
		{site + "/prices?startDate=2026-01-01&endDate=2026-01-08", 200},
		{site + "/prices?startDate=2026-01-02&endDate=2026-01-01", 400},
		{site + "/prices?startDate=01/02/2026", 400},
		{site + "/usage?startDate=2026-01-01", 400},
		{site + "/usage?startDate=2026-01-01&endDate=2026-01-09", 422},
		{site + "/usage?startDate=2026-01-29&endDate=2026-01-29", 400},
		{"/sites/01NOSUCHSITE/prices/current", 404},
		{"/state/tas/renewables/current", 404},
		{"/nowhere", 404},
	}
	for _, tc := range cases {
		status, _, body := f.get(tc.path, true)
		if status != tc.status {
			t.Errorf("GET %s: %d %s; want %d", tc.path, status, body, tc.status)
		}
		var e wireError
		if status != 200 && (json.Unmarshal(body, &e) != nil || e.Message == "") {
			t.Errorf("GET %s: error body %s is not {\"message\": …}", tc.path, body)
		}
	}
}

func TestQuota(t *testing.T) {
	f := start(t, WithQuota(3, time.Minute))
	for i := range 3 {
		status, h, _ := f.get("/sites", true)
		if status != 200 || h.Get("RateLimit-Remaining") != strconv.Itoa(2-i) {
			t.Fatalf("request %d: %d, Remaining %s", i, status, h.Get("RateLimit-Remaining"))
		}
		f.fc.Advance(10 * time.Second)
	}
	status, h, body := f.get("/sites", true)
	if status != http.StatusTooManyRequests || h.Get("RateLimit-Remaining") != "0" || h.Get("RateLimit-Reset") != "30" ||
		h.Get("RateLimit-Policy") != "3;w=60" || string(body) != `{"message":"Too Many Requests"}` {
		t.Fatalf("over quota: %d %v %s", status, h, body)
	}
	// The public endpoint neither counts nor is refused, and says nothing
	// about the quota.
	status, h, _ = f.get("/state/sa/renewables/current?next=2", false)
	if status != 200 || h.Get("RateLimit-Limit") != "" {
		t.Errorf("renewables over quota: %d %v", status, h)
	}
	f.fc.Advance(30 * time.Second)
	if status, h, _ := f.get("/sites", true); status != 200 || h.Get("RateLimit-Remaining") != "2" || h.Get("RateLimit-Reset") != "60" {
		t.Errorf("after the window: %d %v", status, h)
	}
	if n := f.srv.Requests(); n != 6 {
		t.Errorf("Requests() = %d, want 6", n)
	}
}

func TestUsageShape(t *testing.T) {
	f := start(t)
	var us []wireUsage
	f.getJSON("/sites/"+DefaultSiteID+"/usage?startDate=2026-01-27&endDate=2026-01-28", &us)
	// Only the 27th: the 28th is today, its meter data not in yet.
	if len(us) != 2*48 {
		t.Fatalf("got %d records, want 96", len(us))
	}
	var imported, exported float64
	for _, u := range us {
		if u.Type != "Usage" || (u.Quality != "billable" && u.Quality != "estimated") || u.Date != "2026-01-27" {
			t.Fatalf("record %+v", u)
		}
		if diff := u.Cost - u.KWh*u.PerKWh; diff > 1e-4 || diff < -1e-4 {
			t.Errorf("cost %v is not kwh × perKwh (%v × %v)", u.Cost, u.KWh, u.PerKWh)
		}
		switch u.ChannelIdentifier {
		case "E1":
			imported += u.KWh
		case "B1":
			exported += u.KWh
		}
	}
	if imported < 5 || imported > 40 || exported > -3 {
		t.Errorf("a day's import %v kWh, export %v kWh: not a household with solar", imported, exported)
	}
}

func TestRenewables(t *testing.T) {
	f := start(t)
	var sa, vic []wireRenewable
	status, _, body := f.get("/state/sa/renewables/current?next=4&previous=2", false)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if err := json.Unmarshal(body, &sa); err != nil {
		t.Fatal(err)
	}
	f.getJSON("/state/vic/renewables/current?next=4&previous=2", &vic)
	if len(sa) != 7 || sa[0].Type != "ActualRenewable" || sa[2].Type != "CurrentRenewable" || sa[6].Type != "ForecastRenewable" ||
		sa[0].Duration != 30 {
		t.Fatalf("sa = %+v", sa)
	}
	for i := range sa {
		if sa[i].Renewables <= vic[i].Renewables || sa[i].Renewables > 100 || sa[i].Descriptor == "" {
			t.Errorf("interval %d: sa %v%% (%s), vic %v%%", i, sa[i].Renewables, sa[i].Descriptor, vic[i].Renewables)
		}
	}
}

func TestFailNext(t *testing.T) {
	f := start(t)
	f.srv.FailNext(2, http.StatusServiceUnavailable)
	for range 2 {
		if status, h, body := f.get("/sites", true); status != 503 || h.Get("RateLimit-Remaining") == "" ||
			string(body) != `{"message":"Service Unavailable"}` {
			t.Fatalf("%d %s", status, body)
		}
	}
	if status, _, _ := f.get("/sites", true); status != 200 {
		t.Errorf("third request: %d", status)
	}
}
