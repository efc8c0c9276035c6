package openadr

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestOpts(t *testing.T) {
	var seen []Opt
	v, _ := newVTN(t, WithOptHook(func(_ context.Context, o Opt) { seen = append(seen, o) }))
	venID, _ := register(t, v, "ven")

	schedule := &oadr.CreateOpt{
		OptID: "OPT_1", OptType: oadr.OptOut, OptReason: oadr.OptReasonMustRun, VenID: venID, RequestID: "O1",
		CreatedDateTime: t0, Availability: []oadr.Period{{Start: t0.Add(time.Hour), Duration: 2 * time.Hour}},
		Target: oadr.Target{ResourceIDs: []string{"battery1"}},
	}
	a := as[*oadr.CreatedOpt](t, send(t, v, oadr.ServiceEiOpt, schedule))
	assert.Equal(t, oadr.CodeOK, a.Response.Code)
	assert.Equal(t, "O1", a.Response.RequestID)
	assert.Equal(t, "OPT_1", a.OptID)

	eventOpt := &oadr.CreateOpt{
		OptID: "OPT_2", OptType: oadr.OptIn, OptReason: oadr.OptReasonParticipating, VenID: venID, RequestID: "O2",
		CreatedDateTime: t0, QualifiedEventID: &oadr.QualifiedEventID{EventID: "EVT", ModificationNumber: 1},
	}
	send(t, v, oadr.ServiceEiOpt, eventOpt)

	opts, err := v.Opts(bg, venID)
	require.NoError(t, err)
	require.Len(t, opts, 2)
	assert.Equal(t, oadr.OptOut, opts[0].Type)
	assert.Equal(t, 2*time.Hour, opts[0].Availability[0].Duration)
	assert.Equal(t, []string{"battery1"}, opts[0].Target.ResourceIDs)
	assert.Equal(t, "EVT", opts[1].Event.EventID)
	require.Len(t, seen, 2)
	assert.Equal(t, venID, seen[0].VenID)
	assert.Equal(t, t0, seen[0].ReceivedAt)

	// The same optID again replaces it.
	schedule.OptType, schedule.RequestID = oadr.OptIn, "O3"
	send(t, v, oadr.ServiceEiOpt, schedule)
	opts, _ = v.Opts(bg, venID)
	require.Len(t, opts, 2)
	assert.Equal(t, oadr.OptIn, opts[1].Type)

	c := as[*oadr.CanceledOpt](t, send(t, v, oadr.ServiceEiOpt, &oadr.CancelOpt{RequestID: "C1", OptID: "OPT_1", VenID: venID}))
	assert.Equal(t, oadr.CodeOK, c.Response.Code)
	assert.Equal(t, "C1", c.Response.RequestID)
	assert.Equal(t, "OPT_1", c.OptID)
	require.Len(t, seen, 4)
	assert.True(t, seen[3].Cancelled)
	opts, _ = v.Opts(bg, venID)
	assert.Len(t, opts, 1)

	c = as[*oadr.CanceledOpt](t, send(t, v, oadr.ServiceEiOpt, &oadr.CancelOpt{RequestID: "C2", OptID: "OPT_1", VenID: venID}))
	assert.Equal(t, oadr.CodeInvalidID, c.Response.Code)
	assert.Equal(t, "C2", c.Response.RequestID)

	bad := *eventOpt
	bad.OptType = "maybe"
	assert.Equal(t, oadr.CodeInvalidData, code(t, send(t, v, oadr.ServiceEiOpt, &bad)))
	bad = *eventOpt
	bad.VenID = "NOBODY"
	assert.Equal(t, oadr.CodeInvalidID, code(t, send(t, v, oadr.ServiceEiOpt, &bad)))
	assert.Len(t, seen, 4, "refused opts reach no hook")
}

func TestOptsBounded(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	require.NoError(t, v.store.Update(bg, venID, func(st *VENState) error {
		for i := range maxOpts {
			st.Opts = append(st.Opts, Opt{OptID: fmt.Sprint(i)})
		}
		return nil
	}))
	opt := &oadr.CreateOpt{OptID: "ONE_TOO_MANY", OptType: oadr.OptOut, OptReason: oadr.OptReasonEconomic, VenID: venID, RequestID: "O", CreatedDateTime: t0}
	assert.Equal(t, oadr.CodeNotAllowed, code(t, send(t, v, oadr.ServiceEiOpt, opt)))
	opt.OptID = "7" // replacing one is fine
	assert.Equal(t, oadr.CodeOK, code(t, send(t, v, oadr.ServiceEiOpt, opt)))
}
