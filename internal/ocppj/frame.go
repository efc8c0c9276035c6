package ocppj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// MessageType is the first element of an OCPP-J frame.
type MessageType int

// The OCPP-J message types.
const (
	Call       MessageType = 2
	CallResult MessageType = 3
	CallError  MessageType = 4
)

// String returns the type's OCPP name.
func (t MessageType) String() string {
	switch t {
	case Call:
		return "CALL"
	case CallResult:
		return "CALLRESULT"
	case CallError:
		return "CALLERROR"
	}
	return fmt.Sprintf("MessageType(%d)", int(t))
}

// Frame is one OCPP-J message.
type Frame struct {
	// Type says whether the frame is a call, a result or an error.
	Type MessageType
	// ID correlates a call with its answer.
	ID string
	// Action names the command of a Call.
	Action string
	// Payload is a Call's or CallResult's payload, or a three-element
	// CallError's payload.
	Payload json.RawMessage
	// ErrorCode, ErrorDescription and ErrorDetails are a five-element
	// CallError's fields.
	ErrorCode        string
	ErrorDescription string
	ErrorDetails     json.RawMessage
}

// ErrMalformed is wrapped by every parse error.
var ErrMalformed = errors.New("ocppj: malformed frame")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Parse decodes one frame. It never panics on untrusted input.
func Parse(data []byte) (Frame, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(data, &elems); err != nil {
		return Frame{}, malformed("not a JSON array: %v", err)
	}
	if len(elems) < 3 {
		return Frame{}, malformed("%d elements; want at least 3", len(elems))
	}
	var f Frame
	var typ int
	if err := json.Unmarshal(elems[0], &typ); err != nil {
		return Frame{}, malformed("message type %s is not an integer", elems[0])
	}
	f.Type = MessageType(typ)
	if err := json.Unmarshal(elems[1], &f.ID); err != nil {
		return Frame{}, malformed("message id %s is not a string", elems[1])
	}
	switch f.Type {
	case Call:
		if len(elems) != 4 {
			return Frame{}, malformed("CALL has %d elements; want 4", len(elems))
		}
		if err := json.Unmarshal(elems[2], &f.Action); err != nil || f.Action == "" {
			return Frame{}, malformed("CALL action %s is not a non-empty string", elems[2])
		}
		f.Payload = elems[3]
	case CallResult:
		if len(elems) != 3 {
			return Frame{}, malformed("CALLRESULT has %d elements; want 3", len(elems))
		}
		f.Payload = elems[2]
	case CallError:
		switch len(elems) {
		case 3: // balanz: [4, id, payload]
			f.Payload = elems[2]
		case 5:
			if err := json.Unmarshal(elems[2], &f.ErrorCode); err != nil {
				return Frame{}, malformed("CALLERROR code %s is not a string", elems[2])
			}
			if err := json.Unmarshal(elems[3], &f.ErrorDescription); err != nil {
				return Frame{}, malformed("CALLERROR description %s is not a string", elems[3])
			}
			f.ErrorDetails = elems[4]
		default:
			return Frame{}, malformed("CALLERROR has %d elements; want 3 or 5", len(elems))
		}
	default:
		return Frame{}, malformed("unknown message type %d", typ)
	}
	return f, nil
}

// AppendCall appends the frame [2, id, action, payload] to b. A nil payload,
// or one that encodes to null, is written as {} (servers such as balanz call
// .get on it).
func AppendCall(b []byte, id, action string, payload any) ([]byte, error) {
	if id == "" || action == "" {
		return b, errors.New("ocppj: call needs an id and an action")
	}
	p, err := encodePayload(payload)
	if err != nil {
		return b, fmt.Errorf("ocppj: encoding %s payload: %w", action, err)
	}
	if string(bytes.TrimSpace(p)) == "null" {
		p = []byte("{}")
	}
	b = append(b, "[2,"...)
	b = appendString(b, id)
	b = append(b, ',')
	b = appendString(b, action)
	b = append(b, ',')
	b = append(b, p...)
	return append(b, ']'), nil
}

// AppendResult appends the frame [3, id, payload] to b.
func AppendResult(b []byte, id string, payload any) ([]byte, error) {
	p, err := encodePayload(payload)
	if err != nil {
		return b, fmt.Errorf("ocppj: encoding result payload: %w", err)
	}
	b = append(b, "[3,"...)
	b = appendString(b, id)
	b = append(b, ',')
	b = append(b, p...)
	return append(b, ']'), nil
}

// AppendErrorPayload appends the three-element error frame [4, id, payload]
// that balanz sends (payload {"status": …} or a bare string) to b.
func AppendErrorPayload(b []byte, id string, payload any) ([]byte, error) {
	p, err := encodePayload(payload)
	if err != nil {
		return b, fmt.Errorf("ocppj: encoding error payload: %w", err)
	}
	b = append(b, "[4,"...)
	b = appendString(b, id)
	b = append(b, ',')
	b = append(b, p...)
	return append(b, ']'), nil
}

// AppendError appends the OCPP five-element frame [4, id, code, description,
// details] to b.
func AppendError(b []byte, id, code, description string, details any) ([]byte, error) {
	p, err := encodePayload(details)
	if err != nil {
		return b, fmt.Errorf("ocppj: encoding error details: %w", err)
	}
	b = append(b, "[4,"...)
	b = appendString(b, id)
	b = append(b, ',')
	b = appendString(b, code)
	b = append(b, ',')
	b = appendString(b, description)
	b = append(b, ',')
	b = append(b, p...)
	return append(b, ']'), nil
}

func encodePayload(v any) ([]byte, error) {
	switch p := v.(type) {
	case nil:
		return []byte("{}"), nil
	case json.RawMessage:
		if len(bytes.TrimSpace(p)) == 0 {
			return []byte("{}"), nil
		}
		if !json.Valid(p) {
			return nil, errors.New("raw payload is not valid JSON")
		}
		return p, nil
	}
	return json.Marshal(v)
}

func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}
