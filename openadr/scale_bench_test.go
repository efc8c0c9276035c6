package openadr_test

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// BenchmarkScale registers N VENs in one process on the memory store (each
// registered, its reports offered, one telemetry report taken, its queue
// drained), reports the live heap per VEN (heapB/VEN, and heapB/VEN-polled
// once each VEN has polled once, poll cache included), then times empty
// polls spread over all of them. Compare the poll ns/op across N: it should
// hardly grow.
// N is 1,000 and 100,000; GRIDWIRE_SCALE_VENS adds another (1000000 needs
// about 8 GiB). GRIDWIRE_SCALE_HEAPPROFILE names a file to write a heap
// profile to at each N, while the VENs are live (N is added to its name), to
// see what their memory is made of.
//
//	go test -run '^$' -bench Scale -benchtime 20000x ./openadr/
//	GRIDWIRE_SCALE_HEAPPROFILE=/tmp/heap.prof go test -run '^$' -bench 'Scale/vens=100000' -benchtime 1x ./openadr/
//	go tool pprof -sample_index=inuse_space -top /tmp/heap.prof.100000
func BenchmarkScale(b *testing.B) {
	sizes := []int{1000, 100000}
	if n, err := strconv.Atoi(os.Getenv("GRIDWIRE_SCALE_VENS")); err == nil && n > 0 {
		sizes = append(sizes, n)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("vens=%d", n), func(b *testing.B) {
			// The venIDs and, below, the poll bodies are the VENs' memory,
			// not the VTN's: the venIDs are counted out of heapB/VEN, and
			// the bodies made once it has been read.
			ids := make([]string, n)
			offer := benchSample(b, "oadrRegisterReport_battery_telemetry.xml")
			usage := benchSample(b, "oadrUpdateReport_battery_TELEMETRY_USAGE.xml")
			before := liveHeap()
			v, err := openadr.NewVTN("VTN_SCALE", openadr.WithMaxVENs(n))
			require.NoError(b, err)
			for i := range n {
				ids[i] = benchRegisterWith(b, v, fmt.Sprintf("battery-%d", i), offer, usage)
			}
			perVEN := (float64(liveHeap()-before) - idBytes(ids)) / float64(n)
			if path := os.Getenv("GRIDWIRE_SCALE_HEAPPROFILE"); path != "" {
				writeHeapProfile(b, fmt.Sprintf("%s.%d", path, n))
			}
			polls := make([][]byte, n)
			for i, id := range ids {
				polls[i] = benchMarshal(b, &oadr.Poll{VenID: id})
			}
			pollsBefore := liveHeap()
			// Every VEN polls once first, as in a VTN that has run for
			// a poll period: what is timed is the steady state.
			for _, p := range polls {
				benchServe(b, v, "OadrPoll", p)
			}
			polled := perVEN + float64(liveHeap()-pollsBefore)/float64(n)
			runtime.KeepAlive(v)
			i := 0
			b.ResetTimer()
			for b.Loop() {
				if _, empty := benchServe(b, v, "OadrPoll", polls[i%n]).(*oadr.Response); !empty {
					b.Fatal("a poll that should be empty delivered a message")
				}
				i += 7919 // a prime: the polls jump around the whole registry
			}
			// After the loop: ResetTimer clears metrics.
			b.ReportMetric(perVEN, "heapB/VEN")
			b.ReportMetric(polled, "heapB/VEN-polled")
		})
	}
}

func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	require.NoError(b, err)
	defer f.Close()
	require.NoError(b, pprof.Lookup("heap").WriteTo(f, 0))
}

// idBytes is what the benchmark's own copies of the venIDs take: the
// string's bytes in the size class the allocator gives them.
func idBytes(ids []string) float64 {
	total := 0
	for _, id := range ids {
		total += roundupsize(len(id))
	}
	return float64(total)
}

// roundupsize is the size class of a small allocation of n bytes (n ≤ 128).
func roundupsize(n int) int {
	for _, c := range []int{8, 16, 24, 32, 48, 64, 80, 96, 112, 128} {
		if n <= c {
			return c
		}
	}
	return n
}

func liveHeap() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
