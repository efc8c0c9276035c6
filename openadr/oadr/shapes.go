package oadr

import (
	"bytes"
	"encoding/xml"
	"io"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridwire/gridwire/openadr/internal/xmlscan"
)

// Shapes decodes documents as Unmarshal does, and reads an oadrPoll or an
// oadrUpdateReport shaped like one it has decoded before from its values
// alone.
//
// A VEN sends the same report again and again: the same markup, byte for
// byte, with new values in the text of its leaf elements (the times, the
// readings, the request ID); and its polls are the same bytes each time,
// as are other VENs' of the same software but for the venID. Once Shapes
// has decoded such a message, it keeps its shape: the document cut at the
// text of each leaf element (its slots), and for each slot the field of
// the message the text went to. A later document that is the same markup
// around other texts is read by comparing the markup whole and reading
// each text that changed into its field, with the function the decoder
// reads that field with; a text that did not change keeps the value it
// had. That skips tokenizing the markup, which is most of the bytes, and
// dispatching each element to its field.
//
// Why the result is the message Unmarshal returns:
//   - A slot's text may hold only bytes that mean nothing to XML (printable
//     ASCII but "<", "&", ">" and "]"; tabs and line feeds), so a document
//     that fits a shape has the tokens of the learned one, texts aside, and
//     the decoder, which acts on tokens, fills the same fields from the
//     same texts whatever they say.
//   - Which field each text fills is proven when the shape is learned: a
//     probe, the shape's markup with a value of its own in every slot,
//     must decode to what reading it by the shape gives (see proven). The
//     slots are paired with fields by their elements' paths from the
//     message element down, in schema order, with as many slots as fields
//     (an optional field with its zero value may have an element or
//     none); where the decoder does otherwise (a field's element twice,
//     the second not a slot; a copy of the message it skips; zero values
//     out of schema order), the probe fails and the shape is not kept.
//   - Reports with parts whose fields are not paired (report
//     descriptions) and documents whose leaves are not all fields
//     (elements the decoder skips) are decoded every time.
//
// FuzzShapes, TestShapesReadWhatUnmarshalReads and TestShapesNeverMisread
// check that a replayed document decodes, with Unmarshal, to the message
// Shapes returns.
//
// The zero value is ready to use. A Shapes is safe for concurrent use. It
// keeps at most 16 shapes of each message, the oldest replaced first, each
// the size of its document and its message; documents over 64 KiB are not
// learned. Learning a poll's or report's shape costs a walk of its
// message and, when that pairs, a tokenizing of the document and the
// probes' decodings, a few times a decoding; after documents whose shape
// could not be kept, it is tried on fewer of those that fit no shape (one
// in 64 at the fewest), so that a peer whose messages have none, or sends
// ever new ones, makes its messages little slower to read.
type Shapes struct {
	polls   shapes[Poll, *Poll]
	reports shapes[UpdateReport, *UpdateReport]
}

const (
	maxShapes    = 16       // shapes of a message a VTN sees at once (VEN softwares, reports), with room to spare
	maxShapeBody = 64 << 10 // larger documents are decoded every time
)

// Unmarshal decodes data as the package's Unmarshal does.
func (s *Shapes) Unmarshal(data []byte) (Message, error) {
	if m, ok := s.replay(data); ok {
		return m, nil
	}
	m, err := Unmarshal(data)
	if err != nil {
		return m, err
	}
	switch m := m.(type) {
	case *Poll:
		s.polls.learn(data, m)
	case *UpdateReport:
		s.reports.learn(data, m)
	}
	return m, nil
}

// replay reads data by the shape of a poll or a report it fits.
func (s *Shapes) replay(data []byte) (Message, bool) {
	if m, ok := s.polls.replay(data); ok {
		return m, true
	}
	if m, ok := s.reports.replay(data); ok {
		return m, true
	}
	return nil, false
}

// shaped is a message Shapes reads: its leaves, in schema order, with the
// fields they fill, or false when it has parts Shapes does not read; and
// a copy of it whose leaves can be set without changing it.
type shaped[M any] interface {
	*M
	Message
	leaves() ([]leaf[M], bool)
	clone() *M
}

// shapes are the learned shapes of one message.
type shapes[M any, P shaped[M]] struct {
	mu   sync.Mutex                  // serialises learn
	list atomic.Pointer[[]*shape[M]] // copied on write, read without a lock
	next int                         // the one learn replaces once the list is full
	// Learning backs off: after n documents in a row whose shape could
	// not be kept, it tries one in 2ⁿ (at most one in 64) of those that
	// fit no shape, so that a peer whose messages have none (a Green
	// Button report, whose payload the decoder skips) does not pay for
	// the attempt with each.
	refused, missed atomic.Int64
}

// maxBackoff bounds how many documents learning passes over (2^6).
const maxBackoff = 6

// shape is a learned document cut at the texts of its leaf elements.
type shape[M any] struct {
	markup [][]byte // markup[k] comes before slot k, the last after the last slot
	slots  []slot[M]
	base   *M // what the learned document decoded to; only copied
}

// slot is the text of one leaf element and the field it is read into.
type slot[M any] struct {
	text  []byte // as the learned document has it
	set   setter[M]
	probe func(k int) string // a text for slot k, see proven; nil for a boolean
	// A date-time's slot names the date-time slot before it (twin, -1 for
	// none) and how to copy that one's value into its own field: a report
	// repeats a few times many times over (each interval's start), and a
	// time equal to the one before, text for text, is copied rather than
	// read again.
	twin int
	copy func(m *M)
}

// setter reads the text of a leaf element into its field of m.
type setter[M any] func(m *M, b []byte) error

// replay returns the message of data when it fits a shape and its texts
// read without error; otherwise data is left to the decoder.
func (s *shapes[M, P]) replay(data []byte) (P, bool) {
	list := s.list.Load()
	if list == nil || len(data) > maxShapeBody {
		return nil, false
	}
	var buf [128]text
	for _, sh := range *list {
		if texts, ok := sh.fits(data, buf[:0]); ok {
			m, err := read[M, P](sh, data, texts)
			return m, err == nil
		}
	}
	return nil, false
}

// text is where the text of a slot is in a document that fits a shape,
// and whether it differs from the learned one.
type text struct {
	start, end int
	changed    bool
}

// fits reports whether data is sh's markup around plain texts, and
// appends to texts where each is and whether it differs from the learned
// one.
func (sh *shape[M]) fits(data []byte, texts []text) ([]text, bool) {
	pos := 0
	for k, sl := range sh.slots {
		if !bytes.HasPrefix(data[pos:], sh.markup[k]) {
			return nil, false
		}
		pos += len(sh.markup[k])
		// The next markup starts with the "</" that ends the slot. The
		// text as the learned document has it is plain; another is looked
		// at byte by byte.
		if end := pos + len(sl.text); end < len(data) && data[end] == '<' && bytes.Equal(data[pos:end], sl.text) {
			texts = append(texts, text{start: pos, end: end})
			pos = end
			continue
		}
		n := bytes.IndexByte(data[pos:], '<')
		if n < 0 || !plain(data[pos:pos+n]) {
			return nil, false
		}
		texts = append(texts, text{start: pos, end: pos + n, changed: true})
		pos += n
	}
	return texts, bytes.Equal(data[pos:], sh.markup[len(sh.slots)])
}

// read returns the message of data, which fits sh with texts.
func read[M any, P shaped[M]](sh *shape[M], data []byte, texts []text) (P, error) {
	m := P(sh.base).clone()
	for k, t := range texts {
		if !t.changed {
			continue
		}
		sl := &sh.slots[k]
		if sl.twin >= 0 && bytes.Equal(data[t.start:t.end], data[texts[sl.twin].start:texts[sl.twin].end]) {
			sl.copy(m) // its twin's field holds what this text reads to
			continue
		}
		if err := sl.set(m, data[t.start:t.end]); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// plain reports whether b holds only bytes a slot's text may have.
func plain(b []byte) bool {
	for _, c := range b {
		if !plainText[c] {
			return false
		}
	}
	return true
}

// plainText holds the bytes a slot's text may have: none starts or ends
// markup or an entity, or is turned into another by the parser (a
// carriage return is), or can be read otherwise in another encoding.
var plainText = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range "<&>]" {
		t[c] = false
	}
	t['\t'], t['\n'] = true, true
	return t
}()

// learn keeps the shape of data, a document that decoded to m, when it can
// prove one (see Shapes).
func (s *shapes[M, P]) learn(data []byte, m P) {
	if len(data) > maxShapeBody {
		return
	}
	if n := s.refused.Load(); n > 0 && s.missed.Add(1) < 1<<min(n, maxBackoff) {
		return
	}
	s.missed.Store(0)
	sh, ok := s.prove(data, m)
	if !ok {
		s.refused.Add(1)
		return
	}
	s.refused.Store(0)
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*shape[M]
	if old := s.list.Load(); old != nil {
		list = append(list, *old...)
	}
	for _, known := range list {
		if slices.EqualFunc(known.markup, sh.markup, bytes.Equal) {
			return // learned meanwhile
		}
	}
	if len(list) < maxShapes {
		list = append(list, sh)
	} else {
		list[s.next] = sh
		s.next = (s.next + 1) % maxShapes
	}
	s.list.Store(&list)
}

// prove returns the shape of data, which decoded to m, when it can prove
// one.
func (s *shapes[M, P]) prove(data []byte, m P) (*shape[M], bool) {
	leaves, ok := m.leaves()
	if !ok {
		return nil, false
	}
	sh, ok := cut(bytes.Clone(data), oadrN(m.MessageName()), leaves)
	if !ok {
		return nil, false
	}
	sh.base = m.clone()
	return sh, proven[M, P](sh)
}

// proven reports whether the decoder reads each of sh's slots into the
// field sh pairs it with, and into no other, as reading by sh does: a
// probe, sh's markup with a value of its own in every slot (of the slot's
// type, different from every other), must decode to what reading it by
// sh gives, every slot read by its setter. The pairing by paths is how sh
// was made, not the proof: the decoder may take a field from an element
// that is not a slot (a second occurrence, self-closing or with a comment
// in its text), or skip the element a slot is in (a copy of the message
// outside the envelope), or pair zero values otherwise than paths do (an
// optional element out of schema order); the probe's values show where
// each text goes. Two probes are made, with values different from each
// other's too: a text the probe cannot change (a constant in the markup)
// may hold one probe's value for a slot, never both. (Booleans, which have
// two values, are told apart by their pattern across the probes, and
// there are more probes when there are many of them.) Since the decoder
// acts on tokens, which plain texts do not change, other texts go where
// the probes' went.
func proven[M any, P shaped[M]](sh *shape[M]) bool {
	n := len(sh.slots)
	// A boolean has two values, so the booleans' slots are told apart by
	// their values across the probes: the b-th has the bits of b, from 1,
	// so that no two have the same values, and none the same value in all
	// (a constant's).
	codes, booleans := make([]int, n), 0
	for k, sl := range sh.slots {
		if sl.probe == nil {
			booleans++
			codes[k] = booleans
		}
	}
	probes := 2
	for 1<<probes-2 < booleans {
		probes++
	}
	for probe := range probes {
		var doc []byte
		texts := make([]text, n)
		for k, sl := range sh.slots {
			doc = append(doc, sh.markup[k]...)
			start := len(doc)
			if sl.probe == nil {
				doc = strconv.AppendBool(doc, codes[k]>>probe&1 == 1)
			} else {
				doc = append(doc, sl.probe(probe*n+k)...)
			}
			texts[k] = text{start: start, end: len(doc), changed: true}
		}
		doc = append(doc, sh.markup[n]...)
		want, err := Unmarshal(doc)
		if err != nil {
			return false
		}
		got, err := read[M, P](sh, doc, texts)
		if err != nil || !reflect.DeepEqual(want, Message(got)) {
			return false
		}
	}
	return true
}

// cut cuts data, a document of the message named msg, at the texts of its
// leaf elements and pairs them with leaves, in order; it fails when the
// paths differ, when their numbers differ, or when a text is not plain
// (see plainText). data is kept.
func cut[M any](data []byte, msg xml.Name, leaves []leaf[M]) (*shape[M], bool) {
	var r xmlscan.Reader
	r.SetInterner(localName, namespaceURI)
	r.Reset(data)
	var (
		names []xml.Name
		sh    shape[M]
		last  int // where the markup after the last slot starts
		next  int // the leaf the next slot is paired with
		// The last date-time slot, and its field.
		lastDateSlot int
		lastDate     func(*M) *time.Time
	)
	for {
		k, err := r.Next(false)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false // including xmlscan.ErrFallback
		}
		if k == xmlscan.EndElement {
			names = names[:len(names)-1]
			continue
		}
		names = append(names, r.Name())
		at := r.Offset()
		selfClosing := at >= 2 && data[at-2] == '/' && data[at-1] == '>'
		content, ok := r.LeafText()
		if !ok {
			continue // it has children, or text that is not as it is in the input
		}
		path := messagePath(names, msg)
		names = names[:len(names)-1]
		if selfClosing {
			continue // no text to cut; were its field set otherwise, the probe tells
		}
		for next < len(leaves) && leaves[next].path != path && leaves[next].absent {
			next++ // a zero field without an element
		}
		end := at + len(content)
		if next == len(leaves) || leaves[next].path != path || !plain(content) {
			return nil, false
		}
		sh.markup = append(sh.markup, data[last:at])
		sh.slots = append(sh.slots, slot[M]{text: data[at:end], set: leaves[next].set, probe: leaves[next].probe, twin: -1})
		if date := leaves[next].date; date != nil {
			if twin := lastDate; twin != nil {
				sl := &sh.slots[len(sh.slots)-1]
				sl.twin = lastDateSlot
				sl.copy = func(m *M) { *date(m) = *twin(m) }
			}
			lastDate, lastDateSlot = date, len(sh.slots)-1
		}
		next++
		last = end
	}
	for ; next < len(leaves); next++ {
		if !leaves[next].absent {
			return nil, false
		}
	}
	sh.markup = append(sh.markup, data[last:])
	return &sh, true
}

// messagePath is the path of the element names ends with from the message
// element msg down, where the decoder takes the message: the root, or
// oadrSignedObject's child in oadrPayload. Anywhere else (a copy the
// decoder skips) it is "", which pairs with no field.
func messagePath(names []xml.Name, msg xml.Name) string {
	switch {
	case len(names) > 0 && names[0] == msg:
		return pathOf(names)
	case len(names) > 2 && names[0] == oadrN("oadrPayload") && names[1] == oadrN("oadrSignedObject") && names[2] == msg:
		return pathOf(names[2:])
	}
	return ""
}

// leaf is a field of a message as its document has it: the path of its
// element, and how its text is read.
type leaf[M any] struct {
	path  string // see pathOf
	set   setter[M]
	probe func(k int) string  // see proven; nil for a boolean
	date  func(*M) *time.Time // a date-time's field, for slot.twin
	// absent: the field has its zero value, which an element with a
	// zero value (OpenLEADR's empty eiReportID) or no element may give.
	absent bool
}

// pathOf joins the names of the elements from the root down.
func pathOf(names []xml.Name) string {
	var b []byte
	for _, n := range names {
		b = append(b, n.Space...)
		b = append(b, 0)
		b = append(b, n.Local...)
		b = append(b, '/')
	}
	return string(b)
}

// leafWalk lists the leaves of a message in schema order.
type leafWalk[M any] struct {
	names  []xml.Name // where the walk is, from the message element down
	leaves []leaf[M]
}

func (w *leafWalk[M]) enter(n xml.Name) { w.names = append(w.names, n) }
func (w *leafWalk[M]) leave()           { w.names = w.names[:len(w.names)-1] }

// add adds the leaf at the walk's place followed by names; absent says
// that the field is optional and zero.
func (w *leafWalk[M]) add(set setter[M], probe func(k int) string, absent bool, names ...xml.Name) {
	path := pathOf(append(slices.Clip(w.names), names...))
	w.leaves = append(w.leaves, leaf[M]{path: path, set: set, probe: probe, absent: absent})
}

// Probe texts (see proven): for k, a value of each type that no other k
// gives (the second probe's slots are numbered on from the first's).
func probeString(k int) string   { return "shape-probe-" + strconv.Itoa(k) }
func probeNumber(k int) string   { return strconv.Itoa(100000+k) + ".25" }
func probeUnsigned(k int) string { return strconv.Itoa(100000 + k) }
func probeDuration(k int) string { return "PT" + strconv.Itoa(100000+k) + "S" }
func probeDateTime(k int) string {
	return time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC).Add(time.Duration(k) * (24*time.Hour + time.Second)).Format("2006-01-02T15:04:05Z")
}

// The leaves of each type of value, read as the decoder reads them.

// leafValue adds the leaf at the walk's place followed by names, whose
// text parse reads into field; its probes are probe's (nil for a boolean).
func leafValue[M, T any](w *leafWalk[M], field func(*M) *T, parse func([]byte) (T, error), probe func(k int) string, absent bool, names ...xml.Name) {
	w.add(func(m *M, b []byte) error {
		v, err := parse(b)
		*field(m) = v
		return err
	}, probe, absent, names...)
}

func (w *leafWalk[M]) str(field func(*M) *string, absent bool, names ...xml.Name) {
	leafValue(w, field, stringText, probeString, absent, names...)
}

func leafEnum[M any, T ~string](w *leafWalk[M], field func(*M) *T, absent bool, names ...xml.Name) {
	leafValue(w, field, func(b []byte) (T, error) { return enumText[T](b), nil }, probeString, absent, names...)
}

func (w *leafWalk[M]) float(field func(*M) *float64, names ...xml.Name) {
	leafValue(w, field, floatText, probeNumber, false, names...)
}

func (w *leafWalk[M]) boolean(field func(*M) *bool, names ...xml.Name) {
	leafValue(w, field, boolText, nil, false, names...)
}

func (w *leafWalk[M]) uint32(field func(*M) *uint32, names ...xml.Name) {
	leafValue(w, field, uint32Text, probeUnsigned, false, names...)
}

func (w *leafWalk[M]) dateTime(field func(*M) *time.Time, absent bool, names ...xml.Name) {
	leafValue(w, field, dateTimeText, probeDateTime, absent, names...)
	w.leaves[len(w.leaves)-1].date = field
}

func (w *leafWalk[M]) duration(field func(*M) *time.Duration, absent bool, names ...xml.Name) {
	leafValue(w, field, durationText, probeDuration, absent, names...)
}

// stringText is a string as the decoder keeps it: the text as it is.
func stringText(b []byte) (string, error) { return string(b), nil }

func (m *Poll) leaves() ([]leaf[Poll], bool) {
	w := &leafWalk[Poll]{names: []xml.Name{oadrN(m.MessageName())}}
	w.str(func(m *Poll) *string { return &m.VenID }, false, eiN("venID"))
	return w.leaves, true
}

func (m *Poll) clone() *Poll {
	c := *m
	return &c
}

func (m *UpdateReport) leaves() ([]leaf[UpdateReport], bool) {
	w := &leafWalk[UpdateReport]{names: []xml.Name{oadrN(m.MessageName())}}
	w.str(func(m *UpdateReport) *string { return &m.RequestID }, false, pyldN("requestID"))
	for i := range m.Reports {
		if !reportLeaves(w, m, i) {
			return nil, false
		}
	}
	w.str(func(m *UpdateReport) *string { return &m.VenID }, m.VenID == "", eiN("venID"))
	return w.leaves, true
}

func reportLeaves(w *leafWalk[UpdateReport], m *UpdateReport, i int) bool {
	r := &m.Reports[i]
	if len(r.Descriptions) > 0 {
		return false
	}
	report := func(m *UpdateReport) *Report { return &m.Reports[i] }
	w.enter(oadrN("oadrReport"))
	defer w.leave()
	w.dateTime(func(m *UpdateReport) *time.Time { return &report(m).Start }, r.Start.IsZero(), xcalN("dtstart"), xcalN("date-time"))
	w.duration(func(m *UpdateReport) *time.Duration { return &report(m).Duration }, r.Duration == 0, xcalN("duration"), xcalN("duration"))
	if len(r.Intervals) > 0 {
		w.enter(strmN("intervals"))
		for j := range r.Intervals {
			if !intervalLeaves(w, report, r, j) {
				return false
			}
		}
		w.leave()
	}
	w.str(func(m *UpdateReport) *string { return &report(m).EiReportID }, r.EiReportID == "", eiN("eiReportID"))
	w.str(func(m *UpdateReport) *string { return &report(m).ReportRequestID }, false, eiN("reportRequestID"))
	w.str(func(m *UpdateReport) *string { return &report(m).ReportSpecifierID }, false, eiN("reportSpecifierID"))
	leafEnum(w, func(m *UpdateReport) *ReportName { return &report(m).ReportName }, r.ReportName == "", eiN("reportName"))
	w.dateTime(func(m *UpdateReport) *time.Time { return &report(m).CreatedDateTime }, false, eiN("createdDateTime"))
	return true
}

func intervalLeaves(w *leafWalk[UpdateReport], report func(*UpdateReport) *Report, r *Report, j int) bool {
	iv := &r.Intervals[j]
	interval := func(m *UpdateReport) *ReportInterval { return &report(m).Intervals[j] }
	w.enter(eiN("interval"))
	defer w.leave()
	w.dateTime(func(m *UpdateReport) *time.Time { return &interval(m).Start }, iv.Start.IsZero(), xcalN("dtstart"), xcalN("date-time"))
	w.duration(func(m *UpdateReport) *time.Duration { return &interval(m).Duration }, iv.Duration == 0, xcalN("duration"), xcalN("duration"))
	w.str(func(m *UpdateReport) *string { return &interval(m).UID }, iv.UID == "", xcalN("uid"), xcalN("text"))
	for k := range iv.Payloads {
		p := &iv.Payloads[k]
		payload := func(m *UpdateReport) *ReportPayload { return &interval(m).Payloads[k] }
		w.enter(oadrN("oadrReportPayload"))
		w.str(func(m *UpdateReport) *string { return &payload(m).RID }, false, eiN("rID"))
		if p.Confidence != nil {
			w.uint32(func(m *UpdateReport) *uint32 { return payload(m).Confidence }, eiN("confidence"))
		}
		if p.Accuracy != nil {
			w.float(func(m *UpdateReport) *float64 { return payload(m).Accuracy }, eiN("accuracy"))
		}
		if p.ResourceStatus != nil {
			statusLeaves(w, func(m *UpdateReport) *ResourceStatus { return payload(m).ResourceStatus }, p.ResourceStatus)
		} else {
			w.float(func(m *UpdateReport) *float64 { return &payload(m).Value }, eiN("payloadFloat"), eiN("value"))
		}
		leafEnum(w, func(m *UpdateReport) *DataQuality { return &payload(m).DataQuality }, p.DataQuality == "", oadrN("oadrDataQuality"))
		w.leave()
	}
	return true
}

// statusLeaves lists the leaves of a payload's oadrPayloadResourceStatus.
func statusLeaves(w *leafWalk[UpdateReport], status func(*UpdateReport) *ResourceStatus, s *ResourceStatus) {
	w.enter(oadrN("oadrPayloadResourceStatus"))
	defer w.leave()
	w.boolean(func(m *UpdateReport) *bool { return &status(m).Online }, oadrN("oadrOnline"))
	w.boolean(func(m *UpdateReport) *bool { return &status(m).ManualOverride }, oadrN("oadrManualOverride"))
	l := s.LoadControlState
	if l == nil {
		return
	}
	state := func(m *UpdateReport) *LoadControlState { return status(m).LoadControlState }
	w.enter(oadrN("oadrLoadControlState"))
	defer w.leave()
	for _, c := range []struct {
		name  string
		value *LoadControlValue
		field func(*LoadControlState) *LoadControlValue
	}{
		{"oadrCapacity", l.Capacity, func(l *LoadControlState) *LoadControlValue { return l.Capacity }},
		{"oadrLevelOffset", l.LevelOffset, func(l *LoadControlState) *LoadControlValue { return l.LevelOffset }},
		{"oadrPercentOffset", l.PercentOffset, func(l *LoadControlState) *LoadControlValue { return l.PercentOffset }},
		{"oadrSetPoint", l.SetPoint, func(l *LoadControlState) *LoadControlValue { return l.SetPoint }},
	} {
		if c.value == nil {
			continue
		}
		value := func(m *UpdateReport) *LoadControlValue { return c.field(state(m)) }
		w.enter(oadrN(c.name))
		if c.value.Min != nil {
			w.float(func(m *UpdateReport) *float64 { return value(m).Min }, oadrN("oadrMin"))
		}
		if c.value.Max != nil {
			w.float(func(m *UpdateReport) *float64 { return value(m).Max }, oadrN("oadrMax"))
		}
		w.float(func(m *UpdateReport) *float64 { return &value(m).Current }, oadrN("oadrCurrent"))
		if c.value.Normal != nil {
			w.float(func(m *UpdateReport) *float64 { return value(m).Normal }, oadrN("oadrNormal"))
		}
		w.leave()
	}
}

// clone copies s and what it points to.
func (s *ResourceStatus) clone() *ResourceStatus {
	c := *s
	if l := s.LoadControlState; l != nil {
		cl := *l
		for _, v := range []**LoadControlValue{&cl.Capacity, &cl.LevelOffset, &cl.PercentOffset, &cl.SetPoint} {
			if *v != nil {
				cv := **v
				for _, f := range []**float64{&cv.Min, &cv.Max, &cv.Normal} {
					if *f != nil {
						*f = new(**f)
					}
				}
				*v = &cv
			}
		}
		c.LoadControlState = &cl
	}
	return &c
}

// clone copies m deeply enough that setting a leaf of the copy changes
// nothing of m: the reports, their intervals, the payloads of all of a
// report's intervals in one array (as the decoder leaves them), and the
// payloads' optional values.
func (m *UpdateReport) clone() *UpdateReport {
	c := *m
	c.Reports = slices.Clone(m.Reports)
	for i := range c.Reports {
		r := &c.Reports[i]
		r.Intervals = slices.Clone(r.Intervals)
		n := 0
		for j := range r.Intervals {
			n += len(r.Intervals[j].Payloads)
		}
		all := make([]ReportPayload, 0, n)
		for j := range r.Intervals {
			iv := &r.Intervals[j]
			if iv.Payloads == nil {
				continue
			}
			from := len(all)
			all = append(all, iv.Payloads...)
			iv.Payloads = all[from:len(all):len(all)]
			for k := range iv.Payloads {
				p := &iv.Payloads[k]
				if p.Confidence != nil {
					p.Confidence = new(*p.Confidence)
				}
				if p.Accuracy != nil {
					p.Accuracy = new(*p.Accuracy)
				}
				if p.ResourceStatus != nil {
					p.ResourceStatus = p.ResourceStatus.clone()
				}
			}
		}
	}
	return &c
}
