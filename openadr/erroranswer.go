package openadr

import (
	"context"
	"errors"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// errorAnswer returns the answer a request named name calls for, carrying
// the protocol error pe: a VEN that sent oadrCreatePartyRegistration gets an
// oadrCreatedPartyRegistration, one that sent oadrUpdateReport an
// oadrUpdatedReport, and so on; messages without an answer of their own get
// oadrResponse. requestID is echoed, as OpenADR 2.0b requires of every
// answer.
func (v *VTN) errorAnswer(name, requestID, venID string, pe *ResponseError) oadr.Message {
	r := pe.eiResponse(requestID)
	switch name {
	case "oadrQueryRegistration", "oadrCreatePartyRegistration":
		return v.createdPartyRegistration(r, "", "")
	case "oadrCancelPartyRegistration":
		return &oadr.CanceledPartyRegistration{Response: r, VenID: venID}
	case "oadrRegisterReport":
		return &oadr.RegisteredReport{Response: r, VenID: venID}
	case "oadrUpdateReport":
		return &oadr.UpdatedReport{Response: r, VenID: venID}
	case "oadrCreateReport":
		return &oadr.CreatedReport{Response: r, VenID: venID}
	case "oadrCancelReport":
		return &oadr.CanceledReport{Response: r, VenID: venID}
	case "oadrRequestEvent":
		return &oadr.DistributeEvent{Response: &r, RequestID: newID(), VtnID: v.id}
	case "oadrCreateOpt":
		return &oadr.CreatedOpt{Response: r}
	case "oadrCancelOpt":
		return &oadr.CanceledOpt{Response: r}
	}
	return &oadr.Response{Response: r, VenID: venID}
}

// decodeErrorAnswer answers a body that did not decode: 454 (invalid data)
// for a known message with a bad or missing element, answered in that
// message's own answer type; 453 (not recognized) for anything that is not
// an OpenADR 2.0b message (another namespace, an unknown element); 454 in an
// oadrResponse for malformed XML.
func (v *VTN) decodeErrorAnswer(ctx context.Context, svc oadr.ServiceName, err error) oadr.Message {
	v.log.InfoContext(ctx, "openadr: undecodable request", "service", svc, "err", err)
	var name string
	if de, ok := errors.AsType[*oadr.DecodeError](err); ok && de.Element.Space == oadr.NamespaceOADR {
		name = de.Element.Local
	}
	code := oadr.CodeInvalidData
	if errors.Is(err, oadr.ErrUnknownMessage) {
		code, name = oadr.CodeNotRecognized, ""
	}
	// The decoder's message names the element and the problem, and contains
	// only what the VEN itself sent.
	return v.errorAnswer(name, "", "", &ResponseError{Code: code, Description: err.Error()})
}

// requestIDOf returns the requestID a request carries, the one its answer
// echoes. Answers (oadrCreatedEvent, oadrCreatedReport, …) carry theirs in
// their eiResponse; oadrPoll has none.
func requestIDOf(msg oadr.Message) string {
	if m, ok := msg.(oadr.Request); ok {
		return m.RequestRef()
	}
	return requestIDOfAnswer(msg)
}

// requestIDOfAnswer returns the eiResponse requestID of an answer message.
func requestIDOfAnswer(msg oadr.Message) string {
	if m, ok := msg.(oadr.Answer); ok {
		return m.InResponseTo()
	}
	return ""
}

// venIDOf returns the venID a message names ("" if none).
func venIDOf(msg oadr.Message) string {
	if m, ok := msg.(oadr.VENNamed); ok {
		return m.VENID()
	}
	return ""
}

// ack returns an oadrResponse 200 echoing requestID, naming venID.
func ack(requestID, venID string) *oadr.Response {
	return &oadr.Response{Response: oadr.OK(requestID), VenID: venID}
}
