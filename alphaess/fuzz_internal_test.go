package alphaess

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary answers through the envelope and every data
// decoder: none may panic, and a number accepted is always finite.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"code":200,"data":{"ppv":"12.5","soc":"","pbat":"NaN"}}`))
	f.Add([]byte(`{"code":200,"data":{"chargeTimeList":[{"weeks":"1,2,x"}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := decodeEnvelope(body)
		if err != nil {
			return
		}
		var p wirePower
		if decodeData(epLastPower, env.data, &p) == nil {
			for _, n := range []num{p.Ppv, p.Pload, p.Soc, p.Pgrid, p.Pbat, p.Pev, p.PpvDetail.Ppv1, p.PevDetail.Ev4Power} {
				if n.ok && (math.IsNaN(n.v) || math.IsInf(n.v, 0)) {
					t.Fatalf("accepted %v", n.v)
				}
			}
		}
		_, _ = decodeList[wireSystem](epEssList, env.data)
		_, _ = decodeList[wireSample](epOneDayPower, env.data)
		var s wireSettings
		_ = decodeData(epChargeConfig, env.data, &s)
		var tc wireTimeCharge
		if decodeData(epTimeCharge, env.data, &tc) == nil {
			_, _ = readPeriods("chargeTimeList", tc.ChargeTimeList)
		}
		var e wireDailyEnergy
		_ = decodeData(epOneDateEnergy, env.data, &e)
		var sum wireSummary
		if decodeData(epSumData, env.data, &sum) == nil {
			_ = ratio(sum.EselfConsumption)
		}
	})
}

func FuzzNum(f *testing.F) {
	for _, s := range []string{`12.5`, `null`, `"7"`, `""`, `"1e400"`, `-0`, `true`, `"Inf"`, `[1]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var n num
		if err := n.UnmarshalJSON(b); err != nil || !n.ok {
			return
		}
		if math.IsNaN(n.v) || math.IsInf(n.v, 0) {
			t.Fatalf("%s accepted as %v", b, n.v)
		}
		out, err := json.Marshal(n)
		var back num
		if err != nil || json.Unmarshal(out, &back) != nil || back != n {
			t.Fatalf("round trip of %s: %s, %v", b, out, back)
		}
	})
}
