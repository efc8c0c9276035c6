package ocppj_test

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"

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
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.in, err)
			continue
		}
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(tt.want)
		if string(gj) != string(wj) {
			t.Errorf("Parse(%s) = %s, want %s", tt.in, gj, wj)
		}
	}
}

func TestParseMalformed(t *testing.T) {
	for _, in := range []string{``, `{}`, `[]`, `[2,"1"]`, `["2","1","A",{}]`, `[2,1,"A",{}]`, `[2,"1","",{}]`,
		`[2,"1","A"]`, `[3,"1",{},{}]`, `[4,"1","a","b"]`, `[4,"1",1,"b",{}]`, `[7,"1",{}]`, `[2,"1","A",{}`} {
		if _, err := ocppj.Parse([]byte(in)); !errors.Is(err, ocppj.ErrMalformed) {
			t.Errorf("Parse(%q) = %v, want ErrMalformed", in, err)
		}
	}
}

func TestAppend(t *testing.T) {
	b, err := ocppj.AppendCall(nil, "1", "GetStatus", nil)
	if err != nil || string(b) != `[2,"1","GetStatus",{}]` {
		t.Errorf("AppendCall nil payload = %s, %v", b, err)
	}
	b, _ = ocppj.AppendCall(nil, "2", "Login", map[string]string{"token": `a"b`})
	if string(b) != `[2,"2","Login",{"token":"a\"b"}]` {
		t.Errorf("AppendCall = %s", b)
	}
	if _, err := ocppj.AppendCall(nil, "", "X", nil); err == nil {
		t.Error("empty id accepted")
	}
	if _, err := ocppj.AppendCall(nil, "1", "X", json.RawMessage(`{bad`)); err == nil {
		t.Error("invalid raw payload accepted")
	}
	b, _ = ocppj.AppendResult(nil, "3", json.RawMessage(`{"ok":true}`))
	if string(b) != `[3,"3",{"ok":true}]` {
		t.Errorf("AppendResult = %s", b)
	}
	b, _ = ocppj.AppendErrorPayload(nil, "5", map[string]string{"status": "NotAuthorized"})
	if string(b) != `[4,"5",{"status":"NotAuthorized"}]` {
		t.Errorf("AppendErrorPayload = %s", b)
	}
	b, _ = ocppj.AppendError(nil, "4", "FormationViolation", "bad", nil)
	if string(b) != `[4,"4","FormationViolation","bad",{}]` {
		t.Errorf("AppendError = %s", b)
	}
	for _, frame := range [][]byte{b} {
		if _, err := ocppj.Parse(frame); err != nil {
			t.Errorf("round trip %s: %v", frame, err)
		}
	}
}

func TestPending(t *testing.T) {
	p := &ocppj.Pending{OrphanIDs: []string{"007"}}
	id1, ch1, _ := p.Add()
	id2, ch2, _ := p.Add()
	id3, ch3, _ := p.Add()
	if id1 == id2 || id2 == id3 {
		t.Fatal("ids repeat")
	}
	// answers out of order by id
	if err := p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: id2, Payload: json.RawMessage(`2`)}); err != nil {
		t.Fatal(err)
	}
	if a := <-ch2; string(a.Payload) != "2" || a.Err != nil {
		t.Errorf("ch2 = %+v", a)
	}
	// an orphan error goes to the oldest pending call
	if err := p.Resolve(ocppj.Frame{Type: ocppj.CallError, ID: "007", Payload: json.RawMessage(`{"status":"ProtocolError"}`)}); err != nil {
		t.Fatal(err)
	}
	a := <-ch1
	var ce *ocppj.Error
	if !errors.As(a.Err, &ce) || ce.Status() != "ProtocolError" {
		t.Errorf("ch1 = %+v", a)
	}
	// unknown id, and a call is not an answer
	if err := p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: "nope"}); err == nil {
		t.Error("unmatched answer accepted")
	}
	if err := p.Resolve(ocppj.Frame{Type: ocppj.Call, ID: id3, Action: "X"}); err == nil {
		t.Error("call accepted as answer")
	}
	p.Cancel(id3)
	if err := p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: id3}); err == nil {
		t.Error("answer to cancelled call accepted")
	}
	select {
	case a := <-ch3:
		t.Errorf("cancelled call got %+v", a)
	default:
	}
	_, ch4, _ := p.Add()
	p.Close(nil)
	if a := <-ch4; !errors.Is(a.Err, ocppj.ErrClosed) {
		t.Errorf("after Close: %+v", a)
	}
	if _, _, err := p.Add(); !errors.Is(err, ocppj.ErrClosed) {
		t.Errorf("Add after Close = %v", err)
	}
	if p.Len() != 0 {
		t.Errorf("Len = %d", p.Len())
	}
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
		if got := tt.e.Status(); got != tt.want {
			t.Errorf("Status(%+v) = %q, want %q", tt.e, got, tt.want)
		}
		if tt.e.Error() == "" {
			t.Error("empty Error()")
		}
	}
}

func TestPendingConcurrent(t *testing.T) {
	var p ocppj.Pending
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, ch, err := p.Add()
			if err != nil {
				t.Error(err)
				return
			}
			if err := p.Resolve(ocppj.Frame{Type: ocppj.CallResult, ID: id, Payload: json.RawMessage(`"` + id + `"`)}); err != nil {
				t.Error(err)
			}
			if a := <-ch; string(a.Payload) != `"`+id+`"` {
				t.Errorf("got %s for %s", a.Payload, id)
			}
		}()
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
		// whatever parses re-encodes and parses to the same frame
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
		if _, err := ocppj.Parse(b); err != nil {
			t.Fatalf("re-encoded %s does not parse: %v", b, err)
		}
	})
}
