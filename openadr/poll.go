package openadr

import (
	"context"
	"sync"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// poll answers oadrPoll with the oldest queued message, or with an empty
// oadrResponse (200, empty requestID: oadrPoll has none) when nothing waits.
func (v *VTN) poll(ctx context.Context, c Caller, m *oadr.Poll) (oadr.Message, error) {
	var answer oadr.Message
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		q, ok := st.dequeue()
		switch {
		case !ok:
		case q.Message == nil:
			// An event notice: the event list as of now. The eiResponse
			// answers no oadrRequestEvent, so its requestID is empty.
			answer = v.distributeEvent(st, oadr.OK(""), v.clock.Now())
		default:
			answer = q.Message
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if answer == nil {
		return ack("", m.VenID), nil
	}
	return answer, nil
}

// decode decodes a request body; polls come from the poll cache when they
// can.
func (v *VTN) decode(svc oadr.ServiceName, body []byte) (oadr.Message, error) {
	cacheable := svc == oadr.ServiceOadrPoll && len(body) <= pollCacheBody
	if cacheable {
		if p := v.polls.get(body); p != nil {
			return p, nil
		}
	}
	msg, err := oadr.Unmarshal(body)
	if p, ok := msg.(*oadr.Poll); ok && err == nil && cacheable {
		v.polls.put(body, p)
	}
	return msg, err
}

// pollCache remembers the decoding of oadrPoll bodies. A VEN's polls are
// byte-for-byte the same (oadrPoll carries nothing but the venID), polls are
// most of a VTN's traffic, and decoding is a large part of the cost of
// answering one, so each distinct body is decoded once. Decoding is a pure function of
// the bytes, and the cached *oadr.Poll is never modified, so sharing it is
// safe.
type pollCache struct {
	mu sync.RWMutex
	m  map[string]*oadr.Poll
}

const (
	pollCacheMax  = 8192 // distinct bodies; one per VEN in practice
	pollCacheBody = 2048 // larger bodies are not polls worth remembering
)

func (c *pollCache) get(body []byte) *oadr.Poll {
	c.mu.RLock()
	p := c.m[string(body)] // no allocation for the lookup
	c.mu.RUnlock()
	return p
}

func (c *pollCache) put(body []byte, p *oadr.Poll) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= pollCacheMax {
		// Start over rather than track use: VENs that still poll are
		// back within one poll period.
		c.m = make(map[string]*oadr.Poll)
	}
	c.m[string(body)] = p
}
