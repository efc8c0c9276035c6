package volue_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridwire/gridwire/volue"
	"github.com/gridwire/gridwire/volue/voluetest"
)

// deliveryBodies returns n distinct signed price-curve deliveries (a day of
// hourly points, about 1.6 KB each).
func deliveryBodies(b *testing.B, n int) ([][]byte, []string) {
	bodies, sigs := make([][]byte, n), make([]string, n)
	for i := range n {
		e := voluetest.PriceCurve("home", t0, 24)
		e.ID = "evt-" + strconv.Itoa(i)
		e.CreatedAt = t0
		raw, err := json.Marshal(e)
		if err != nil {
			b.Fatal(err)
		}
		bodies[i], sigs[i] = raw, volue.SignPayload("s3", raw)
	}
	return bodies, sigs
}

func serve(h http.Handler, body []byte, sig string) int {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
	req.Header.Set(volue.SignatureHeader, sig)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

// BenchmarkReceiver: verify (three secrets, the match last), decode to typed
// events, de-duplicate, hand on.
func BenchmarkReceiver(b *testing.B) {
	bodies, sigs := deliveryBodies(b, 4096)
	r, err := volue.NewReceiver(func(context.Context, volue.Event) error { return nil }, []string{"s1", "s2", "s3"},
		volue.WithDedup(time.Nanosecond, 1)) // effectively off, so every delivery is handled
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if code := serve(r, bodies[i%len(bodies)], sigs[i%len(sigs)]); code != http.StatusNoContent {
			b.Fatal(code)
		}
	}
}

// BenchmarkBaselineUnverified is the same request through a handler that
// only reads the body and decodes it into a map, with no verification or
// typing: what any webhook endpoint costs at the least.
func BenchmarkBaselineUnverified(b *testing.B) {
	bodies, sigs := deliveryBodies(b, 4096)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m map[string]any
		if json.Unmarshal(body, &m) != nil {
			w.WriteHeader(400)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		serve(h, bodies[i%len(bodies)], sigs[i%len(sigs)])
	}
}

// BenchmarkReceiverReplay: a redelivery, answered from the dedup memory.
func BenchmarkReceiverReplay(b *testing.B) {
	bodies, sigs := deliveryBodies(b, 1)
	r, err := volue.NewReceiver(func(context.Context, volue.Event) error { return nil }, []string{"s3"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		serve(r, bodies[0], sigs[0])
	}
}
