package ven

import (
	"context"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// PollOnce polls the VTN once (oadrPoll) and handles what it hands out:
// events (answered with oadrCreatedEvent), report requests and
// cancellations, the VTN's own report registration, a request to register
// again, or the cancellation of the registration. It reports whether the VTN
// had something queued; a VTN hands out one message per poll, so poll again
// until it has not. It returns ErrNotRegistered before Register.
func (v *VEN) PollOnce(ctx context.Context) (got bool, err error) {
	v.step.Lock()
	defer v.step.Unlock()
	venID, err := v.registeredVenID()
	if err != nil {
		return false, err
	}
	v.mu.Lock()
	v.lastPoll = v.clock.Now() // failed polls count too: retry a period later
	v.mu.Unlock()
	req := &oadr.Poll{VenID: venID}
	// post, not call: every VTN-initiated message is a valid answer here.
	ans, err := v.post(ctx, oadr.ServiceOadrPoll, req)
	if err != nil {
		return false, err
	}
	switch m := ans.(type) {
	case *oadr.Response:
		if err := responseErr(req.MessageName(), &m.Response); err != nil {
			v.noteRejection(err)
			return false, err
		}
		return false, nil // nothing queued
	case *oadr.DistributeEvent:
		return true, v.handleDistributeEvent(ctx, m)
	case *oadr.CreateReport:
		return true, v.handleCreateReport(ctx, m)
	case *oadr.CancelReport:
		return true, v.handleCancelReport(ctx, m)
	case *oadr.RegisterReport:
		return true, v.handleRegisterReport(ctx, m)
	case *oadr.UpdateReport:
		return true, v.handleUpdateReport(ctx, m)
	case *oadr.CancelPartyRegistration:
		return true, v.handleCancelPartyRegistration(ctx, m)
	case *oadr.RequestReregistration:
		return true, v.handleRequestReregistration(ctx, m)
	}
	return true, v.unexpected(req, ans)
}

// registeredVenID returns the venID, or ErrNotRegistered.
func (v *VEN) registeredVenID() (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.registered {
		return "", ErrNotRegistered
	}
	return v.venID, nil
}
