package openadr

import (
	"context"
	"slices"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Opt is a VEN's declaration through EiOpt: an opt schedule (availability
// windows in or out of events) or an opt for one event, possibly for some of
// its resources only.
type Opt struct {
	VenID         string
	OptID         string
	Type          oadr.OptType
	Reason        oadr.OptReason
	MarketContext string // "" if none
	// Availability is the opt schedule's windows (nil for an event opt).
	Availability []oadr.Period
	// Event names the event of an event opt (nil for a schedule).
	Event       *oadr.QualifiedEventID
	Target      oadr.Target // the resources it applies to; empty means all
	DeviceClass *oadr.Target
	CreatedAt   time.Time // the VEN's createdDateTime
	ReceivedAt  time.Time
	// Cancelled is set when the VEN withdraws the opt (oadrCancelOpt): the
	// opt hook sees the opt once more with it set, and it is forgotten.
	Cancelled bool
}

// maxOpts bounds the opts kept per VEN, so a VEN cannot grow the VTN's
// memory without bound.
const maxOpts = 1024

// createOpt records an opt and answers oadrCreatedOpt. A new opt with the
// ID of a current one replaces it.
func (v *VTN) createOpt(ctx context.Context, c Caller, m *oadr.CreateOpt) (oadr.Message, error) {
	switch {
	case m.OptID == "":
		return nil, Reject(oadr.CodeInvalidData, "empty optID")
	case m.OptType != oadr.OptIn && m.OptType != oadr.OptOut:
		return nil, Reject(oadr.CodeInvalidData, "optType %q is neither optIn nor optOut", m.OptType)
	}
	var o Opt
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		o = Opt{
			VenID:         m.VenID,
			OptID:         m.OptID,
			Type:          m.OptType,
			Reason:        m.OptReason,
			MarketContext: m.MarketContext,
			Availability:  m.Availability,
			Event:         m.QualifiedEventID,
			Target:        m.Target,
			DeviceClass:   m.DeviceClass,
			CreatedAt:     m.CreatedDateTime,
			ReceivedAt:    v.clock.Now(),
		}
		n := len(st.Opts)
		st.Opts = slices.DeleteFunc(st.Opts, func(x Opt) bool { return x.OptID == m.OptID })
		if n == len(st.Opts) && n >= maxOpts {
			return Reject(oadr.CodeNotAllowed, "the VEN has %d opts, the most this VTN keeps; cancel some first", n)
		}
		st.Opts = append(st.Opts, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	v.answers.notify(m.VenID) // an opt-out settles a SetSchedule's wait
	if v.hooks.opt != nil {
		v.hooks.opt(ctx, o)
	}
	return &oadr.CreatedOpt{Response: oadr.OK(m.RequestID), OptID: m.OptID}, nil
}

// cancelOpt withdraws an opt and answers oadrCanceledOpt.
func (v *VTN) cancelOpt(ctx context.Context, c Caller, m *oadr.CancelOpt) (oadr.Message, error) {
	var o Opt
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		i := slices.IndexFunc(st.Opts, func(x Opt) bool { return x.OptID == m.OptID })
		if i < 0 {
			return Reject(oadr.CodeInvalidID, "no opt %q", m.OptID)
		}
		o = st.Opts[i]
		st.Opts = slices.Delete(st.Opts, i, i+1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	o.Cancelled = true
	if v.hooks.opt != nil {
		v.hooks.opt(ctx, o)
	}
	return &oadr.CanceledOpt{Response: oadr.OK(m.RequestID), OptID: m.OptID}, nil
}

// Opts returns the VEN's current opts, in the order they arrived.
func (v *VTN) Opts(ctx context.Context, venID string) ([]Opt, error) {
	var out []Opt
	err := v.store.View(ctx, venID, func(st *VENState) error {
		out = slices.Clone(st.Opts)
		return nil
	})
	return out, err
}
