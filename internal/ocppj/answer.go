package ocppj

import "bytes"

// ParseAnswer decodes a frame expected to answer a call, without decoding or
// validating a CallResult's payload: whoever decodes the payload (into its
// own type, in one pass) reports what is wrong with it. Every other frame,
// and any frame whose head is not in the plain form [3,"id",…] (escapes in
// the id, odd spacing, numbers where strings belong), goes through Parse. It
// never panics on untrusted input.
//
// This keeps a large answer (a list of chargers with their histories) to one
// scan by the JSON decoder instead of three.
func ParseAnswer(data []byte) (Frame, error) {
	if f, ok := parseResultHead(data); ok {
		return f, nil
	}
	return Parse(data)
}

// parseResultHead reads `[3,"id",payload]` with optional whitespace, where
// the id has no escapes; ok is false for anything else.
func parseResultHead(data []byte) (Frame, bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return Frame{}, false
	}
	i = skipSpace(data, i+1)
	if i >= len(data) || data[i] != '3' {
		return Frame{}, false
	}
	i = skipSpace(data, i+1)
	if i >= len(data) || data[i] != ',' {
		return Frame{}, false
	}
	i = skipSpace(data, i+1)
	if i >= len(data) || data[i] != '"' {
		return Frame{}, false
	}
	start := i + 1
	end := start
	for ; end < len(data) && data[end] != '"'; end++ {
		if c := data[end]; c == '\\' || c < 0x20 || c >= 0x80 {
			return Frame{}, false // escapes and non-ASCII: leave them to encoding/json
		}
	}
	if end >= len(data) {
		return Frame{}, false
	}
	i = skipSpace(data, end+1)
	if i >= len(data) || data[i] != ',' {
		return Frame{}, false
	}
	rest := bytes.TrimRight(data[i+1:], " \t\r\n")
	if len(rest) == 0 || rest[len(rest)-1] != ']' {
		return Frame{}, false
	}
	payload := bytes.TrimSpace(rest[:len(rest)-1])
	if len(payload) == 0 {
		return Frame{}, false
	}
	return Frame{Type: CallResult, ID: string(data[start:end]), Payload: payload}, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
