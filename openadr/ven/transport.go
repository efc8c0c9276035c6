package ven

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// maxAnswer bounds the size of a VTN answer. The largest legitimate one, an
// oadrDistributeEvent with many events, stays far below it.
const maxAnswer = 4 << 20

// post sends msg to one of the VTN's services and returns the decoded answer.
// Transport failures and HTTP errors wrap energy.ErrUnavailable; an answer
// that does not decode returns the *oadr.DecodeError wrapped.
func (v *VEN) post(ctx context.Context, service oadr.ServiceName, msg oadr.Message) (oadr.Message, error) {
	if ans, ok := divertToPush(ctx, msg); ok {
		return ans, nil // the answer to a push goes back in its HTTP response
	}
	body, err := v.marshal(msg)
	if err != nil {
		// Our own message cannot be written validly: a bug or bad input
		// that slipped past validation, never the VTN's fault.
		return nil, fmt.Errorf("ven: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, v.endpoint+"/"+string(service), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("ven: %s: %w", service, err)
	}
	req.Header.Set("Content-Type", "application/xml")
	req.Header.Set("Accept", "application/xml")
	v.log.Debug("send", "service", service, "message", msg.MessageName(), "bytes", len(body))
	resp, err := v.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ven: %s: %w: %w", service, energy.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, &HTTPError{Service: service, StatusCode: resp.StatusCode, Body: string(snippet)}
	}
	lr := &io.LimitedReader{R: resp.Body, N: maxAnswer + 1}
	data, err := io.ReadAll(lr)
	if err != nil {
		return nil, fmt.Errorf("ven: %s: reading the answer: %w: %w", service, energy.ErrUnavailable, err)
	}
	if len(data) > maxAnswer {
		return nil, &ProtocolError{Message: "answer to " + msg.MessageName(), Reason: fmt.Sprintf("larger than %d bytes", maxAnswer)}
	}
	ans, err := v.decodeAnswer(ctx, resp.TLS, data)
	if err != nil {
		return nil, fmt.Errorf("ven: %s: answer to %s: %w", service, msg.MessageName(), err)
	}
	v.log.Debug("received", "service", service, "message", ans.MessageName())
	return ans, nil
}

// call is post for messages that expect a particular answer. It turns the
// answers every request may get instead into errors: an oadrResponse with an
// error code (a *ResponseError) and an oadrRequestReregistration (which a VTN
// may send to a VEN it does not know). Either marks the VEN unregistered when
// that is what they mean.
func (v *VEN) call(ctx context.Context, service oadr.ServiceName, msg oadr.Message) (oadr.Message, error) {
	ans, err := v.post(ctx, service, msg)
	if err != nil {
		return nil, err
	}
	switch a := ans.(type) {
	case *oadr.Response:
		if err := responseErr(msg.MessageName(), &a.Response); err != nil {
			v.noteRejection(err)
			return nil, err
		}
	case *oadr.RequestReregistration:
		v.unregister("the VTN asked the VEN to register again")
		return nil, fmt.Errorf("ven: VTN answered %s with oadrRequestReregistration: %w", msg.MessageName(), ErrNotRegistered)
	}
	return ans, nil
}

// noteRejection forgets the registration when the VTN says it does not know
// the VEN, so that Run registers again.
func (v *VEN) noteRejection(err error) {
	if errors.Is(err, ErrNotRegistered) {
		v.unregister(err.Error())
	}
}

// unregister marks the VEN as needing a new registration. The VTN no longer
// knows the venID it assigned, so only one given with WithVENID is kept, nor
// the report requests it made: registering again offers the reports anew.
// Events stay in force until the VTN's next event list says otherwise.
func (v *VEN) unregister(why string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.registered && !v.setupDone {
		return
	}
	v.log.Warn("registration lost", "reason", why)
	v.registered, v.setupDone = false, false
	v.registrationID = ""
	v.venID = v.fixedVenID
	v.clearJobsLocked()
}

// tell sends msg, which the VTN answers with an oadrResponse, and fails on
// any other answer.
func (v *VEN) tell(ctx context.Context, service oadr.ServiceName, msg oadr.Message) error {
	ans, err := v.call(ctx, service, msg)
	if err != nil {
		return err
	}
	if _, ok := ans.(*oadr.Response); !ok {
		return v.unexpected(msg, ans)
	}
	return nil
}

// unexpected returns the error for an answer of the wrong type, and logs it.
func (v *VEN) unexpected(sent oadr.Message, got oadr.Message) error {
	err := &UnexpectedMessageError{Sent: sent.MessageName(), Got: got.MessageName()}
	v.log.Warn("unexpected answer", "sent", err.Sent, "got", err.Got)
	return err
}
