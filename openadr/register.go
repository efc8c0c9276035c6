package openadr

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// RegistrationRequest is a VEN's oadrCreatePartyRegistration as the
// registration hook sees it.
type RegistrationRequest struct {
	// VenName is oadrVenName ("" if the VEN sent none).
	VenName string
	// VenID is the venID the VEN sent, if any: its own when it re-registers,
	// or one configured out of band.
	VenID string
	// RegistrationID is set when the VEN re-registers.
	RegistrationID string
	// Reregistration reports that RegistrationID is the VEN's current
	// registration. The VEN then keeps its venID and registrationID: the
	// hook may only approve or reject.
	Reregistration   bool
	ProfileName      oadr.ProfileName
	TransportName    oadr.TransportName
	TransportAddress string
	ReportOnly       bool
	XMLSignature     bool
	// Push reports a push VEN (oadrHttpPullModel false), reached at
	// TransportAddress.
	Push bool
	// Caller is who sent the request; Caller.Fingerprint identifies a VEN
	// that uses a TLS client certificate.
	Caller Caller
	// BoundVenID is, for a registration without a registrationID, the venID
	// of a VEN already registered with the caller's client certificate ("" if
	// none): most likely this VEN, which lost its state. Unless the hook
	// assigns another venID (a fresh one, to register the caller as a
	// second VEN), the registration replaces it, keeping its venID (see
	// WithSharedCertificates).
	BoundVenID string
}

// Decision is the registration hook's verdict.
type Decision struct {
	// Reject refuses the registration with Code (default 463, not registered
	// or authorized) and Reason.
	Reject bool
	Code   oadr.ResponseCode
	Reason string
	// VenID and RegistrationID are assigned to a new registration; empty
	// means generated. Assigning the venID of a registered VEN replaces its
	// registration (the VEN lost it): its queue, offered reports and report
	// requests are dropped, its events kept.
	VenID          string
	RegistrationID string
	// Replaces is the venID of an older registration of the same VEN, which
	// is removed (with its events, queue and telemetry) once this one is
	// stored: for a VEN that lost its state and registers afresh, and that
	// the application recognises (by its venName, say) where no client
	// certificate tells. "" replaces nothing (but see
	// RegistrationRequest.BoundVenID).
	Replaces string
}

// Approve returns a Decision that accepts the VEN with generated IDs.
func Approve() Decision { return Decision{} }

// ChangeKind says what happened to a registration.
type ChangeKind int

// The kinds of RegistrationChange.
const (
	// Registered: a VEN registered (or registered again without its
	// registrationID, replacing its registration).
	Registered ChangeKind = iota + 1
	// Reregistered: a VEN registered again with its registrationID.
	Reregistered
	// Canceled: the registration ended, at the VEN's request or confirming
	// the VTN's (see RegistrationChange.ByVEN).
	Canceled
)

// String returns "registered", "reregistered" or "canceled".
func (k ChangeKind) String() string {
	switch k {
	case Registered:
		return "registered"
	case Reregistered:
		return "reregistered"
	case Canceled:
		return "canceled"
	}
	return "unknown"
}

// RegistrationChange is what the registration-change hook is told.
type RegistrationChange struct {
	Kind         ChangeKind
	Registration Registration
	// ByVEN reports, for Canceled, that the VEN asked (rather than answered
	// the VTN's CancelRegistration).
	ByVEN bool
	// Replaced is, for Registered, the venID of the registration this one
	// replaced ("" for none): the same as Registration.VenID when the VEN
	// kept its venID (its events kept, its queue and report requests
	// dropped), another one when that registration was removed
	// (Decision.Replaces).
	Replaced string
}

// queryRegistration answers oadrQueryRegistration with what the VTN offers.
// No registration is needed first.
func (v *VTN) queryRegistration(m *oadr.QueryRegistration) oadr.Message {
	return v.createdPartyRegistration(oadr.OK(m.RequestID), "", "")
}

func (v *VTN) createdPartyRegistration(r oadr.EiResponse, venID, registrationID string) *oadr.CreatedPartyRegistration {
	return &oadr.CreatedPartyRegistration{
		Response:       r,
		RegistrationID: registrationID,
		VenID:          venID,
		VtnID:          v.id,
		Profiles:       v.profiles,
		PollFreq:       v.pollFreq,
	}
}

// createPartyRegistration registers a VEN, or re-registers one that sends its
// registrationID. oadrQueryRegistration is not required first (EPRI's VEN
// skips it).
func (v *VTN) createPartyRegistration(ctx context.Context, c Caller, m *oadr.CreatePartyRegistration) (oadr.Message, error) {
	switch {
	case m.ProfileName != oadr.Profile20b:
		return nil, Reject(oadr.CodeComplianceError, "profile %q is not supported; this VTN speaks 2.0b", m.ProfileName)
	case m.TransportName != oadr.TransportSimpleHTTP:
		return nil, Reject(oadr.CodeComplianceError, "transport %q is not supported; this VTN speaks simpleHttp", m.TransportName)
	}
	push := m.HTTPPullModel != nil && !*m.HTTPPullModel
	if push {
		if err := v.checkPushRegistration(ctx, c, m); err != nil {
			return nil, err
		}
	}
	req := RegistrationRequest{
		VenName:          m.VenName,
		VenID:            m.VenID,
		RegistrationID:   m.RegistrationID,
		ProfileName:      m.ProfileName,
		TransportName:    m.TransportName,
		TransportAddress: m.TransportAddress,
		ReportOnly:       m.ReportOnly,
		XMLSignature:     m.XMLSignature,
		Push:             push,
		Caller:           c,
	}
	var (
		reg      Registration
		kind     ChangeKind
		replaced string
		err      error
	)
	if m.RegistrationID != "" {
		reg, err = v.reregister(ctx, c, req)
		kind = Reregistered
	} else {
		reg, replaced, err = v.register(ctx, c, req)
		kind = Registered
	}
	if err != nil {
		return nil, err
	}
	v.log.InfoContext(ctx, "openadr: VEN "+kind.String(), "venID", reg.VenID, "venName", logID(reg.VenName), "remote", c.RemoteAddr, "replaced", replaced)
	v.notifyRegistration(ctx, RegistrationChange{Kind: kind, Registration: reg, Replaced: replaced})
	return v.createdPartyRegistration(oadr.OK(m.RequestID), reg.VenID, reg.RegistrationID), nil
}

// decide runs the registration hook, or approves.
func (v *VTN) decide(ctx context.Context, req RegistrationRequest) (Decision, error) {
	if v.hooks.registration == nil {
		return Approve(), nil
	}
	d, err := v.hooks.registration(ctx, req)
	if err != nil {
		return Decision{}, err
	}
	if d.Reject {
		code := d.Code
		if code == 0 {
			code = oadr.CodeNotRegisteredOrAuthorized
		}
		reason := d.Reason
		if reason == "" {
			reason = "registration refused"
		}
		return Decision{}, Reject(code, "%s", reason)
	}
	return d, nil
}

func (v *VTN) register(ctx context.Context, c Caller, req RegistrationRequest) (reg Registration, replaced string, err error) {
	provisioned, err := v.provisionedVenID(c, req.VenID)
	if err != nil {
		return Registration{}, "", err
	}
	if provisioned == "" {
		if req.BoundVenID, err = v.boundVEN(ctx, c); err != nil {
			return Registration{}, "", err
		}
	}
	d, err := v.decide(ctx, req)
	if err != nil {
		return Registration{}, "", err
	}
	if provisioned != "" {
		if d.VenID != "" && d.VenID != provisioned {
			return Registration{}, "", fmt.Errorf("openadr: the registration hook assigned venID %q to the certificate provisioned for %q", d.VenID, provisioned)
		}
		d.VenID = provisioned
	}
	if d.VenID == "" {
		// The certificate's VEN lost its state: it keeps its venID.
		d.VenID = req.BoundVenID
	}
	if d.VenID == "" {
		d.VenID = newID()
	}
	if d.RegistrationID == "" {
		d.RegistrationID = newID()
	}
	if err := checkID("Decision.VenID", d.VenID); err != nil {
		return Registration{}, "", err
	}
	if err := checkID("Decision.RegistrationID", d.RegistrationID); err != nil {
		return Registration{}, "", err
	}
	if d.Replaces != "" {
		if err := checkID("Decision.Replaces", d.Replaces); err != nil {
			return Registration{}, "", err
		}
	}
	now := v.clock.Now()
	reg = Registration{
		VenID:            d.VenID,
		RegistrationID:   d.RegistrationID,
		VenName:          req.VenName,
		ProfileName:      req.ProfileName,
		TransportName:    req.TransportName,
		TransportAddress: req.TransportAddress,
		ReportOnly:       req.ReportOnly,
		XMLSignature:     req.XMLSignature,
		Push:             req.Push,
		Fingerprint:      c.Fingerprint,
		RegisteredAt:     now,
	}
	if err := v.checkCapacity(ctx, reg.VenID, d.Replaces); err != nil {
		return Registration{}, "", err
	}
	st := &VENState{Registration: reg, Contact: Contact{Last: now}}
	st.enqueueRegisterReport(now)
	err = v.store.Create(ctx, st)
	var back bool
	if errors.Is(err, ErrDuplicateVEN) {
		// The VEN lost its registration (the hook or its certificate says
		// so): start it afresh but keep its events.
		replaced = reg.VenID
		err = v.store.Update(ctx, reg.VenID, func(st *VENState) error {
			// Not from another VEN's certificate, though.
			if err := checkCaller(c, &st.Registration); err != nil {
				return err
			}
			back = st.Contact.Silent
			*st = VENState{Registration: reg, Events: st.Events, Opts: st.Opts, Telemetry: st.Telemetry, Schedules: st.Schedules, Contact: Contact{Last: now}}
			st.enqueueRegisterReport(now)
			return nil
		})
		v.answers.notify(reg.VenID) // its queue is gone: the wait is over
	}
	if err != nil {
		return Registration{}, "", err
	}
	if back {
		v.notifyLiveness(ctx, LivenessChange{VenID: reg.VenID})
	}
	if d.Replaces != "" && d.Replaces != reg.VenID {
		if err := v.removeReplaced(ctx, d.Replaces); err != nil {
			return Registration{}, "", err
		}
		replaced = d.Replaces
	}
	return reg, replaced, nil
}

// checkCapacity refuses a new VEN past WithMaxVENs; venID may be that of
// a VEN that is registered already (the hook assigned it), which does not
// count twice, nor does a VEN that replaces a registered one.
func (v *VTN) checkCapacity(ctx context.Context, venID, replaces string) error {
	n, err := countVENs(ctx, v.store)
	if err != nil {
		return err
	}
	if n < v.maxVENs {
		return nil
	}
	if replaces != "" {
		if known, err := stored(ctx, v.store, replaces); err != nil || known {
			return err
		}
	}
	if known, err := stored(ctx, v.store, venID); err != nil || known {
		return err
	}
	v.log.WarnContext(ctx, "openadr: registration refused: VEN cap reached", "max", v.maxVENs)
	return Reject(oadr.CodeNotRegisteredOrAuthorized, "this VTN registers no more VENs")
}

// BindCertificate binds the VEN venID to the TLS client certificate with
// the given fingerprint (in any form NormalizeFingerprint reads), or unbinds
// it when fingerprint is "": from then on only requests presenting that
// certificate may speak for the VEN. A VEN is bound on first use, to the
// certificate it registered with (or to none); re-registering never changes
// that, so moving a VEN to a new certificate is the application's decision,
// made here.
func (v *VTN) BindCertificate(ctx context.Context, venID, fingerprint string) error {
	fp := ""
	if fingerprint != "" {
		if fp = NormalizeFingerprint(fingerprint); fp == "" {
			return energy.Invalid("fingerprint", "%q is not 10 bytes of hex (AB:CD:… or 20 hex digits)", fingerprint)
		}
	}
	return v.store.Update(ctx, venID, func(st *VENState) error {
		st.Registration.Fingerprint = fp
		return nil
	})
}

// reregister handles a VEN that sends its registrationID: it keeps its venID.
func (v *VTN) reregister(ctx context.Context, c Caller, req RegistrationRequest) (Registration, error) {
	venID, err := v.store.VENByRegistrationID(ctx, req.RegistrationID)
	if err != nil {
		if errors.Is(err, ErrUnknownVEN) {
			return Registration{}, Reject(oadr.CodeInvalidID, "unknown registrationID %q", req.RegistrationID)
		}
		return Registration{}, err
	}
	if req.VenID != "" && req.VenID != venID {
		return Registration{}, Reject(oadr.CodeInvalidID, "registrationID %q does not belong to venID %q", req.RegistrationID, req.VenID)
	}
	req.VenID, req.Reregistration = venID, true
	// The caller is checked before the hook sees the request.
	if err := v.store.View(ctx, venID, func(st *VENState) error { return checkCaller(c, &st.Registration) }); err != nil {
		return Registration{}, err
	}
	if _, err := v.decide(ctx, req); err != nil {
		return Registration{}, err
	}
	var reg Registration
	err = v.updateVEN(ctx, c, venID, func(st *VENState) error {
		if st.Registration.CancelRequestID != "" {
			return Reject(oadr.CodeNotAllowed, "the VTN has cancelled this registration; answer its oadrCancelPartyRegistration")
		}
		r := &st.Registration
		r.VenName = req.VenName
		r.ProfileName, r.TransportName, r.TransportAddress = req.ProfileName, req.TransportName, req.TransportAddress
		r.Push = req.Push
		r.ReportOnly, r.XMLSignature = req.ReportOnly, req.XMLSignature
		// The binding made at registration stands: a certificate presented
		// now must not capture a registration made without one (whoever
		// learnt its registrationID could otherwise lock its VEN out). Only
		// the application rebinds, with BindCertificate.
		r.RegisteredAt = v.clock.Now()
		reg = *r
		return nil
	})
	return reg, err
}

// cancelPartyRegistration ends a registration at the VEN's request. The
// answer is oadrCanceledPartyRegistration, which OpenLEADR's VEN expects
// (OpenLEADR's own VTN sends oadrResponse, and its VEN logs a failure).
func (v *VTN) cancelPartyRegistration(ctx context.Context, c Caller, m *oadr.CancelPartyRegistration) (oadr.Message, error) {
	venID := m.VenID
	if venID == "" {
		id, err := v.store.VENByRegistrationID(ctx, m.RegistrationID)
		if err != nil {
			return nil, Reject(oadr.CodeInvalidID, "unknown registrationID %q", m.RegistrationID)
		}
		venID = id
	}
	var reg Registration
	err := v.updateVEN(ctx, c, venID, func(st *VENState) error {
		if st.Registration.RegistrationID != m.RegistrationID {
			return Reject(oadr.CodeInvalidID, "registrationID %q is not the registration of venID %q", m.RegistrationID, venID)
		}
		reg = st.Registration
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := v.store.Delete(ctx, venID); err != nil {
		return nil, err
	}
	v.answers.notify(venID)
	v.log.InfoContext(ctx, "openadr: VEN cancelled its registration", "venID", venID)
	v.notifyRegistration(ctx, RegistrationChange{Kind: Canceled, Registration: reg, ByVEN: true})
	return &oadr.CanceledPartyRegistration{Response: oadr.OK(m.RequestID), RegistrationID: m.RegistrationID, VenID: venID}, nil
}

// canceledPartyRegistration is the VEN's answer to the VTN's cancellation.
func (v *VTN) canceledPartyRegistration(ctx context.Context, c Caller, m *oadr.CanceledPartyRegistration) (oadr.Message, error) {
	var reg Registration
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		if st.Registration.CancelRequestID == "" {
			return Reject(oadr.CodeOutOfSequence, "the VTN has not cancelled this registration")
		}
		reg = st.Registration
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !m.Response.Code.Success() {
		// The VTN's cancellation stands; the VEN's objection is recorded.
		v.log.WarnContext(ctx, "openadr: VEN answered the cancellation with an error", "venID", m.VenID, "code", int(m.Response.Code), "description", logID(m.Response.Description))
	}
	if err := v.store.Delete(ctx, m.VenID); err != nil {
		return nil, err
	}
	v.answers.notify(m.VenID)
	v.log.InfoContext(ctx, "openadr: registration cancelled by the VTN", "venID", m.VenID)
	v.notifyRegistration(ctx, RegistrationChange{Kind: Canceled, Registration: reg})
	return ack(m.Response.RequestID, m.VenID), nil
}

// response takes an oadrResponse a VEN sends to EiRegisterParty, its
// acknowledgement of oadrRequestReregistration.
func (v *VTN) response(ctx context.Context, c Caller, m *oadr.Response) (oadr.Message, error) {
	if err := v.updateVEN(ctx, c, m.VenID, func(*VENState) error { return nil }); err != nil {
		return nil, err
	}
	v.log.DebugContext(ctx, "openadr: VEN acknowledged", "venID", m.VenID, "code", int(m.Response.Code), "requestID", m.Response.RequestID)
	return ack(m.Response.RequestID, m.VenID), nil
}

func (v *VTN) notifyRegistration(ctx context.Context, c RegistrationChange) {
	if v.hooks.registrationChange != nil {
		v.hooks.registrationChange(ctx, c)
	}
}

// CancelRegistration asks the VEN to cancel its registration: an
// oadrCancelPartyRegistration is queued for its next poll, and the VEN is
// removed when it answers with oadrCanceledPartyRegistration. Until then it
// is still registered but gets no new events or report requests. Calling it
// again while the answer is awaited does nothing. Forget removes a VEN that
// will not answer.
func (v *VTN) CancelRegistration(ctx context.Context, venID string) error {
	return v.store.Update(ctx, venID, func(st *VENState) error {
		r := &st.Registration
		if r.CancelRequestID != "" {
			return nil
		}
		r.CancelRequestID = newID()
		st.enqueue(&oadr.CancelPartyRegistration{RequestID: r.CancelRequestID, RegistrationID: r.RegistrationID, VenID: r.VenID}, v.clock.Now())
		return nil
	})
}

// RequestReregistration queues an oadrRequestReregistration: the VEN
// acknowledges it and registers again with its registrationID, keeping its
// venID. One queued already is enough: calling it again does nothing.
func (v *VTN) RequestReregistration(ctx context.Context, venID string) error {
	return v.store.Update(ctx, venID, func(st *VENState) error {
		if st.Registration.CancelRequestID != "" {
			return ErrCancelPending
		}
		for _, q := range st.Queue {
			if _, ok := q.Message.(*oadr.RequestReregistration); ok {
				return nil
			}
		}
		return st.enqueueBounded(&oadr.RequestReregistration{VenID: venID}, v.clock.Now())
	})
}

// Forget removes a VEN and everything about it at once, without telling it;
// its next request is answered with 452 (unknown venID). Use it for VENs
// that are gone for good.
func (v *VTN) Forget(ctx context.Context, venID string) error {
	if err := v.store.Delete(ctx, venID); err != nil {
		return err
	}
	v.answers.notify(venID)
	return nil
}

// Registration returns the registration of venID.
func (v *VTN) Registration(ctx context.Context, venID string) (Registration, error) {
	var reg Registration
	err := v.store.View(ctx, venID, func(st *VENState) error {
		reg = st.Registration
		return nil
	})
	return reg, err
}

// Registrations returns the registrations of all VENs, ordered by venID.
func (v *VTN) Registrations(ctx context.Context) ([]Registration, error) {
	ids, err := v.store.VENs(ctx)
	if err != nil {
		return nil, err
	}
	regs := make([]Registration, 0, len(ids))
	for _, id := range ids {
		reg, err := v.Registration(ctx, id)
		if errors.Is(err, ErrUnknownVEN) {
			continue // cancelled meanwhile
		}
		if err != nil {
			return nil, err
		}
		regs = append(regs, reg)
	}
	return regs, nil
}
