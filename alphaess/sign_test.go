package alphaess_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/gridwire/gridwire/alphaess"
)

// The developer portal's worked example (reference §1.1), re-computed there
// with Python's hashlib.
func TestSignPortalVector(t *testing.T) {
	got := alphaess.Sign("alphaef7900ee81dbbce9", "c2d2ef6c047c49678e2c332fb2d74c3c", "1676353875")
	want := "0f023c2287b8f6b21b0994947465f8e9de0e1542567b1735bdc6c427336b9b6406285cd94f9215c3e9af958df37fb11c2c9fe792713d8afbdb8c463359a1add8"
	if got != want {
		t.Fatalf("Sign = %s\nwant   %s", got, want)
	}
}

// checkSigned checks that r carries the three headers, that the timestamp
// is want (Unix seconds) and that the signature is made from it.
func checkSigned(t *testing.T, r *http.Request, want time.Time) string {
	t.Helper()
	ts := r.Header.Get("timeStamp")
	if r.Header.Get("appId") != testAppID {
		t.Errorf("appId = %q", r.Header.Get("appId"))
	}
	if ts != strconv.FormatInt(want.Unix(), 10) {
		t.Errorf("timeStamp = %q, want %d (seconds, from the client's clock)", ts, want.Unix())
	}
	if got := r.Header.Get("sign"); got != alphaess.Sign(testAppID, testSecret, ts) {
		t.Errorf("sign = %q does not match timeStamp %s", got, ts)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q on %s", ct, r.Method)
	}
	return ts
}

func TestEveryRequestSigned(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList.json"))
	m.on(http.MethodPost, "unBindSn", fixture(t, "ok_null.json"))
	ctx := context.Background()
	before := m.clock.Now()
	if _, err := c.ListSystems(ctx); err != nil {
		t.Fatal(err)
	}
	checkSigned(t, m.last(t).req, before)
	m.clock.Advance(42 * time.Second)
	now := m.clock.Now()
	if err := c.Unbind(ctx); err != nil {
		t.Fatal(err)
	}
	checkSigned(t, m.last(t).req, now)
}

// A 502 during maintenance is retried; the retry must carry its own fresh
// timestamp and signature (internal/rest calls the signer per attempt).
func TestSignFreshOnRetry(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	slowGateway := func(req *http.Request) (*http.Response, error) {
		m.clock.Advance(3 * time.Second) // the gateway took its time
		return body(http.StatusBadGateway, string(readFixture(t, "gateway_502.html")))(req)
	}
	m.on(http.MethodGet, "getLastPowerData", slowGateway, fixture(t, "getLastPowerData.json"))
	if _, err := c.LastPowerData(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := m.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2 (502 then 200)", len(reqs))
	}
	ts1, ts2 := reqs[0].req.Header.Get("timeStamp"), reqs[1].req.Header.Get("timeStamp")
	if ts1 == ts2 || reqs[0].req.Header.Get("sign") == reqs[1].req.Header.Get("sign") {
		t.Fatalf("retry reused timeStamp %s / sign; want fresh ones", ts1)
	}
	checkSigned(t, reqs[0].req, t0)
	second, _ := strconv.ParseInt(ts2, 10, 64)
	if second < t0.Unix()+3 {
		t.Errorf("retry timeStamp %s is not after the clock moved", ts2)
	}
	if got := reqs[1].req.Header.Get("sign"); got != alphaess.Sign(testAppID, testSecret, ts2) {
		t.Errorf("retry sign does not match its timeStamp")
	}
}

// The retry after a 6053 slow-down is signed afresh too.
func TestSignFreshAfterSlowDown(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6053.json"), fixture(t, "getLastPowerData.json"))
	if _, err := c.LastPowerData(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := m.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	checkSigned(t, reqs[0].req, t0)
	checkSigned(t, reqs[1].req, t0.Add(alphaess.DefaultMinInterval))
}
