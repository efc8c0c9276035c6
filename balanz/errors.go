package balanz

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gridwire/gridwire/energy"
)

// Status is the code of a balanz error answer: the "status" of a
// [4, id, {"status": …}] frame, or the bare string of a [4, id, "…"] frame.
type Status string

// The statuses balanz answers with. A charger's own OCPP refusal passes
// through as its OCPP status (Rejected, NotSupported …).
const (
	StatusNotAuthorized             Status = "NotAuthorized"             // not logged in, or the user type may not call this
	StatusInvalidLogin              Status = "InvalidLogin"              // no user has this token
	StatusProtocolError             Status = "ProtocolError"             // the server could not read the frame
	StatusNoSuchCharger             Status = "NoSuchCharger"             // no charger with this id or alias
	StatusChargerNotConnected       Status = "ChargerNotConnected"       // the charger is known but offline
	StatusNoSuchGroup               Status = "NoSuchGroup"               // no group with this id
	StatusNotAllocationGroup        Status = "NotAllocationGroup"        // the group has no max_allocation
	StatusNoSuchConnector           Status = "NoSuchConnector"           // the charger has no such connector
	StatusConnectorNotInTransaction Status = "ConnectorNotInTransaction" // no live transaction on the connector
	StatusPriorityNotSupplied       Status = "PriorityNotSupplied"       // SetChargePriority without a priority
	StatusInvalidParameters         Status = "InvalidParameters"         // an OCPP pass-through lacks a parameter
	StatusIllegalArguments          Status = "IllegalArguments"          // a model command's arguments are wrong
	StatusChargerAlreadyExists      Status = "ChargerAlreadyExists"      // CreateCharger with a known id
	StatusTagExists                 Status = "TagExists"                 // CreateTag with a known tag
	StatusNoSuchTag                 Status = "NoSuchTag"                 // no such id tag
	StatusNoSuchComponent           Status = "NoSuchComponent"           // SetLogLevel for an unknown logger
	StatusUnexpectedError           Status = "Unexpected Error"          // the server failed (a charger timed out, an exception)

	// OCPP statuses a charger answers pass-through commands with.
	StatusRejected       Status = "Rejected"
	StatusNotSupported   Status = "NotSupported"
	StatusRebootRequired Status = "RebootRequired"
	StatusUnknown        Status = "Unknown"
)

// invalidCommandPrefix starts the bare-string answer to a command the
// server does not implement: "Invalid Command GetConfig".
const invalidCommandPrefix = "Invalid Command "

// InvalidCommand reports whether s is balanz's answer to a command it does
// not implement.
func (s Status) InvalidCommand() bool { return strings.HasPrefix(string(s), invalidCommandPrefix) }

// Error is balanz's error answer to one command.
//
// It wraps an energy sentinel where one applies: NotAuthorized and
// InvalidLogin wrap energy.ErrUnauthorized; ChargerNotConnected wraps
// energy.ErrUnavailable; IllegalArguments and InvalidParameters wrap
// energy.ErrInvalid; "Invalid Command X" and a charger's NotSupported wrap
// energy.ErrUnsupported.
type Error struct {
	// Command is the command that failed, such as "SetTxProfile".
	Command string
	// Status is the error's code; see the Status constants.
	Status Status
	// Orphan is true when balanz sent the answer under its fixed id "007"
	// (an unexpected server error or a frame it could not read) and the
	// client attributed it to this command, the oldest in flight: balanz
	// answers strictly in order.
	Orphan bool
	// Payload is the error frame's payload as sent.
	Payload json.RawMessage
}

// Error implements error.
func (e *Error) Error() string {
	s := "balanz: " + e.Command + ": " + string(e.Status)
	if e.Status == "" {
		s = "balanz: " + e.Command + ": error " + string(e.Payload)
	}
	if e.Orphan {
		s += " (answered as 007)"
	}
	return s
}

// Unwrap returns the energy sentinel the status maps to, or nil.
func (e *Error) Unwrap() error {
	switch {
	case e.Status == StatusNotAuthorized || e.Status == StatusInvalidLogin:
		return energy.ErrUnauthorized
	case e.Status == StatusChargerNotConnected:
		return energy.ErrUnavailable
	case e.Status == StatusIllegalArguments || e.Status == StatusInvalidParameters:
		return energy.ErrInvalid
	case e.Status.InvalidCommand() || e.Status == StatusNotSupported:
		return energy.ErrUnsupported
	}
	return nil
}

// Is lets errors.Is(err, &balanz.Error{Status: s}) match on the status
// alone (and on the command too when the target sets it).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Status == e.Status && (t.Command == "" || t.Command == e.Command)
}

// ConnError reports that the connection to balanz failed or closed while a
// call was in flight, or before it could be sent. It wraps
// energy.ErrUnavailable and the cause.
type ConnError struct {
	// Command is the command that was in flight, or "" for the connection
	// as a whole.
	Command string
	// Err is the cause.
	Err error
}

// Error implements error.
func (e *ConnError) Error() string {
	if e.Command == "" {
		return "balanz: connection: " + e.Err.Error()
	}
	return "balanz: " + e.Command + ": connection: " + e.Err.Error()
}

// Unwrap returns energy.ErrUnavailable and the cause.
func (e *ConnError) Unwrap() []error { return []error{energy.ErrUnavailable, e.Err} }

// ErrClosed is the cause in a *ConnError after Close.
var ErrClosed = errors.New("balanz: client closed")

// ErrSubprotocol is returned by Dial when the server does not accept the
// ocpp1.6 subprotocol, so it is not a balanz API (or a proxy strips the
// header).
var ErrSubprotocol = errors.New("balanz: server did not accept subprotocol " + Subprotocol)

// DecodeError reports an answer whose payload does not have the shape the
// command expects (a frame that was not JSON, a number where a list
// belongs). The call's answer is lost; the connection carries on.
type DecodeError struct {
	// Command is the command whose answer could not be read.
	Command string
	// Err is the JSON error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("balanz: %s: unreadable answer: %v", e.Command, e.Err)
}

// Unwrap returns the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }
