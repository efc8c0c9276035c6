package xmlscan

import (
	"encoding/binary"
	"encoding/xml"
	"math/bits"
)

// Resolving an element's name (finding its prefix among the bindings in
// scope, interning its local name) costs more than scanning it, and a
// document repeats a few dozen names hundreds of times. The scanner
// therefore remembers the names it resolved, by the prefixed name as
// written, in a small table (each name at one of two places).
//
// A document also repeats its shapes: in a report, every interval's first
// child is dtstart, whose first child is date-time and whose next sibling
// is duration, and so on. Each entry therefore also remembers the entries
// of the first child and of the next sibling that an element of its name
// had, last time; when the bytes of the next start tag are the predicted
// name followed by ">", the scanner takes the name from the entry without
// reading it byte by byte, hashing it or looking for it (see
// scanner.predicted).
//
// A resolution depends on the prefixed name and on the namespace bindings in
// scope, nothing else (the interning functions are fixed: SetInterner empties
// the table), so an entry is tagged with the generation of the bindings it
// was made under. A generation stands for one list of bindings: a start
// element that declares namespaces gets a new one (unless its list is the
// one remembered from the last such element, as the root elements of a
// peer's successive documents usually are; a replayed root tag, see
// tagMemo, gets the one it had last time), and its end restores the one
// outside it; no bindings at all are always emptyGen. A list may get
// several generations over time, which costs only misses. A hit is an
// entry with the same prefixed name and the current generation: the name
// resolveName would compute again.

// nameCacheSize is the number of entries.
const (
	nameCacheBits = 7
	nameCacheSize = 1 << nameCacheBits
)

// Bounds of what the cache keeps, so that a pooled Reader does not hold on
// to huge names or namespaces: the prefixed names and the namespaces of the
// names it remembers, and the prefixes and namespaces of the bindings (all
// together), and the bytes of the remembered root tag.
const (
	maxCachedName  = 64
	maxCachedSpace = 256
	maxRemembered  = 4096
)

// emptyGen is the generation of no bindings at all, the same in every
// document.
const emptyGen = 1

// cachedName is an entry of the table.
type cachedName struct {
	gen   uint64
	qname []byte // the prefixed name as written (a copy)
	colon int    // the colon's offset in qname, -1 if none, for a predicted name's s.colon
	name  xml.Name

	// The entries of the first child and of the next sibling of the last
	// element that had this name (0: none seen, or not resolved).
	child, sibling ref
}

// ref names an entry of the table, entries[ref-1], or none (0). Refs
// rather than pointers keep the scanner's stores per element free of write
// barriers and its stack free of pointers.
type ref uint8

// Every entry has a ref: a table too large for them does not compile.
const _ ref = nameCacheSize

// at returns the entry r, which is not none.
func (c *nameCache) at(r ref) *cachedName { return &c.entries[r-1] }

// nameCache is the table of resolved names and the bookkeeping of
// generations.
type nameCache struct {
	entries [nameCacheSize]cachedName
	lastGen uint64 // the last generation handed out

	// The bindings of the last start element that declared namespaces,
	// and their generation: prefixes concatenated, each binding's end in
	// prefixes and its URI.
	declGen  uint64 // 0: none remembered
	prefixes []byte
	ends     []int
	uris     []string

	root tagMemo // the last root tag that declared namespaces
}

// tagMemo is a root tag that declared namespaces, as written from its name
// to its closing '>' (if no longer than maxRemembered), and what scanStart
// made of it, at positions relative to the tag's start. A peer begins
// every document with the same root tag, which declares all its
// namespaces: reading it again costs more than the rest of a small
// document (its names, its attribute values byte by byte, each URI looked
// up by the interner). When the same bytes come again, with the same
// bindings in scope outside them, scanStart would read them the same way,
// so replayed takes its reading from here instead, with the generation it
// had last time (declared is not asked, and keeps its list as it was).
// Only the root is remembered: a document that also declares namespaces
// inside (a signature's ds:, say) would otherwise replace the root's
// memory with its own every time.
type tagMemo struct {
	bytes        []byte // nil: none
	outer, gen   uint64 // the generations of the bindings outside and inside
	colon, name1 int    // colon < 0: no prefix
	attrs        []rawAttr
	binds        []binding
	selfClosing  bool
}

// qnameHash mixes the length and the first and last eight bytes of a
// prefixed name, which tell the names of a vocabulary apart. Its top bits
// and the next ones are the name's two places in the table.
func qnameHash(q []byte) uint64 {
	n := len(q)
	var head, tail uint64
	if n >= 8 {
		head = binary.LittleEndian.Uint64(q)
		tail = binary.LittleEndian.Uint64(q[n-8:])
	} else {
		for i := range n {
			head |= uint64(q[i]) << (8 * i)
		}
	}
	return (head ^ bits.RotateLeft64(tail, 31) ^ uint64(n)) * 0x9E3779B97F4A7C15
}

// elementName returns the current start element's name with its namespace
// resolved as Token resolves it, from the cache when it can. A name is
// looked for at two places; a new one takes the first whose entry is of
// another generation, or else the second. The entry found or made is
// recorded as the current element's (see follow), which is how the
// shapes that predicted reads are learnt.
func (s *scanner) elementName() xml.Name {
	c := s.nameCache()
	if r := s.current(); r != 0 {
		return c.at(r).name
	}
	q := s.buf[s.name0:s.name1]
	h := qnameHash(q)
	r1 := ref(h>>(64-nameCacheBits)) + 1
	if e := c.at(r1); e.gen == s.gen && string(e.qname) == string(q) {
		s.follow(c, r1)
		return e.name
	}
	r2 := ref(h>>(64-2*nameCacheBits)%nameCacheSize) + 1
	if e := c.at(r2); e.gen == s.gen && string(e.qname) == string(q) {
		s.follow(c, r2)
		return e.name
	}
	n := s.resolveName()
	if len(q) > maxCachedName || len(n.Space) > maxCachedSpace {
		return n
	}
	r := r1
	if c.at(r1).gen == s.gen {
		r = r2
	}
	e := c.at(r)
	e.gen, e.qname, e.name, e.child, e.sibling = s.gen, append(e.qname[:0], q...), n, 0, 0
	e.colon = -1
	if s.colon >= 0 {
		e.colon = s.colon - s.name0
	}
	s.follow(c, r)
	return n
}

// follow records that the current start element's name is entry r's, in
// the entry of its parent or previous sibling (the one scanStart found
// before it) and in its frame, while the element is open: a name asked
// for after the element's end (its frame popped) records nothing.
func (s *scanner) follow(c *nameCache, r ref) {
	top := len(s.stack) - 1
	if top < 0 || s.stack[top].name0 != s.name0 {
		return
	}
	if s.from != 0 {
		if f := c.at(s.from); s.fromSibling {
			f.sibling = r
		} else {
			f.child = r
		}
		s.from = 0
	}
	s.stack[top].entry = r
	s.prev, s.ended = r, false
}

// current returns the entry of the current start element's name, when it
// is known: its frame's, while the element is open.
func (s *scanner) current() ref {
	if top := len(s.stack) - 1; top >= 0 && s.stack[top].name0 == s.name0 {
		return s.stack[top].entry
	}
	return 0
}

// predicted reads the start tag from i (after "<") when it is the
// predicted one: the last start element's first child, or the last ended
// element's next sibling, as they were last time, with no attributes (the
// bytes of that name, then ">"). scanName would read the same name there
// (it ends where it ended before, at a byte no name holds) and, with the
// same bindings in scope (the generation), it resolves to the same
// namespace: the entry's name is the element's.
func (s *scanner) predicted(i int) bool {
	if s.prev == 0 {
		return false
	}
	prev := s.cache.at(s.prev)
	r := prev.child
	if s.ended {
		r = prev.sibling
	}
	if r == 0 {
		return false
	}
	p := s.cache.at(r)
	end := i + len(p.qname)
	if p.gen != s.gen || end >= len(s.buf) || s.buf[end] != '>' || !sameName(s.buf[i:end], p.qname) {
		return false
	}
	s.attrs = s.attrs[:0]
	s.push(i, end, len(s.ns), r)
	s.name0, s.colon, s.name1 = i, -1, end
	if p.colon >= 0 {
		s.colon = i + p.colon
	}
	s.closing = false
	s.pos = end + 1
	s.prev, s.ended = r, false
	return true
}

// child is the shortcut of Reader.Child for the commonest next tags of
// all: after blanks, if any, the predicted start tag or the end tag of the
// innermost element. It reads what next(false) and elementName would read
// (blanks are text next(false) passes over), or nothing (ok false): the
// general path then reads the same bytes again, and meets whatever made
// child give up.
func (s *scanner) child() (name *xml.Name, start, ok bool) {
	if s.failed || s.closing {
		return nil, false, false
	}
	buf := s.buf
	i := skipSpace(buf, s.pos)
	if i+1 >= len(buf) || buf[i] != '<' {
		return nil, false, false
	}
	if buf[i+1] == '/' {
		_, st := s.scanEnd(i + 2)
		return nil, false, st == scanOK
	}
	if !s.predicted(i + 1) {
		return nil, false, false
	}
	return &s.cache.at(s.prev).name, true, true // predicted made its entry prev
}

// remember keeps the start tag just read, from name0 to end (after its
// '>'), which declared the bindings s.ns[nsLen:] inside the bindings of
// generation outer (see tagMemo), unless it is too long to keep.
func (s *scanner) remember(name0, colon, name1, end, nsLen int, outer uint64, selfClosing bool) {
	c := s.nameCache()
	m := &c.root
	if end-name0 > maxRemembered {
		return
	}
	clear(m.binds)
	m.bytes = append(m.bytes[:0], s.buf[name0:end]...)
	m.outer, m.gen, m.colon, m.name1, m.selfClosing = outer, s.gen, -1, name1-name0, selfClosing
	if colon >= 0 {
		m.colon = colon - name0
	}
	m.attrs = m.attrs[:0]
	for _, a := range s.attrs {
		a.name0, a.name1, a.val0, a.val1 = a.name0-name0, a.name1-name0, a.val0-name0, a.val1-name0
		if a.colon >= 0 {
			a.colon -= name0
		}
		m.attrs = append(m.attrs, a)
	}
	m.binds = m.binds[:0]
	for _, b := range s.ns[nsLen:] {
		if b.p1 > b.p0 { // a default namespace has no prefix to move
			b.p0, b.p1 = b.p0-name0, b.p1-name0
		}
		m.binds = append(m.binds, b)
	}
}

// replayed reads the start tag from i (after "<") when it is the
// remembered one (the same bytes, and the same bindings outside it), as
// scanStart would read it.
func (s *scanner) replayed(i int) bool {
	if s.cache == nil {
		return false
	}
	m := &s.cache.root
	end := i + len(m.bytes)
	if m.bytes == nil || m.outer != s.gen || end > len(s.buf) || string(s.buf[i:end]) != string(m.bytes) {
		return false
	}
	s.attrs = s.attrs[:0]
	for _, a := range m.attrs {
		a.name0, a.name1, a.val0, a.val1 = a.name0+i, a.name1+i, a.val0+i, a.val1+i
		if a.colon >= 0 {
			a.colon += i
		}
		s.attrs = append(s.attrs, a)
	}
	nsLen := len(s.ns)
	for _, b := range m.binds {
		if b.p1 > b.p0 {
			b.p0, b.p1 = b.p0+i, b.p1+i
		}
		s.ns = append(s.ns, b)
	}
	s.push(i, i+m.name1, nsLen, 0)
	s.gen = m.gen
	s.name0, s.colon, s.name1 = i, -1, i+m.name1
	if m.colon >= 0 {
		s.colon = i + m.colon
	}
	s.closing = m.selfClosing
	s.pos = end
	return true
}

// sameName reports whether names a and b, of the same length, are the
// same bytes. It is string(a) == string(b) without the call, for the
// names of 8 to 24 bytes most vocabularies use: whole words compared, the
// last one overlapping the one before it.
func sameName(a, b []byte) bool {
	n := len(a)
	if n < 8 || n > 24 || len(b) != n {
		return string(a) == string(b)
	}
	le := binary.LittleEndian
	diff := le.Uint64(a) ^ le.Uint64(b)
	diff |= le.Uint64(a[n-8:]) ^ le.Uint64(b[n-8:])
	if n > 16 {
		diff |= le.Uint64(a[8:]) ^ le.Uint64(b[8:])
	}
	return diff == 0
}

// declared returns the generation of the bindings in scope after a start
// element that declared namespaces: the remembered one if they are the
// remembered list, else a new one, which is then remembered (when it is
// short enough to keep).
func (s *scanner) declared() uint64 {
	c := s.nameCache()
	if c.sameBindings(s.buf, s.ns) {
		return c.declGen
	}
	c.lastGen++
	c.declGen = 0
	clear(c.uris[:cap(c.uris)])
	c.prefixes, c.ends, c.uris = c.prefixes[:0], c.ends[:0], c.uris[:0]
	size := 0
	for _, b := range s.ns {
		if size += b.p1 - b.p0 + len(b.uri); size > maxRemembered {
			clear(c.uris)
			c.uris = c.uris[:0]
			return c.lastGen
		}
		c.prefixes = append(c.prefixes, s.buf[b.p0:b.p1]...)
		c.ends = append(c.ends, len(c.prefixes))
		c.uris = append(c.uris, b.uri)
	}
	c.declGen = c.lastGen
	return c.declGen
}

// sameBindings reports whether ns, whose prefixes are in buf, is the
// remembered list.
func (c *nameCache) sameBindings(buf []byte, ns []binding) bool {
	if c.declGen == 0 || len(ns) != len(c.ends) {
		return false
	}
	start := 0
	for k, b := range ns {
		if string(buf[b.p0:b.p1]) != string(c.prefixes[start:c.ends[k]]) || b.uri != c.uris[k] {
			return false
		}
		start = c.ends[k]
	}
	return true
}

// nameCache returns the scanner's cache, made on first use.
func (s *scanner) nameCache() *nameCache {
	if s.cache == nil {
		s.cache = &nameCache{lastGen: emptyGen}
	}
	return s.cache
}
