package ven

import (
	"context"
	"errors"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// VTNInfo is what a VTN says about itself in answer to oadrQueryRegistration.
type VTNInfo struct {
	VTNID string
	// Profiles are the profiles and transports the VTN offers.
	Profiles []oadr.Profile
	// PollInterval is the poll period the VTN asks for; 0 when it does not say.
	PollInterval time.Duration
	// VENID and RegistrationID are set when the VTN already knows this VEN.
	VENID, RegistrationID string
}

// QueryRegistration asks the VTN what it supports (oadrQueryRegistration)
// without registering. Run does this once before registering; it is
// optional in the protocol.
func (v *VEN) QueryRegistration(ctx context.Context) (VTNInfo, error) {
	v.step.Lock()
	defer v.step.Unlock()
	req := &oadr.QueryRegistration{RequestID: v.newID("query")}
	ans, err := v.call(ctx, oadr.ServiceEiRegisterParty, req)
	if err != nil {
		return VTNInfo{}, err
	}
	c, ok := ans.(*oadr.CreatedPartyRegistration)
	if !ok {
		return VTNInfo{}, v.unexpected(req, ans)
	}
	if err := responseErr(req.MessageName(), &c.Response); err != nil {
		return VTNInfo{}, err
	}
	return VTNInfo{
		VTNID:          c.VtnID,
		Profiles:       c.Profiles,
		PollInterval:   c.PollFreq,
		VENID:          c.VenID,
		RegistrationID: c.RegistrationID,
	}, nil
}

// Register registers the VEN with the VTN and sets it up, as a VEN does when
// it starts: oadrCreatePartyRegistration (renewing the registration it has,
// if any), oadrRegisterReport offering its telemetry (and serving the report
// requests the VTN makes in its answer), then oadrRequestEvent to learn the
// events in force. It returns the first failure; calling it again starts
// over.
func (v *VEN) Register(ctx context.Context) error {
	v.step.Lock()
	defer v.step.Unlock()
	if err := v.createPartyRegistration(ctx); err != nil {
		return err
	}
	if err := v.registerReports(ctx); err != nil {
		return err
	}
	if err := v.requestEvents(ctx); err != nil {
		return err
	}
	v.mu.Lock()
	v.setupDone = v.registered // a VTN message on the way may have undone it
	v.mu.Unlock()
	return nil
}

// createPartyRegistration sends oadrCreatePartyRegistration and keeps the
// IDs and poll period the VTN answers with.
func (v *VEN) createPartyRegistration(ctx context.Context) error {
	v.mu.Lock()
	req := &oadr.CreatePartyRegistration{
		RegistrationID:   v.registrationID,
		VenID:            v.venID,
		ProfileName:      oadr.Profile20b,
		TransportName:    oadr.TransportSimpleHTTP,
		VenName:          v.name,
		HTTPPullModel:    new(v.pushAddress == ""),
		TransportAddress: v.pushAddress,
		XMLSignature:     v.sig != nil,
	}
	v.mu.Unlock()
	req.RequestID = v.newID("reg")
	ans, err := v.call(ctx, oadr.ServiceEiRegisterParty, req)
	if err == nil {
		c, ok := ans.(*oadr.CreatedPartyRegistration)
		switch {
		case !ok:
			err = v.unexpected(req, ans)
		default:
			err = responseErr(req.MessageName(), &c.Response)
			if err == nil {
				err = v.acceptRegistration(c)
			}
		}
	}
	if errors.Is(err, ErrNotRegistered) && req.RegistrationID != "" {
		// The VTN does not know the registration we tried to renew: the
		// next attempt asks for a new one.
		v.mu.Lock()
		v.registrationID = ""
		v.venID = v.fixedVenID
		v.mu.Unlock()
	}
	return err
}

// acceptRegistration records an accepted registration.
func (v *VEN) acceptRegistration(c *oadr.CreatedPartyRegistration) error {
	switch {
	case c.VenID == "":
		return &ProtocolError{Message: c.MessageName(), Reason: "no venID assigned"}
	case c.RegistrationID == "":
		return &ProtocolError{Message: c.MessageName(), Reason: "no registrationID assigned"}
	}
	if !offers20bPull(c.Profiles) {
		v.log.Warn("VTN does not list profile 2.0b with simpleHttp; going on", "vtnID", c.VtnID)
	}
	poll := DefaultPollInterval
	if c.PollFreq > 0 {
		poll = max(c.PollFreq, MinPollInterval)
	}
	v.mu.Lock()
	v.venID, v.registrationID, v.vtnID = c.VenID, c.RegistrationID, c.VtnID
	v.registered, v.canceled = true, false
	v.pollInterval = poll
	v.mu.Unlock()
	v.log.Info("registered", "venID", c.VenID, "registrationID", c.RegistrationID, "vtnID", c.VtnID, "pollInterval", poll)
	return nil
}

func offers20bPull(profiles []oadr.Profile) bool {
	for _, p := range profiles {
		if p.Name != oadr.Profile20b {
			continue
		}
		for _, t := range p.Transports {
			if t == oadr.TransportSimpleHTTP {
				return true
			}
		}
	}
	return false
}

// CancelRegistration cancels the VEN's registration
// (oadrCancelPartyRegistration). The VEN then stops reporting and following
// events; Register registers it again.
func (v *VEN) CancelRegistration(ctx context.Context) error {
	v.step.Lock()
	defer v.step.Unlock()
	v.mu.Lock()
	if !v.registered {
		v.mu.Unlock()
		return ErrNotRegistered
	}
	req := &oadr.CancelPartyRegistration{RegistrationID: v.registrationID, VenID: v.venID}
	v.mu.Unlock()
	req.RequestID = v.newID("cancel")
	ans, err := v.call(ctx, oadr.ServiceEiRegisterParty, req)
	if err != nil {
		return err
	}
	switch a := ans.(type) {
	case *oadr.CanceledPartyRegistration:
		if err := responseErr(req.MessageName(), &a.Response); err != nil {
			return err
		}
	case *oadr.Response:
		// OpenLEADR's VTN answers with oadrResponse (samples/openleadr-interop
		// 17_…_NONCONFORMANT); call has checked its code.
	default:
		return v.unexpected(req, ans)
	}
	v.mu.Lock()
	v.dropRegistrationLocked()
	v.mu.Unlock()
	v.log.Info("registration cancelled", "registrationID", req.RegistrationID)
	return nil
}

// dropRegistrationLocked forgets the registration with everything that hangs
// on it: report requests and events. The battery goes idle.
func (v *VEN) dropRegistrationLocked() {
	v.syncLocked(v.clock.Now())
	v.registered, v.setupDone = false, false
	v.registrationID = ""
	v.venID = v.fixedVenID
	v.clearJobsLocked()
	clear(v.events)
	v.applyPlanLocked()
}

// handleCancelPartyRegistration answers a VTN's oadrCancelPartyRegistration
// with oadrCanceledPartyRegistration. A registrationID that is not the VEN's
// is refused with 452 and changes nothing.
func (v *VEN) handleCancelPartyRegistration(ctx context.Context, m *oadr.CancelPartyRegistration) error {
	v.mu.Lock()
	venID := v.venID
	ok := v.registrationID != "" && m.RegistrationID == v.registrationID
	if ok {
		v.dropRegistrationLocked()
		v.canceled = true
	}
	v.mu.Unlock()
	resp := oadr.OK(m.RequestID)
	if ok {
		v.log.Info("registration cancelled by the VTN", "registrationID", m.RegistrationID)
	} else {
		resp = oadr.Err(oadr.CodeInvalidID, m.RequestID)
		v.log.Warn("VTN cancelled a registration that is not ours", "registrationID", m.RegistrationID)
	}
	ans := &oadr.CanceledPartyRegistration{Response: resp, RegistrationID: m.RegistrationID, VenID: venID}
	// Any answer will do: the VTN has nothing more to say to a VEN it let go.
	_, err := v.post(ctx, oadr.ServiceEiRegisterParty, ans)
	return err
}

// handleRequestReregistration acknowledges oadrRequestReregistration and
// registers again with the same registrationID. Only the registration is
// redone, not the report registration (OpenLEADR issue #91); if it fails the
// VEN counts as unregistered and Run sets it up from scratch.
func (v *VEN) handleRequestReregistration(ctx context.Context, m *oadr.RequestReregistration) error {
	v.mu.Lock()
	venID := v.venID
	v.mu.Unlock()
	v.log.Info("VTN asked the VEN to register again", "venID", m.VenID)
	ack := &oadr.Response{Response: oadr.OK(""), VenID: venID}
	if _, err := v.post(ctx, oadr.ServiceEiRegisterParty, ack); err != nil {
		// The acknowledgement is a courtesy; registering again is what counts.
		v.log.Debug("acknowledging oadrRequestReregistration failed", "err", err)
	}
	if err := v.createPartyRegistration(ctx); err != nil {
		v.unregister("registering again failed: " + err.Error())
		return err
	}
	return nil
}
