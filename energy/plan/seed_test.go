package plan

import (
	"flag"
	"math/rand/v2"
	"testing"
	"time"
)

var seedFlag = flag.Uint64("seed", 0, "seed of the randomised property tests (0: a new one each run)")

// seeded returns a random source for a property test: a new seed each run,
// so the properties meet new inputs, or -seed to replay one. A failing test
// logs its seed and the command that replays it.
func seeded(t *testing.T) *rand.Rand {
	t.Helper()
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("random inputs from seed %d; replay: go test -run '^%s$' ./energy/plan/ -seed=%d", seed, t.Name(), seed)
		}
	})
	return rand.New(rand.NewPCG(seed, 13))
}
