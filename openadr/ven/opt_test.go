package ven

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestCreateOptRefusedBeforeSending(t *testing.T) {
	v, err := New("http://127.0.0.1:1")
	require.NoError(t, err)
	ctx := t.Context()
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		opt   Opt
		field string
	}{
		{Opt{Type: "maybe", EventID: "E"}, "Opt.Type"},
		{Opt{Type: oadr.OptOut}, "Opt.Windows"},
		{Opt{Type: oadr.OptOut, EventID: "E", Windows: []oadr.Period{{Start: at, Duration: time.Hour}}}, "Opt.Windows"},
		{Opt{Type: oadr.OptOut, Windows: []oadr.Period{{Start: at}}}, "Opt.Windows"},
	} {
		_, err := v.CreateOpt(ctx, tc.opt)
		var fe *energy.FieldError
		require.ErrorAs(t, err, &fe, "%+v", tc.opt)
		assert.Equal(t, tc.field, fe.Field)
	}
	_, err = v.CreateOpt(ctx, Opt{Type: oadr.OptOut, EventID: "E"})
	assert.ErrorIs(t, err, ErrNotRegistered)
	assert.ErrorIs(t, v.CancelOpt(ctx, "X"), ErrNotRegistered)
}

func TestOptReasonDefaults(t *testing.T) {
	assert.Equal(t, oadr.OptReasonOverrideStatus, (&Opt{Type: oadr.OptOut, EventID: "E"}).reason())
	assert.Equal(t, oadr.OptReasonNotParticipating, (&Opt{Type: oadr.OptOut}).reason())
	assert.Equal(t, oadr.OptReasonParticipating, (&Opt{Type: oadr.OptIn}).reason())
	assert.Equal(t, oadr.OptReasonEconomic, (&Opt{Type: oadr.OptIn, Reason: oadr.OptReasonEconomic}).reason())
}
