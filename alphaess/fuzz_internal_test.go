package alphaess

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
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
				require.False(t, n.ok && (math.IsNaN(n.v) || math.IsInf(n.v, 0)), "accepted %v", n.v)
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
		require.False(t, math.IsNaN(n.v) || math.IsInf(n.v, 0), "%s accepted as %v", b, n.v)
		out, err := json.Marshal(n)
		require.NoError(t, err, "round trip of %s", b)
		var back num
		require.NoError(t, json.Unmarshal(out, &back), "round trip of %s: %s", b, out)
		require.Equal(t, n, back, "round trip of %s: %s", b, out)
	})
}
