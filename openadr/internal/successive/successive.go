// Package successive makes the reports a VEN sends one after the other:
// the same report with new values, for the benchmarks and the load
// generator that measure how the VTN reads them.
package successive

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Reports returns n reports: u, then for k = 1 … n-1 u with its request ID
// suffixed "_k", every time 2k minutes later, and every reading k
// hundredths higher (rounded to hundredths). u is not modified.
func Reports(u *oadr.UpdateReport, n int) []*oadr.UpdateReport {
	out := make([]*oadr.UpdateReport, 0, n)
	for k := range n {
		if k == 0 {
			out = append(out, u)
			continue
		}
		next := *u
		next.RequestID = fmt.Sprintf("%s_%d", u.RequestID, k)
		shift := time.Duration(2*k) * time.Minute
		next.Reports = slices.Clone(u.Reports)
		for i := range next.Reports {
			r := &next.Reports[i]
			r.Start, r.CreatedDateTime = shifted(r.Start, shift), shifted(r.CreatedDateTime, shift)
			r.Intervals = slices.Clone(r.Intervals)
			for j := range r.Intervals {
				iv := &r.Intervals[j]
				iv.Start = shifted(iv.Start, shift)
				iv.Payloads = slices.Clone(iv.Payloads)
				for p := range iv.Payloads {
					iv.Payloads[p].Value = math.Round(iv.Payloads[p].Value*100+float64(k)) / 100
				}
			}
		}
		out = append(out, &next)
	}
	return out
}

// Bodies returns Reports(u, n) marshalled.
func Bodies(u *oadr.UpdateReport, n int) ([][]byte, error) {
	var bodies [][]byte
	for _, m := range Reports(u, n) {
		b, err := oadr.Marshal(m)
		if err != nil {
			return nil, err
		}
		bodies = append(bodies, b)
	}
	return bodies, nil
}

// shifted is t + d, and the zero time (no element) for the zero time.
func shifted(t time.Time, d time.Duration) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Add(d)
}
