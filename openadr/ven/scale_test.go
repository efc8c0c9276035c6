package ven_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/stretchr/testify/require"
)

// TestThousandVENs runs 1,000 simulated VENs against one VTN over real
// loopback HTTP, stepped on one fake clock by a pool of concurrent workers:
// every VEN registers and reports; then each is sent a schedule (an event)
// and a report request, and the VENs poll them in. Counted on the VEN side,
// at the HTTP layer: each VEN receives its event and its report request
// exactly once, and nothing else after; the VTN has telemetry from every
// VEN, including the requested report, and every VEN's opt-in. It logs the
// VTN's memory per VEN and the poll rate; no assertion is made on either.
//
// Under -race on two cores it takes about 10 s; -short runs 200 VENs.
func TestThousandVENs(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 200
	}
	const workers = 16 // concurrent pollers
	began := time.Now()
	ctx := t.Context()
	clk := clock.NewFake(t0)
	// Telemetry every minute, the usage report only (the status report
	// would double the reports and add nothing to what is measured).
	telemetry := openadr.RequestTelemetry(time.Minute, time.Minute)
	vtn, err := openadr.NewVTN("VTN_GRIDWIRE", openadr.WithClock(clk),
		openadr.WithReportRegistrationHook(func(ctx context.Context, venID string, offered []oadr.Report) ([]openadr.ReportRequest, error) {
			reqs, err := telemetry(ctx, venID, offered)
			return slices.DeleteFunc(reqs, func(r openadr.ReportRequest) bool { return !strings.HasSuffix(r.ReportSpecifierID, "_telemetry_usage") }), err
		}))
	require.NoError(t, err)
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = workers, workers // one connection per worker, kept alive
	defer tr.CloseIdleConnections()

	heap0 := heapAlloc()
	fleet := make([]*counted, n)
	for i := range fleet {
		c := &counted{rt: tr}
		c.ven, err = ven.New(srv.URL, ven.WithHTTPClient(&http.Client{Transport: c}), ven.WithClock(clk),
			ven.WithVENName(fmt.Sprintf("battery-%04d", i)))
		require.NoError(t, err)
		fleet[i] = c
	}
	// Register, take the VTN's report requests, report a minute's
	// telemetry.
	phase := time.Now()
	inParallel(t, fleet, workers, func(c *counted) error {
		if err := c.ven.Register(ctx); err != nil {
			return err
		}
		c.venID = c.ven.State().VENID
		return drainPolls(ctx, c.ven)
	})
	clk.Advance(time.Minute)
	inParallel(t, fleet, workers, func(c *counted) error { return c.ven.Tick(ctx) })
	t.Logf("%d VENs registered and reporting in %v", n, time.Since(phase).Round(time.Millisecond))
	heap1 := heapAlloc()

	// An event and a report request for every VEN.
	start := clk.Now().Add(time.Minute)
	reqIDs := make(map[string]string, n) // venID → reportRequestID
	for _, c := range fleet {
		bat := vtn.Battery(c.venID, openadr.WithoutWaiting())
		require.NoError(t, bat.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{
			{Start: start, End: start.Add(time.Hour), Mode: energy.ModeDischarge, Power: 2000},
		}}))
		evs, err := bat.ScheduleEvents(ctx)
		require.NoError(t, err, "%s: schedule events %v, %v", c.venID, evs, err)
		require.Len(t, evs, 1, "%s: schedule events %v, %v", c.venID, evs, err)
		c.eventID = evs[0].Event.ID
		ids, err := vtn.RequestReports(ctx, c.venID, openadr.ReportRequest{ReportSpecifierID: ven.DefaultResourceID + "_telemetry_usage"})
		require.NoError(t, err)
		reqIDs[c.venID] = ids[0]
		c.mark()
	}

	// The VENs poll them in: oadrDistributeEvent (answered with
	// oadrCreatedEvent), oadrCreateReport (oadrCreatedReport), then an
	// empty oadrResponse.
	polls0 := pollCount.Load()
	phase = time.Now()
	inParallel(t, fleet, workers, func(c *counted) error { return drainPolls(ctx, c.ven) })
	busy := time.Since(phase)
	busyPolls := pollCount.Load() - polls0
	// Steady state: empty polls, two rounds.
	polls0 = pollCount.Load()
	phase = time.Now()
	for range 2 {
		inParallel(t, fleet, workers, func(c *counted) error {
			got, err := c.ven.PollOnce(ctx)
			if got {
				return errors.New("the VTN still had something queued")
			}
			return err
		})
	}
	idle := time.Since(phase)
	idlePolls := pollCount.Load() - polls0
	// The requested one-shot reports go out with the next minute's.
	clk.Advance(time.Minute)
	inParallel(t, fleet, workers, func(c *counted) error { return c.ven.Tick(ctx) })

	for _, c := range fleet {
		got := c.since()
		want := []string{"oadrDistributeEvent " + c.eventID, "oadrCreateReport " + reqIDs[c.venID]}
		require.True(t, slices.Equal(got, want), "VEN %s received %q after the marks, want %q exactly once each", c.venID, got, want)
		q, err := vtn.Queue(ctx, c.venID)
		require.NoError(t, err, "VEN %s: queue %v, %v", c.venID, q, err)
		require.Len(t, q, 0, "VEN %s: queue %v, %v", c.venID, q, err)
		if err := vtn.Battery(c.venID).Await(ctx); err != nil {
			require.FailNow(t, fmt.Sprintf("VEN %s: %v", c.venID, err))
		}
		ms, err := vtn.Telemetry(ctx, c.venID)
		require.NoError(t, err)
		requested := false
		for _, m := range ms {
			requested = requested || m.ReportRequestID == reqIDs[c.venID]
		}
		if _, ok := ms.Latest(openadr.QuantityStateOfCharge); !ok || !requested {
			require.FailNow(t, fmt.Sprintf("VEN %s: telemetry %d measurements, from the requested report: %t", c.venID, len(ms), requested))
		}
	}

	// What the VTN holds per VEN: forget them all and see what is freed
	// (the VEN clients stay alive throughout, so they do not count).
	heap2 := heapAlloc()
	for _, c := range fleet {
		require.NoError(t, vtn.Forget(ctx, c.venID))
	}
	heap3 := heapAlloc()
	runtime.KeepAlive(fleet)
	perVEN := func(d int64) string { return fmt.Sprintf("%.1f KiB", float64(d)/float64(n)/1024) }
	t.Logf("heap per VEN: %s in the VTN's store (registration, offered reports, 2 report requests, latest telemetry, 1 event); %s with the VEN client and its share of the process",
		perVEN(int64(heap2)-int64(heap3)), perVEN(int64(heap1)-int64(heap0)))
	t.Logf("polls over loopback, %d concurrent pollers: %.0f/s busy (%d polls delivering %d messages, with their answers, in %v), %.0f/s idle (%d empty polls in %v)",
		workers, float64(busyPolls)/busy.Seconds(), busyPolls, 2*n, busy.Round(time.Millisecond),
		float64(idlePolls)/idle.Seconds(), idlePolls, idle.Round(time.Millisecond))
	t.Logf("%d VENs in %v", n, time.Since(began).Round(time.Millisecond))
}

// pollCount counts every oadrPoll sent by any counted VEN.
var pollCount atomic.Int64

// counted is a VEN whose HTTP transport records what the VTN hands it in
// answer to its polls: the message name and the IDs it carries (eventIDs,
// reportRequestIDs).
type counted struct {
	rt      http.RoundTripper
	ven     *ven.VEN
	venID   string
	eventID string

	mu       sync.Mutex
	received []string
	marked   int
}

func (c *counted) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.rt.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/OadrPoll") {
		return resp, err
	}
	pollCount.Add(1)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	m, err := oadr.Unmarshal(body)
	if err != nil {
		return resp, nil // the VEN will say what is wrong
	}
	var what []string
	switch m := m.(type) {
	case *oadr.Response:
		return resp, nil // nothing delivered
	case *oadr.DistributeEvent:
		for _, e := range m.Events {
			what = append(what, m.MessageName()+" "+e.Descriptor.EventID)
		}
	case *oadr.CreateReport:
		for _, r := range m.ReportRequests {
			what = append(what, m.MessageName()+" "+r.ReportRequestID)
		}
	default:
		what = []string{m.MessageName()}
	}
	c.mu.Lock()
	c.received = append(c.received, what...)
	c.mu.Unlock()
	return resp, nil
}

// mark remembers where the record stands; since returns what came after.
func (c *counted) mark() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.marked = len(c.received)
}

func (c *counted) since() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.received[c.marked:])
}

// inParallel runs fn for every VEN on a pool of workers and fails the test
// with the first error.
func inParallel(t *testing.T, fleet []*counted, workers int, fn func(*counted) error) {
	t.Helper()
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(fleet) {
					return
				}
				if err := fn(fleet[i]); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("VEN %d (%s): %w", i, fleet[i].venID, err)
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	require.Nil(t, first, first)
}

// drainPolls polls until the VTN has nothing queued.
func drainPolls(ctx context.Context, v *ven.VEN) error {
	for range 20 {
		got, err := v.PollOnce(ctx)
		if err != nil || !got {
			return err
		}
	}
	return errors.New("the VTN's queue does not drain")
}

// heapAlloc returns the live heap after a collection.
func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
