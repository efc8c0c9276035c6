package alphaesstest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/clock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 8, 4, 12, 0, 0, 0, time.UTC)

type answer struct {
	status int
	header http.Header
	raw    []byte
	Code   int             `json:"code"`
	Msg    string          `json:"msg"`
	ExpMsg *string         `json:"expMsg"`
	Data   json.RawMessage `json:"data"`
}

// fake is a server on a fake clock and a raw client for it, signed with the
// fake's own Sign so the fake is tested apart from package alphaess.
type fake struct {
	*alphaesstest.Server
	t     *testing.T
	clock *clock.Fake
}

func newFake(t *testing.T, opts ...alphaesstest.Option) *fake {
	fc := clock.NewFake(t0)
	srv := alphaesstest.NewServer(append([]alphaesstest.Option{alphaesstest.WithClock(fc)}, opts...)...)
	t.Cleanup(srv.Close)
	return &fake{srv, t, fc}
}

// do sends a signed request; edit may change the headers after signing.
func (f *fake) do(method, endpoint string, params map[string]any, edit func(http.Header)) answer {
	f.t.Helper()
	u := f.URL + "/" + endpoint
	var body io.Reader
	if method == http.MethodGet {
		q := url.Values{}
		for k, v := range params {
			q.Set(k, v.(string))
		}
		u += "?" + q.Encode()
	} else {
		b, err := json.Marshal(params)
		require.NoError(f.t, err)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, body)
	require.NoError(f.t, err)
	ts := strconv.FormatInt(f.clock.Now().Unix(), 10)
	req.Header.Set("appId", f.AppID)
	req.Header.Set("timeStamp", ts)
	req.Header.Set("sign", alphaesstest.Sign(f.AppID, f.AppSecret, ts))
	req.Header.Set("Content-Type", "application/json")
	if edit != nil {
		edit(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	a.raw, err = io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	if resp.StatusCode == 200 {
		require.NoError(f.t, json.Unmarshal(a.raw, &a), "%s: %s", endpoint, a.raw)
	}
	return a
}

func (f *fake) get(endpoint string, params map[string]any) answer {
	f.t.Helper()
	return f.do(http.MethodGet, endpoint, params, nil)
}

func (f *fake) post(endpoint string, params map[string]any) answer {
	f.t.Helper()
	return f.do(http.MethodPost, endpoint, params, nil)
}

func (f *fake) sn() map[string]any { return map[string]any{"sysSn": f.SerialNumber} }

func wantCode(t *testing.T, what string, a answer, code int) {
	t.Helper()
	assert.Equal(t, 200, a.status, "%s: HTTP status (%s)", what, a.raw)
	assert.Equal(t, code, a.Code, "%s: code (%s)", what, a.raw)
}

// The fake's signature and package alphaess's are written apart; both must
// match the portal's vector.
func TestSignMatchesPortalVector(t *testing.T) {
	const want = "0f023c2287b8f6b21b0994947465f8e9de0e1542567b1735bdc6c427336b9b6406285cd94f9215c3e9af958df37fb11c2c9fe792713d8afbdb8c463359a1add8"
	require.Equal(t, want, alphaesstest.Sign("alphaef7900ee81dbbce9", "c2d2ef6c047c49678e2c332fb2d74c3c", "1676353875"))
}

func TestAuthentication(t *testing.T) {
	f := newFake(t)
	ts := func(d time.Duration) func(http.Header) {
		return func(h http.Header) {
			s := strconv.FormatInt(t0.Add(d).Unix(), 10)
			h.Set("timeStamp", s)
			h.Set("sign", alphaesstest.Sign(f.AppID, f.AppSecret, s))
		}
	}
	tests := []struct {
		name string
		edit func(http.Header)
		code int
	}{
		{"signed", nil, 200},
		{"no appId", func(h http.Header) { h.Del("appId") }, 6012},
		{"no timeStamp", func(h http.Header) { h.Del("timeStamp") }, 6011},
		{"no sign", func(h http.Header) { h.Del("sign") }, 6010},
		{"300 s ahead", ts(300 * time.Second), 200},
		{"300 s behind", ts(-300 * time.Second), 200},
		{"301 s ahead", ts(301 * time.Second), 6006},
		{"301 s behind", ts(-301 * time.Second), 6006},
		{"milliseconds", func(h http.Header) {
			s := strconv.FormatInt(t0.UnixMilli(), 10)
			h.Set("timeStamp", s)
			h.Set("sign", alphaesstest.Sign(f.AppID, f.AppSecret, s))
		}, 6006},
		{"wrong secret", func(h http.Header) {
			h.Set("sign", alphaesstest.Sign(f.AppID, "not-the-secret", h.Get("timeStamp")))
		}, 6007},
		{"sign of another timestamp", func(h http.Header) {
			h.Set("sign", alphaesstest.Sign(f.AppID, f.AppSecret, "1676353875"))
		}, 6007},
		{"unknown appId", func(h http.Header) {
			h.Set("appId", "alpha0000000000000000")
			h.Set("sign", alphaesstest.Sign("alpha0000000000000000", f.AppSecret, h.Get("timeStamp")))
		}, 6007},
		{"lower-case header names", func(h http.Header) {
			for _, k := range []string{"Appid", "Timestamp", "Sign"} {
				v := h.Get(k)
				h.Del(k)
				h[strings.ToLower(k)] = []string{v}
			}
		}, 200},
	}
	for _, tt := range tests {
		wantCode(t, tt.name, f.do(http.MethodGet, "getEssList", nil, tt.edit), tt.code)
	}
	assert.Equal(t, len(tests), f.Requests())
}

// Spring Boot answers a wrong method with 405 and an unknown path with 404,
// without an envelope, as the real service does.
func TestMethodAndPath(t *testing.T) {
	f := newFake(t)
	a := f.post("getEssList", nil)
	var spring struct {
		Status int    `json:"status"`
		Error  string `json:"error"`
		Path   string `json:"path"`
	}
	require.NoError(t, json.Unmarshal(a.raw, &spring), "POST getEssList: %s", a.raw)
	assert.Equal(t, 405, a.status, "POST getEssList")
	assert.Equal(t, "Method Not Allowed", spring.Error)
	assert.Equal(t, "/api/getEssList", spring.Path)
	assert.Equal(t, "GET", a.header.Get("Allow"))
	assert.Equal(t, 405, f.get("bindSn", map[string]any{"sysSn": "x", "code": "y"}).status, "GET bindSn")
	a = f.get("getInChargeConfigInfo", f.sn())
	assert.Equal(t, 404, a.status, "old endpoint name")
	assert.Contains(t, string(a.raw), `"status":404`, "old endpoint name")
	assert.Equal(t, 1, f.RequestsTo("getEssList"))
}

func TestSystemChecks(t *testing.T) {
	f := newFake(t)
	wantCode(t, "no sysSn", f.get("getLastPowerData", nil), 6001)
	wantCode(t, "unknown", f.get("getLastPowerData", map[string]any{"sysSn": "AL0000000000000"}), 6038)
	wantCode(t, "unbound", f.get("getLastPowerData", map[string]any{"sysSn": alphaesstest.UnboundSerialNumber}), 6005)
	wantCode(t, "bound", f.get("getLastPowerData", f.sn()), 200)
	wantCode(t, "body not JSON", f.do(http.MethodPost, "unBindSn", nil, nil), 10001)
}

func TestInjectedFailures(t *testing.T) {
	f := newFake(t)
	f.FailNext(1, alphaesstest.Fault{Endpoint: "getLastPowerData", Code: 6053})
	f.FailNext(1, alphaesstest.Fault{Status: 502})
	a := f.get("getEssList", nil)
	assert.Equal(t, 502, a.status)
	assert.Contains(t, string(a.raw), "502 Bad Gateway")
	wantCode(t, "after the 502", f.get("getEssList", nil), 200)
	wantCode(t, "6053", f.get("getLastPowerData", f.sn()), 6053)
	wantCode(t, "once only", f.get("getLastPowerData", f.sn()), 200)

	f.SetOffline(true)
	wantCode(t, "offline live", f.get("getLastPowerData", f.sn()), 6042)
	wantCode(t, "offline read of settings", f.get("getChargeConfigInfo", f.sn()), 200)
	f.SetOffline(false)

	f.SetNullPower(true)
	a = f.get("getLastPowerData", f.sn())
	var p map[string]any
	require.NoError(t, json.Unmarshal(a.Data, &p))
	assert.Nil(t, p["ppv"], "null power")
	assert.Nil(t, p["soc"], "null power")
	assert.Nil(t, p["pbat"], "null power")
	assert.Len(t, p, 12, "null power: %s", a.Data)
}

func TestMinInterval(t *testing.T) {
	f := newFake(t, alphaesstest.WithMinInterval(10*time.Second))
	wantCode(t, "first", f.get("getEssList", nil), 200)
	f.clock.Advance(5 * time.Second)
	wantCode(t, "5 s later", f.get("getEssList", nil), 6053)
	f.clock.Advance(10 * time.Second)
	wantCode(t, "10 s later", f.get("getEssList", nil), 200)
}

func power(t *testing.T, f *fake) map[string]float64 {
	t.Helper()
	a := f.get("getLastPowerData", f.sn())
	var raw map[string]any
	require.NoError(t, json.Unmarshal(a.Data, &raw))
	out := map[string]float64{}
	for k, v := range raw {
		if n, ok := v.(float64); ok {
			out[k] = n
		}
	}
	return out
}

// Live data follows the fake's clock and balances: pload + pev = ppv + pgrid + pbat.
func TestLiveData(t *testing.T) {
	f := newFake(t)
	noon := power(t, f)
	assert.GreaterOrEqual(t, noon["ppv"], 3000.0, "noon: %v", noon)
	assert.Greater(t, noon["soc"], 0.0, "noon: %v", noon)
	assert.LessOrEqual(t, noon["soc"], 100.0, "noon: %v", noon)
	f.clock.Set(time.Date(2026, 8, 4, 23, 30, 0, 0, time.UTC))
	night := power(t, f)
	assert.Zero(t, night["ppv"], "night: %v", night)
	assert.Greater(t, night["pload"], 0.0, "night: %v", night)
	for _, p := range []map[string]float64{noon, night} {
		d := p["pload"] + p["pev"] - p["ppv"] - p["pgrid"] - p["pbat"]
		assert.LessOrEqual(t, math.Abs(d), 2.0, "flows do not balance by %v: %v", d, p)
	}
	// A grid-charge period over the night charges the battery at 3 kW.
	f.SetChargeConfig(alphaesstest.ChargeConfig{GridCharge: 1, BatHighCap: 100, TimeChaf1: "23:00", TimeChae1: "05:00", TimeChaf2: "00:00", TimeChae2: "00:00"})
	before := power(t, f)
	f.clock.Advance(time.Hour)
	after := power(t, f)
	assert.Equal(t, -3000.0, after["pbat"], "grid charging: before %v, after %v", before, after)
	assert.Greater(t, after["soc"], before["soc"], "grid charging: before %v, after %v", before, after)
	assert.GreaterOrEqual(t, after["pgrid"], 3000.0, "grid charging: before %v, after %v", before, after)
	// With the time off-grid the device ignores the period.
	f.SetChargeConfig(alphaesstest.ChargeConfig{GridCharge: 1, BatHighCap: 100, TimeChaf1: "23:07", TimeChae1: "05:00", TimeChaf2: "00:00", TimeChae2: "00:00"})
	assert.NotEqual(t, -3000.0, power(t, f)["pbat"], "an off-grid period was acted on")
}

func TestHistory(t *testing.T) {
	f := newFake(t)
	q := map[string]any{"sysSn": f.SerialNumber, "queryDate": "2026-08-04"}
	a := f.get("getOneDayPowerBySn", q)
	var samples []struct {
		UploadTime string   `json:"uploadTime"`
		Cbat       *float64 `json:"cbat"`
		Ppv        float64  `json:"ppv"`
	}
	require.NoError(t, json.Unmarshal(a.Data, &samples))
	require.Len(t, samples, 145, "samples to noon")
	assert.Equal(t, "2026-08-04 00:00:04", samples[0].UploadTime)
	assert.NotNil(t, samples[0].Cbat)
	assert.Greater(t, samples[144].Ppv, 0.0)
	wantCode(t, "tomorrow", f.get("getOneDayPowerBySn", map[string]any{"sysSn": f.SerialNumber, "queryDate": "2026-08-05"}), 6026)
	wantCode(t, "bad date", f.get("getOneDayPowerBySn", map[string]any{"sysSn": f.SerialNumber, "queryDate": "04.08.2026"}), 6001)

	var e map[string]any
	require.NoError(t, json.Unmarshal(f.get("getOneDateEnergyBySn", q).Data, &e))
	assert.Greater(t, e["epv"], 0.0, "energy today: %v", e)
	assert.Equal(t, "2026-08-04", e["theDate"])
	// Just after midnight, yesterday is still being finalised: all zeros.
	f.clock.Set(time.Date(2026, 8, 5, 0, 30, 0, 0, time.UTC))
	require.NoError(t, json.Unmarshal(f.get("getOneDateEnergyBySn", q).Data, &e))
	assert.Equal(t, 0.0, e["epv"], "yesterday at 00:30: %v", e)
	assert.Equal(t, 0.0, e["eInput"], "yesterday at 00:30: %v", e)
	f.clock.Set(time.Date(2026, 8, 5, 2, 0, 0, 0, time.UTC))
	require.NoError(t, json.Unmarshal(f.get("getOneDateEnergyBySn", q).Data, &e))
	assert.GreaterOrEqual(t, e["epv"], 10.0, "yesterday at 02:00: %v", e)
	var sum map[string]any
	require.NoError(t, json.Unmarshal(f.get("getSumDataForCustomer", f.sn()).Data, &sum))
	assert.Equal(t, "EUR", sum["moneyType"])
	assert.LessOrEqual(t, sum["eselfConsumption"], 1.0, "a fraction")
	assert.GreaterOrEqual(t, sum["epvtotal"], 17003.0)
}

// The fake's history follows its zone: Sydney's 4 August starts at 14:00 UTC.
func TestHistoryZone(t *testing.T) {
	syd, _ := time.LoadLocation("Australia/Sydney")
	f := newFake(t, alphaesstest.WithLocation(syd))
	a := f.get("getOneDayPowerBySn", map[string]any{"sysSn": f.SerialNumber, "queryDate": "2026-08-04"})
	var samples []struct {
		UploadTime string `json:"uploadTime"`
	}
	require.NoError(t, json.Unmarshal(a.Data, &samples))
	// t0 is 22:00 in Sydney: 265 samples from 00:00 to 22:00.
	require.Len(t, samples, 265)
	assert.Equal(t, "2026-08-04 22:00:04", samples[264].UploadTime)
	wantCode(t, "Sydney's tomorrow", f.get("getOneDayPowerBySn", map[string]any{"sysSn": f.SerialNumber, "queryDate": "2026-08-05"}), 6026)
}

func TestBinding(t *testing.T) {
	f := newFake(t)
	sn := alphaesstest.UnboundSerialNumber
	wantCode(t, "ownerless", f.get("getVerificationCode", map[string]any{"sysSn": alphaesstest.OwnerlessSerialNumber, "checkCode": "x"}), 6002)
	wantCode(t, "wrong check code", f.get("getVerificationCode", map[string]any{"sysSn": sn, "checkCode": "nope"}), 6004)
	wantCode(t, "bind before code", f.post("bindSn", map[string]any{"sysSn": sn, "code": alphaesstest.VerificationCode}), 6046)
	wantCode(t, "request code", f.get("getVerificationCode", map[string]any{"sysSn": sn, "checkCode": alphaesstest.UnboundCheckCode}), 200)
	wantCode(t, "wrong code", f.post("bindSn", map[string]any{"sysSn": sn, "code": "000000"}), 6046)
	wantCode(t, "bind", f.post("bindSn", map[string]any{"sysSn": sn, "code": alphaesstest.VerificationCode}), 200)
	assert.True(t, f.Bound(sn), "not bound after bindSn")
	assert.Contains(t, string(f.get("getEssList", nil).Data), sn, "not listed after bindSn")
	wantCode(t, "bind again", f.post("bindSn", map[string]any{"sysSn": sn, "code": alphaesstest.VerificationCode}), 6003)
	wantCode(t, "unbind", f.post("unBindSn", map[string]any{"sysSn": sn}), 200)
	wantCode(t, "after unbind", f.get("getLastPowerData", map[string]any{"sysSn": sn}), 6005)
	wantCode(t, "unknown", f.post("bindSn", map[string]any{"sysSn": "AL0", "code": "1"}), 6038)
}

func TestSettingsWrites(t *testing.T) {
	f := newFake(t)
	ok := map[string]any{"sysSn": f.SerialNumber, "batHighCap": 90, "gridCharge": 1,
		"timeChaf1": "01:00", "timeChae1": "05:00", "timeChaf2": "00:00", "timeChae2": "00:00"}
	wantCode(t, "charge", f.post("updateChargeConfigInfo", ok), 200)
	got := f.ChargeConfig()
	assert.Equal(t, 90, got.BatHighCap)
	assert.Equal(t, "01:00", got.TimeChaf1)
	assert.Equal(t, 1, got.GridCharge)
	for k, v := range map[string]any{"batHighCap": 101, "gridCharge": 2, "timeChaf1": "25:00", "timeChae2": nil} {
		bad := map[string]any{}
		for kk, vv := range ok {
			bad[kk] = vv
		}
		bad[k] = v
		wantCode(t, "charge "+k, f.post("updateChargeConfigInfo", bad), 6001)
	}
	// Off-grid times are accepted and stored (the device ignores them).
	ok["timeChaf1"] = "10:07"
	wantCode(t, "off grid", f.post("updateChargeConfigInfo", ok), 200)
	wantCode(t, "discharge", f.post("updateDisChargeConfigInfo", map[string]any{"sysSn": f.SerialNumber, "batUseCap": 20, "ctrDis": 1,
		"timeDisf1": "17:00", "timeDise1": "21:00", "timeDisf2": "00:00", "timeDise2": "00:00"}), 200)
	assert.Equal(t, 20, f.DischargeConfig().BatUseCap)
	assert.Equal(t, 1, f.DischargeConfig().CtrDis)
	f.SetIgnoreWrites(true)
	ok["batHighCap"] = 50
	wantCode(t, "ignored", f.post("updateChargeConfigInfo", ok), 200)
	assert.Equal(t, 90, f.ChargeConfig().BatHighCap, "an ignored write changed the state")
}

func period(b, e string, weeks []int, limit int) map[string]any {
	return map[string]any{"beginTime": b, "endTime": e, "weeks": weeks, "chargePower": 3000, "chargeLimit": limit}
}

func TestTimeChargeRules(t *testing.T) {
	f := newFake(t)
	body := func(charge, discharge any) map[string]any {
		m := map[string]any{"sysSn": f.SerialNumber, "executeCycleType": 1, "gridChargeCycle": 1}
		if charge != nil {
			m["chargeTimeList"] = charge
		}
		if discharge != nil {
			m["dischargeTimeList"] = discharge
		}
		return m
	}
	wd := []int{1, 2, 3, 4, 5}
	good := []any{period("01:00", "05:00", wd, 90)}
	dis := []any{period("17:00", "21:00", wd, 10)}
	wantCode(t, "list missing", f.post("setTimeChargeBySn", body(good, nil)), 10001)
	a := f.post("setTimeChargeBySn", body(good, []any{}))
	wantCode(t, "empty list", a, 6001)
	assert.Equal(t, new("time list is null"), a.ExpMsg)
	wantCode(t, "overlap", f.post("setTimeChargeBySn", body(good, []any{period("04:00", "06:00", []int{3}, 10)})), 6008)
	wantCode(t, "overlap past midnight", f.post("setTimeChargeBySn", body([]any{period("23:00", "01:00", []int{7}, 90)}, []any{period("00:30", "02:00", []int{1}, 10)})), 6008)
	wantCode(t, "limit", f.post("setTimeChargeBySn", body([]any{period("01:00", "05:00", wd, 5)}, dis)), 6001)
	wantCode(t, "off grid", f.post("setTimeChargeBySn", body([]any{period("01:10", "05:00", wd, 90)}, dis)), 6001)
	wantCode(t, "weekly without weeks", f.post("setTimeChargeBySn", body([]any{period("01:00", "05:00", nil, 90)}, dis)), 6001)
	var seven []any
	for h := range 7 {
		seven = append(seven, period(strconv.Itoa(10+h)+":00", strconv.Itoa(10+h)+":30", []int{1}, 90))
	}
	wantCode(t, "seven a day", f.post("setTimeChargeBySn", body(seven, dis)), 6001)
	wantCode(t, "valid", f.post("setTimeChargeBySn", body(good, dis)), 200)
	got := f.TimeChargeConfig()
	assert.Equal(t, 1, got.ExecuteCycleType)
	assert.Equal(t, 1, got.GridChargeCycle)
	require.Len(t, got.ChargeTimeList, 1)
	assert.Equal(t, 90, got.ChargeTimeList[0].ChargeLimit)
	var read map[string]any
	require.NoError(t, json.Unmarshal(f.get("getTimeChargeBySn", f.sn()).Data, &read))
	assert.Equal(t, 0.0, read["gridChargeCycle"], "the write-only flag must read 0")
	assert.Equal(t, 1.0, read["executeCycleType"])
}

// Parameters are checked before entitlement, as the real service does.
func TestTimeChargePermission(t *testing.T) {
	f := newFake(t, alphaesstest.WithoutTimeChargePermission())
	wantCode(t, "read", f.get("getTimeChargeBySn", f.sn()), 6017)
	wantCode(t, "bad body", f.post("setTimeChargeBySn", map[string]any{"sysSn": f.SerialNumber, "executeCycleType": 0, "chargeTimeList": []any{}, "dischargeTimeList": []any{}}), 6001)
	wantCode(t, "good body", f.post("setTimeChargeBySn", map[string]any{"sysSn": f.SerialNumber, "executeCycleType": 0,
		"chargeTimeList": []any{period("01:00", "05:00", nil, 90)}, "dischargeTimeList": []any{period("17:00", "21:00", nil, 10)}}), 6017)
}

func TestEVCharger(t *testing.T) {
	f := newFake(t)
	ev := map[string]any{"sysSn": f.SerialNumber, "evchargerSn": f.EVChargerSerial}
	var list []map[string]string
	require.NoError(t, json.Unmarshal(f.get("getEvChargerConfigList", f.sn()).Data, &list))
	require.Len(t, list, 1)
	assert.Equal(t, alphaesstest.DefaultEVChargerSerial, list[0]["evchargerSn"])
	wantCode(t, "set current", f.post("setEvChargerCurrentsBySn", map[string]any{"sysSn": f.SerialNumber, "currentsetting": 24}), 200)
	wantCode(t, "bad current", f.post("setEvChargerCurrentsBySn", map[string]any{"sysSn": f.SerialNumber, "currentsetting": -1}), 6001)
	assert.Equal(t, 24.0, f.EVCurrent())
	wantCode(t, "no charger given", f.get("getEvChargerStatusBySn", f.sn()), 6001)
	wantCode(t, "unknown charger", f.get("getEvChargerStatusBySn", map[string]any{"sysSn": f.SerialNumber, "evchargerSn": "nope"}), 6016)
	start := map[string]any{"sysSn": f.SerialNumber, "evchargerSn": f.EVChargerSerial, "controlMode": 1}
	wantCode(t, "start", f.post("remoteControlEvCharger", start), 200)
	assert.Equal(t, 3, f.EVStatus(f.EVChargerSerial), "status after start")
	assert.JSONEq(t, `{"evchargerStatus":3}`, string(f.get("getEvChargerStatusBySn", ev).Data))
	assert.Equal(t, 24.0*230, power(t, f)["pev"], "pev while charging at 24 A")
	start["controlMode"] = 0
	wantCode(t, "stop", f.post("remoteControlEvCharger", start), 200)
	assert.Equal(t, 4, f.EVStatus(f.EVChargerSerial), "status after stop")
	f.SetEVStatus(f.EVChargerSerial, 1)
	start["controlMode"] = 1
	wantCode(t, "start unplugged", f.post("remoteControlEvCharger", start), 6029)
	start["controlMode"] = 2
	wantCode(t, "bad mode", f.post("remoteControlEvCharger", start), 6001)

	f2 := newFake(t, alphaesstest.WithoutEVCharger())
	assert.Equal(t, "[]", string(f2.get("getEvChargerConfigList", f2.sn()).Data), "no charger")
}

// The fake works with the real client end to end, its Date header follows
// its clock, and custom credentials are honoured.
func TestWithClient(t *testing.T) {
	fc := clock.NewFake(t0)
	srv := alphaesstest.NewServer(alphaesstest.WithClock(fc), alphaesstest.WithCredentials("alphaabc", "s3cret"))
	defer srv.Close()
	systems, err := srv.Client().ListSystems(t.Context())
	require.NoError(t, err)
	require.Len(t, systems, 1)
	assert.Equal(t, alphaesstest.DefaultSerialNumber, systems[0].SerialNumber)

	fc.Advance(time.Hour)
	bad, err := alphaess.New("alphaabc", "wrong", alphaess.WithBaseURL(srv.URL), alphaess.WithClock(fc))
	require.NoError(t, err)
	_, err = bad.ListSystems(t.Context())
	require.Error(t, err, "wrong secret")
	assert.Contains(t, err.Error(), "6007")

	skewed := srv.Client(alphaess.WithClock(clock.NewFake(fc.Now().Add(-10 * time.Minute))))
	_, err = skewed.ListSystems(t.Context())
	require.Error(t, err, "skewed clock")
	assert.Contains(t, err.Error(), "local clock is -10m0s off")
}
