package balanz_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/internal/ocppj"
)

func TestTime(t *testing.T) {
	var tm balanz.Time
	require.NoError(t, json.Unmarshal([]byte(`1780336975.5`), &tm))
	assert.Equal(t, time.Unix(1780336975, 5e8).UTC(), tm.Time)
	assert.False(t, tm.Local)
	b, err := json.Marshal(tm)
	require.NoError(t, err)
	assert.Equal(t, `1780336975.5`, string(b))

	require.NoError(t, json.Unmarshal([]byte(`"2026-06-01 07:12:44"`), &tm))
	assert.True(t, tm.Local)
	b, err = json.Marshal(tm)
	require.NoError(t, err)
	assert.Equal(t, `"2026-06-01 07:12:44"`, string(b))

	for _, zero := range []string{`null`, `""`} {
		require.NoError(t, json.Unmarshal([]byte(zero), &tm))
		assert.True(t, tm.IsZero())
	}
	b, _ = json.Marshal(balanz.Time{})
	assert.Equal(t, "null", string(b))
	for _, bad := range []string{`"yesterday"`, `true`, `{}`, `1e300`, `"2026-06-01T07:12:44Z"`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &tm), bad)
	}
}

func TestNumber(t *testing.T) {
	for in, want := range map[string]float64{`32`: 32, `32.0`: 32, `"1.500"`: 1.5, `null`: 0, `""`: 0, `-4e2`: -400} {
		var n balanz.Number
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		assert.Equal(t, balanz.Number(want), n, in)
	}
	for _, bad := range []string{`"lots"`, `"NaN"`, `true`, `[1]`} {
		var n balanz.Number
		assert.Error(t, json.Unmarshal([]byte(bad), &n), bad)
	}
}

func TestAllocationAndGroupJSON(t *testing.T) {
	var a balanz.Allocation
	require.NoError(t, json.Unmarshal([]byte(`[2, 32.5]`), &a))
	assert.Equal(t, balanz.Allocation{Priority: 2, Amps: 32.5}, a)
	assert.Error(t, json.Unmarshal([]byte(`{"p":1}`), &a))
	var g balanz.Group
	assert.Error(t, json.Unmarshal([]byte(`{"group_id":"A","chargers":[1]}`), &g))
	require.NoError(t, json.Unmarshal([]byte(`{"group_id":"A","chargers":["X"],"max_allocation":null}`), &g))
	b, err := json.Marshal(g)
	require.NoError(t, err)
	var back balanz.Group
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, g, back)
}

// FuzzAnswer feeds frames through the path an answer takes: the frame
// head, then the payload into the client's types. Nothing panics.
func FuzzAnswer(f *testing.F) {
	for _, name := range []string{"GetChargers.json", "GetGroups.json", "GetGroups_details.json", "GetSessions.json", "GetStatus.json"} {
		b, err := readFixture(name)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := ocppj.ParseAnswer(data)
		if err != nil || fr.Type != ocppj.CallResult {
			return
		}
		var chs []balanz.Charger
		_ = json.Unmarshal(fr.Payload, &chs)
		var gs []balanz.Group
		_ = json.Unmarshal(fr.Payload, &gs)
		var ss []balanz.Session
		_ = json.Unmarshal(fr.Payload, &ss)
		var st balanz.ServerStatus
		_ = json.Unmarshal(fr.Payload, &st)
		var sec balanz.Seconds
		_ = json.Unmarshal(fr.Payload, &sec)
	})
}

func TestIntAndSeconds(t *testing.T) {
	for in, want := range map[string]balanz.Int{`3`: 3, `3.0`: 3, `"7"`: 7, `null`: 0, `-2`: -2} {
		var n balanz.Int
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		assert.Equal(t, want, n, in)
	}
	for _, bad := range []string{`3.5`, `"x"`, `1e300`, `true`} {
		var n balanz.Int
		assert.Error(t, json.Unmarshal([]byte(bad), &n), bad)
	}
	for in, want := range map[string]time.Duration{
		`13071`: 13071 * time.Second, `"90"`: 90 * time.Second, `"3:37:51"`: 3*time.Hour + 37*time.Minute + 51*time.Second,
		`"1 day, 0:00:01"`: 24*time.Hour + time.Second, `"2 days, 1:00:00.5"`: 49*time.Hour + 500*time.Millisecond, `null`: 0,
	} {
		var s balanz.Seconds
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		assert.Equal(t, want, s.Duration(), in)
	}
	for _, bad := range []string{`"1:2"`, `"a:b:c"`, `"x days, 1:00:00"`, `"-1:00:00"`, `{}`, `", 1:00:00"`, `"3 weeks, 1:00:00"`} {
		var s balanz.Seconds
		assert.Error(t, json.Unmarshal([]byte(bad), &s), bad)
	}
}

// FuzzScalars: the tolerant scalar types never panic and never accept
// something that is not a JSON value.
func FuzzScalars(f *testing.F) {
	for _, s := range []string{`1780336975.5`, `"2026-06-01 07:12:44"`, `"1.500"`, `"2 days, 1:00:00"`, `null`, `"", 1:00:00"`, `3.0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var tm balanz.Time
		var n balanz.Number
		var i balanz.Int
		var s balanz.Seconds
		for _, v := range []json.Unmarshaler{&tm, &n, &i, &s} {
			if v.UnmarshalJSON(data) == nil {
				require.True(t, json.Valid(data), "%T accepted %q", v, data)
			}
		}
	})
}

func TestLogLevel(t *testing.T) {
	var st balanz.ServerStatus
	require.NoError(t, json.Unmarshal([]byte(`{"logging":{"a":"INFO","b":30,"c":5}}`), &st))
	assert.Equal(t, map[string]balanz.LogLevel{"a": "INFO", "b": "WARNING", "c": "Level 5"}, st.Logging)
	assert.Error(t, json.Unmarshal([]byte(`{"logging":{"a":[]}}`), &st))
}
