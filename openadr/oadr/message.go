package oadr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"sync"

	"github.com/gridwire/gridwire/openadr/internal/xmlscan"
)

// Message is one OpenADR 2.0b message: the content of an oadrSignedObject. It is
// implemented by the pointer types of this package only (*Poll, *Response,
// *CreatePartyRegistration, …); use a type switch to act on it.
type Message interface {
	// MessageName returns the message's element name, e.g. "oadrPoll".
	MessageName() string

	encode(e *encoder)
	decode(d *decoder) error
}

// Payload is a decoded oadrPayload envelope.
type Payload struct {
	// Message is the one message the envelope carries.
	Message Message
	// SignedObjectID is the oadr:Id attribute of oadrSignedObject ("" if absent).
	SignedObjectID string
	// Signed reports that a ds:Signature preceded the signed object. This
	// package does not verify signatures.
	Signed bool
	// Bare reports that the document was a message element without envelope.
	Bare bool
}

// Decode reads one document from r, either an oadrPayload envelope or a bare
// message element, and returns its message. It reads r to its end (at most
// MaxDocumentSize bytes) and decodes what it read as [Unmarshal] does.
// Errors are *DecodeError; one that wraps [ErrTooLarge] or the reader's own
// error (say an *http.MaxBytesError) is not a judgement of the document.
func Decode(r io.Reader) (Message, error) {
	p, err := DecodePayload(r)
	if err != nil {
		return nil, err
	}
	return p.Message, nil
}

// DecodePayload is Decode that also returns what the envelope said.
func DecodePayload(r io.Reader) (*Payload, error) {
	d := getDecoder()
	defer putDecoder(d)
	data, err := readAll(r, d.read[:0])
	d.read = data
	if err != nil {
		return nil, toDecodeError(xml.Name{}, err)
	}
	p := new(Payload)
	if err := d.unmarshal(data, p); err != nil {
		return nil, err
	}
	return p, nil
}

// MaxDocumentSize is the most Decode and DecodePayload read: no OpenADR
// message comes near it, and a larger input is refused with ErrTooLarge
// rather than held in memory. Callers facing untrusted peers should bound
// the input further (an HTTP server with http.MaxBytesReader).
const MaxDocumentSize = 32 << 20

// readAll appends all of r to buf, up to MaxDocumentSize bytes. Like
// bufio.Reader it gives up on a reader that keeps returning nothing.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for empty := 0; empty < 100; {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), MaxDocumentSize+1)])
		buf = buf[:len(buf)+n]
		if len(buf) > MaxDocumentSize {
			return buf, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxDocumentSize)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if n == 0 {
			empty++
		} else {
			empty = 0
		}
	}
	return buf, io.ErrNoProgress
}

// Unmarshal is Decode for a document held in memory.
func Unmarshal(data []byte) (Message, error) {
	d := getDecoder()
	defer putDecoder(d)
	d.messageOnly = true
	var p Payload // on the stack: only the message is kept
	if err := d.unmarshal(data, &p); err != nil {
		return nil, err
	}
	return p.Message, nil
}

// UnmarshalPayload is DecodePayload for a document held in memory.
func UnmarshalPayload(data []byte) (*Payload, error) {
	d := getDecoder()
	defer putDecoder(d)
	p := new(Payload)
	if err := d.unmarshal(data, p); err != nil {
		return nil, err
	}
	return p, nil
}

// unmarshal decodes data into p with the scanner, and again with
// encoding/xml if the scanner gave up.
func (d *decoder) unmarshal(data []byte, p *Payload) error {
	d.r.Reset(data)
	err := d.document(p)
	if d.r.GaveUp() {
		d.r.ResetEncodingXML(data)
		*p = Payload{}
		err = d.document(p)
	}
	return err
}

// document decodes the root element and checks that nothing but white
// space, comments and processing instructions follows it.
func (d *decoder) document(p *Payload) error {
	if err := d.payload(p); err != nil {
		return err
	}
	more, err := d.r.Trailing()
	if err == nil && more {
		err = fmt.Errorf("%w: content after the root element", ErrMalformed)
	}
	if err != nil {
		return toDecodeError(xml.Name{}, readError(err))
	}
	return nil
}

// payload decodes the root element.
func (d *decoder) payload(p *Payload) error {
	root, err := d.root()
	if err != nil {
		return toDecodeError(xml.Name{}, err)
	}
	if root.Name == oadrN("oadrPayload") {
		return d.envelope(p)
	}
	msg, err := d.message(root)
	if err != nil {
		return err
	}
	*p = Payload{Message: msg, Bare: true}
	return nil
}

// root returns the document element, skipping the prolog.
func (d *decoder) root() (start, error) {
	for {
		k, err := d.r.Next(true)
		if err == io.EOF {
			return start{}, fmt.Errorf("%w: no root element", ErrMalformed)
		}
		if err != nil {
			return start{}, readError(err)
		}
		switch k {
		case xmlscan.StartElement:
			return start{Name: d.name()}, nil
		case xmlscan.CharData:
			d.scratch = d.r.AppendText(d.scratch[:0])
			if len(bytes.TrimSpace(d.scratch)) != 0 {
				return start{}, fmt.Errorf("%w: text before the root element", ErrMalformed)
			}
		}
	}
}

// envelope decodes oadrPayload > [ds:Signature] > oadrSignedObject > message.
func (d *decoder) envelope(p *Payload) error {
	var msgErr error
	seenObject := false
	err := d.children(func(se start) error {
		switch se.Name {
		case xml.Name{Space: NamespaceDS, Local: "Signature"}:
			p.Signed = true
			return d.skip()
		case oadrN("oadrSignedObject"):
			if seenObject {
				return fmt.Errorf("%w: more than one oadrSignedObject", ErrMalformed)
			}
			seenObject = true
			for _, a := range d.envelopeAttributes() {
				if a.Name.Local == "Id" && (a.Name.Space == NamespaceOADR || a.Name.Space == "") {
					p.SignedObjectID = a.Value
				}
			}
			return d.children(func(se start) error {
				if p.Message != nil || msgErr != nil {
					return fmt.Errorf("%w: more than one message in oadrSignedObject", ErrMalformed)
				}
				p.Message, msgErr = d.message(se)
				return msgErr
			})
		}
		return d.skip()
	})
	if msgErr != nil {
		return msgErr
	}
	root := oadrN("oadrPayload")
	if err != nil {
		return toDecodeError(root, err)
	}
	if !seenObject {
		return toDecodeError(root, missing("oadrSignedObject"))
	}
	if p.Message == nil {
		return toDecodeError(root, at("oadrSignedObject", fmt.Errorf("%w: no message", ErrMissingElement)))
	}
	return nil
}

// envelopeAttributes returns the attributes of oadrSignedObject, none when
// only the message is wanted.
func (d *decoder) envelopeAttributes() []xml.Attr {
	if d.messageOnly {
		return nil
	}
	return d.attributes()
}

// message decodes the message element se. Errors are *DecodeError.
func (d *decoder) message(se start) (Message, error) {
	msg := newMessage(se.Name)
	if msg == nil {
		return nil, &DecodeError{Element: se.Name, Err: fmt.Errorf("%w: {%s}%s", ErrUnknownMessage, se.Name.Space, se.Name.Local)}
	}
	if err := msg.decode(d); err != nil {
		return nil, toDecodeError(se.Name, err)
	}
	return msg, nil
}

// newMessage returns an empty message for an element name, or nil.
func newMessage(n xml.Name) Message {
	if n.Space != NamespaceOADR {
		return nil
	}
	switch n.Local {
	case "oadrPoll":
		return new(Poll)
	case "oadrResponse":
		return new(Response)
	case "oadrUpdateReport":
		return new(UpdateReport)
	case "oadrUpdatedReport":
		return new(UpdatedReport)
	case "oadrDistributeEvent":
		return new(DistributeEvent)
	case "oadrCreatedEvent":
		return new(CreatedEvent)
	case "oadrRequestEvent":
		return new(RequestEvent)
	case "oadrQueryRegistration":
		return new(QueryRegistration)
	case "oadrCreatePartyRegistration":
		return new(CreatePartyRegistration)
	case "oadrCreatedPartyRegistration":
		return new(CreatedPartyRegistration)
	case "oadrCancelPartyRegistration":
		return new(CancelPartyRegistration)
	case "oadrCanceledPartyRegistration":
		return new(CanceledPartyRegistration)
	case "oadrRequestReregistration":
		return new(RequestReregistration)
	case "oadrRegisterReport":
		return new(RegisterReport)
	case "oadrRegisteredReport":
		return new(RegisteredReport)
	case "oadrCreateReport":
		return new(CreateReport)
	case "oadrCreatedReport":
		return new(CreatedReport)
	case "oadrCancelReport":
		return new(CancelReport)
	case "oadrCanceledReport":
		return new(CanceledReport)
	case "oadrCreateOpt":
		return new(CreateOpt)
	case "oadrCreatedOpt":
		return new(CreatedOpt)
	case "oadrCancelOpt":
		return new(CancelOpt)
	case "oadrCanceledOpt":
		return new(CanceledOpt)
	}
	return nil
}

// Marshal returns msg as a complete document: XML declaration, oadrPayload,
// oadrSignedObject (oadr:Id="oadrSignedObject") and the message. The root
// declares the conventional prefixes of the namespaces the document uses.
// Errors are *EncodeError.
func Marshal(msg Message) ([]byte, error) {
	e, err := encodeBody(msg)
	if err != nil {
		return nil, err
	}
	defer putEncoder(e)
	name := msg.MessageName()
	return appendDocument(make([]byte, 0, documentLen(name, e.b, e.used)), name, e.b, e.used), nil
}

// AppendMarshal appends the document for msg to b; with a b of sufficient
// capacity it does not allocate. On error it returns b unchanged.
func AppendMarshal(b []byte, msg Message) ([]byte, error) {
	e, err := encodeBody(msg)
	if err != nil {
		return b, err
	}
	defer putEncoder(e)
	return appendDocument(b, msg.MessageName(), e.b, e.used), nil
}

// Encode writes the document for msg to w (see Marshal).
func Encode(w io.Writer, msg Message) error {
	e, err := encodeBody(msg)
	if err != nil {
		return err
	}
	defer putEncoder(e)
	doc := docPool.Get().(*[]byte)
	*doc = appendDocument((*doc)[:0], msg.MessageName(), e.b, e.used)
	_, err = w.Write(*doc)
	if cap(*doc) <= maxPooled {
		docPool.Put(doc)
	}
	return err
}

// Scratch space. The body is encoded first because the root can only declare
// the namespaces once the body has shown which it uses. Pooling the encoder
// itself (not just its buffer) keeps it off the heap: it is passed through an
// interface method, which escape analysis cannot follow.
var (
	encoderPool = sync.Pool{New: func() any { return &encoder{b: make([]byte, 0, 2048)} }}
	docPool     = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}
)

// maxPooled is the largest buffer returned to a pool; rare huge documents
// should not stay in memory.
const maxPooled = 1 << 20

// encodeBody encodes the message's children with a pooled encoder, which the
// caller returns with putEncoder.
func encodeBody(msg Message) (*encoder, error) {
	if isNil(msg) {
		return nil, &EncodeError{Reason: "nil message"}
	}
	e := encoderPool.Get().(*encoder)
	e.b, e.used, e.err = e.b[:0], 1<<pOADR|1<<pEI, nil
	msg.encode(e)
	if e.err != nil {
		err := e.err
		err.Message = msg.MessageName()
		putEncoder(e)
		return nil, err
	}
	return e, nil
}

func putEncoder(e *encoder) {
	if cap(e.b) <= maxPooled {
		e.err = nil
		encoderPool.Put(e)
	}
}

func documentLen(name string, body []byte, used uint16) int {
	n := len(xmlDecl) + len(rootClose) + 2*len(name) + len(body) + 128
	for id := range nsCount {
		if used&(1<<id) != 0 {
			n += len(nsPrefix[id]) + len(nsURI[id]) + 10
		}
	}
	return n
}

func appendDocument(b []byte, name string, body []byte, used uint16) []byte {
	b = append(b, xmlDecl...)
	b = append(b, "<oadr:oadrPayload"...)
	for id := range nsCount {
		if used&(1<<id) != 0 {
			b = append(b, " xmlns:"...)
			b = append(b, nsPrefix[id]...)
			b = append(b, `="`...)
			b = append(b, nsURI[id]...)
			b = append(b, '"')
		}
	}
	b = append(b, `><oadr:oadrSignedObject oadr:Id="oadrSignedObject"><oadr:`...)
	b = append(b, name...)
	b = append(b, ` ei:schemaVersion="`+SchemaVersion+`">`...)
	b = append(b, body...)
	b = append(b, "</oadr:"...)
	b = append(b, name...)
	b = append(b, '>')
	return append(b, rootClose...)
}

// isNil reports a nil interface or a typed nil pointer inside it.
func isNil(msg Message) bool {
	if msg == nil {
		return true
	}
	v := reflect.ValueOf(msg)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
