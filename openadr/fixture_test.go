package openadr_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t0 is when the fixtures' fake clock starts.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// fixture is a VTN on a fake clock behind a loopback server, with one
// simulated battery VEN (openadr/ven) registered, its telemetry requested
// (sampled every 10 s, sent every minute) and a first report in.
type fixture struct {
	t     *testing.T
	clk   *clock.Fake
	store *countingStore
	vtn   *openadr.VTN
	srv   *httptest.Server
	ven   *ven.VEN
	venID string
}

func newFixture(t *testing.T, venOpts ...ven.Option) *fixture {
	t.Helper()
	f := &fixture{t: t, clk: clock.NewFake(t0), store: newCountingStore()}
	var err error
	f.vtn, err = openadr.NewVTN("VTN_BATTERY", openadr.WithClock(f.clk), openadr.WithStore(f.store),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(10*time.Second, time.Minute)))
	require.NoError(t, err)
	f.srv = httptest.NewServer(recording(t, f.vtn))
	t.Cleanup(f.srv.Close)
	t.Cleanup(f.srv.Client().CloseIdleConnections)
	opts := append([]ven.Option{ven.WithHTTPClient(f.srv.Client()), ven.WithClock(f.clk)}, venOpts...)
	f.ven, err = ven.New(f.srv.URL, opts...)
	require.NoError(t, err)
	require.NoError(t, f.ven.Register(t.Context()))
	f.venID = f.ven.State().VENID
	f.drain()
	f.step(time.Minute)
	return f
}

// drain polls until the VTN has nothing queued for the VEN.
func (f *fixture) drain() {
	f.t.Helper()
	require.NoError(f.t, drainVEN(f.t.Context(), f.ven))
}

func drainVEN(ctx context.Context, v *ven.VEN) error {
	for {
		got, err := v.PollOnce(ctx)
		if err != nil || !got {
			return err
		}
	}
}

// step moves the clock on by d, then lets the VEN poll and report.
func (f *fixture) step(d time.Duration) {
	f.t.Helper()
	f.clk.Advance(d)
	f.drain()
	require.NoError(f.t, f.ven.Tick(f.t.Context()))
}

// serveVEN plays the VEN's polling while the test waits in SetSchedule: each
// time the application changes the VEN's state, the VEN polls until its
// queue is empty, as it would at its next poll period. It returns the
// function that stops it.
func (f *fixture) serveVEN() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-f.store.kick:
				if err := drainVEN(ctx, f.ven); ctx.Err() == nil {
					assert.NoError(f.t, err, "VEN poll")
				}
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}

// countingStore counts the Store calls the application makes (those outside
// a VEN's HTTP request): for a VTN, reading or changing the Store is the
// I/O (a durable Store does real I/O), and queuing a message for a VEN is
// one such change. After each change by the application it signals kick.
type countingStore struct {
	openadr.Store
	app  atomic.Int64
	kick chan struct{}
}

func newCountingStore() *countingStore {
	return &countingStore{Store: openadr.NewMemStore(), kick: make(chan struct{}, 1)}
}

// fromApp reports whether ctx is not that of a request to the VTN's server.
func fromApp(ctx context.Context) bool { return ctx.Value(http.ServerContextKey) == nil }

func (s *countingStore) count(ctx context.Context) {
	if fromApp(ctx) {
		s.app.Add(1)
	}
}

func (s *countingStore) View(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	s.count(ctx)
	return s.Store.View(ctx, venID, fn)
}

func (s *countingStore) Update(ctx context.Context, venID string, fn func(*openadr.VENState) error) error {
	s.count(ctx)
	err := s.Store.Update(ctx, venID, fn)
	if err == nil && fromApp(ctx) {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
	return err
}

func (s *countingStore) Create(ctx context.Context, st *openadr.VENState) error {
	s.count(ctx)
	return s.Store.Create(ctx, st)
}

func (s *countingStore) Delete(ctx context.Context, venID string) error {
	s.count(ctx)
	return s.Store.Delete(ctx, venID)
}

// recording passes requests to h and hands every answer to the XSD check.
func recording(t *testing.T, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Header().Get("Content-Type") == "application/xml" {
			openadr.RecordEmitted(t.Name(), rec.Body.Bytes())
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}
