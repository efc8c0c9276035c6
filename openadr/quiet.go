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
// thousands of VENs that read is a cache miss or two, each a quarter to half
// a microsecond. When the VTN's Store is a MemStore, the store keeps for
// every VEN a summary of 16 bytes, computed by VTN.summarize after each
// change to the VEN's state, in the slot of its index that a lookup of the
// VEN reads (memindex.go), apart from the state: a key naming the VEN and
// the client it is registered to, and the time until which a poll from that
// client has nothing to deliver and no contact to record. A poll whose key
// matches, before that time, is idle, as VTN.idle would have found it;
// anything else (another client, a summary being written, a store that
// summarizes for another VTN) goes the ordinary way. The key is a hash, so
// a client whose key matches another's by chance (about 2⁻⁶³ a poll, the
// seed being random and secret) would get an empty answer where the
// ordinary way refuses it; it gets nothing else, since a VEN with anything
// to deliver has no summary.
//
// An empty poll then reads one slot of the index, one cache miss among a
// million VENs, and nothing else of the store (docs/vtn-capacity.md).

// summarize is the MemStore summary of st (see memSlot): the key of the
// VEN and the client it is registered to, its lowest bit set when the VEN
// must sign its messages, and the time, on the VTN's clock as an offset
// from v.epoch, until which its polls are idle (noSummary if they are not).
func (v *VTN) summarize(st *VENState) (key uint64, until int64) {
	reg := &st.Registration
	key = v.quietKey(reg.VenID, reg.Fingerprint)
	if reg.XMLSignature {
		key |= 1
	}
	last := lastContact(st)
	if len(st.Queue) > 0 || len(st.Delivered) > 0 || st.Contact.Silent || (monotonic(v.epoch) && !monotonic(last)) {
		return key, noSummary
	}
	// contactDue: a poll at or after lastContact + contactStep records
	// the contact.
	return key, int64(last.Add(v.contactStep()).Sub(v.epoch))
}

// monotonic reports whether t carries a monotonic clock reading. contactDue
// compares a poll's time with the last contact on the monotonic clock when
// both carry one, else on the wall clock, and so does the summary's until
// when the last contact and v.epoch agree. A last contact without one (a
// state decoded from a durable form) beside an epoch with one would compare
// on different clocks when the wall clock steps: such a VEN has no summary
// until its next contact is recorded.
func monotonic(t time.Time) bool { return t != t.Round(0) }

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
	want := v.quietKey(venID, c.Fingerprint)
	key, until, ok := v.quiet.summary(venID, want)
	if !ok || v.clock.Now().Sub(v.epoch) >= time.Duration(until) {
		return false
	}
	return key == want || (key == want|1 && !c.unsigned)
}

// setupQuiet has a MemStore keep v's summaries. A store given to several
// VTNs keeps the last one's: an earlier VTN's keys match none of them, so
// its polls go the ordinary way.
func (v *VTN) setupQuiet() {
	s, ok := v.store.(*MemStore)
	if !ok {
		return
	}
	v.epoch, v.quietSeed = v.clock.Now(), maphash.MakeSeed()
	s.summarizeFor(v.summarize)
	v.quiet = s
}
