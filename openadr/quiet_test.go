package openadr

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// quietAgrees checks the rule of quietPoll for a poll from c as venID: a
// poll it finds idle, the VEN's stored state finds idle too. It returns
// what quietPoll found.
func quietAgrees(t *testing.T, v *VTN, c Caller, venID string) bool {
	t.Helper()
	quiet := v.quietPoll(context.Background(), c, venID)
	stored, err := v.storedIdle(context.Background(), c, venID)
	if quiet {
		require.NoError(t, err, "quietPoll found idle a poll the stored state refuses")
		require.True(t, stored, "quietPoll found idle a poll the stored state does not")
	}
	return quiet
}

// TestQuietPoll walks a VEN through the states of VTN.idle and checks that
// the summary answers a poll only when the stored state would have found
// it idle, and that it does answer the commonest poll, an empty one soon
// after the last.
func TestQuietPoll(t *testing.T) {
	ctx := context.Background()
	v, clk := newVTN(t)
	require.NotNil(t, v.quiet, "a VTN on its own MemStore keeps summaries")
	venID, _ := register(t, v, "quiet")
	drain(t, v, venID)
	anyone := Caller{}
	assert.True(t, quietAgrees(t, v, anyone, venID), "an empty poll just after the last")

	require.NoError(t, v.Enqueue(ctx, venID, &oadr.RegisterReport{RequestID: "REQ_RR", VenID: venID}))
	assert.False(t, quietAgrees(t, v, anyone, venID), "a message is queued")
	drain(t, v, venID)
	assert.True(t, quietAgrees(t, v, anyone, venID), "the queue drained")

	clk.Advance(v.contactStep() - time.Second)
	assert.True(t, quietAgrees(t, v, anyone, venID), "contact recorded less than a step ago")
	clk.Advance(time.Second)
	assert.False(t, quietAgrees(t, v, anyone, venID), "contact a step old is to be recorded")
	pollMsg(t, v, venID)
	assert.True(t, quietAgrees(t, v, anyone, venID), "the poll recorded the contact")

	clk.Advance(2 * v.silenceWindow())
	_, err := v.CheckLiveness(ctx)
	require.NoError(t, err)
	_, silent, err := v.LastContact(ctx, venID)
	require.NoError(t, err)
	require.True(t, silent)
	assert.False(t, quietAgrees(t, v, anyone, venID), "a silent VEN's poll is news")
	pollMsg(t, v, venID)
	assert.True(t, quietAgrees(t, v, anyone, venID), "heard from again")
	require.NoError(t, v.store.Update(ctx, venID, func(st *VENState) error {
		st.Contact.Silent = true // as CheckLiveness would, had the clock been set back
		return nil
	}))
	assert.False(t, quietAgrees(t, v, anyone, venID), "silent, with a contact less than a step old")
	pollMsg(t, v, venID)

	assert.False(t, quietAgrees(t, v, anyone, "someone-else"), "an unknown venID")
	assert.False(t, quietAgrees(t, v, anyone, ""), "no venID")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	assert.False(t, v.quietPoll(cancelled, anyone, venID), "a cancelled request is the Store's to refuse")

	// The client: the registered certificate, and a signature when the
	// VEN registered to sign.
	const fp = "AA:BB:CC"
	require.NoError(t, v.store.Update(ctx, venID, func(st *VENState) error {
		st.Registration.Fingerprint = fp
		return nil
	}))
	assert.False(t, quietAgrees(t, v, anyone, venID), "a client without the VEN's certificate")
	assert.False(t, quietAgrees(t, v, Caller{Fingerprint: "AA:BB:CD"}, venID), "another certificate")
	assert.True(t, quietAgrees(t, v, Caller{Fingerprint: fp, unsigned: true}, venID), "the VEN's certificate")
	require.NoError(t, v.store.Update(ctx, venID, func(st *VENState) error {
		st.Registration.XMLSignature = true
		return nil
	}))
	assert.False(t, quietAgrees(t, v, Caller{Fingerprint: fp, unsigned: true}, venID), "an unsigned poll from a VEN that must sign")
	assert.True(t, quietAgrees(t, v, Caller{Fingerprint: fp}, venID), "a signed poll")

	// A failed update that changed the state before failing: the
	// summary follows the state, not the error.
	require.Error(t, v.store.Update(ctx, venID, func(st *VENState) error {
		st.Queue = append(st.Queue, Queued{Message: &oadr.RegisterReport{RequestID: "REQ_X", VenID: venID}})
		return context.Canceled
	}))
	assert.False(t, quietAgrees(t, v, Caller{Fingerprint: fp}, venID), "a message left queued by a failed update")

	require.NoError(t, v.Forget(ctx, venID))
	assert.False(t, quietAgrees(t, v, Caller{Fingerprint: fp}, venID), "a forgotten VEN")
}

// TestQuietPollSharedStore: of two VTNs given one MemStore, the first keeps
// the summaries, and keeps them whichever VTN changes a VEN; the second
// reads the stored state, as it would from any Store.
func TestQuietPollSharedStore(t *testing.T) {
	ctx := context.Background()
	store := NewMemStore()
	first, _ := newVTN(t, WithStore(store))
	second, _ := newVTN(t, WithStore(store), WithPollFrequency(time.Minute))
	assert.Same(t, store, first.quiet, "the store summarizes for the VTN it was first given to")
	assert.Nil(t, second.quiet)
	venID, _ := register(t, second, "shared")
	drain(t, second, venID)
	assert.True(t, quietAgrees(t, first, Caller{}, venID))
	assert.False(t, second.quietPoll(ctx, Caller{}, venID))
	require.NoError(t, second.Enqueue(ctx, venID, &oadr.RegisterReport{RequestID: "REQ_RR", VenID: venID}))
	assert.False(t, quietAgrees(t, first, Caller{}, venID), "queued by the other VTN")
	assert.Len(t, drain(t, first, venID), 1)
}

// TestQuietPollSummarizesExistingVENs: a MemStore filled before the VTN is
// made summarizes the VENs it holds.
func TestQuietPollSummarizesExistingVENs(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(t0)
	store := NewMemStore()
	require.NoError(t, store.Create(ctx, &VENState{Registration: Registration{VenID: "VEN_EARLY", RegistrationID: "REG_EARLY", RegisteredAt: clk.Now()}}))
	v, err := NewVTN("VTN_TEST", WithClock(clk), WithStore(store))
	require.NoError(t, err)
	assert.True(t, quietAgrees(t, v, Caller{}, "VEN_EARLY"))
}

// TestQuietPollConcurrent: a message queued while the VEN polls is
// delivered by the first poll that starts after Enqueue returned.
func TestQuietPollConcurrent(t *testing.T) {
	ctx := context.Background()
	v, _ := newVTN(t)
	venID, _ := register(t, v, "concurrent")
	drain(t, v, venID)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				_, _ = v.idle(ctx, Caller{}, venID)
			}
		}
	})
	for i := range 200 {
		require.NoError(t, v.Enqueue(ctx, venID, &oadr.RegisterReport{RequestID: "REQ_RR", VenID: venID}))
		idle, err := v.idle(ctx, Caller{}, venID)
		require.NoError(t, err)
		require.False(t, idle, "round %d: the queued message is not seen", i)
		require.Len(t, drain(t, v, venID), 1)
	}
	close(stop)
	wg.Wait()
}
