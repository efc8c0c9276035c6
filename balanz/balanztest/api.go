package balanztest

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/internal/ocppj"
)

// reply is one answer: a result, or an error status sent as an object or a
// bare string, under the request's id or balanz's "007".
type reply struct {
	result any
	status string
	bare   bool
	orphan bool
}

func ok(v any) reply               { return reply{result: v} }
func fail(status string) reply     { return reply{status: status} }
func failBare(status string) reply { return reply{status: status, bare: true} }
func unexpected() reply {
	return reply{status: string(balanz.StatusUnexpectedError), bare: true, orphan: true}
}
func accepted() reply      { return ok(map[string]string{"status": "Accepted"}) }
func protocolError() reply { return reply{status: string(balanz.StatusProtocolError), orphan: true} }
func (r reply) frame(id string) []byte {
	if r.orphan {
		id = "007"
	}
	var b []byte
	var err error
	switch {
	case r.status == "":
		b, err = ocppj.AppendResult(nil, id, r.result)
	case r.bare:
		b, err = ocppj.AppendErrorPayload(nil, id, r.status)
	default:
		b, err = ocppj.AppendErrorPayload(nil, id, map[string]string{"status": r.status})
	}
	if err != nil { // a bug in the fake, not the client's doing
		panic(err)
	}
	return b
}

// serve answers one connection's requests strictly in order, as balanz's
// single await loop does.
func (s *Server) serve(ctx context.Context, ws *websocket.Conn) {
	var user balanz.UserType
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		s.mu.Lock()
		s.requests++
		s.mu.Unlock()
		id, r := s.handle(ctx, ws, data, &user)
		if r == nil {
			return // dropped
		}
		if r == written {
			continue
		}
		if err := ws.Write(ctx, websocket.MessageText, r.frame(id)); err != nil {
			return
		}
	}
}

func (s *Server) handle(ctx context.Context, ws *websocket.Conn, data []byte, user *balanz.UserType) (string, *reply) {
	f, err := ocppj.Parse(data)
	if err != nil || f.Type != ocppj.Call {
		if !json.Valid(data) {
			return "", new(unexpected())
		}
		return "", new(protocolError())
	}
	if flt, ok := s.takeFault(f.Action); ok {
		if flt.Delay > 0 {
			t := time.NewTimer(flt.Delay)
			select {
			case <-t.C:
			case <-ctx.Done():
			}
			t.Stop()
			if ctx.Err() != nil {
				// dropped while held: answering now could still win the
				// race against the closing socket, and a dropped
				// connection answers nothing
				return "", nil
			}
		}
		switch {
		case flt.Drop:
			ws.CloseNow()
			return "", nil
		case flt.Raw != "":
			ws.Write(ctx, websocket.MessageText, []byte(flt.Raw))
			return f.ID, s.skip()
		case flt.Size > 0:
			writeHuge(ctx, ws, f.ID, flt.Size)
			return f.ID, s.skip()
		case flt.Orphan && flt.Status == "":
			return f.ID, new(unexpected())
		case flt.Status != "":
			return f.ID, &reply{status: flt.Status, bare: flt.Bare, orphan: flt.Orphan}
		}
	}
	var args args
	if len(f.Payload) > 0 && string(f.Payload) != "null" {
		if err := json.Unmarshal(f.Payload, &args.m); err != nil {
			return f.ID, new(unexpected()) // balanz calls .get on it
		}
	} else if f.Action != "GetStatus" && f.Action != "Login" {
		return f.ID, new(unexpected())
	}
	if f.Action == "Login" {
		return f.ID, new(s.login(args, user))
	}
	if *user == "" || !allowed(*user, f.Action) {
		return f.ID, new(fail(string(balanz.StatusNotAuthorized)))
	}
	h, ok := command(f.Action)
	if !ok {
		return f.ID, new(failBare("Invalid Command " + f.Action))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.m.advance(now)
	r := h(s.m, args, now)
	if f.Action != "" && !strings.HasPrefix(f.Action, "Get") && f.Action != "DrawAll" && r.status == "" {
		s.m.log("INFO", balanz.AuditLogger, string(*user)+" "+f.Action, now)
	}
	return f.ID, &r
}

// written stands for an answer a fault has already written.
var written = &reply{}

func (s *Server) skip() *reply { return written }

func writeHuge(ctx context.Context, ws *websocket.Conn, id string, size int) {
	w, err := ws.Writer(ctx, websocket.MessageText)
	if err != nil {
		return
	}
	defer w.Close()
	q, _ := json.Marshal(id)
	w.Write([]byte(`[3,` + string(q) + `,"`))
	chunk := []byte(strings.Repeat("x", 1<<16))
	for n := 0; n < size; n += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	w.Write([]byte(`"]`))
}

func (s *Server) login(a args, user *balanz.UserType) reply {
	token, _ := a.str("token")
	if token != "" {
		sha := Hash(token)
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, u := range s.m.users {
			if u.sha == sha {
				*user = u.typ
				return ok(map[string]balanz.UserType{"user_type": u.typ})
			}
		}
	}
	return fail(string(balanz.StatusInvalidLogin))
}

// permissions lists what each user type may call beyond logging in; Admin
// may call everything.
var permissions = map[balanz.UserType][]string{
	balanz.UserStatus:          {"GetGroups", "GetChargers"},
	balanz.UserAnalysis:        {"GetGroups", "GetChargers", "GetTags", "DrawAll", "GetSessions"},
	balanz.UserSessionPriority: {"GetGroups", "GetChargers", "SetChargePriority"},
	balanz.UserTags:            {"GetGroups", "GetChargers", "GetTags", "DrawAll", "GetSessions", "SetChargePriority", "WriteTags", "UpdateTag", "CreateTag", "DeleteTag"},
}

func allowed(t balanz.UserType, action string) bool {
	if t == balanz.UserAdmin {
		return true
	}
	for _, a := range permissions[t] {
		if a == action {
			return true
		}
	}
	return false
}

// args reads a request payload leniently, as Python's dict.get does.
type args struct{ m map[string]json.RawMessage }

func (a args) has(k string) bool {
	v, ok := a.m[k]
	return ok && string(v) != "null"
}

func (a args) str(k string) (string, bool) {
	var s string
	if !a.has(k) || json.Unmarshal(a.m[k], &s) != nil {
		return "", false
	}
	return s, true
}

func (a args) num(k string) (float64, bool) {
	var n balanz.Number
	if !a.has(k) || json.Unmarshal(a.m[k], &n) != nil {
		return 0, false
	}
	return float64(n), true
}

func (a args) integer(k string, def int) int {
	if n, ok := a.num(k); ok {
		return int(n)
	}
	return def
}

func (a args) boolean(k string, def bool) bool {
	var b bool
	if !a.has(k) || json.Unmarshal(a.m[k], &b) != nil {
		return def
	}
	return b
}
