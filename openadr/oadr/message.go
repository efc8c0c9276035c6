package oadr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"sync"
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
// message element, and returns its message. Errors are *DecodeError.
func Decode(r io.Reader) (Message, error) {
	p, err := DecodePayload(r)
	if err != nil {
		return nil, err
	}
	return p.Message, nil
}

// Unmarshal is Decode for a document held in memory.
func Unmarshal(data []byte) (Message, error) {
	return Decode(bytes.NewReader(data))
}

// UnmarshalPayload is DecodePayload for a document held in memory.
func UnmarshalPayload(data []byte) (*Payload, error) {
	return DecodePayload(bytes.NewReader(data))
}

// DecodePayload is Decode that also returns what the envelope said. Reading
// stops at the end of the root element; anything after it is not read.
func DecodePayload(r io.Reader) (*Payload, error) {
	d := newDecoder(r)
	root, err := d.root()
	if err != nil {
		return nil, toDecodeError(xml.Name{}, err)
	}
	if root.Name == oadrN("oadrPayload") {
		return d.envelope()
	}
	msg, err := d.message(root)
	if err != nil {
		return nil, err
	}
	return &Payload{Message: msg, Bare: true}, nil
}

// root returns the document element, skipping the prolog.
func (d *decoder) root() (xml.StartElement, error) {
	for {
		tok, err := d.x.Token()
		if err == io.EOF {
			return xml.StartElement{}, fmt.Errorf("%w: no root element", ErrMalformed)
		}
		if err != nil {
			return xml.StartElement{}, &malformedError{cause: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return xml.StartElement{}, fmt.Errorf("%w: text before the root element", ErrMalformed)
			}
		}
	}
}

// envelope decodes oadrPayload > [ds:Signature] > oadrSignedObject > message.
func (d *decoder) envelope() (*Payload, error) {
	p := &Payload{}
	var msgErr error
	seenObject := false
	err := d.children(func(se xml.StartElement) error {
		switch se.Name {
		case xml.Name{Space: NamespaceDS, Local: "Signature"}:
			p.Signed = true
			return d.skip()
		case oadrN("oadrSignedObject"):
			if seenObject {
				return fmt.Errorf("%w: more than one oadrSignedObject", ErrMalformed)
			}
			seenObject = true
			for _, a := range se.Attr {
				if a.Name.Local == "Id" && (a.Name.Space == NamespaceOADR || a.Name.Space == "") {
					p.SignedObjectID = a.Value
				}
			}
			return d.children(func(se xml.StartElement) error {
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
		return nil, msgErr
	}
	root := oadrN("oadrPayload")
	if err != nil {
		return nil, toDecodeError(root, err)
	}
	if !seenObject {
		return nil, toDecodeError(root, missing("oadrSignedObject"))
	}
	if p.Message == nil {
		return nil, toDecodeError(root, at("oadrSignedObject", fmt.Errorf("%w: no message", ErrMissingElement)))
	}
	return p, nil
}

// message decodes the message element se. Errors are *DecodeError.
func (d *decoder) message(se xml.StartElement) (Message, error) {
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
// oadrSignedObject (oadr:Id="oadrSignedObject") and the message, with the
// conventional prefixes declared on the root. Errors are *EncodeError.
func Marshal(msg Message) ([]byte, error) {
	b, err := AppendMarshal(make([]byte, 0, 1024), msg)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// AppendMarshal appends the document for msg to b; with a reused b it does not
// allocate. On error it returns b unchanged.
func AppendMarshal(b []byte, msg Message) ([]byte, error) {
	if isNil(msg) {
		return b, &EncodeError{Reason: "nil message"}
	}
	e := encoder{b: append(b, rootOpen...)}
	name := msg.MessageName()
	e.b = append(e.b, "<oadr:"...)
	e.b = append(e.b, name...)
	e.b = append(e.b, ` ei:schemaVersion="`+SchemaVersion+`">`...)
	msg.encode(&e)
	e.close(pOADR, name)
	e.b = append(e.b, rootClose...)
	if e.err != nil {
		e.err.Message = name
		return b, e.err
	}
	return e.b, nil
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// Encode writes the document for msg to w (see Marshal).
func Encode(w io.Writer, msg Message) error {
	bp := bufPool.Get().(*[]byte)
	b, err := AppendMarshal((*bp)[:0], msg)
	if err == nil {
		_, err = w.Write(b)
	}
	if cap(b) <= 64<<10 { // do not pin huge buffers
		*bp = b
		bufPool.Put(bp)
	}
	return err
}

// isNil reports a nil interface or a typed nil pointer inside it.
func isNil(msg Message) bool {
	if msg == nil {
		return true
	}
	v := reflect.ValueOf(msg)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
