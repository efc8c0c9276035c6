package openadr_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/internal/pgtest"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/pgstore"
)

// replica is one VTN process: its own pgstore.Store (pool, cache, listener)
// and HTTP server.
type replica struct {
	store *pgstore.Store
	vtn   *openadr.VTN
	srv   *httptest.Server
}

// TestReplicas runs two VTNs on one PostgreSQL database behind a
// round-robin reverse proxy, as two processes behind a load balancer. 1,000
// VENs (raw oadr messages over loopback HTTP; -short: 100) register and
// poll through the proxy, two pollers per VEN at once, so that a VEN's
// polls reach both replicas together; messages queued through either
// replica are each delivered exactly once. Then SetSchedule, called on
// replica A without WithoutWaiting, returns when the VEN's opt-in is posted
// to replica B: the wake-up goes through PostgreSQL's LISTEN/NOTIFY.
func TestReplicas(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	const (
		perVEN  = 3  // messages queued per VEN
		workers = 16 // concurrent HTTP clients
	)
	began := time.Now()
	if os.Getenv(pgtest.Env) == "" && os.Getenv("CI") != "true" {
		fmt.Fprintln(os.Stderr, "gridwire: "+t.Name()+": "+pgtest.Missing)
	}
	// Commits wait for no disk flush: what is tested is how the replicas
	// share the state, not the server's durability, and the test must stay
	// within its time on a busy machine.
	u := pgtest.SchemaURL(t, map[string]string{"synchronous_commit": "off"})
	ctx, cancel := context.WithCancel(context.Background())
	var listeners sync.WaitGroup
	defer func() { cancel(); listeners.Wait() }()

	replicas := make([]*replica, 2)
	for i := range replicas {
		s, err := pgstore.Open(ctx, u)
		require.NoError(t, err)
		t.Cleanup(s.Close)
		listeners.Go(func() { assert.NoError(t, s.Listen(ctx)) })
		v, err := openadr.NewVTN("VTN_REPLICAS", openadr.WithStore(s), openadr.WithMaxVENs(n+10))
		require.NoError(t, err)
		srv := httptest.NewServer(v)
		t.Cleanup(srv.Close)
		replicas[i] = &replica{store: s, vtn: v, srv: srv}
	}
	var turn atomic.Uint64
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		target, _ := url.Parse(replicas[turn.Add(1)%2].srv.URL)
		r.SetURL(target)
	}})
	t.Cleanup(proxy.Close)
	tr := &http.Transport{MaxIdleConnsPerHost: 2 * workers}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	call := func(base string, svc oadr.ServiceName, m oadr.Message) (oadr.Message, error) {
		body, err := oadr.Marshal(m)
		if err != nil {
			return nil, err
		}
		resp, err := client.Post(base+openadr.PathPrefix+string(svc), "application/xml", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: HTTP %d %s", svc, resp.StatusCode, b)
		}
		return oadr.Unmarshal(b)
	}
	parallel := func(n int, fn func(i int) error) {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
					if !assert.NoError(t, fn(i)) {
						return
					}
				}
			})
		}
		wg.Wait()
	}

	// Register through the proxy.
	venIDs := make([]string, n)
	parallel(n, func(i int) error {
		a, err := call(proxy.URL, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
			RequestID: fmt.Sprintf("REG_%d", i), ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
			VenName: fmt.Sprintf("ven-%d", i), HTTPPullModel: new(true)})
		if err != nil {
			return err
		}
		reg, ok := a.(*oadr.CreatedPartyRegistration)
		if !ok || reg.Response.Code != oadr.CodeOK {
			return fmt.Errorf("registration %d answered %s", i, a.MessageName())
		}
		venIDs[i] = reg.VenID
		return nil
	})
	require.False(t, t.Failed())
	registered := time.Now()

	// Queue messages through both replicas' APIs.
	parallel(n, func(i int) error {
		for k := range perVEN {
			msg := &oadr.DistributeEvent{Response: new(oadr.OK("")), RequestID: fmt.Sprintf("MSG_%d_%d", i, k), VtnID: "VTN_REPLICAS"}
			if err := replicas[(i+k)%2].vtn.Enqueue(ctx, venIDs[i], msg); err != nil {
				return err
			}
		}
		return nil
	})
	require.False(t, t.Failed())

	// Two pollers per VEN drain its queue through the proxy, answering
	// what asks for an answer (the VTN's oadrRegisterReport).
	var mu sync.Mutex
	got := map[string]int{}
	parallel(2*n, func(j int) error {
		venID := venIDs[j/2]
		for range 4 * (perVEN + 2) {
			a, err := call(proxy.URL, oadr.ServiceOadrPoll, &oadr.Poll{VenID: venID})
			if err != nil {
				return err
			}
			switch m := a.(type) {
			case *oadr.Response:
				if m.Response.Code != oadr.CodeOK {
					return fmt.Errorf("poll of %s: %d %s", venID, m.Response.Code, m.Response.Description)
				}
				return nil
			case *oadr.DistributeEvent:
				mu.Lock()
				got[m.RequestID]++
				mu.Unlock()
			case *oadr.RegisterReport:
				if _, err := call(proxy.URL, oadr.ServiceEiReport, &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), VenID: venID}); err != nil {
					return err
				}
			default:
				return fmt.Errorf("poll of %s answered %s", venID, a.MessageName())
			}
		}
		return fmt.Errorf("the queue of %s does not drain", venID)
	})
	require.False(t, t.Failed())
	drained := time.Now()
	require.Len(t, got, n*perVEN, "every queued message delivered")
	for id, c := range got {
		assert.Equal(t, 1, c, "%s delivered %d times", id, c)
	}

	// SetSchedule on A; the VEN polls B and opts in there.
	venID := venIDs[0]
	start := time.Now().Add(time.Hour).Truncate(time.Second)
	done := make(chan error, 1)
	waitCtx, stopWait := context.WithTimeout(ctx, 30*time.Second)
	defer stopWait()
	go func() {
		done <- replicas[0].vtn.Battery(venID).SetSchedule(waitCtx, energy.Schedule{Windows: []energy.Window{
			{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge, Power: 3000}}})
	}()
	b := replicas[1].srv.URL
	var answered bool
	for deadline := time.Now().Add(20 * time.Second); !answered && time.Now().Before(deadline); {
		a, err := call(b, oadr.ServiceOadrPoll, &oadr.Poll{VenID: venID})
		require.NoError(t, err)
		d, ok := a.(*oadr.DistributeEvent)
		if !ok {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		var rs []oadr.EventResponse
		for _, e := range d.Events {
			rs = append(rs, oadr.EventResponse{Code: oadr.CodeOK, RequestID: d.RequestID, OptType: oadr.OptIn,
				QualifiedEventID: oadr.QualifiedEventID{EventID: e.Descriptor.EventID, ModificationNumber: e.Descriptor.ModificationNumber}})
		}
		require.NotEmpty(t, rs)
		a, err = call(b, oadr.ServiceEiEvent, &oadr.CreatedEvent{Response: oadr.OK(""), EventResponses: rs, VenID: venID})
		require.NoError(t, err)
		require.Equal(t, oadr.CodeOK, a.(*oadr.Response).Response.Code)
		answered = true
	}
	require.True(t, answered, "the schedule never reached the VEN through replica B")
	select {
	case err := <-done:
		require.NoError(t, err, "SetSchedule on replica A")
	case <-time.After(20 * time.Second):
		require.FailNow(t, "SetSchedule on replica A did not return after the opt-in reached replica B")
	}
	t.Logf("%d VENs: registered in %v, %d messages queued and polled in %v, SetSchedule woken across replicas; %v in all",
		n, registered.Sub(began).Round(time.Millisecond), n*perVEN, drained.Sub(registered).Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
}
