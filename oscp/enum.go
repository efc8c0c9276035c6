package oscp

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/gridwire/gridwire/energy"
)

func known[T ~string](v T, values []T) bool { return slices.Contains(values, v) }

func encodeEnum[T ~string](typ string, v T, values []T) ([]byte, error) {
	if !known(v, values) {
		return nil, fmt.Errorf("oscp: %s %q is not a known value: %w", typ, string(v), energy.ErrInvalid)
	}
	return json.Marshal(string(v))
}

func decodeEnum[T ~string](b []byte, v *T, values []T) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*v = canonicalEnum(s, values)
	return nil
}

func canonicalEnum[T ~string](s string, values []T) T {
	for _, k := range values {
		if strings.EqualFold(s, string(k)) {
			return k
		}
	}
	return T(s)
}

// Seconds returns the period's length in seconds, or 0 for an unknown one.
func (v MeasurementPeriod) Seconds() int {
	switch v {
	case PeriodMinute:
		return 60
	case PeriodFiveMinute:
		return 300
	case PeriodTenMinute:
		return 600
	case PeriodFifteenMinute:
		return 900
	case PeriodTwentyMinute:
		return 1200
	case PeriodThirtyMinute:
		return 1800
	case PeriodHour:
		return 3600
	}
	return 0
}
