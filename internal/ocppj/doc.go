// Package ocppj knows OCPP-J framing and nothing of what the frames mean:
// it parses and writes [2,id,action,payload] calls, [3,id,payload] results
// and call errors, and correlates answers with pending calls. Meaning
// (commands, payloads) belongs to the protocol package above it, such as
// balanz, in the manner of lorenzodonini/ocpp-go's ocppj layer.
//
// Two call-error shapes are understood: the OCPP 1.6 five-element
// [4,id,code,description,details], and the three-element [4,id,payload]
// that balanz's API sends. Some servers (balanz again) answer a frame they
// could not attribute with a fixed id such as "007"; a Pending set up with
// OrphanIDs hands such an answer to the oldest pending call, which is
// correct when the server answers strictly in order. A call its caller gave
// up keeps its place in that order until answered, so no answer ever falls
// on the wrong caller. ParseAnswer reads an answer's head without decoding
// its payload, which the caller decodes once, into its own type.
package ocppj
