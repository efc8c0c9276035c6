package openadr

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// DefaultSilentAfter is how many poll periods a VEN may go without a
// request before the VTN counts it as silent (see WithSilentAfter): one
// lost poll is noise, three in a row is a VEN that is down or cut off.
const DefaultSilentAfter = 3

// ErrSilent: the VEN has made no request for longer than WithSilentAfter
// allows. Battery methods wrap it together with energy.ErrUnavailable.
var ErrSilent = errors.New("openadr: VEN silent")

// Contact is what the VTN knows of a VEN's liveness. It lives in VENState,
// so a durable Store keeps it across restarts and shares it between VTN
// processes.
type Contact struct {
	// Last is when the VTN last recorded a request accepted from the VEN (a
	// poll, a report, an answer to an event…); zero until the first one
	// after the VEN registered, whose time then counts. It is recorded
	// coarsely (see recordContact): the VEN's latest request may be up to
	// half the silence window later.
	Last time.Time
	// Silent is set once the application has been told that the VEN went
	// silent (CheckLiveness), and cleared when it is heard from again.
	Silent bool
}

// LivenessChange is what the liveness hook is told: a VEN went silent or
// came back.
type LivenessChange struct {
	VenID string
	// Silent is true when the VEN went silent, false when it came back.
	Silent bool
	// LastContact is the VEN's latest request before the change: for a VEN
	// that came back, the one before its silence.
	LastContact time.Time
}

// lifecycle holds the VTN's liveness and registration-lifecycle settings.
type lifecycle struct {
	silentAfter       int // poll periods
	liveness          func(context.Context, LivenessChange)
	reregisterUnknown bool // answer an unknown venID's poll with oadrRequestReregistration
	sharedCerts       bool // several VENs register with one client certificate
}

func defaultLifecycle() lifecycle {
	return lifecycle{silentAfter: DefaultSilentAfter}
}

func (l *lifecycle) validate() error {
	if l.silentAfter <= 0 {
		return energy.Invalid("WithSilentAfter", "%d poll periods is not positive", l.silentAfter)
	}
	return nil
}

// silentSince returns when a VEN with this state was last heard from and
// whether that is longer ago than the VTN allows.
func (v *VTN) silentSince(st *VENState, now time.Time) (time.Time, bool) {
	last := lastContact(st)
	return last, now.Sub(last) > v.silenceWindow()+v.contactStep()
}

// silenceWindow is how long a VEN may go without a request.
func (v *VTN) silenceWindow() time.Duration {
	return time.Duration(v.life.silentAfter) * v.pollFreq
}

// contactStep is how stale the recorded contact may grow before a request
// records it anew. Recording every request would make every poll a write to
// a durable Store (an empty poll otherwise changes nothing, and SQLite
// answers it 2.5 times faster without the write); recording every half
// window halves the writes at the default and cuts them further for longer
// windows. Silence is counted from the recorded contact plus this step, so
// a VEN that polls is never taken for silent.
func (v *VTN) contactStep() time.Duration { return v.silenceWindow() / 2 }

// recordContact records a request accepted from the VEN, inside the Store
// update of the request, when the recorded contact is a step old or the VEN
// was reported silent.
func (v *VTN) recordContact(st *VENState) {
	if v.contactDue(st) {
		st.Contact = Contact{Last: v.clock.Now()}
	}
}

// contactDue reports whether a request from the VEN now is to be recorded
// as its latest contact: the recorded one is a step old, or the VEN was
// reported silent.
func (v *VTN) contactDue(st *VENState) bool {
	return st.Contact.Silent || v.clock.Now().Sub(lastContact(st)) >= v.contactStep()
}

// lastContact is the VEN's latest accepted request, or its registration.
func lastContact(st *VENState) time.Time {
	if st.Contact.Last.Before(st.Registration.RegisteredAt) {
		return st.Registration.RegisteredAt
	}
	return st.Contact.Last
}

func (v *VTN) notifyLiveness(ctx context.Context, c LivenessChange) {
	if c.Silent {
		v.log.WarnContext(ctx, "openadr: VEN went silent", "venID", logID(c.VenID), "lastContact", c.LastContact)
	} else {
		v.log.InfoContext(ctx, "openadr: VEN is back", "venID", logID(c.VenID), "lastContact", c.LastContact)
	}
	if v.life.liveness != nil {
		v.life.liveness(ctx, c)
	}
}

// CheckLiveness looks for VENs that have gone silent (no request for
// WithSilentAfter poll periods, n: reported between n and 1.5 n periods
// after the last, as contact is recorded coarsely) since the last check,
// tells the liveness
// hook of each, and returns them. A VEN is reported once per silence: it is
// marked silent in the Store, and its next accepted request clears the mark
// and tells the hook it came back (that needs no sweep).
//
// The VTN starts no goroutine, so the application calls CheckLiveness
// periodically, for example once per poll period from a time.Ticker in its
// own loop. With several VTN processes sharing one Store, any of them may
// sweep: the mark is set in a Store update, so each silence is reported by
// one process only. A sweep reads every VEN's state, so sweep no more
// often than the poll period.
func (v *VTN) CheckLiveness(ctx context.Context) ([]LivenessChange, error) {
	ids, err := v.store.VENs(ctx)
	if err != nil {
		return nil, err
	}
	var changes []LivenessChange
	for _, id := range ids {
		var silent bool
		err := v.store.View(ctx, id, func(st *VENState) error {
			_, s := v.silentSince(st, v.clock.Now())
			silent = s && !st.Contact.Silent
			return nil
		})
		if errors.Is(err, ErrUnknownVEN) || err == nil && !silent {
			continue
		}
		if err != nil {
			return changes, err
		}
		var c *LivenessChange
		err = v.store.Update(ctx, id, func(st *VENState) error {
			c = nil
			last, s := v.silentSince(st, v.clock.Now())
			if s && !st.Contact.Silent { // still so, and no other process told
				st.Contact.Silent = true
				c = &LivenessChange{VenID: id, Silent: true, LastContact: last}
			}
			return nil
		})
		if errors.Is(err, ErrUnknownVEN) {
			continue
		}
		if err != nil {
			return changes, err
		}
		if c != nil {
			v.notifyLiveness(ctx, *c)
			changes = append(changes, *c)
		}
	}
	return changes, nil
}

// LastContact returns when the VTN last recorded a request from venID (its
// registration time before the first; requests are recorded at most every
// half silence window, so the latest may be later), and whether the VEN
// counts as silent now.
func (v *VTN) LastContact(ctx context.Context, venID string) (last time.Time, silent bool, err error) {
	err = v.store.View(ctx, venID, func(st *VENState) error {
		last, silent = v.silentSince(st, v.clock.Now())
		return nil
	})
	return last, silent, err
}

// silentErr is the error Battery methods return for a silent VEN.
func silentErr(op, venID string, last time.Time) error {
	return fmt.Errorf("openadr: %s: VEN %q has not been heard from since %s: %w: %w",
		op, venID, last.UTC().Format(time.RFC3339), ErrSilent, energy.ErrUnavailable)
}
