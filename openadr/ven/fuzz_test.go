package ven_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/stretchr/testify/require"
)

// FuzzPollAnswer feeds arbitrary bytes to the VEN as the VTN's answer to
// oadrPoll: whatever a VTN sends, the VEN returns an error or handles it, and
// never panics. Seeds are the VTN-side samples (messages a VTN queues).
func FuzzPollAnswer(f *testing.F) {
	for _, dir := range []string{"battery", "openleadr-interop", "epri-ven-interop"} {
		entries, _ := os.ReadDir(filepath.Join(sharedSeedDir(), dir))
		for _, e := range entries {
			if strings.Contains(e.Name(), "ven2vtn") || strings.HasPrefix(e.Name(), "oadrPoll") {
				continue
			}
			if b, err := os.ReadFile(filepath.Join(sharedSeedDir(), dir, e.Name())); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`<oadrPoll/>`))

	var mu sync.Mutex
	var pollAnswer []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg, err := oadr.Decode(r.Body)
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if _, ok := msg.(*oadr.Poll); ok {
			mu.Lock()
			_, _ = w.Write(pollAnswer)
			mu.Unlock()
			return
		}
		var ans oadr.Message = &oadr.Response{Response: oadr.OK("")}
		switch m := msg.(type) {
		case *oadr.CreatePartyRegistration:
			ans = &oadr.CreatedPartyRegistration{Response: oadr.OK(m.RequestID), VenID: "VEN_FORTRESS_1", RegistrationID: "REG_0001",
				VtnID: "VTN_SANDBOX", Profiles: []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}}}
		case *oadr.RegisterReport:
			ans = &oadr.RegisteredReport{Response: oadr.OK(m.RequestID)}
		case *oadr.RequestEvent:
			ans = &oadr.DistributeEvent{RequestID: "D", VtnID: "VTN_SANDBOX"}
		case *oadr.UpdateReport:
			ans = &oadr.UpdatedReport{Response: oadr.OK(m.RequestID)}
		}
		_ = oadr.Encode(w, ans)
	}))
	defer srv.Close()

	clk := clock.NewFake(t0)
	v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, answer []byte) {
		mu.Lock()
		pollAnswer = answer
		mu.Unlock()
		ctx := context.Background()
		if !v.State().Registered {
			require.NoError(t, v.Register(ctx))
		}
		_, _ = v.PollOnce(ctx) // errors are fine; panics are not
		clk.Advance(time.Minute)
		_ = v.Tick(ctx)
		if soc := v.State().Battery.StateOfCharge; !soc.Valid() {
			require.FailNow(t, fmt.Sprintf("SoC %v", soc))
		}
	})
}

// sharedSeedDir is sharedDir without skipping: seeds are optional.
func sharedSeedDir() string {
	if dir := os.Getenv("GRIDWIRE_SHARED"); dir != "" {
		return filepath.Join(dir, "openadr", "samples")
	}
	return filepath.Join("..", "..", "..", "shared", "openadr", "samples")
}
