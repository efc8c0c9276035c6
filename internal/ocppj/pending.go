package ocppj

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
)

// Error is a CallError answer, as a Go error.
type Error struct {
	// ID is the id the answer came with: the call's own, or an orphan id
	// such as "007" when the peer could not attribute it.
	ID string
	// Code and Description come from a five-element CallError.
	Code, Description string
	// Details is a five-element CallError's details.
	Details json.RawMessage
	// Payload is a three-element CallError's payload (balanz: usually
	// {"status": "<Code>"}, sometimes a bare string).
	Payload json.RawMessage
}

// Error implements error.
func (e *Error) Error() string {
	if e.Code != "" {
		if e.Description != "" {
			return "ocppj: call error " + e.Code + ": " + e.Description
		}
		return "ocppj: call error " + e.Code
	}
	return "ocppj: call error " + string(e.Payload)
}

// Status returns the error's code: Code for an OCPP CallError, or the
// "status" field (or the bare string) of a three-element payload.
func (e *Error) Status() string {
	if e.Code != "" {
		return e.Code
	}
	var obj struct {
		Status string `json:"status"`
	}
	if json.Unmarshal(e.Payload, &obj) == nil && obj.Status != "" {
		return obj.Status
	}
	var s string
	if json.Unmarshal(e.Payload, &s) == nil {
		return s
	}
	return ""
}

// Answer is what a pending call receives: a result payload or an error.
type Answer struct {
	// Payload is the CallResult's payload, when Err is nil.
	Payload json.RawMessage
	// Err is an *Error for a CallError, or the error passed to Close.
	Err error
}

// ErrClosed is what pending calls receive when the Pending set is closed
// without a more specific error.
var ErrClosed = errors.New("ocppj: connection closed")

// ErrAbandoned is returned by Resolve for an answer to a call whose caller
// gave up (Cancel): the answer is dropped, as it must be.
var ErrAbandoned = errors.New("ocppj: answer to an abandoned call")

// Pending correlates answers with outstanding calls. It is safe for
// concurrent use. The zero value is ready to use.
//
// A call given up by its caller (Cancel) stays in line, marked abandoned,
// until its answer arrives: a peer that answers strictly in order still owes
// that answer, and an orphan error meant for it must not fall on the next
// call. Abandoned calls older than an answered call are forgotten then,
// since an in-order peer will not answer them any more.
type Pending struct {
	// OrphanIDs lists answer ids that the peer uses when it cannot attribute
	// an answer (balanz: "007"); such answers go to the oldest pending call,
	// abandoned or not.
	OrphanIDs []string

	mu     sync.Mutex
	next   uint64
	order  []string               // ids in the order they were added, abandoned ones too
	calls  map[string]chan Answer // nil channel: abandoned
	live   int
	closed error
}

// Add registers a new call and returns its id and the channel its answer
// arrives on (buffered; exactly one Answer is sent).
func (p *Pending) Add() (string, <-chan Answer, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed != nil {
		return "", nil, p.closed
	}
	if p.calls == nil {
		p.calls = make(map[string]chan Answer)
	}
	p.next++
	id := strconv.FormatUint(p.next, 10)
	ch := make(chan Answer, 1)
	p.calls[id] = ch
	p.order = append(p.order, id)
	p.live++
	return id, ch, nil
}

// Len returns the number of calls awaiting an answer, not counting
// abandoned ones.
func (p *Pending) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.live
}

// Oldest returns the id of the oldest call still in line (abandoned or not),
// the one an in-order peer answers next.
func (p *Pending) Oldest() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.order) == 0 {
		return "", false
	}
	return p.order[0], true
}

// Resolve delivers an answer frame to its call. It returns ErrAbandoned for
// an answer to a call its caller gave up, and another error when the frame
// is not an answer or matches no call in line (a peer's mistake).
func (p *Pending) Resolve(f Frame) error {
	var a Answer
	switch f.Type {
	case CallResult:
		a.Payload = f.Payload
	case CallError:
		a.Err = &Error{ID: f.ID, Code: f.ErrorCode, Description: f.ErrorDescription, Details: f.ErrorDetails, Payload: f.Payload}
	default:
		return fmt.Errorf("ocppj: %s frame %q is not an answer", f.Type, f.ID)
	}
	return p.deliver(f.ID, a, false)
}

// Fail delivers err to the call with the given id, or to the oldest call
// in line when no call has that id (for an answer that could not be read,
// which an in-order peer sent for its oldest call).
func (p *Pending) Fail(id string, err error) error {
	return p.deliver(id, Answer{Err: err}, true)
}

func (p *Pending) deliver(id string, a Answer, orphan bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	orig := id
	if _, ok := p.calls[id]; !ok && len(p.order) > 0 && (orphan || slices.Contains(p.OrphanIDs, id)) {
		id = p.order[0]
	}
	ch, ok := p.calls[id]
	if !ok {
		return fmt.Errorf("ocppj: answer %q matches no pending call", orig)
	}
	p.pruneBefore(id)
	p.remove(id)
	if ch == nil {
		return fmt.Errorf("%w %q", ErrAbandoned, orig)
	}
	ch <- a
	return nil
}

// Cancel marks a call abandoned (its caller gave up): its answer, when it
// comes, is dropped.
func (p *Pending) Cancel(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ch, ok := p.calls[id]; ok && ch != nil {
		p.calls[id] = nil
		p.live--
	}
}

// Close fails every pending call with err (ErrClosed when nil) and refuses
// new ones.
func (p *Pending) Close(err error) {
	if err == nil {
		err = ErrClosed
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed == nil {
		p.closed = err
	}
	for _, id := range p.order {
		if ch := p.calls[id]; ch != nil {
			ch <- Answer{Err: err}
		}
	}
	p.order, p.calls, p.live = nil, nil, 0
}

// pruneBefore forgets abandoned calls older than id: an in-order peer that
// answers id has given up on them.
func (p *Pending) pruneBefore(id string) {
	n := 0
	for n < len(p.order) && p.order[n] != id && p.calls[p.order[n]] == nil {
		delete(p.calls, p.order[n])
		n++
	}
	if n > 0 {
		p.order = p.order[n:]
	}
}

func (p *Pending) remove(id string) {
	ch, ok := p.calls[id]
	if !ok {
		return
	}
	if ch != nil {
		p.live--
	}
	delete(p.calls, id)
	for i, o := range p.order {
		if o == id {
			p.order = append(p.order[:i], p.order[i+1:]...)
			break
		}
	}
}
