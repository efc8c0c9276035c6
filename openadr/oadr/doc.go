// Package oadr holds the OpenADR 2.0b wire types of the simple-HTTP profile and an
// XML codec for them. It knows XML only: registration, queues, reports and events
// are the business of package openadr (the VTN) and openadr/ven (a VEN client).
//
// Every message of the profile is a Go struct (*Poll, *CreatePartyRegistration,
// *UpdateReport, *DistributeEvent, …) that implements [Message]. [Decode] and
// [Unmarshal] accept a full oadrPayload envelope (oadrPayload > optional
// ds:Signature > oadrSignedObject > message) or a bare message element and
// return the one message; [Marshal] and [Encode] always write the envelope:
//
//	msg, err := oadr.Decode(req.Body)
//	if err != nil {
//		// *oadr.DecodeError: errors.Is(err, oadr.ErrUnknownMessage), oadr.ErrMissingElement, …
//	}
//	switch m := msg.(type) {
//	case *oadr.Poll:
//		body, _ := oadr.Marshal(oadr.NewResponse(oadr.CodeOK, "OK", ""))
//		…
//	case *oadr.UpdateReport:
//		…
//	}
//
// # Namespaces
//
// Elements are matched by namespace URI and local name, never by prefix: JAXB-style
// ns2:…ns13: prefixes, default namespaces and prefixes rebound on nested elements
// all decode alike. Output uses the conventional prefixes (oadr, pyld, ei, emix,
// power, scale, xcal, strm, gml), declares those the document uses once on the
// root, and writes every element in the order of the schema's sequences, so it
// validates against oadr_20b.xsd. Date-times are written in UTC with "Z",
// durations as ISO 8601 ("PT10S", "P1DT2H"); see [ParseDuration] and
// [FormatDuration]. [ServiceOf] names the endpoint a message belongs to.
//
// # Decoding rules
//
// The decoder is liberal in what it accepts, as real VENs require: children may come
// in any order, unknown elements are skipped, surrounding blanks in numbers, dates
// and enumerations are ignored, empty strings (an empty eiReportID, an empty
// requestID in an eiResponse) are kept as "". It rejects, with a *[DecodeError] that
// names the element, what a VTN or VEN could not act on: malformed XML, a root or
// message element that is not an OpenADR 2.0b message ([ErrUnknownMessage]), an
// element the schema requires that is absent ([ErrMissingElement]), and a value
// that does not parse as its schema type ([ErrInvalidValue]). A repeated
// single-valued element keeps its last occurrence.
//
// Required elements are enforced where they identify or reference something
// (requestID, venID, vtnID, registrationID, eventID, reportRequestID,
// reportSpecifierID, rID, optID), carry the value or meaning of the message
// (responseCode, payloads, signal name and type, dtstart and duration of a
// period, createdDateTime, the booleans of a registration or resource status)
// or hold the message together (eiResponse, eiEvent, reportSpecifier). An
// element that must be present may still be empty: OpenLEADR and EPRI send
// <pyld:requestID/> in answers to polls, which decodes as "". Inside unit
// descriptions (itemBase), targets, profiles and oadrInfo lists, absent
// children decode as zero values: they describe rather than direct, and a VTN
// checks them against its own expectations anyway. An oadrCreatedEvent with
// an empty eventResponses and an oadrRegisterReport with no reports are valid.
// Years and months in durations, which have no fixed length, are read as 365
// and 30 days (the Alliance samples write "P5M" for five minutes).
//
// Optional values use the zero value for "absent" where zero carries no meaning of
// its own (empty strings, zero time.Time, a zero duration or priority) and a
// pointer where zero is a legitimate value (a payload's confidence, a load-control
// state's minimum). Go's new(expr) builds such
// pointers: new(true), new(0.0).
//
// Documents are decoded from memory ([Decode] reads its input to the end
// first) by a scanner made for the XML OpenADR peers send, about ten times
// faster than encoding/xml; whatever it does not handle itself (a DOCTYPE,
// an encoding other than UTF-8, a non-ASCII element name, malformed input)
// is decoded by encoding/xml instead, with the same result and the same
// errors. A document ends with its root element: anything after it but
// white space, comments and processing instructions is [ErrMalformed].
//
// A receiver of many documents from a few programs, such as a VTN, can
// decode them with a [Shapes] instead: it returns what Unmarshal returns,
// and reads a poll or update report shaped like one it has decoded (the
// same markup, other values) from its changed values alone, about three
// times faster for a telemetry report.
//
// Nesting depth and document size are bounded by the caller (the VTN limits the
// request body). Tokens are read iteratively and this package recurses only
// through the fixed depth of the schema's types, skipping anything deeper
// without recursion, so deeply nested input costs memory proportional to its
// size but cannot exhaust the stack. Only the five predefined entities and
// character references are expanded, so entity-expansion attacks do not apply.
//
// This package does not verify XML signatures: [Payload.Signed] only reports
// that a ds:Signature preceded the signed object. Package
// github.com/gridwire/gridwire/openadr/oadrsig signs and verifies them, on
// the bytes Marshal writes and Unmarshal reads.
package oadr
