package alphaess

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// envelope is every answer's wrapper:
//
//	{"code": 200, "msg": "Success", "expMsg": null, "data": …, "extra": null}
//
// The portal documents the message as "info" for the two periodic-schedule
// endpoints, so either is accepted.
type envelope struct {
	code   Code
	msg    string
	expMsg string
	data   json.RawMessage
}

var errNoEnvelope = errors.New("not an AlphaESS envelope (no code field)")

func decodeEnvelope(body []byte) (envelope, error) {
	var w struct {
		Code   *Code           `json:"code"`
		Msg    json.RawMessage `json:"msg"`
		Info   json.RawMessage `json:"info"`
		ExpMsg json.RawMessage `json:"expMsg"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return envelope{}, err
	}
	if w.Code == nil {
		return envelope{}, errNoEnvelope
	}
	e := envelope{code: *w.Code, msg: text(w.Msg), expMsg: text(w.ExpMsg), data: w.Data}
	if e.msg == "" {
		e.msg = text(w.Info)
	}
	return e, nil
}

// text renders a message field: a string as itself, null as "", anything
// else (never seen, but not worth failing an answer over) as its JSON.
func text(raw json.RawMessage) string {
	if isNull(raw) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// decodeError reports an answer that could not be decoded. A non-finite
// number is a *ValueError (wrapping energy.ErrUnavailable) rather than a
// malformed answer: the envelope was fine, one value was not.
func decodeError(ep endpoint, body []byte, err error) error {
	var ve *ValueError
	if errors.As(err, &ve) {
		ve.Endpoint = ep.name
		return ve
	}
	return &DecodeError{Method: ep.method, Endpoint: ep.name, Body: rest.Excerpt(body), Err: err}
}

// decodeData decodes an object the endpoint must return; null data is a
// *MissingDataError.
func decodeData(ep endpoint, raw json.RawMessage, v any) error {
	if isNull(raw) {
		return &MissingDataError{Endpoint: ep.name, Fields: []string{"data"}}
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return decodeError(ep, raw, err)
	}
	return nil
}

// decodeList decodes a list the endpoint returns; null is an empty list and
// a single object is a list of one (older answers of getEssList do that).
// A null item is an error: it would otherwise become an item of zero
// values, such as a system with no serial number.
func decodeList[T any](ep endpoint, raw json.RawMessage) ([]T, error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return nil, nil
	}
	if raw[0] == '{' {
		var one T
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, decodeError(ep, raw, err)
		}
		return []T{one}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, decodeError(ep, raw, err)
	}
	list := make([]T, len(items))
	for i, item := range items {
		if isNull(item) {
			return nil, decodeError(ep, raw, fmt.Errorf("item %d is null", i))
		}
		if err := json.Unmarshal(item, &list[i]); err != nil {
			return nil, decodeError(ep, raw, fmt.Errorf("item %d: %w", i, err))
		}
	}
	return list, nil
}

// num is a wire number that may be null. Every number the Open API sends
// can be null (whole getLastPowerData answers have been), so none is read
// into a plain float64 where a null would silently become 0. A numeric
// string is accepted too ("" is null); anything else is an error.
type num struct {
	v  float64
	ok bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *num) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*n = num{}
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			return nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err == nil && (math.IsNaN(v) || math.IsInf(v, 0)):
		return &ValueError{Value: string(b), Reason: "not a finite number"}
	case err != nil && errors.Is(err, strconv.ErrRange):
		return &ValueError{Value: string(b), Reason: "out of range of a float64"}
	case err != nil:
		return fmt.Errorf("alphaess: %s is not a number", b)
	}
	*n = num{v, true}
	return nil
}

// MarshalJSON implements json.Marshaler (for the fake and for tests).
func (n num) MarshalJSON() ([]byte, error) {
	if !n.ok {
		return []byte("null"), nil
	}
	return json.Marshal(n.v)
}

func (n num) float() *float64 {
	if !n.ok {
		return nil
	}
	return &n.v
}

func (n num) watts() *energy.Watts {
	if !n.ok {
		return nil
	}
	return energy.Ptr(energy.Watts(n.v))
}

// kilowatts reads a kW rating (poinv, popv) into W.
func (n num) kilowatts() *energy.Watts {
	if !n.ok {
		return nil
	}
	return energy.Ptr(energy.Watts(n.v * 1000))
}

// kwh reads a kWh energy into Wh.
func (n num) kwh() *energy.WattHours {
	if !n.ok {
		return nil
	}
	return energy.Ptr(energy.WattHours(n.v * 1000))
}

// percent reads a 0..100 percentage into a Fraction.
func (n num) percent() *energy.Fraction {
	if !n.ok {
		return nil
	}
	return energy.Ptr(energy.FromPercent(n.v))
}

// bool01 reads AlphaESS's 0/1 flags; any other value is an error.
func (n num) bool01(field string) (bool, error) {
	switch {
	case n.ok && n.v == 1:
		return true, nil
	case n.ok && n.v == 0:
		return false, nil
	case !n.ok:
		return false, fmt.Errorf("alphaess: %s is null, want 0 or 1", field)
	}
	return false, fmt.Errorf("alphaess: %s is %v, want 0 or 1", field, n.v)
}

func some(v float64) num { return num{v, true} }
