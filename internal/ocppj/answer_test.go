package ocppj_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/internal/ocppj"
)

func TestParseAnswer(t *testing.T) {
	for _, in := range []string{
		`[3,"1",{"user_type":"Admin"}]`,
		` [ 3 , "42" , [ {"charger_id":"C1"} ] ] `,
		`[3,"7","a CSV\nfile"]`,
		`[3,"\u0031",{}]`, // escaped id: the slow path
		`[4,"2",{"status":"InvalidLogin"}]`,
		`[4,"007","Unexpected Error"]`,
		`[4,"9","NotImplemented","no such action",{}]`,
	} {
		fast, err := ocppj.ParseAnswer([]byte(in))
		require.NoError(t, err, in)
		slow, err := ocppj.Parse([]byte(in))
		require.NoError(t, err, in)
		assert.Equal(t, slow.Type, fast.Type, in)
		assert.Equal(t, slow.ID, fast.ID, in)
		assert.JSONEq(t, string(orNull(slow.Payload)), string(orNull(fast.Payload)), in)
	}
	for _, in := range []string{``, `[3,"1"]`, `[3,"1",]`, `[3,1,{}]`, `{}`, `[3,"1",{}`, `[5,"1",{}]`} {
		_, err := ocppj.ParseAnswer([]byte(in))
		assert.ErrorIs(t, err, ocppj.ErrMalformed, in)
	}
}

func orNull(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

// A call given up by its caller keeps its place: the "007" meant for it is
// dropped instead of landing on the next caller.
func TestPendingAbandonedKeepsItsPlace(t *testing.T) {
	p := &ocppj.Pending{OrphanIDs: []string{"007"}}
	id1, _, _ := p.Add()
	_, ch2, _ := p.Add()
	p.Cancel(id1)
	assert.Equal(t, 1, p.Len())
	err := p.Resolve(ocppj.Frame{Type: ocppj.CallError, ID: "007", Payload: json.RawMessage(`"Unexpected Error"`)})
	assert.ErrorIs(t, err, ocppj.ErrAbandoned)
	select {
	case a := <-ch2:
		require.Failf(t, "second call got the first one's answer", "%+v", a)
	default:
	}
	id3, ch3, _ := p.Add()
	require.NoError(t, p.Resolve(ocppj.Frame{Type: ocppj.CallError, ID: "007", Payload: json.RawMessage(`{"status":"ProtocolError"}`)}))
	a := <-ch2
	var ce *ocppj.Error
	require.ErrorAs(t, a.Err, &ce)
	assert.Equal(t, "ProtocolError", ce.Status())
	oldest, ok := p.Oldest()
	assert.True(t, ok)
	assert.Equal(t, id3, oldest)
	require.NoError(t, p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: id3, Payload: json.RawMessage(`{}`)}))
	assert.NoError(t, (<-ch3).Err)
}

// An answer to a later call means an in-order peer will not answer the
// abandoned calls before it: they are forgotten.
func TestPendingPrunesAbandoned(t *testing.T) {
	p := &ocppj.Pending{OrphanIDs: []string{"007"}}
	id1, _, _ := p.Add()
	id2, ch2, _ := p.Add()
	p.Cancel(id1)
	require.NoError(t, p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: id2, Payload: json.RawMessage(`1`)}))
	assert.Equal(t, "1", string((<-ch2).Payload))
	_, ok := p.Oldest()
	assert.False(t, ok)
}

func TestPendingFail(t *testing.T) {
	p := &ocppj.Pending{}
	_, ch1, _ := p.Add()
	id2, ch2, _ := p.Add()
	boom := errors.New("boom")
	require.NoError(t, p.Fail(id2, boom))
	assert.ErrorIs(t, (<-ch2).Err, boom)
	require.NoError(t, p.Fail("", boom)) // unreadable answer: the oldest call's
	assert.ErrorIs(t, (<-ch1).Err, boom)
	assert.Error(t, p.Fail("", boom))
}

func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{`[3,"1",{"a":[1,2.5,"x"]}]`, `[3, "12" ,[] ]`, `[4,"007","Unexpected Error"]`, `[4,"1","c","d",{}]`, `[3,"1",{},{}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, err := ocppj.ParseAnswer(data)
		if err != nil {
			return
		}
		if fast.Type == ocppj.CallResult && !json.Valid(fast.Payload) {
			return // the decoder of the payload reports it
		}
		// whatever the fast path accepts with a valid payload, Parse accepts
		// the same way
		slow, err := ocppj.Parse(data)
		require.NoError(t, err, "ParseAnswer accepted %q", data)
		require.Equal(t, slow.Type, fast.Type, "%q", data)
		require.Equal(t, slow.ID, fast.ID, "%q", data)
		require.Equal(t, string(slow.Payload), string(fast.Payload), "%q", data)
	})
}
