package openadr

import (
	"bytes"
	"sync"
	"sync/atomic"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Poll templates (VTN.polls) answer the commonest request without decoding
// it. A VEN's polls are byte-for-byte the same, and the polls of one VEN
// software differ only in the venID, so the VTN learns the bytes around the
// venID from a poll it has decoded, and takes the venID of a later poll with
// the same bytes around it as it stands. Nothing per VEN is kept or looked
// up: among 100,000 VENs, a per-body cache costs each poll the cache misses
// of a map and a key of a few hundred bytes, and each VEN that key's memory.
//
// A template is only learned when the venID stands in the poll as plain
// bytes (letters, digits and "-._:@/+="), and when a probe, the template
// around another plain venID, decodes to exactly that venID. A poll matches
// a template when it is the template's bytes around plain bytes and nothing
// else, so it decodes as the probe did: no markup, entity or white space can
// stand where the venID does. FuzzPollTemplates checks that a matched poll
// always decodes to the venID the template reads.
type pollTemplates struct {
	mu   sync.Mutex                     // serialises learn
	list atomic.Pointer[[]pollTemplate] // copied on write, read without a lock
	next int                            // the one learn replaces once the list is full
}

type pollTemplate struct {
	prefix, suffix []byte
}

const (
	maxPollTemplates = 16   // VEN softwares a VTN serves at once, with room to spare
	maxPollBody      = 2048 // larger bodies are not polls worth a template
	pollProbeID      = "gridwire-poll-probe"
)

// match returns the venID of body when a template fits it.
func (t *pollTemplates) match(body []byte) (string, bool) {
	list := t.list.Load()
	if list == nil || len(body) > maxPollBody {
		return "", false
	}
	for _, tp := range *list {
		if len(body) <= len(tp.prefix)+len(tp.suffix) || !bytes.HasPrefix(body, tp.prefix) || !bytes.HasSuffix(body, tp.suffix) {
			continue
		}
		if id := body[len(tp.prefix) : len(body)-len(tp.suffix)]; plainID(id) {
			return string(id), true
		}
	}
	return "", false
}

// learn remembers the template of body, a poll that decoded to venID, when
// it can prove one (see pollTemplates).
func (t *pollTemplates) learn(body []byte, venID string) {
	if len(body) > maxPollBody || !plainID([]byte(venID)) {
		return
	}
	i := bytes.LastIndex(body, []byte(venID)) // polls end with their venID
	if i < 0 {
		return
	}
	tp := pollTemplate{prefix: bytes.Clone(body[:i]), suffix: bytes.Clone(body[i+len(venID):])}
	probe := pollProbeID
	if probe == venID {
		probe += "-2"
	}
	msg, err := oadr.Unmarshal(bytes.Join([][]byte{tp.prefix, tp.suffix}, []byte(probe)))
	if p, ok := msg.(*oadr.Poll); err != nil || !ok || p.VenID != probe {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var list []pollTemplate
	if old := t.list.Load(); old != nil {
		list = append(list, *old...)
	}
	for _, known := range list {
		if bytes.Equal(known.prefix, tp.prefix) && bytes.Equal(known.suffix, tp.suffix) {
			return // learned meanwhile
		}
	}
	if len(list) < maxPollTemplates {
		list = append(list, tp)
	} else {
		list[t.next] = tp
		t.next = (t.next + 1) % maxPollTemplates
	}
	t.list.Store(&list)
}

// plainID reports whether id is a venID whose bytes mean nothing to XML.
func plainID(id []byte) bool {
	if len(id) == 0 {
		return false
	}
	for _, c := range id {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == ':', c == '@', c == '/', c == '+', c == '=':
		default:
			return false
		}
	}
	return true
}
