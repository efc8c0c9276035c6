package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gridwire/gridwire/energy"
)

func TestShare(t *testing.T) {
	type A = []energy.Amperes
	for _, tc := range []struct {
		name  string
		total energy.Amperes
		want  A
		idle  []bool
		out   A
	}{
		{"room for all", 32, A{16, 16}, []bool{false, false}, A{16, 16}},
		{"halves", 16, A{16, 16}, []bool{false, false}, A{8, 8}},
		{"one paused by price", 16, A{0, 16}, []bool{false, false}, A{0, 16}},
		{"what one leaves goes to the other", 20, A{6, 16}, []bool{false, false}, A{6, 14}},
		{"whole amperes", 15, A{16, 16}, []bool{false, false}, A{7, 8}},
		{"a full car after those that draw", 16, A{16, 16}, []bool{true, false}, A{0, 16}},
		{"a full car gets what is left", 24, A{16, 16}, []bool{true, false}, A{8, 16}},
		{"nothing", 0, A{16, 16}, []bool{false, false}, A{0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := share(tc.total, tc.want, tc.idle)
			assert.Equal(t, tc.out, got)
			var sum energy.Amperes
			for _, a := range got {
				sum += a
			}
			assert.LessOrEqual(t, sum, tc.total)
		})
	}
}
