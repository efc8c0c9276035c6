package alphaess_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess"
)

// The developer portal's worked example, re-computed with Python's hashlib.
func TestSignPortalVector(t *testing.T) {
	got := alphaess.Sign("alphaef7900ee81dbbce9", "c2d2ef6c047c49678e2c332fb2d74c3c", "1676353875")
	want := "0f023c2287b8f6b21b0994947465f8e9de0e1542567b1735bdc6c427336b9b6406285cd94f9215c3e9af958df37fb11c2c9fe792713d8afbdb8c463359a1add8"
	require.Equal(t, want, got)
}

// checkSigned checks that r carries the three headers, that the timestamp
// is want (Unix seconds) and that the signature is made from it.
func checkSigned(t *testing.T, r *http.Request, want time.Time) string {
	t.Helper()
	ts := r.Header.Get("timeStamp")
	assert.Equal(t, testAppID, r.Header.Get("appId"))
	assert.Equal(t, strconv.FormatInt(want.Unix(), 10), ts, "timeStamp: seconds, from the client's clock")
	assert.Equal(t, alphaess.Sign(testAppID, testSecret, ts), r.Header.Get("sign"), "sign does not match timeStamp %s", ts)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "Content-Type on %s", r.Method)
	return ts
}

func TestEveryRequestSigned(t *testing.T) {
	c, m := newMock(t)
	m.on(http.MethodGet, "getEssList", fixture(t, "getEssList.json"))
	m.on(http.MethodPost, "unBindSn", fixture(t, "ok_null.json"))
	ctx := context.Background()
	before := m.clock.Now()
	_, err := c.ListSystems(ctx)
	require.NoError(t, err)
	checkSigned(t, m.last(t).req, before)
	m.clock.Advance(42 * time.Second)
	now := m.clock.Now()
	require.NoError(t, c.Unbind(ctx))
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
	_, err := c.LastPowerData(context.Background())
	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 2, "502 then 200")
	ts1, ts2 := reqs[0].req.Header.Get("timeStamp"), reqs[1].req.Header.Get("timeStamp")
	require.NotEqual(t, ts1, ts2, "the retry reused the timeStamp")
	require.NotEqual(t, reqs[0].req.Header.Get("sign"), reqs[1].req.Header.Get("sign"), "the retry reused the sign")
	checkSigned(t, reqs[0].req, t0)
	second, _ := strconv.ParseInt(ts2, 10, 64)
	assert.GreaterOrEqual(t, second, t0.Unix()+3, "the retry's timeStamp must follow the clock")
	assert.Equal(t, alphaess.Sign(testAppID, testSecret, ts2), reqs[1].req.Header.Get("sign"), "retry sign does not match its timeStamp")
}

// The retry after a 6053 slow-down is signed afresh too.
func TestSignFreshAfterSlowDown(t *testing.T) {
	c, m := newMock(t, alphaess.WithMinInterval(0))
	m.on(http.MethodGet, "getLastPowerData", fixture(t, "error_6053.json"), fixture(t, "getLastPowerData.json"))
	_, err := c.LastPowerData(context.Background())
	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 2)
	checkSigned(t, reqs[0].req, t0)
	checkSigned(t, reqs[1].req, t0.Add(alphaess.DefaultMinInterval))
}
