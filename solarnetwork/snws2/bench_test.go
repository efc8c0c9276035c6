package snws2_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

// BenchmarkSign signs one GET with the day's key cached; BenchmarkSignUncached
// derives the key for every signature, as a signer without a cache would.
func BenchmarkSign(b *testing.B) {
	s, _ := snws2.NewSigner("test-token-id", "test-token-secret")
	req, _ := http.NewRequest("GET", "https://data.solarnetwork.net/solaruser/api/v1/sec/user/oscp/capacity-groups?max=10", nil)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SignAt(req, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignUncached(b *testing.B) {
	req, _ := http.NewRequest("GET", "https://data.solarnetwork.net/solaruser/api/v1/sec/user/oscp/capacity-groups?max=10", nil)
	now := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// A new signer per request has an empty key cache.
		s, _ := snws2.NewSigner("test-token-id", "test-token-secret")
		if err := s.SignAt(req, now); err != nil {
			b.Fatal(err)
		}
	}
}
