package openadr

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"sync/atomic"
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

// TestQuietPollSharedStore: of two VTNs given one MemStore, the last keeps
// the summaries, and keeps them whichever VTN changes a VEN; the first
// reads the stored state, as it would from any Store, and answers alike.
func TestQuietPollSharedStore(t *testing.T) {
	ctx := context.Background()
	store := NewMemStore()
	first, _ := newVTN(t, WithStore(store))
	venID, _ := register(t, first, "shared")
	drain(t, first, venID)
	assert.True(t, quietAgrees(t, first, Caller{}, venID))
	second, _ := newVTN(t, WithStore(store), WithPollFrequency(time.Minute))
	assert.True(t, quietAgrees(t, second, Caller{}, venID), "the store summarizes for the VTN it was last given to")
	assert.False(t, quietAgrees(t, first, Caller{}, venID), "the first VTN's key matches no summary now")
	assert.IsType(t, &oadr.Response{}, pollMsg(t, first, venID))
	require.NoError(t, first.Enqueue(ctx, venID, &oadr.RegisterReport{RequestID: "REQ_RR", VenID: venID}))
	assert.False(t, quietAgrees(t, second, Caller{}, venID), "queued by the other VTN")
	assert.Len(t, drain(t, second, venID), 1)
	assert.True(t, quietAgrees(t, second, Caller{}, venID))
}

// TestQuietPollSummarizesStoredVENs: a MemStore filled before the VTN is
// made summarizes the VENs it holds, and a VEN created through the store
// afterwards is summarized by Create (a VEN never updated would otherwise
// never take the quick path).
func TestQuietPollSummarizesStoredVENs(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(t0)
	store := NewMemStore()
	require.NoError(t, store.Create(ctx, &VENState{Registration: Registration{VenID: "VEN_EARLY", RegistrationID: "REG_EARLY", RegisteredAt: clk.Now()}}))
	v, err := NewVTN("VTN_TEST", WithClock(clk), WithStore(store))
	require.NoError(t, err)
	assert.True(t, quietAgrees(t, v, Caller{}, "VEN_EARLY"))
	require.NoError(t, v.store.Create(ctx, &VENState{Registration: Registration{VenID: "VEN_LATE", RegistrationID: "REG_LATE", RegisteredAt: clk.Now()}}))
	assert.True(t, quietAgrees(t, v, Caller{}, "VEN_LATE"))
}

// TestQuietPollConcurrent: a message queued while the VEN polls is
// delivered by the first poll that starts after Enqueue returned.
func TestQuietPollConcurrent(t *testing.T) {
	ctx := context.Background()
	v, _ := newVTN(t)
	venID, _ := register(t, v, "concurrent")
	drain(t, v, venID)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for !stop.Load() {
			_, _ = v.idle(ctx, Caller{}, venID)
		}
	})
	for i := range 200 {
		require.NoError(t, v.Enqueue(ctx, venID, &oadr.RegisterReport{RequestID: "REQ_RR", VenID: venID}))
		idle, err := v.idle(ctx, Caller{}, venID)
		require.NoError(t, err)
		require.False(t, idle, "round %d: the queued message is not seen", i)
		require.Len(t, drain(t, v, venID), 1)
	}
	stop.Store(true)
	wg.Wait()
}

// TestQuietSummaryNotTorn: the seqlock of an index slot never hands out a
// key of one write with the until of another.
func TestQuietSummaryNotTorn(t *testing.T) {
	var q memSlot
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := uint64(0); !stop.Load(); i++ {
			q.store(i, int64(i))
		}
	})
	torn, read := 0, 0
	for range 200_000 {
		k, u, ok := q.load()
		if ok {
			read++
			if int64(k) != u {
				torn++
			}
		}
	}
	stop.Store(true)
	wg.Wait()
	assert.Zero(t, torn, "torn reads among %d", read)
	assert.NotZero(t, read)
}

// TestQuietPollNoTornState: an Update that moves the VEN to another
// certificate and queues a message in one go is never seen half done: a
// poll with the new certificate is not idle by the summary before or after.
func TestQuietPollNoTornState(t *testing.T) {
	ctx := context.Background()
	v, _ := newVTN(t)
	venID, _ := register(t, v, "torn")
	drain(t, v, venID)
	const fpA, fpB = "AA", "BB"
	msg := &oadr.RegisterReport{RequestID: "REQ_T", VenID: venID}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; !stop.Load(); i++ {
			_ = v.store.Update(ctx, venID, func(st *VENState) error {
				if i%2 == 0 {
					st.Registration.Fingerprint, st.Queue = fpB, []Queued{{Message: msg}}
				} else {
					st.Registration.Fingerprint, st.Queue = fpA, nil
				}
				return nil
			})
		}
	})
	bad := 0
	for range 100_000 {
		if v.quietPoll(ctx, Caller{Fingerprint: fpB}, venID) {
			bad++
		}
	}
	stop.Store(true)
	wg.Wait()
	assert.Zero(t, bad, "idle for a certificate only a state with a queued message has")
}

// TestQuietPollColliding: on a store where every venID has one hash, each
// VEN answers from its own summary, none from another's, and a VEN's slot
// is found again after a VEN before it in the table was forgotten.
func TestQuietPollColliding(t *testing.T) {
	ctx := context.Background()
	v, _ := newVTN(t, WithStore(NewCollidingMemStore()))
	require.NotNil(t, v.quiet)
	a, _ := register(t, v, "a")
	b, _ := register(t, v, "b")
	drain(t, v, a)
	drain(t, v, b)
	assert.True(t, quietAgrees(t, v, Caller{}, a))
	assert.True(t, quietAgrees(t, v, Caller{}, b), "b's hash is a's, its summary its own")
	assert.False(t, quietAgrees(t, v, Caller{Fingerprint: "AA"}, b), "a client b is not registered to")
	require.NoError(t, v.store.Update(ctx, a, func(st *VENState) error {
		st.Queue = []Queued{{Message: &oadr.RegisterReport{RequestID: "REQ_C", VenID: a}}}
		return nil
	}))
	assert.False(t, quietAgrees(t, v, Caller{}, a), "a has a message")
	assert.True(t, quietAgrees(t, v, Caller{}, b), "b's summary is not a's")
	require.NoError(t, v.Forget(ctx, a))
	assert.False(t, quietAgrees(t, v, Caller{}, a))
	assert.True(t, quietAgrees(t, v, Caller{}, b), "b's slot moved to where a's was")
	c, _ := register(t, v, "c")
	drain(t, v, c)
	assert.True(t, quietAgrees(t, v, Caller{}, c))
	assert.True(t, quietAgrees(t, v, Caller{}, b))
}

// TestQuietPollDelivered: redelivery (the VTN's default) leaves a message in
// Delivered; no poll is idle by the summary until the VTN gives up on it.
func TestQuietPollDelivered(t *testing.T) {
	ctx := context.Background()
	v, _ := newVTN(t, WithRedeliverAfter(DefaultRedeliverAfter))
	venID, _ := register(t, v, "delivered")
	m := pollMsg(t, v, venID) // the VTN's oadrRegisterReport, now awaiting an answer
	require.IsType(t, &oadr.RegisterReport{}, m)
	quick := 0
	for range 3 * DefaultRedeliverAfter * MaxDeliveries {
		if quietAgrees(t, v, Caller{}, venID) {
			quick++
		}
		pollMsg(t, v, venID)
	}
	var st VENState
	require.NoError(t, v.store.View(ctx, venID, func(s *VENState) error { st = *s; return nil }))
	require.Empty(t, st.Delivered, "given up")
	assert.True(t, quietAgrees(t, v, Caller{}, venID))
	t.Logf("polls idle by summary while the message waited: %d", quick)
}

// TestQuietPollRandom: a random walk over the state VTN.idle reads and the
// client that polls: the summary never finds idle a poll the stored state
// does not (clock set back and forth around the contact step included).
func TestQuietPollRandom(t *testing.T) {
	ctx := context.Background()
	v, clk := newVTN(t)
	venID, _ := register(t, v, "random")
	drain(t, v, venID)
	r := rand.New(rand.NewPCG(1, 2))
	fps := []string{"", "AA", "BB"}
	step := v.contactStep()
	offsets := []time.Duration{-step - 1, -step, -step + 1, -1, 0, 1, step - 1, step, step + 1, 2 * step}
	quick := 0
	for range 20000 {
		require.NoError(t, v.store.Update(ctx, venID, func(st *VENState) error {
			st.Registration.Fingerprint = fps[r.IntN(len(fps))]
			st.Registration.XMLSignature = r.IntN(2) == 0
			st.Contact.Silent = r.IntN(5) == 0
			st.Contact.Last = t0.Add(offsets[r.IntN(len(offsets))])
			st.Registration.RegisteredAt = t0.Add(offsets[r.IntN(len(offsets))])
			st.Queue, st.Delivered = nil, nil
			switch r.IntN(6) {
			case 0:
				st.Queue = []Queued{{Message: &oadr.RegisterReport{RequestID: "REQ_Q", VenID: venID}}}
			case 1:
				st.Delivered = []Delivered{{RequestID: "REQ_D"}}
			}
			return nil
		}))
		clk.Set(t0.Add(offsets[r.IntN(len(offsets))]))
		c := Caller{Fingerprint: fps[r.IntN(len(fps))], unsigned: r.IntN(2) == 0}
		if quietAgrees(t, v, c, venID) {
			quick++
		}
	}
	assert.NotZero(t, quick)
}

// TestQuietPollWallTimes: a VEN whose last contact has no monotonic clock
// reading (a state decoded from JSON) has no summary on a VTN whose clock
// has one, since a step of the wall clock would move the summary's until
// and not contactDue's comparison; its polls go the ordinary way.
func TestQuietPollWallTimes(t *testing.T) {
	ctx := context.Background()
	v, err := NewVTN("VTN_TEST", WithRedeliverAfter(0)) // the system clock
	require.NoError(t, err)
	now := v.clock.Now()
	require.True(t, monotonic(now))
	b, err := json.Marshal(&VENState{Registration: Registration{VenID: "VEN_RESTORED", RegistrationID: "REG_RESTORED", RegisteredAt: now}, Contact: Contact{Last: now}})
	require.NoError(t, err)
	var st VENState
	require.NoError(t, json.Unmarshal(b, &st))
	require.False(t, monotonic(st.Contact.Last))
	require.NoError(t, v.store.Create(ctx, &st))
	require.NoError(t, v.store.Create(ctx, &VENState{Registration: Registration{VenID: "VEN_LIVE", RegistrationID: "REG_LIVE", RegisteredAt: now}, Contact: Contact{Last: now}}))
	assert.False(t, quietAgrees(t, v, Caller{}, "VEN_RESTORED"))
	stored, err := v.storedIdle(ctx, Caller{}, "VEN_RESTORED")
	require.NoError(t, err)
	assert.True(t, stored, "idle all the same")
	assert.True(t, quietAgrees(t, v, Caller{}, "VEN_LIVE"))
}

// TestQuietPollAfterDeleteInFlight: an Update that holds the entry while
// Delete removes it (and the venID is created again for another client,
// with a message) writes no summary anywhere: not in the new entry's slot,
// nor in another VEN's slot of the same hash.
func TestQuietPollAfterDeleteInFlight(t *testing.T) {
	for _, recreate := range []bool{false, true} {
		ctx := context.Background()
		s := NewCollidingMemStore()
		v, _ := newVTN(t, WithStore(s))
		a, _ := register(t, v, "a")
		b, _ := register(t, v, "b")
		drain(t, v, a)
		drain(t, v, b)
		inFn, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
		go func() {
			done <- s.Update(ctx, a, func(*VENState) error {
				close(inFn)
				<-release
				return nil
			})
		}()
		<-inFn
		deleted := make(chan struct{})
		go func() { _ = s.Delete(ctx, a); close(deleted) }()
		for { // Delete has taken a out of the index and waits for a's lock
			if n, _ := s.CountVENs(ctx); n == 1 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		if recreate {
			require.NoError(t, s.Create(ctx, &VENState{
				Registration: Registration{VenID: a, RegistrationID: "R2", Fingerprint: "BB"},
				Queue:        []Queued{{Message: &oadr.RegisterReport{RequestID: "REQ_X", VenID: a}}},
				Contact:      Contact{Last: v.clock.Now()},
			}))
		}
		close(release)
		require.NoError(t, <-done)
		<-deleted
		require.False(t, quietAgrees(t, v, Caller{}, a), "recreate=%v", recreate)
		require.True(t, quietAgrees(t, v, Caller{}, b))
	}
}

// TestQuietPollRenamedState: a state whose venID an Update changed has no
// summary, so a poll of the new venID, which the store does not know, is
// not idle by a slot it shares a tag with.
func TestQuietPollRenamedState(t *testing.T) {
	ctx := context.Background()
	v, _ := newVTN(t, WithStore(NewCollidingMemStore()))
	a, _ := register(t, v, "a")
	drain(t, v, a)
	require.NoError(t, v.store.Update(ctx, a, func(st *VENState) error {
		st.Registration.VenID = "RENAMED"
		return nil
	}))
	assert.False(t, v.quietPoll(ctx, Caller{}, "RENAMED"))
	_, err := v.storedIdle(ctx, Caller{}, "RENAMED")
	assert.ErrorIs(t, err, ErrUnknownVEN)
}
