package pgstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/storetest"
)

// Two stores on one database, as two VTN processes: each sees the other's
// changes (the decoded-state cache checks the row version), and concurrent
// updates through both lose nothing.
func TestTwoStoresShareState(t *testing.T) {
	u := testURL(t)
	a, b := openAt(t, u), openAt(t, u)
	ctx := context.Background()
	require.NoError(t, a.Create(ctx, storetest.State("ven-1", "reg-1")))
	count := func(s openadr.Store) int {
		n := -1
		require.NoError(t, s.View(ctx, "ven-1", func(st *openadr.VENState) error { n = len(st.Telemetry); return nil }))
		return n
	}
	add := func(st *openadr.VENState) error {
		st.Telemetry = append(st.Telemetry, openadr.Measurement{RID: "r"})
		return nil
	}
	start := count(a)
	require.Equal(t, start, count(b))
	require.NoError(t, a.Update(ctx, "ven-1", add))
	assert.Equal(t, start+1, count(b), "b's cached state is stale")
	require.NoError(t, b.Update(ctx, "ven-1", add))
	assert.Equal(t, start+2, count(a))

	var wg sync.WaitGroup
	for i := range 40 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() { assert.NoError(t, s.Update(ctx, "ven-1", add)) })
	}
	wg.Wait()
	assert.Equal(t, start+42, count(a))
	assert.Equal(t, start+42, count(b))

	require.NoError(t, b.Delete(ctx, "ven-1"))
	assert.ErrorIs(t, a.View(ctx, "ven-1", func(*openadr.VENState) error { return nil }), openadr.ErrUnknownVEN)
}

// Notify on one store wakes a subscriber of another that runs Listen.
func TestNotifyAcrossStores(t *testing.T) {
	u := testURL(t)
	a, b := openAt(t, u), openAt(t, u)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { assert.NoError(t, a.Listen(ctx)) })
	defer func() { cancel(); wg.Wait() }()

	// Listen wakes every subscriber once it listens; wait for that, so
	// that the wake-up below is the notification's.
	woken, stop := a.Subscribe("ven-x")
	select {
	case <-woken:
	case <-time.After(10 * time.Second):
		require.FailNow(t, "Listen did not start listening")
	}
	stop()
	woken, stop = a.Subscribe("ven-1")
	defer stop()
	other, stopOther := a.Subscribe("ven-2")
	defer stopOther()
	require.NoError(t, b.Notify(ctx, "ven-1"))
	select {
	case <-woken:
	case <-time.After(10 * time.Second):
		require.FailNow(t, "not woken by the other store's Notify")
	}
	select {
	case <-other:
		require.FailNow(t, "woken for another VEN")
	case <-time.After(50 * time.Millisecond):
	}

	// Without a listener a store's own Notify still wakes its own waiters.
	mine, stopMine := b.Subscribe("ven-3")
	defer stopMine()
	require.NoError(t, b.Notify(ctx, "ven-3"))
	select {
	case <-mine:
	default:
		require.FailNow(t, "own Notify did not wake")
	}
}
