package ven

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// Push mode: a VEN made with WithPushAddress registers with
// oadrHttpPullModel false and that address as its oadrTransportAddress,
// and serves PushHandler there. The VTN then posts its messages (events,
// report requests, registration messages) to
// {address}/OpenADR2/Simple/2.0b/{EiEvent|EiReport|EiRegisterParty}
// instead of waiting for a poll. The VEN handles a pushed message exactly
// as one a poll handed out, except that its answer (oadrCreatedEvent,
// oadrCreatedReport, oadrRegisteredReport, oadrCanceledPartyRegistration,
// …) is the push's HTTP response instead of a request of its own; a
// message that calls for no answer is acknowledged with an oadrResponse.
// Run may keep polling: the VTN falls back to the poll queue when a push
// fails.
//
// With XML signatures (WithSigning), a push must be signed by the VTN and
// is verified like a poll answer (signature, certificate, replay, window),
// against the certificate given with WithVTNCertificate or, without it,
// the TLS server certificate that verified the VTN's last answer to the
// VEN (its registration's at least). A push that fails verification is
// answered with an oadrResponse of the code oadrsig.Error.ResponseCode
// gives, and not handled. The VEN's answers to pushes are signed with its
// signer; the VTN checks them against the certificate the venID was
// bound to at registration.

// pushPrefix is the simple-HTTP path of the VEN's push services.
const pushPrefix = "/OpenADR2/Simple/2.0b/"

// WithPushAddress makes the VEN a push VEN reached at address, the base
// URL (http or https) under which PushHandler is served. A VEN that
// presents a TLS client certificate to the VTN must serve it over https
// with that same certificate: gridwire's VTN pushes to such a VEN only at a
// server presenting the certificate its venID is bound to, and refuses a
// plain HTTP address from it at registration.
func WithPushAddress(address string) Option {
	return func(o *options) { o.pushAddress = address }
}

func checkPushOption(address string) error {
	if address == "" {
		return nil
	}
	u, err := url.Parse(address)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return energy.Invalid("WithPushAddress", "%q is not an http or https URL", address)
	}
	return nil
}

// PushHandler returns the http.Handler that takes the VTN's pushes. Mount
// it at the root of the push address (it answers any path ending in
// /OpenADR2/Simple/2.0b/{service}). It takes the VEN's protocol lock, so a
// push waits for a poll in progress and the other way round.
func (v *VEN) PushHandler() http.Handler {
	return http.HandlerFunc(v.servePush)
}

func (v *VEN) servePush(w http.ResponseWriter, r *http.Request) {
	i := strings.LastIndex(r.URL.Path, pushPrefix)
	if i < 0 {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "OpenADR services accept POST only", http.StatusMethodNotAllowed)
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxAnswer+1))
	if err != nil || len(data) > maxAnswer {
		http.Error(w, "request body unreadable or too large", http.StatusBadRequest)
		return
	}
	venID, _ := v.registeredVenID()
	msg, err := v.decodePush(r.Context(), data)
	if se, ok := errors.AsType[*oadrsig.Error](err); ok && !errors.Is(se, oadrsig.ErrMalformed) {
		v.writePush(w, oadr.NewResponse(se.ResponseCode(), "signature refused: "+se.Kind.Error(), ""), venID)
		return
	}
	if err != nil {
		v.writePush(w, oadr.NewResponse(oadr.CodeInvalidData, "message could not be decoded", ""), venID)
		return
	}
	rid := pushedRequestID(msg)
	ctx, reply := withPushReply(r.Context())
	err = v.handlePushed(ctx, msg)
	v.wake()
	switch {
	case reply.msg != nil:
		// The answer was made, even if something after it failed.
		v.writePushAnswer(w, reply.msg)
	case err != nil:
		v.log.Info("push not handled", "message", msg.MessageName(), "err", err)
		v.writePush(w, oadr.NewResponse(oadr.CodeDeploymentError, "the VEN could not handle the message", rid), venID)
	default:
		v.writePush(w, oadr.NewResponse(oadr.CodeOK, "OK", rid), venID)
	}
}

// pushReply catches the answer a handler makes to a pushed message.
type pushReply struct{ msg oadr.Message }

type pushReplyKey struct{}

func withPushReply(ctx context.Context) (context.Context, *pushReply) {
	r := &pushReply{}
	return context.WithValue(ctx, pushReplyKey{}, r), r
}

// divertToPush takes msg as the answer to the push being handled, when
// there is one and msg is the first answer its handler sends, and returns
// the acknowledgement the handler expects from the VTN. Messages the
// handler sends after it (a registration again) go to the VTN as usual.
func divertToPush(ctx context.Context, msg oadr.Message) (oadr.Message, bool) {
	r, _ := ctx.Value(pushReplyKey{}).(*pushReply)
	if r == nil || r.msg != nil {
		return nil, false
	}
	switch msg.(type) {
	case *oadr.CreatedEvent, *oadr.CreatedReport, *oadr.RegisteredReport, *oadr.CanceledReport,
		*oadr.UpdatedReport, *oadr.CanceledPartyRegistration, *oadr.Response:
	default:
		return nil, false
	}
	r.msg = msg
	return oadr.NewResponse(oadr.CodeOK, "OK", ""), true
}

// answeredInPush reports whether msg went out as the answer to the push
// being handled. Such an answer is not known to have reached the VTN (the
// push's response may be lost on the way, and the VTN then pushes again).
func answeredInPush(ctx context.Context, msg oadr.Message) bool {
	r, _ := ctx.Value(pushReplyKey{}).(*pushReply)
	return r != nil && r.msg == msg
}

// handlePushed handles a pushed message as PollOnce handles a poll answer.
func (v *VEN) handlePushed(ctx context.Context, msg oadr.Message) error {
	v.step.Lock()
	defer v.step.Unlock()
	if _, err := v.registeredVenID(); err != nil {
		return err
	}
	switch m := msg.(type) {
	case *oadr.DistributeEvent:
		return v.handleDistributeEvent(ctx, m)
	case *oadr.CreateReport:
		return v.handleCreateReport(ctx, m)
	case *oadr.CancelReport:
		return v.handleCancelReport(ctx, m)
	case *oadr.RegisterReport:
		return v.handleRegisterReport(ctx, m)
	case *oadr.UpdateReport:
		return v.handleUpdateReport(ctx, m)
	case *oadr.CancelPartyRegistration:
		return v.handleCancelPartyRegistration(ctx, m)
	case *oadr.RequestReregistration:
		return v.handleRequestReregistration(ctx, m)
	}
	return &ProtocolError{Message: msg.MessageName(), Reason: "not a message a VTN pushes"}
}

// pushedRequestID is the requestID the acknowledgement echoes.
func pushedRequestID(msg oadr.Message) string {
	switch m := msg.(type) {
	case *oadr.DistributeEvent:
		return m.RequestID
	case *oadr.CreateReport:
		return m.RequestID
	case *oadr.CancelReport:
		return m.RequestID
	case *oadr.RegisterReport:
		return m.RequestID
	case *oadr.UpdateReport:
		return m.RequestID
	case *oadr.CancelPartyRegistration:
		return m.RequestID
	}
	return ""
}

func (v *VEN) writePush(w http.ResponseWriter, r *oadr.Response, venID string) {
	r.VenID = venID
	v.writePushAnswer(w, r)
}

// writePushAnswer writes the VEN's answer to a push, signed when
// signatures are on.
func (v *VEN) writePushAnswer(w http.ResponseWriter, msg oadr.Message) {
	b, err := v.marshal(msg)
	if err != nil {
		http.Error(w, "encoding the answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(b)
}
