package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gridwire/gridwire/energy"
)

func TestShare(t *testing.T) {
	type A = []energy.Amperes
	two, three := []bool{false, false}, []bool{false, false, false}
	for _, tc := range []struct {
		name  string
		total energy.Amperes
		want  A
		least A // nil: 0 for all
		idle  []bool
		turn  int
		out   A
	}{
		{"room for all", 32, A{16, 16}, nil, two, 0, A{16, 16}},
		{"halves", 16, A{16, 16}, nil, two, 0, A{8, 8}},
		{"one paused by price", 16, A{0, 16}, nil, two, 0, A{0, 16}},
		{"what one leaves goes to the other", 20, A{6, 16}, nil, two, 0, A{6, 14}},
		{"whole amperes", 15, A{16, 16}, nil, two, 0, A{7, 8}},
		{"a full car after those that draw", 16, A{16, 16}, nil, []bool{true, false}, 0, A{0, 16}},
		{"a full car gets what is left", 24, A{16, 16}, nil, []bool{true, false}, 0, A{8, 16}},
		{"nothing", 0, A{16, 16}, nil, two, 0, A{0, 0}},

		// With balanz's 6 A least current.
		{"halves above the least", 12, A{16, 16}, A{6, 6}, two, 0, A{6, 6}},
		{"whole amperes above the least", 15, A{16, 16}, A{6, 6}, two, 0, A{7, 8}},
		{"room for one: the first in turn", 10, A{16, 16}, A{6, 6}, two, 0, A{10, 0}},
		{"room for one: the next turn", 10, A{16, 16}, A{6, 6}, two, 1, A{0, 10}},
		{"room for one: turns go round", 10, A{16, 16}, A{6, 6}, two, 2, A{10, 0}},
		{"room for two of three", 13, A{16, 16, 16}, A{6, 6, 6}, three, 0, A{6, 7, 0}},
		{"room for two of three: the next turn", 13, A{16, 16, 16}, A{6, 6, 6}, three, 1, A{0, 6, 7}},
		{"room for two of three: the turn after", 13, A{16, 16, 16}, A{6, 6, 6}, three, 2, A{7, 0, 6}},
		{"turns only among the cars that want", 10, A{16, 0, 16}, A{6, 6, 6}, three, 1, A{0, 0, 10}},
		{"room for none", 5, A{16, 16}, A{6, 6}, two, 0, A{0, 0}},
		{"a want below the least is a pause", 32, A{4, 16}, A{6, 6}, two, 0, A{0, 16}},
		{"a smaller least fits where a larger does not", 8, A{16, 16}, A{10, 6}, two, 0, A{0, 8}},
		{"a full car waits for its least", 20, A{16, 16}, A{6, 6}, []bool{true, false}, 0, A{0, 16}},
		{"a full car gets its least", 22, A{16, 16}, A{6, 6}, []bool{true, false}, 0, A{6, 16}},
		{"a car that draws before a full one in turn", 10, A{16, 16}, A{6, 6}, []bool{true, false}, 0, A{0, 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			least := tc.least
			if least == nil {
				least = make(A, len(tc.want))
			}
			got := share(tc.total, tc.want, least, tc.idle, tc.turn)
			assert.Equal(t, tc.out, got)
			checkShares(t, tc.total, tc.want, least, got)
		})
	}
}

// TestShareAlwaysTakeable: for every total, set of wants, full cars and
// turn, no share is one a charger refuses, none exceeds its want, the
// shares keep within total, and a car that draws waits only when the
// least currents of those served leave no room for its own; and over as
// many turns as there are cars, each car that draws is served once at
// least.
func TestShareAlwaysTakeable(t *testing.T) {
	type A = []energy.Amperes
	least := A{6, 6, 6}
	levels := A{0, 4, 6, 10, 16}
	for total := energy.Amperes(0); total <= 50; total++ {
		for n := range 125 {
			want := A{levels[n%5], levels[n/5%5], levels[n/25]}
			for m := range 8 {
				idle := []bool{m&1 != 0, m&2 != 0, m&4 != 0}
				served := make([]bool, 3)
				for turn := range 3 {
					name := fmt.Sprintf("total %v want %v idle %v turn %d", total, want, idle, turn)
					got := share(total, want, least, idle, turn)
					checkShares(t, total, want, least, got)
					var leasts energy.Amperes
					for i, a := range got {
						if a > 0 && !idle[i] {
							leasts += least[i]
							served[i] = true
						}
					}
					for i, a := range got {
						if a == 0 && !idle[i] && want[i] >= least[i] {
							assert.Greater(t, leasts+least[i], total, "%s: car %d waits with room for it", name, i)
						}
					}
				}
				for i := range want {
					if !idle[i] && want[i] >= least[i] && total >= least[i] {
						assert.True(t, served[i], "total %v want %v idle %v: car %d never served in 3 turns", total, want, idle, i)
					}
				}
			}
		}
	}
}

// checkShares: every share is 0 or from least to want, and together they
// keep within total.
func checkShares(t *testing.T, total energy.Amperes, want, least, got []energy.Amperes) {
	t.Helper()
	var sum energy.Amperes
	for i, a := range got {
		sum += a
		if a != 0 {
			assert.GreaterOrEqual(t, a, least[i], "share %d of %v: below its least (want %v)", i, got, want)
			assert.LessOrEqual(t, a, want[i], "share %d of %v: above its want %v", i, got, want)
		}
	}
	assert.LessOrEqual(t, sum, total, "shares %v of %v", got, total)
}
