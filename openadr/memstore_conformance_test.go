package openadr_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/storetest"
)

func TestMemStoreConformance(t *testing.T) {
	storetest.TestStore(t, storetest.Harness{
		Open:    func(*testing.T) openadr.Store { return openadr.NewMemStore() },
		InPlace: true,
	})
}

// The MemStore finds VENs by a hash of the venID; venIDs whose hashes are
// equal (here all of them) are kept apart and pass the same suite.
func TestMemStoreConformanceHashCollisions(t *testing.T) {
	storetest.TestStore(t, storetest.Harness{
		Open:    func(*testing.T) openadr.Store { return openadr.NewCollidingMemStore() },
		InPlace: true,
	})
}

// With colliding hashes, each VEN is still its own: deleting the one that
// holds the hash's slot leaves the others found, and a new VEN takes the
// slot again; long venIDs (beyond the copy kept beside the lock) and the
// empty one are told apart too.
func TestMemStoreCollidingVENs(t *testing.T) {
	ctx := context.Background()
	s := openadr.NewCollidingMemStore()
	long := "VEN_" + string(make([]byte, 60)) // 64 bytes
	ids := []string{"A", "B", "", long, long + "x", "C"}
	for i, id := range ids {
		require.NoError(t, s.Create(ctx, &openadr.VENState{Registration: openadr.Registration{VenID: id, RegistrationID: "R" + string(rune('0'+i))}}), "%q", id)
	}
	check := func(want ...string) {
		t.Helper()
		for _, id := range want {
			err := s.View(ctx, id, func(st *openadr.VENState) error {
				assert.Equal(t, id, st.Registration.VenID)
				return nil
			})
			assert.NoError(t, err, "%q", id)
		}
		got, err := s.VENs(ctx)
		require.NoError(t, err)
		assert.ElementsMatch(t, want, got)
		n, err := s.CountVENs(ctx)
		require.NoError(t, err)
		assert.Equal(t, len(want), n)
	}
	check(ids...)
	require.NoError(t, s.Delete(ctx, "A")) // the slot's holder
	assert.ErrorIs(t, s.View(ctx, "A", func(*openadr.VENState) error { return nil }), openadr.ErrUnknownVEN)
	_, err := s.VENByRegistrationID(ctx, "R0")
	assert.ErrorIs(t, err, openadr.ErrUnknownVEN)
	check("B", "", long, long+"x", "C")
	require.NoError(t, s.Create(ctx, &openadr.VENState{Registration: openadr.Registration{VenID: "D"}}))
	require.NoError(t, s.Delete(ctx, long))
	check("B", "", long+"x", "C", "D")
	assert.ErrorIs(t, s.Create(ctx, &openadr.VENState{Registration: openadr.Registration{VenID: "B"}}), openadr.ErrDuplicateVEN)
	assert.ErrorIs(t, s.Create(ctx, &openadr.VENState{Registration: openadr.Registration{VenID: long + "x"}}), openadr.ErrDuplicateVEN)
	id, err := s.VENByRegistrationID(ctx, "R4")
	require.NoError(t, err)
	assert.Equal(t, long+"x", id)
}
