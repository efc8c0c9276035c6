package volue_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/volue"
)

func TestTimeSpan(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"01:00:00", time.Hour, "01:00:00"},
		{"00:15:00", 15 * time.Minute, "00:15:00"},
		{"02:00:00", 2 * time.Hour, "02:00:00"},
		{"1.02:03:04", 26*time.Hour + 3*time.Minute + 4*time.Second, "1.02:03:04"},
		{"-00:00:30", -30 * time.Second, "-00:00:30"},
		{"00:00:01.5000000", 1500 * time.Millisecond, "00:00:01"},
		{"106751.00:00:00", 106751 * 24 * time.Hour, "106751.00:00:00"},
	} {
		got, err := volue.ParseTimeSpan(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got.Duration(), tc.in)
		assert.Equal(t, tc.out, got.String(), tc.in)
	}
	for _, bad := range []string{"", "1:00", "24:00:00", "00:60:00", "00:00:60", "x.01:00:00", "PT1H", "-1.00:00:00:00", "01:00:NaN", "106752.00:00:00", "106751.23:59:59", "2147483647.00:00:00"} {
		_, err := volue.ParseTimeSpan(bad)
		assert.Error(t, err, bad)
	}
	var ts volue.TimeSpan
	require.Error(t, json.Unmarshal([]byte(`3600`), &ts), "a number is not a time span")
	b, err := json.Marshal(volue.TimeSpan(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, `"01:00:00"`, string(b))
}
