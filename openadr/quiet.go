package openadr

import (
	"context"
	"hash/maphash"
	"time"
)

// Quiet polls: an empty poll answered from a summary of the VEN's state.
//
// Most requests a VTN receives are empty polls from VENs with nothing to
// deliver. VTN.idle reads the VEN's state to know that, and among many
// thousands of VENs that read is a cache miss or two of a quarter of a
// microsecond each, which at 100,000 VENs nearly doubles what a poll costs
// at 1,000. When the VTN's Store is a MemStore of its own, the store keeps
// for every VEN a summary of 24 bytes, computed by VTN.summarize after each
// change to the VEN's state, in one small table beside its index: a key
// naming the VEN and the client it is registered to, and the time until
// which a poll from that client has nothing to deliver and no contact to
// record. A poll whose key matches, before that time, is idle, as VTN.idle
// would have found it; anything else (another client, a summary being
// written, a store shared with another VTN) goes the ordinary way.

// summarize is the MemStore summary of st (see quietRec): the key of the
// VEN and the client it is registered to, its lowest bit set when the VEN
// must sign its messages, and the time, on the VTN's clock as an offset
// from v.epoch, until which its polls are idle (noSummary if they are not).
func (v *VTN) summarize(st *VENState) (key uint64, until int64) {
	reg := &st.Registration
	key = v.quietKey(reg.VenID, reg.Fingerprint)
	if reg.XMLSignature {
		key |= 1
	}
	if len(st.Queue) > 0 || len(st.Delivered) > 0 || st.Contact.Silent {
		return key, noSummary
	}
	// contactDue: a poll at or after lastContact + contactStep records
	// the contact.
	return key, int64(lastContact(st).Add(v.contactStep()).Sub(v.epoch))
}

// quietKey is the key of venID registered to the client with fingerprint fp
// (empty for none), lowest bit clear.
func (v *VTN) quietKey(venID, fp string) uint64 {
	var h maphash.Hash
	h.SetSeed(v.quietSeed)
	h.WriteString(venID)
	h.WriteByte(0)
	h.WriteString(fp)
	return h.Sum64() &^ 1
}

// quietPoll reports whether a poll from c as venID is idle by its summary.
// false means that VTN.idle must read the state: it is not idle, or the
// summary cannot tell. checkCaller's rule holds: the client's fingerprint
// is the registered one, and a VEN that must sign has signed.
func (v *VTN) quietPoll(ctx context.Context, c Caller, venID string) bool {
	if v.quiet == nil || ctx.Err() != nil {
		return false
	}
	key, until, ok := v.quiet.summary(venID)
	if !ok || v.clock.Now().Sub(v.epoch) >= time.Duration(until) {
		return false
	}
	want := v.quietKey(venID, c.Fingerprint)
	return key == want || (key == want|1 && !c.unsigned)
}

// setupQuiet gives a MemStore v's summaries, unless the store summarizes
// for another VTN already.
func (v *VTN) setupQuiet() {
	s, ok := v.store.(*MemStore)
	if !ok {
		return
	}
	v.epoch, v.quietSeed = v.clock.Now(), maphash.MakeSeed()
	if s.summarizeFor(v.summarize) {
		v.quiet = s
	}
}
