package openadr

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemStore(t *testing.T) {
	s := NewMemStore()
	require.NoError(t, s.Create(bg, &VENState{Registration: Registration{VenID: "B", RegistrationID: "RB"}}))
	require.NoError(t, s.Create(bg, &VENState{Registration: Registration{VenID: "A", RegistrationID: "RA"}}))
	assert.ErrorIs(t, s.Create(bg, &VENState{Registration: Registration{VenID: "A"}}), ErrDuplicateVEN)

	ids, err := s.VENs(bg)
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B"}, ids)
	id, err := s.VENByRegistrationID(bg, "RA")
	require.NoError(t, err)
	assert.Equal(t, "A", id)
	_, err = s.VENByRegistrationID(bg, "")
	assert.ErrorIs(t, err, ErrUnknownVEN)

	// A failing update returns its error; the registration index follows
	// changes of registrationID.
	boom := errors.New("boom")
	assert.ErrorIs(t, s.Update(bg, "A", func(*VENState) error { return boom }), boom)
	require.NoError(t, s.Update(bg, "A", func(st *VENState) error { st.Registration.RegistrationID = "RA2"; return nil }))
	_, err = s.VENByRegistrationID(bg, "RA")
	assert.ErrorIs(t, err, ErrUnknownVEN)
	id, _ = s.VENByRegistrationID(bg, "RA2")
	assert.Equal(t, "A", id)

	require.NoError(t, s.Delete(bg, "A"))
	require.NoError(t, s.Delete(bg, "A"), "deleting twice is fine")
	assert.ErrorIs(t, s.View(bg, "A", func(*VENState) error { return nil }), ErrUnknownVEN)
	assert.ErrorIs(t, s.Update(bg, "A", func(*VENState) error { return nil }), ErrUnknownVEN)
	_, err = s.VENByRegistrationID(bg, "RA2")
	assert.ErrorIs(t, err, ErrUnknownVEN)

	ctx, cancel := context.WithCancel(bg)
	cancel()
	assert.ErrorIs(t, s.View(ctx, "B", func(*VENState) error { return nil }), context.Canceled)
	assert.ErrorIs(t, s.Update(ctx, "B", func(*VENState) error { return nil }), context.Canceled)
	assert.ErrorIs(t, s.Create(ctx, &VENState{}), context.Canceled)
	assert.ErrorIs(t, s.Delete(ctx, "B"), context.Canceled)
	_, err = s.VENs(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = s.VENByRegistrationID(ctx, "RB")
	assert.ErrorIs(t, err, context.Canceled)
}

// Updates of one VEN are atomic; different VENs proceed in parallel, and a
// delete racing with updates leaves nothing behind. Run with -race.
func TestMemStoreConcurrency(t *testing.T) {
	s := NewMemStore()
	const vens, workers, rounds = 4, 8, 200
	for i := range vens {
		require.NoError(t, s.Create(bg, &VENState{Registration: Registration{VenID: fmt.Sprint(i)}}))
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range rounds {
				id := fmt.Sprint(w % vens)
				require.NoError(t, s.Update(bg, id, func(st *VENState) error {
					st.enqueue(nil, t0)
					return nil
				}))
				require.NoError(t, s.View(bg, id, func(st *VENState) error { _ = len(st.Queue); return nil }))
			}
		})
	}
	wg.Wait()
	for i := range vens {
		require.NoError(t, s.View(bg, fmt.Sprint(i), func(st *VENState) error {
			assert.Len(t, st.Queue, workers/vens*rounds, "no update lost")
			return nil
		}))
	}

	require.NoError(t, s.Create(bg, &VENState{Registration: Registration{VenID: "X", RegistrationID: "RX"}}))
	wg.Go(func() { _ = s.Delete(bg, "X") })
	wg.Go(func() {
		for range rounds {
			err := s.Update(bg, "X", func(st *VENState) error { st.Registration.RegistrationID += "."; return nil })
			if err != nil {
				require.ErrorIs(t, err, ErrUnknownVEN)
				return
			}
		}
	})
	wg.Wait()
	require.NoError(t, s.Delete(bg, "X"))
	assert.Empty(t, s.byReg["RX"])
	for r, v := range s.byReg {
		assert.NotEqual(t, "X", v, r)
	}
}
