package ocppj_test

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/internal/ocppj"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want ocppj.Frame
	}{
		// Shapes balanz sends.
		{`[2, "123456", "GetChargers", {"group_id": "RR2"}]`, ocppj.Frame{Type: ocppj.Call, ID: "123456", Action: "GetChargers", Payload: json.RawMessage(`{"group_id": "RR2"}`)}},
		{`[3,"1",{"user_type":"Admin"}]`, ocppj.Frame{Type: ocppj.CallResult, ID: "1", Payload: json.RawMessage(`{"user_type":"Admin"}`)}},
		{`[4,"2",{"status":"InvalidLogin"}]`, ocppj.Frame{Type: ocppj.CallError, ID: "2", Payload: json.RawMessage(`{"status":"InvalidLogin"}`)}},
		{`[4, "007", "Unexpected Error"]`, ocppj.Frame{Type: ocppj.CallError, ID: "007", Payload: json.RawMessage(`"Unexpected Error"`)}},
		{`[4,"9","NotImplemented","no such action",{}]`, ocppj.Frame{Type: ocppj.CallError, ID: "9", ErrorCode: "NotImplemented", ErrorDescription: "no such action", ErrorDetails: json.RawMessage(`{}`)}},
	}
	for _, tt := range tests {
		got, err := ocppj.Parse([]byte(tt.in))
		if !assert.NoError(t, err, tt.in) {
			continue
		}
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestParseMalformed(t *testing.T) {
	for _, in := range []string{``, `{}`, `[]`, `[2,"1"]`, `["2","1","A",{}]`, `[2,1,"A",{}]`, `[2,"1","",{}]`,
		`[2,"1","A"]`, `[3,"1",{},{}]`, `[4,"1","a","b"]`, `[4,"1",1,"b",{}]`, `[7,"1",{}]`, `[2,"1","A",{}`} {
		_, err := ocppj.Parse([]byte(in))
		assert.ErrorIs(t, err, ocppj.ErrMalformed, in)
	}
}

func TestAppend(t *testing.T) {
	b, err := ocppj.AppendCall(nil, "1", "GetStatus", nil)
	require.NoError(t, err)
	assert.Equal(t, `[2,"1","GetStatus",{}]`, string(b), "a nil payload is written as {}")

	for _, null := range []any{json.RawMessage(`null`), map[string]any(nil), (*struct{})(nil)} {
		b, err = ocppj.AppendCall(nil, "1", "GetStatus", null)
		require.NoError(t, err)
		assert.Equal(t, `[2,"1","GetStatus",{}]`, string(b), "a payload that encodes to null (%T) is written as {}", null)
	}

	b, err = ocppj.AppendCall(nil, "2", "Login", map[string]string{"token": `a"b`})
	require.NoError(t, err)
	assert.Equal(t, `[2,"2","Login",{"token":"a\"b"}]`, string(b))

	_, err = ocppj.AppendCall(nil, "", "X", nil)
	assert.Error(t, err, "empty id accepted")
	_, err = ocppj.AppendCall(nil, "1", "X", json.RawMessage(`{bad`))
	assert.Error(t, err, "invalid raw payload accepted")

	b, err = ocppj.AppendResult(nil, "3", json.RawMessage(`{"ok":true}`))
	require.NoError(t, err)
	assert.Equal(t, `[3,"3",{"ok":true}]`, string(b))

	b, err = ocppj.AppendErrorPayload(nil, "5", map[string]string{"status": "NotAuthorized"})
	require.NoError(t, err)
	assert.Equal(t, `[4,"5",{"status":"NotAuthorized"}]`, string(b))

	b, err = ocppj.AppendError(nil, "4", "FormationViolation", "bad", nil)
	require.NoError(t, err)
	assert.Equal(t, `[4,"4","FormationViolation","bad",{}]`, string(b))
	_, err = ocppj.Parse(b)
	assert.NoError(t, err, "round trip %s", b)
}

func TestPending(t *testing.T) {
	p := &ocppj.Pending{OrphanIDs: []string{"007"}}
	id1, ch1, err := p.Add()
	require.NoError(t, err)
	id2, ch2, err := p.Add()
	require.NoError(t, err)
	id3, ch3, err := p.Add()
	require.NoError(t, err)
	require.NotEqual(t, id1, id2, "ids repeat")
	require.NotEqual(t, id2, id3, "ids repeat")

	// answers out of order by id
	require.NoError(t, p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: id2, Payload: json.RawMessage(`2`)}))
	a := <-ch2
	assert.Equal(t, "2", string(a.Payload))
	assert.NoError(t, a.Err)

	// an orphan error goes to the oldest pending call
	require.NoError(t, p.Resolve(ocppj.Frame{Type: ocppj.CallError, ID: "007", Payload: json.RawMessage(`{"status":"ProtocolError"}`)}))
	a = <-ch1
	var ce *ocppj.Error
	if assert.ErrorAs(t, a.Err, &ce) {
		assert.Equal(t, "ProtocolError", ce.Status())
	}

	// unknown id, and a call is not an answer
	assert.Error(t, p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: "nope"}), "unmatched answer accepted")
	assert.Error(t, p.Resolve(ocppj.Frame{Type: ocppj.Call, ID: id3, Action: "X"}), "call accepted as answer")
	p.Cancel(id3)
	assert.Error(t, p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: id3}), "answer to cancelled call accepted")
	select {
	case a := <-ch3:
		assert.Failf(t, "cancelled call got an answer", "%+v", a)
	default:
	}

	_, ch4, err := p.Add()
	require.NoError(t, err)
	p.Close(nil)
	assert.ErrorIs(t, (<-ch4).Err, ocppj.ErrClosed, "a call pending at Close")
	_, _, err = p.Add()
	assert.ErrorIs(t, err, ocppj.ErrClosed, "Add after Close")
	assert.Zero(t, p.Len())
}

func TestErrorStatus(t *testing.T) {
	for _, tt := range []struct {
		e    ocppj.Error
		want string
	}{
		{ocppj.Error{Code: "NotSupported", Description: "x"}, "NotSupported"},
		{ocppj.Error{Payload: json.RawMessage(`{"status":"NotAuthorized"}`)}, "NotAuthorized"},
		{ocppj.Error{Payload: json.RawMessage(`"Unexpected Error"`)}, "Unexpected Error"},
		{ocppj.Error{Payload: json.RawMessage(`[1]`)}, ""},
	} {
		assert.Equal(t, tt.want, tt.e.Status(), "%+v", tt.e)
		assert.NotEmpty(t, tt.e.Error(), "%+v", tt.e)
	}
}

func TestPendingConcurrent(t *testing.T) {
	var p ocppj.Pending
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			// assert, not require: FailNow must not run off the test's goroutine.
			id, ch, err := p.Add()
			if !assert.NoError(t, err) {
				return
			}
			assert.NoError(t, p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: id, Payload: json.RawMessage(`"` + id + `"`)}))
			assert.Equal(t, `"`+id+`"`, string((<-ch).Payload), "answer for %s", id)
		})
	}
	wg.Wait()
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`[2,"1","GetChargers",{"group_id":"RR2"}]`, `[3,"1",{}]`, `[4,"007","Unexpected Error"]`, `[4,"1","c","d",{}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := ocppj.Parse(data)
		if err != nil {
			return
		}
		// whatever parses re-encodes and parses to the same frame (a call's
		// null payload becoming {})
		want := fr
		if fr.Type == ocppj.Call && string(fr.Payload) == "null" {
			want.Payload = json.RawMessage(`{}`)
		}
		var b []byte
		switch fr.Type {
		case ocppj.Call:
			b, err = ocppj.AppendCall(nil, fr.ID, fr.Action, fr.Payload)
		case ocppj.CallResult:
			b, err = ocppj.AppendResult(nil, fr.ID, fr.Payload)
		case ocppj.CallError:
			if len(fr.ErrorDetails) > 0 { // five elements
				return
			}
			b, err = ocppj.AppendErrorPayload(nil, fr.ID, fr.Payload)
		default:
			return
		}
		if err != nil {
			return // e.g. an empty id cannot be written
		}
		got, err := ocppj.Parse(b)
		require.NoError(t, err, "re-encoded %s does not parse", b)
		require.Equal(t, want, got, "%q re-encoded as %s", data, b)
	})
}
