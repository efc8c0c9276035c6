package openadr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// MarshalVENState encodes st for a durable Store: JSON, with each queued
// message as the XML the VEN will receive (oadr.Marshal), so that a message
// read back is byte for byte the one that was queued. Stores outside this
// module can use it too.
func MarshalVENState(st *VENState) ([]byte, error) {
	b, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("openadr: encoding a VEN state: %w", err)
	}
	return b, nil
}

// UnmarshalVENState decodes what MarshalVENState encoded into st, which it
// overwrites.
func UnmarshalVENState(data []byte, st *VENState) error {
	*st = VENState{}
	if err := json.Unmarshal(data, st); err != nil {
		return fmt.Errorf("openadr: decoding a stored VEN state: %w", err)
	}
	return nil
}

// MarshalJSON implements json.Marshaler, encoding the message as XML.
func (q Queued) MarshalJSON() ([]byte, error) {
	out := struct {
		Message  string `json:",omitempty"`
		QueuedAt time.Time
	}{QueuedAt: q.QueuedAt}
	if q.Message != nil {
		b, err := oadr.Marshal(q.Message)
		if err != nil {
			return nil, fmt.Errorf("queued %s: %w", q.Message.MessageName(), err)
		}
		out.Message = string(b)
	}
	return json.Marshal(out)
}

// UnmarshalJSON implements json.Unmarshaler, decoding the message's XML.
func (q *Queued) UnmarshalJSON(data []byte) error {
	var in struct {
		Message  string
		QueuedAt time.Time
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*q = Queued{QueuedAt: in.QueuedAt}
	if in.Message != "" {
		m, err := oadr.Unmarshal([]byte(in.Message))
		if err != nil {
			return fmt.Errorf("queued message: %w", err)
		}
		q.Message = m
	}
	return nil
}

// ChangeVENState calls fn with st and returns st's encoding afterwards and
// whether it differs from stored, the encoding st was read from: a durable
// Store writes only a changed state, so that a request that changes nothing
// (an empty poll) writes nothing. fn's error is returned as is.
func ChangeVENState(st *VENState, stored []byte, fn func(*VENState) error) (b []byte, changed bool, err error) {
	if err := fn(st); err != nil {
		return nil, false, err
	}
	b, err = MarshalVENState(st)
	if err != nil {
		return nil, false, err
	}
	return b, !bytes.Equal(b, stored), nil
}
