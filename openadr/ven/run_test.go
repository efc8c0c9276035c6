package ven_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		require.FailNow(t, fmt.Sprintf("Run = %v", err))
	}

	want := []string{"oadrQueryRegistration", "oadrCreatePartyRegistration", "oadrRegisterReport",
		"oadrCreatedReport", "oadrRequestEvent", "oadrCreatedEvent", "oadrPoll"}
	if got := f.names(); !slices.Equal(got[:len(want)], want) {
		assert.Fail(t, fmt.Sprintf("Run began with %v, want %v", got[:len(want)], want))
	}
	mu.Lock()
	defer mu.Unlock()
	// Polls every 10 s, as the VTN asked; reports exactly when due.
	for i := 1; i < len(polls); i++ {
		if d := polls[i].Sub(polls[i-1]); d != 10*time.Second {
			require.FailNow(t, fmt.Sprintf("poll %d came %v after the one before, want 10s", i, d))
		}
	}
	assert.Len(t, polls, 91) // 12:00:00 to 12:15:00
	for i, at := range reports {
		if want := t0.Add(time.Duration(5*(i+1)) * time.Minute); !at.Equal(want) {
			assert.Fail(t, fmt.Sprintf("report %d sent at %v, want %v", i, at, want))
		}
	}
	for _, d := range clk.Sleeps() {
		assert.False(t, d < 0 || d > 10*time.Second, "Run slept %v", d)
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
	require.NoError(t, v.Run(ctx))
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
		assert.Fail(t, fmt.Sprintf("after registering the VEN sent %v, want %v at once", got, want))
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
	require.NoError(t, v.Run(ctx))
	if got := clk.Sleeps(); len(got) < 3 || !slices.Equal(got[:3], []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}) {
		assert.Fail(t, fmt.Sprintf("Run slept %v, want 1s, 2s, 4s between attempts", got))
	}
	assert.False(t, !v.State().Registered, "not registered")
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
			if !assert.True(t, s.Battery.StateOfCharge.Valid(), "SoC %v", s.Battery.StateOfCharge) {
				return
			}
			time.Sleep(100 * time.Microsecond) // a reader, not a spinner
		}
	})
	require.NoError(t, v.Run(ctx))
	wg.Wait()
	if soc := float64(v.State().Battery.StateOfCharge); soc <= 0.5 {
		assert.Fail(t, fmt.Sprintf("SoC after the charge = %v", soc))
	}
}
