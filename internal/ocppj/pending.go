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

// Pending correlates answers with outstanding calls. It is safe for
// concurrent use. The zero value is ready to use.
type Pending struct {
	// OrphanIDs lists answer ids that the peer uses when it cannot attribute
	// an answer (balanz: "007"); such answers go to the oldest pending call.
	OrphanIDs []string

	mu     sync.Mutex
	next   uint64
	order  []string // ids in the order they were added
	calls  map[string]chan Answer
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
	return id, ch, nil
}

// Len returns the number of calls awaiting an answer.
func (p *Pending) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.calls)
}

// Resolve delivers an answer frame to its call. It returns an error when the
// frame is not an answer or matches no pending call (a late answer to a
// call already given up, or a peer's mistake).
func (p *Pending) Resolve(f Frame) error {
	var a Answer
	switch f.Type {
	case CallResult:
		a.Payload = f.Payload
	case CallError:
		a.Err = &Error{Code: f.ErrorCode, Description: f.ErrorDescription, Details: f.ErrorDetails, Payload: f.Payload}
	default:
		return fmt.Errorf("ocppj: %s frame %q is not an answer", f.Type, f.ID)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	id := f.ID
	if _, ok := p.calls[id]; !ok && slices.Contains(p.OrphanIDs, id) && len(p.order) > 0 {
		id = p.order[0]
	}
	ch, ok := p.calls[id]
	if !ok {
		return fmt.Errorf("ocppj: answer %q matches no pending call", f.ID)
	}
	p.remove(id)
	ch <- a
	return nil
}

// Cancel forgets a call (its caller gave up); a later answer to it is
// reported by Resolve as unmatched.
func (p *Pending) Cancel(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.remove(id)
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
		p.calls[id] <- Answer{Err: err}
	}
	p.order, p.calls = nil, nil
}

func (p *Pending) remove(id string) {
	if _, ok := p.calls[id]; !ok {
		return
	}
	delete(p.calls, id)
	for i, o := range p.order {
		if o == id {
			p.order = append(p.order[:i], p.order[i+1:]...)
			break
		}
	}
}
