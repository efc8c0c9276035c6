package ven

import (
	"context"
	"slices"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Opt is what the VEN declares through EiOpt (oadrCreateOpt): a customer
// override of one event, or an availability schedule.
type Opt struct {
	// Type is oadr.OptOut (the battery will not take part) or oadr.OptIn
	// (it is available).
	Type oadr.OptType
	// Reason is the optReason; empty means oadr.OptReasonOverrideStatus for
	// an event opt and oadr.OptReasonNotParticipating (opt-out) or
	// oadr.OptReasonParticipating (opt-in) for a schedule.
	Reason oadr.OptReason
	// EventID names the event of an event opt: the customer overrides it.
	// Empty for an availability schedule.
	EventID string
	// Windows are the availability schedule's windows (at least one, each
	// with a duration); none for an event opt.
	Windows []oadr.Period
}

// CreateOpt sends o to the VTN (oadrCreateOpt on EiOpt) and returns its
// optID. Once the VTN has accepted it, an opt-out also binds the simulated
// battery: it no longer follows the event named, or any event during the
// windows of an opt-out schedule, whatever it answered the event with,
// until CancelOpt withdraws the opt. The opt is refused with a
// *energy.FieldError before anything is sent when it is malformed or names
// an event the VEN does not know.
func (v *VEN) CreateOpt(ctx context.Context, o Opt) (string, error) {
	v.step.Lock()
	defer v.step.Unlock()
	if err := o.validate(); err != nil {
		return "", err
	}
	v.mu.Lock()
	if !v.registered {
		v.mu.Unlock()
		return "", ErrNotRegistered
	}
	msg := &oadr.CreateOpt{
		OptID:           v.newIDLocked("opt"),
		OptType:         o.Type,
		OptReason:       o.reason(),
		VenID:           v.venID,
		CreatedDateTime: v.clock.Now(),
		RequestID:       v.newIDLocked("optreq"),
		Target:          oadr.Target{ResourceIDs: []string{v.resourceID}},
	}
	if o.EventID != "" {
		e := v.events[o.EventID]
		if e == nil {
			v.mu.Unlock()
			return "", energy.Invalid("Opt.EventID", "the VEN knows no event %q", o.EventID)
		}
		msg.QualifiedEventID = &oadr.QualifiedEventID{EventID: o.EventID, ModificationNumber: e.ModificationNumber}
	} else {
		msg.Availability = slices.Clone(o.Windows)
	}
	v.mu.Unlock()

	ans, err := v.call(ctx, oadr.ServiceEiOpt, msg)
	if err != nil {
		return "", err
	}
	a, ok := ans.(*oadr.CreatedOpt)
	if !ok {
		return "", v.unexpected(msg, ans)
	}
	if err := responseErr(msg.MessageName(), &a.Response); err != nil {
		return "", err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.syncLocked(v.clock.Now())
	if v.opts == nil {
		v.opts = make(map[string]Opt)
	}
	o.Windows = slices.Clone(o.Windows)
	v.opts[msg.OptID] = o
	v.applyPlanLocked()
	v.log.Info("opt sent", "optID", msg.OptID, "type", o.Type, "reason", msg.OptReason, "eventID", o.EventID, "windows", len(o.Windows))
	return msg.OptID, nil
}

// CancelOpt withdraws an opt made with CreateOpt (oadrCancelOpt): the
// battery follows the events it opted out of again.
func (v *VEN) CancelOpt(ctx context.Context, optID string) error {
	v.step.Lock()
	defer v.step.Unlock()
	venID, err := v.registeredVenID()
	if err != nil {
		return err
	}
	msg := &oadr.CancelOpt{RequestID: v.newID("optreq"), OptID: optID, VenID: venID}
	ans, err := v.call(ctx, oadr.ServiceEiOpt, msg)
	if err != nil {
		return err
	}
	a, ok := ans.(*oadr.CanceledOpt)
	if !ok {
		return v.unexpected(msg, ans)
	}
	if err := responseErr(msg.MessageName(), &a.Response); err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.syncLocked(v.clock.Now())
	delete(v.opts, optID)
	v.applyPlanLocked()
	v.log.Info("opt cancelled", "optID", optID)
	return nil
}

func (o *Opt) validate() error {
	switch {
	case o.Type != oadr.OptIn && o.Type != oadr.OptOut:
		return energy.Invalid("Opt.Type", "%q is neither optIn nor optOut", o.Type)
	case o.EventID != "" && len(o.Windows) > 0:
		return energy.Invalid("Opt.Windows", "an event opt has no windows")
	case o.EventID == "" && len(o.Windows) == 0:
		return energy.Invalid("Opt.Windows", "an availability schedule needs at least one window")
	}
	for i, w := range o.Windows {
		if w.Start.IsZero() || w.Duration <= 0 {
			return energy.Invalid("Opt.Windows", "window %d has no start or no positive duration", i)
		}
	}
	return nil
}

func (o *Opt) reason() oadr.OptReason {
	switch {
	case o.Reason != "":
		return o.Reason
	case o.EventID != "":
		return oadr.OptReasonOverrideStatus
	case o.Type == oadr.OptOut:
		return oadr.OptReasonNotParticipating
	}
	return oadr.OptReasonParticipating
}

// overriddenLocked reports whether an opt-out the VEN sent keeps it from
// following e at t: one naming e, or a schedule window holding t.
func (v *VEN) overriddenLocked(e *eventState, t time.Time) bool {
	for _, o := range v.opts {
		if o.Type != oadr.OptOut {
			continue
		}
		if o.EventID == e.ID {
			return true
		}
		for _, w := range o.Windows {
			if !t.Before(w.Start) && t.Before(w.End()) {
				return true
			}
		}
	}
	return false
}
