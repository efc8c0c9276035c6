package openadr

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// One message per poll, oldest first; an empty oadrResponse when nothing
// waits.
func TestPollQueueFIFO(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	_, err := v.CreateEvent(bg, venID, simpleEvent(t0.Add(time.Hour)))
	require.NoError(t, err)
	require.NoError(t, v.RequestReregistration(bg, venID))
	_, err = v.CreateEvent(bg, venID, simpleEvent(t0.Add(2*time.Hour)))
	require.NoError(t, err)
	require.NoError(t, v.Enqueue(bg, venID, &oadr.CancelReport{RequestID: "K", ReportRequestIDs: []string{"RR"}, VenID: venID}))

	q, err := v.Queue(bg, venID)
	require.NoError(t, err)
	want := []string{"oadrRegisterReport", "oadrDistributeEvent", "oadrRequestReregistration", "oadrCancelReport"}
	assert.Equal(t, want, q, "the second event joined the queued notice")
	var got []string
	for _, m := range drain(t, v, venID) {
		got = append(got, m.MessageName())
		if d, ok := m.(*oadr.DistributeEvent); ok {
			assert.Len(t, d.Events, 2, "the notice carries the list as of the poll")
		}
	}
	assert.Equal(t, want, got)
	for range 3 {
		r := as[*oadr.Response](t, pollMsg(t, v, venID))
		assert.Equal(t, oadr.CodeOK, r.Response.Code)
		assert.Empty(t, r.Response.RequestID)
	}
	_, err = v.Queue(bg, "NOBODY")
	assert.ErrorIs(t, err, ErrUnknownVEN)
}

func TestEnqueueValidates(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	for _, m := range []oadr.Message{
		nil,
		&oadr.Poll{VenID: venID}, // not a poll answer
		&oadr.CreateReport{RequestID: "R", VenID: venID}, // no report request: does not encode
	} {
		assert.ErrorIs(t, v.Enqueue(bg, venID, m), energy.ErrInvalid)
	}
	assert.ErrorIs(t, v.Enqueue(bg, "NOBODY", &oadr.RequestReregistration{VenID: "NOBODY"}), ErrUnknownVEN)
}

func TestDequeueReleasesMessages(t *testing.T) {
	st := &VENState{}
	st.enqueue(&oadr.RequestReregistration{VenID: "V"}, t0)
	st.enqueue(&oadr.RequestReregistration{VenID: "W"}, t0)
	backing := st.Queue[:2]
	q, ok := st.dequeue()
	require.True(t, ok)
	assert.Equal(t, "V", q.Message.(*oadr.RequestReregistration).VenID)
	assert.Nil(t, backing[0].Message, "the delivered message is not kept reachable")
	st.dequeue()
	assert.Nil(t, st.Queue)
	_, ok = st.dequeue()
	assert.False(t, ok)
}

// A queued message that cannot be encoded (only a Store or code bypassing
// Enqueue could put one there) still gets the VEN a valid answer.
func TestUnencodableAnswer(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	drain(t, v, venID)
	require.NoError(t, v.store.Update(bg, venID, func(st *VENState) error {
		st.enqueue(&oadr.CreateReport{RequestID: "R", VenID: venID}, t0) // no report request
		return nil
	}))
	r := as[*oadr.Response](t, pollMsg(t, v, venID))
	assert.Equal(t, oadr.CodeDeploymentError, r.Response.Code)
}

// A VEN's first poll teaches the VTN its software's shape (oadr.Shapes);
// its later polls, and other VENs' polls of the same software, read by it,
// get the answers decoding gives: each VEN's own, 459 at another service,
// 452 once the VEN is gone.
func TestPollsReadByShape(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	other, _ := register(t, v, "other")
	body, err := oadr.Marshal(&oadr.Poll{VenID: venID})
	require.NoError(t, err)
	otherBody, err := oadr.Marshal(&oadr.Poll{VenID: other})
	require.NoError(t, err)
	assert.Equal(t, "oadrRegisterReport", sendRaw(t, v, oadr.ServiceOadrPoll, body).MessageName())
	assert.Equal(t, "oadrResponse", sendRaw(t, v, oadr.ServiceOadrPoll, body).MessageName())
	rr := as[*oadr.RegisterReport](t, sendRaw(t, v, oadr.ServiceOadrPoll, otherBody))
	assert.Equal(t, other, rr.VenID)
	assert.Equal(t, oadr.CodeComplianceError, code(t, sendRaw(t, v, oadr.ServiceEiEvent, body)))
	require.NoError(t, v.Forget(bg, venID))
	assert.Equal(t, oadr.CodeInvalidID, code(t, sendRaw(t, v, oadr.ServiceOadrPoll, body)))
	assert.Equal(t, "oadrResponse", sendRaw(t, v, oadr.ServiceOadrPoll, otherBody).MessageName())
}
