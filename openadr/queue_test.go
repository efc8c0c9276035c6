package openadr

import (
	"fmt"
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

// A VEN's first poll teaches the VTN its software's template; its later
// polls, and other VENs' polls of the same software, are read by it, with
// the same answers.
func TestPollTemplates(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	other, _ := register(t, v, "other")
	body, err := oadr.Marshal(&oadr.Poll{VenID: venID})
	require.NoError(t, err)
	otherBody, err := oadr.Marshal(&oadr.Poll{VenID: other})
	require.NoError(t, err)
	_, ok := v.polls.match(body)
	assert.False(t, ok, "no template before the first poll")
	assert.Equal(t, "oadrRegisterReport", sendRaw(t, v, oadr.ServiceOadrPoll, body).MessageName())
	id, ok := v.polls.match(otherBody)
	require.True(t, ok, "a decoded poll taught no template")
	assert.Equal(t, other, id)
	assert.Equal(t, "oadrResponse", sendRaw(t, v, oadr.ServiceOadrPoll, body).MessageName())
	assert.Equal(t, "oadrRegisterReport", sendRaw(t, v, oadr.ServiceOadrPoll, otherBody).MessageName())
	require.Len(t, *v.polls.list.Load(), 1, "one software, one template")

	// Only polls, only at OadrPoll; a templated poll still gets 459
	// elsewhere and 452 once the VEN is gone.
	assert.Equal(t, oadr.CodeComplianceError, code(t, sendRaw(t, v, oadr.ServiceEiEvent, body)))
	rr, err := oadr.Marshal(&oadr.RequestEvent{RequestID: "E", VenID: venID})
	require.NoError(t, err)
	sendRaw(t, v, oadr.ServiceOadrPoll, rr)
	require.Len(t, *v.polls.list.Load(), 1, "a request that is not a poll taught a template")
	require.NoError(t, v.Forget(bg, venID))
	assert.Equal(t, oadr.CodeInvalidID, code(t, sendRaw(t, v, oadr.ServiceOadrPoll, body)))

	// Bounded: softwares beyond maxPollTemplates replace the oldest.
	many, _ := newVTN(t)
	for i := range 2 * maxPollTemplates {
		sendRaw(t, many, oadr.ServiceOadrPoll, []byte(fmt.Sprintf(`<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrSignedObject><oadrPoll xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b"><!-- software %d --><ei:venID>ven-%d</ei:venID></oadrPoll></oadrSignedObject></oadrPayload>`, i, i)))
	}
	assert.Len(t, *many.polls.list.Load(), maxPollTemplates)
}

// A template is learned only where a probe proves it, and read only around
// plain bytes: whatever else a poll holds where the venID stood is decoded.
func TestPollTemplatesRefuse(t *testing.T) {
	const wrap = `<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrSignedObject><oadrPoll xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b">%s</oadrPoll></oadrSignedObject></oadrPayload>`
	poll := func(inner string) []byte { return []byte(fmt.Sprintf(wrap, inner)) }
	for _, tc := range []struct {
		name, inner, venID string
	}{
		{"entity in the venID", `<ei:venID>ven&amp;1</ei:venID>`, "ven&1"},
		{"blank in the venID", `<ei:venID>ven 1</ei:venID>`, "ven 1"},
		{"venID again after the element", `<ei:venID>ven1</ei:venID><!-- ven1 -->`, "ven1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tp pollTemplates
			msg, err := oadr.Unmarshal(poll(tc.inner))
			require.NoError(t, err)
			require.Equal(t, tc.venID, msg.(*oadr.Poll).VenID)
			tp.learn(poll(tc.inner), tc.venID)
			assert.Nil(t, tp.list.Load(), "learned a template it cannot prove")
		})
	}

	var tp pollTemplates
	tp.learn(poll(`<ei:venID>ven1</ei:venID>`), "ven1")
	require.NotNil(t, tp.list.Load())
	for _, middle := range []string{"ven&amp;2", "ven 2", "ven2</ei:venID><ei:venID>ven3", "", "ven<2"} {
		_, ok := tp.match(poll(`<ei:venID>` + middle + `</ei:venID>`))
		assert.False(t, ok, "%q read by a template", middle)
	}
	id, ok := tp.match(poll(`<ei:venID>VEN_2.a:b@c/d+e=f-g</ei:venID>`))
	assert.True(t, ok)
	assert.Equal(t, "VEN_2.a:b@c/d+e=f-g", id)
}
