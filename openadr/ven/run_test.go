package ven_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestRun(t *testing.T) {
	f := newFakeVTN(t)
	f.reportRequests = []oadr.ReportRequest{usageRequest("RR_USAGE_0001", time.Minute, 5*time.Minute)}
	f.setEvents(chargeDischarge("EVT_BATT_0001", 0))
	clk := clock.NewFake(t0)
	v := f.newVEN(clk)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var mu sync.Mutex
	var polls, reports []time.Time
	f.setOverride(func(_ string, msg oadr.Message) *reply {
		mu.Lock()
		defer mu.Unlock()
		switch msg.(type) {
		case *oadr.Poll:
			polls = append(polls, clk.Now())
		case *oadr.UpdateReport:
			reports = append(reports, clk.Now())
			if len(reports) == 3 {
				cancel()
			}
		}
		return nil
	})
	if err := v.Run(ctx); err != nil {
		t.Fatalf("Run = %v", err)
	}

	want := []string{"oadrQueryRegistration", "oadrCreatePartyRegistration", "oadrRegisterReport",
		"oadrCreatedReport", "oadrRequestEvent", "oadrCreatedEvent", "oadrPoll"}
	if got := f.names(); !slices.Equal(got[:len(want)], want) {
		t.Errorf("Run began with %v, want %v", got[:len(want)], want)
	}
	mu.Lock()
	defer mu.Unlock()
	// Polls every 10 s, as the VTN asked; reports exactly when due.
	for i := 1; i < len(polls); i++ {
		if d := polls[i].Sub(polls[i-1]); d != 10*time.Second {
			t.Fatalf("poll %d came %v after the one before, want 10s", i, d)
		}
	}
	if len(polls) != 91 { // 12:00:00 to 12:15:00
		t.Errorf("%d polls, want 91", len(polls))
	}
	for i, at := range reports {
		if want := t0.Add(time.Duration(5*(i+1)) * time.Minute); !at.Equal(want) {
			t.Errorf("report %d sent at %v, want %v", i, at, want)
		}
	}
	for _, d := range clk.Sleeps() {
		if d < 0 || d > 10*time.Second {
			t.Errorf("Run slept %v", d)
		}
	}
}

func TestRunDrainsTheQueue(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := registered(t, f, clk, nil)
	f.enqueue(
		&oadr.RegisterReport{RequestID: "R1"},
		&oadr.DistributeEvent{RequestID: "D1", VtnID: "VTN_SANDBOX", Events: []oadr.Event{chargeDischarge("EVT", 0)}},
		&oadr.CreateReport{RequestID: "C1", ReportRequests: []oadr.ReportRequest{usageRequest("RR", time.Minute, time.Minute)}},
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.setOverride(func(_ string, msg oadr.Message) *reply {
		if _, ok := msg.(*oadr.Poll); ok && clk.Now().After(t0) {
			cancel()
		}
		return nil
	})
	if err := v.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// All three answered at 12:00, before the first pause.
	n := 0
	for _, r := range f.all() {
		switch r.msg.(type) {
		case *oadr.RegisteredReport, *oadr.CreatedEvent, *oadr.CreatedReport:
			n++
		}
	}
	want := []string{"oadrPoll", "oadrRegisteredReport", "oadrPoll", "oadrCreatedEvent", "oadrPoll", "oadrCreatedReport", "oadrPoll"}
	if got := f.names()[3:]; n != 3 || !slices.Equal(got[:len(want)], want) {
		t.Errorf("after registering the VEN sent %v, want %v at once", got, want)
	}
}

func TestRunRetriesRegistration(t *testing.T) {
	f := newFakeVTN(t)
	clk := clock.NewFake(t0)
	v := f.newVEN(clk)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fails := 3
	f.setOverride(func(_ string, msg oadr.Message) *reply {
		switch msg.(type) {
		case *oadr.CreatePartyRegistration:
			if fails > 0 {
				fails--
				return &reply{status: 503}
			}
		case *oadr.Poll:
			cancel()
		}
		return nil
	})
	if err := v.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := clk.Sleeps(); len(got) < 3 || !slices.Equal(got[:3], []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}) {
		t.Errorf("Run slept %v, want 1s, 2s, 4s between attempts", got)
	}
	if !v.State().Registered {
		t.Error("not registered")
	}
}

func TestStateWhileRunning(t *testing.T) {
	// State from another goroutine while Run works (run with -race).
	f := newFakeVTN(t)
	f.pollFreq = time.Minute
	f.reportRequests = []oadr.ReportRequest{usageRequest("RR", time.Minute, time.Minute)}
	f.setEvents(chargeDischarge("EVT", 0)) // charges from 13:00
	clk := clock.NewFake(t0)
	v := f.newVEN(clk)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.setOverride(func(_ string, msg oadr.Message) *reply {
		if _, ok := msg.(*oadr.Poll); ok && clk.Now().After(t0.Add(70*time.Minute)) {
			cancel()
		}
		return nil
	})
	var wg sync.WaitGroup
	wg.Go(func() {
		for ctx.Err() == nil {
			s := v.State()
			if !s.Battery.StateOfCharge.Valid() {
				t.Errorf("SoC %v", s.Battery.StateOfCharge)
				return
			}
			time.Sleep(100 * time.Microsecond) // a reader, not a spinner
		}
	})
	if err := v.Run(ctx); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if soc := float64(v.State().Battery.StateOfCharge); soc <= 0.5 {
		t.Errorf("SoC after the charge = %v", soc)
	}
}
