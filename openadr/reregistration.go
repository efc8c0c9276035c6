package openadr

import (
	"context"
	"errors"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// boundVEN returns the venID of a registered VEN bound to the caller's
// client certificate, "" when the caller has none, no VEN is bound to it,
// or certificates are shared (WithSharedCertificates).
//
// The Store has no index by certificate, so this reads every VEN's state;
// it runs only for registrations without a registrationID that come with a
// certificate, which are rare (a VEN's first, or one after it lost its
// state). Provisioned VENs (WithVENFingerprint) never need it.
func (v *VTN) boundVEN(ctx context.Context, c Caller) (string, error) {
	if c.Fingerprint == "" || v.life.sharedCerts {
		return "", nil
	}
	ids, err := v.store.VENs(ctx)
	if err != nil {
		return "", err
	}
	for _, id := range ids {
		var bound bool
		err := v.store.View(ctx, id, func(st *VENState) error {
			bound = st.Registration.Fingerprint == c.Fingerprint
			return nil
		})
		switch {
		case errors.Is(err, ErrUnknownVEN):
			continue // gone meanwhile
		case err != nil:
			return "", err
		case bound:
			return id, nil
		}
	}
	return "", nil
}

// removeReplaced removes the registration a new one replaces
// (Decision.Replaces). One that is gone already is no error: the VEN may
// have been forgotten meanwhile.
func (v *VTN) removeReplaced(ctx context.Context, venID string) error {
	if err := v.store.Delete(ctx, venID); err != nil {
		return err
	}
	v.answers.notify(venID)
	return nil
}

// unknownPoll answers the poll of a venID the VTN does not know with
// oadrRequestReregistration, when the application asked for it
// (WithReregistrationOfUnknownVENs): the VEN lost its registration here
// (the VTN's state was reset, or the VEN was forgotten) and is told to
// register again rather than be refused at every poll.
func (v *VTN) unknownPoll(p *oadr.Poll, err error) (oadr.Message, bool) {
	if !v.life.reregisterUnknown || p.VenID == "" || !errors.Is(err, ErrUnknownVEN) {
		return nil, false
	}
	return &oadr.RequestReregistration{VenID: p.VenID}, true
}
