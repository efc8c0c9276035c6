// Package storetest is the conformance suite for openadr.Store
// implementations, in the spirit of testing/fstest: the SQLite and
// PostgreSQL stores run it, and so can any third-party store.
//
//	func TestConformance(t *testing.T) {
//		storetest.TestStore(t, storetest.Harness{
//			Open: func(t *testing.T) openadr.Store { return openMyStore(t) },
//		})
//	}
//
// It checks create, duplicate, view, update and delete, the
// registration-ID lookup, the listing order (and the count, for an
// openadr.VENCounter), that no update is lost when 100
// goroutines update the same VEN, that an error from fn saves nothing, that a
// cancelled context is refused, and that a state (poll-queue messages
// included) comes back exactly as it was stored. With Harness.Reopen it also
// checks that all of it survives closing and reopening the store, and for a
// store that is an openadr.Notifier, that Notify wakes its subscribers.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Harness describes the store under test.
type Harness struct {
	// Open returns a new, empty store; the harness closes it (t.Cleanup) if
	// it needs closing.
	Open func(t *testing.T) openadr.Store
	// Reopen, when set, closes s and opens the same storage again, as a
	// restarted process would. Stores that keep nothing beyond the process
	// leave it nil and the durability checks are skipped.
	Reopen func(t *testing.T, s openadr.Store) openadr.Store
	// InPlace says that Update changes the state in place and so keeps what
	// fn changed before returning an error, as the Store documentation
	// allows for in-memory stores (the VTN validates before it changes
	// anything). Durable stores leave it false: an error from fn saves
	// nothing, whatever fn changed.
	InPlace bool
}

// TestStore runs the whole suite as subtests of t.
func TestStore(t *testing.T, h Harness) {
	t.Run("CreateView", func(t *testing.T) { testCreateView(t, h) })
	t.Run("Duplicate", func(t *testing.T) { testDuplicate(t, h) })
	t.Run("Unknown", func(t *testing.T) { testUnknown(t, h) })
	t.Run("Update", func(t *testing.T) { testUpdate(t, h) })
	t.Run("UpdateErrorSavesNothing", func(t *testing.T) { testUpdateError(t, h) })
	t.Run("RegistrationID", func(t *testing.T) { testRegistrationID(t, h) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, h) })
	t.Run("VENsSorted", func(t *testing.T) { testVENs(t, h) })
	t.Run("NoLostUpdate", func(t *testing.T) { testNoLostUpdate(t, h) })
	t.Run("CancelledContext", func(t *testing.T) { testCancelled(t, h) })
	if h.Reopen != nil {
		t.Run("SurvivesReopen", func(t *testing.T) { testReopen(t, h) })
	}
	t.Run("Notifier", func(t *testing.T) { testNotifier(t, h) })
}

// testNotifier checks a store that is an openadr.Notifier: Notify wakes
// the subscribers of that VEN in the same process, not those of another,
// nor a subscription made after it.
func testNotifier(t *testing.T, h Harness) {
	n, ok := open(t, h).(openadr.Notifier)
	if !ok {
		t.Skip("not an openadr.Notifier")
	}
	ctx := context.Background()
	one, stopOne := n.Subscribe("ven-1")
	defer stopOne()
	two, stopTwo := n.Subscribe("ven-1")
	defer stopTwo()
	other, stopOther := n.Subscribe("ven-2")
	defer stopOther()
	require.NoError(t, n.Notify(ctx, "ven-1"))
	for _, ch := range []<-chan struct{}{one, two} {
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatal("a subscriber was not woken")
		}
	}
	select {
	case <-other:
		t.Fatal("a subscriber of another VEN was woken")
	default:
	}
	later, stopLater := n.Subscribe("ven-1")
	defer stopLater()
	select {
	case <-later:
		t.Fatal("a subscription made after Notify was woken by it")
	default:
	}
}

var t0 = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

// State returns a VEN state with every part filled in: registration,
// offered reports, report requests, queued messages (a response, a report
// request and the placeholder of the current event list), an event with a
// response, an opt and telemetry. Store tests can use it as a realistic
// sample.
func State(venID, registrationID string) *openadr.VENState {
	return &openadr.VENState{
		Registration: openadr.Registration{
			VenID: venID, RegistrationID: registrationID, VenName: "battery-" + venID,
			ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
			Fingerprint: "ab:cd:ef:01:23:45:67:89:ab:cd", RegisteredAt: t0,
		},
		ReportRequests: []openadr.ReportRequestState{{
			Request: openadr.ReportRequest{ReportRequestID: "rr-1", ReportSpecifierID: "TELEMETRY_USAGE",
				RIDs: []string{"power", "soc"}, Granularity: time.Minute, ReportBackDuration: time.Minute},
			SentIn: "req-1", RequestedAt: t0, LastUpdateAt: t0.Add(time.Minute),
		}},
		Queue: []openadr.Queued{
			{Message: oadr.NewResponse(200, "OK", "req-9"), QueuedAt: t0},
			{Message: &oadr.CancelPartyRegistration{RequestID: "req-10", RegistrationID: registrationID, VenID: venID}, QueuedAt: t0.Add(time.Second)},
			{QueuedAt: t0.Add(2 * time.Second)},
		},
		Events: []openadr.EventState{{
			Event: openadr.Event{ID: "ev-1", MarketContext: "http://market.example", Priority: 1, Start: t0.Add(time.Hour),
				Signals: []openadr.Signal{{Name: "LOAD_DISPATCH", Type: oadr.SignalTypeSetpoint,
					Intervals: []openadr.Interval{{Duration: 30 * time.Minute, Value: -5000}}}}},
			ModificationNumber: 2, ModificationReason: "rescheduled", CreatedAt: t0, ModifiedAt: t0.Add(time.Minute),
			Response: &openadr.EventResponse{VenID: venID, EventID: "ev-1", ModificationNumber: 2, OptType: oadr.OptIn},
		}},
		Opts: []openadr.Opt{{VenID: venID, OptID: "opt-1", Type: oadr.OptOut, Reason: oadr.OptReasonEmergency,
			Availability: []oadr.Period{{Start: t0.Add(2 * time.Hour), Duration: time.Hour}}, CreatedAt: t0, ReceivedAt: t0}},
		Telemetry: []openadr.Measurement{{VenID: venID, RID: "soc", ReportSpecifierID: "TELEMETRY_USAGE", ReportRequestID: "rr-1",
			Quantity: openadr.QuantityStateOfCharge, Value: 0.42, MeasuredAt: t0, ReceivedAt: t0.Add(time.Second)}},
		Schedules: map[string][]string{"": {"ev-1"}},
		Delivered: []openadr.Delivered{
			{Entry: openadr.Queued{Message: &oadr.RegisterReport{RequestID: "req-8", VenID: venID}, QueuedAt: t0},
				RequestID: "req-8", Polls: 2, Sent: 1},
			{Entry: openadr.Queued{QueuedAt: t0}, Events: []openadr.EventRef{{EventID: "ev-1", ModificationNumber: 2}}, Polls: 1, Sent: 3},
		},
	}
}

func open(t *testing.T, h Harness) openadr.Store {
	t.Helper()
	s := h.Open(t)
	require.NotNil(t, s, "Harness.Open returned nil")
	return s
}

// requireSame checks that got is want as the VTN will use it: equal fields,
// and queued messages that encode to the same bytes.
func requireSame(t *testing.T, want, got *openadr.VENState) {
	t.Helper()
	require.Len(t, got.Queue, len(want.Queue), "queue length")
	for i := range want.Queue {
		assert.True(t, want.Queue[i].QueuedAt.Equal(got.Queue[i].QueuedAt), "Queue[%d].QueuedAt", i)
		if want.Queue[i].Message == nil {
			assert.Nil(t, got.Queue[i].Message, "Queue[%d] is the event-list placeholder", i)
			continue
		}
		require.NotNil(t, got.Queue[i].Message, "Queue[%d].Message", i)
		wb, err := oadr.Marshal(want.Queue[i].Message)
		require.NoError(t, err)
		gb, err := oadr.Marshal(got.Queue[i].Message)
		require.NoError(t, err)
		assert.Equal(t, string(wb), string(gb), "Queue[%d] delivers other bytes", i)
	}
	w, g := *want, *got
	w.Queue, g.Queue = nil, nil
	assert.Equal(t, w, g)
}

func view(t *testing.T, s openadr.Store, venID string) *openadr.VENState {
	t.Helper()
	var out openadr.VENState
	require.NoError(t, s.View(context.Background(), venID, func(st *openadr.VENState) error {
		b, err := openadr.MarshalVENState(st) // a deep copy: fn must not keep st
		if err != nil {
			return err
		}
		return openadr.UnmarshalVENState(b, &out)
	}))
	return &out
}

func testCreateView(t *testing.T, h Harness) {
	s := open(t, h)
	want := State("ven-1", "reg-1")
	require.NoError(t, s.Create(context.Background(), State("ven-1", "reg-1")))
	requireSame(t, want, view(t, s, "ven-1"))
}

func testDuplicate(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, State("ven-1", "reg-1")))
	err := s.Create(ctx, State("ven-1", "reg-2"))
	require.ErrorIs(t, err, openadr.ErrDuplicateVEN)
	requireSame(t, State("ven-1", "reg-1"), view(t, s, "ven-1"))
}

func testUnknown(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	called := false
	fn := func(*openadr.VENState) error { called = true; return nil }
	require.ErrorIs(t, s.View(ctx, "nobody", fn), openadr.ErrUnknownVEN)
	require.ErrorIs(t, s.Update(ctx, "nobody", fn), openadr.ErrUnknownVEN)
	assert.False(t, called, "fn called for an unknown VEN")
	_, err := s.VENByRegistrationID(ctx, "no-such-registration")
	require.ErrorIs(t, err, openadr.ErrUnknownVEN)
	require.NoError(t, s.Delete(ctx, "nobody"), "deleting an unknown VEN is not an error")
}

func testUpdate(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, State("ven-1", "reg-1")))
	want := State("ven-1", "reg-1")
	change := func(st *openadr.VENState) error {
		st.Queue = st.Queue[1:]
		st.Telemetry[0].Value = 0.5
		st.Events[0].ModificationNumber++
		st.Schedules["battery-1"] = []string{"ev-2", "ev-3"}
		return nil
	}
	require.NoError(t, change(want))
	require.NoError(t, s.Update(ctx, "ven-1", change))
	requireSame(t, want, view(t, s, "ven-1"))
}

func testUpdateError(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, State("ven-1", "reg-1")))
	boom := errors.New("boom")
	err := s.Update(ctx, "ven-1", func(st *openadr.VENState) error {
		if !h.InPlace {
			st.Queue = nil
			st.Registration.VenName = "changed"
		}
		return boom
	})
	require.ErrorIs(t, err, boom, "Update returns fn's error")
	requireSame(t, State("ven-1", "reg-1"), view(t, s, "ven-1"))
}

func testRegistrationID(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, State("ven-1", "reg-1")))
	require.NoError(t, s.Create(ctx, State("ven-2", "reg-2")))
	noReg := State("ven-3", "")
	require.NoError(t, s.Create(ctx, noReg), "a VEN without a registrationID yet")
	id, err := s.VENByRegistrationID(ctx, "reg-2")
	require.NoError(t, err)
	assert.Equal(t, "ven-2", id)

	require.NoError(t, s.Update(ctx, "ven-1", func(st *openadr.VENState) error {
		st.Registration.RegistrationID = "reg-1b"
		return nil
	}))
	_, err = s.VENByRegistrationID(ctx, "reg-1")
	require.ErrorIs(t, err, openadr.ErrUnknownVEN, "the old registrationID still resolves")
	id, err = s.VENByRegistrationID(ctx, "reg-1b")
	require.NoError(t, err)
	assert.Equal(t, "ven-1", id)
	_, err = s.VENByRegistrationID(ctx, "")
	require.ErrorIs(t, err, openadr.ErrUnknownVEN, "the empty registrationID names no VEN")
}

func testDelete(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, State("ven-1", "reg-1")))
	require.NoError(t, s.Delete(ctx, "ven-1"))
	require.ErrorIs(t, s.View(ctx, "ven-1", func(*openadr.VENState) error { return nil }), openadr.ErrUnknownVEN)
	_, err := s.VENByRegistrationID(ctx, "reg-1")
	require.ErrorIs(t, err, openadr.ErrUnknownVEN)
	require.NoError(t, s.Create(ctx, State("ven-1", "reg-1")), "a deleted venID can register again")
}

func testVENs(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	ids, err := s.VENs(ctx)
	require.NoError(t, err)
	assert.Empty(t, ids)
	for _, id := range []string{"ven-c", "ven-a", "ven-b"} {
		require.NoError(t, s.Create(ctx, State(id, "reg-"+id)))
	}
	ids, err = s.VENs(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"ven-a", "ven-b", "ven-c"}, ids)
	if c, ok := s.(openadr.VENCounter); ok {
		require.NoError(t, s.Delete(ctx, "ven-b"))
		n, err := c.CountVENs(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, n, "CountVENs")
	}
}

// testNoLostUpdate has 100 goroutines append to the same VEN's state at
// once; every append must be there at the end.
func testNoLostUpdate(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	st := State("ven-1", "reg-1")
	st.Telemetry = nil
	require.NoError(t, s.Create(ctx, st))
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- s.Update(ctx, "ven-1", func(st *openadr.VENState) error {
				st.Telemetry = append(st.Telemetry, openadr.Measurement{VenID: "ven-1", RID: fmt.Sprint(i)})
				return nil
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got := view(t, s, "ven-1")
	seen := map[string]bool{}
	for _, m := range got.Telemetry {
		seen[m.RID] = true
	}
	assert.Len(t, seen, n, "updates lost: %d of %d kept", len(seen), n)
}

func testCancelled(t *testing.T, h Harness) {
	s := open(t, h)
	require.NoError(t, s.Create(context.Background(), State("ven-1", "reg-1")))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	err := s.Update(ctx, "ven-1", func(*openadr.VENState) error { called = true; return nil })
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, called, "fn called with a cancelled context")
	require.ErrorIs(t, s.Create(ctx, State("ven-2", "reg-2")), context.Canceled)
}

func testReopen(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	require.NoError(t, s.Create(ctx, State("ven-1", "reg-1")))
	require.NoError(t, s.Create(ctx, State("ven-2", "reg-2")))
	require.NoError(t, s.Delete(ctx, "ven-2"))
	require.NoError(t, s.Update(ctx, "ven-1", func(st *openadr.VENState) error {
		st.Queue = st.Queue[:2]
		return nil
	}))
	s = h.Reopen(t, s)
	want := State("ven-1", "reg-1")
	want.Queue = want.Queue[:2]
	requireSame(t, want, view(t, s, "ven-1"))
	ids, err := s.VENs(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"ven-1"}, ids)
	id, err := s.VENByRegistrationID(ctx, "reg-1")
	require.NoError(t, err)
	assert.Equal(t, "ven-1", id)
}
