package alphaess

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// FuzzLocalInstant feeds uploadTimes, around the hour Sydney's clocks go
// back, through localInstant: no panic, and a time it resolves is one with
// that local reading, never before the previous sample when one such exists.
func FuzzLocalInstant(f *testing.F) {
	for _, s := range []string{"2026-04-05 02:30:04", "2026-04-05 01:55:04", "2026-10-04 02:30:00", "2026-04-05 2:05:00", "x"} {
		f.Add(s, int64(0))
		f.Add(s, int64(1775316604)) // 2026-04-05 02:30:04 AEDT, the first 02:30
	}
	sydney, err := time.LoadLocation("Australia/Sydney")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, s string, prevUnix int64) {
		var prev time.Time
		if prevUnix != 0 {
			prev = time.Unix(prevUnix, 0)
		}
		got, err := localInstant(s, sydney, prev)
		if err != nil {
			return
		}
		parsed, _ := time.ParseInLocation(uploadTimeLayout, s, sydney)
		if parsed.Format(uploadTimeLayout) != s {
			return // an unusual spelling or a time in the spring-forward gap: as parsed
		}
		require.Equal(t, s, got.In(sydney).Format(uploadTimeLayout), "resolved to another local time")
		if !prev.IsZero() && got.Before(prev) {
			// Only when every instant with that reading is before prev.
			later := got.Add(time.Hour)
			require.NotEqual(t, s, later.In(sydney).Format(uploadTimeLayout), "a later instant was not before prev")
		}
	})
}
