package oadr_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// TestRoundTrip: Unmarshal(Marshal(x)) == x for every message type, and the
// three ways of encoding agree.
func TestRoundTrip(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			b, err := oadr.Marshal(f.msg)
			require.NoError(t, err)
			assert.True(t, bytes.HasPrefix(b, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)))

			p, err := oadr.UnmarshalPayload(b)
			require.NoError(t, err)
			assert.Equal(t, f.msg, p.Message)
			assert.Equal(t, "oadrSignedObject", p.SignedObjectID)
			assert.False(t, p.Signed)
			assert.False(t, p.Bare)

			var w bytes.Buffer
			require.NoError(t, oadr.Encode(&w, f.msg))
			assert.Equal(t, b, w.Bytes())
			appended, err := oadr.AppendMarshal([]byte("prefix"), f.msg)
			require.NoError(t, err)
			assert.Equal(t, append([]byte("prefix"), b...), appended)

			m, err := oadr.Decode(bytes.NewReader(b))
			require.NoError(t, err)
			assert.Equal(t, f.msg, m)
		})
	}
}

// prefixScheme chooses the prefix for an element's namespace at a depth;
// "" means a default namespace declaration.
type prefixScheme func(depth int, space string) string

// rewrite re-serialises doc with every element in the prefix the scheme gives,
// declaring it on the element itself (so a prefix that varies with depth is
// rebound on nested elements). Namespaced attributes get their own prefix.
func rewrite(t *testing.T, doc []byte, scheme prefixScheme, envelope bool) []byte {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var out bytes.Buffer
	out.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	type frame struct{ name string }
	var stack []frame
	depth := 0
	skipDepth := 0 // > 0 while inside the envelope being dropped
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		switch tk := tok.(type) {
		case xml.StartElement:
			if !envelope && tk.Name.Space == oadr.NamespaceOADR && (tk.Name.Local == "oadrPayload" || tk.Name.Local == "oadrSignedObject") {
				skipDepth++
				continue
			}
			p := scheme(depth, tk.Name.Space)
			qn := tk.Name.Local
			if p != "" {
				qn = p + ":" + qn
			}
			fmt.Fprintf(&out, "<%s", qn)
			if p == "" {
				fmt.Fprintf(&out, ` xmlns="%s"`, tk.Name.Space)
			} else {
				fmt.Fprintf(&out, ` xmlns:%s="%s"`, p, tk.Name.Space)
			}
			for i, a := range tk.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" && a.Name.Space == "" {
					continue
				}
				if a.Name.Space == "" {
					fmt.Fprintf(&out, ` %s="%s"`, a.Name.Local, a.Value)
					continue
				}
				ap := fmt.Sprintf("at%d", i)
				fmt.Fprintf(&out, ` xmlns:%s="%s" %s:%s="%s"`, ap, a.Name.Space, ap, a.Name.Local, a.Value)
			}
			out.WriteString(">")
			stack = append(stack, frame{qn})
			depth++
		case xml.EndElement:
			if !envelope && tk.Name.Space == oadr.NamespaceOADR && (tk.Name.Local == "oadrPayload" || tk.Name.Local == "oadrSignedObject") {
				skipDepth--
				continue
			}
			depth--
			fmt.Fprintf(&out, "</%s>", stack[len(stack)-1].name)
			stack = stack[:len(stack)-1]
		case xml.CharData:
			require.NoError(t, xml.EscapeText(&out, tk))
		}
	}
	return out.Bytes()
}

// TestNamespacePrefixesDoNotMatter decodes every fixture written four other
// ways: default namespaces on every element, JAXB-style ns2…nsN prefixes, one
// prefix rebound to a different namespace at each level, and bare (no
// envelope). Each must decode to the same value.
func TestNamespacePrefixesDoNotMatter(t *testing.T) {
	jaxb := map[string]string{}
	schemes := []struct {
		name     string
		scheme   prefixScheme
		envelope bool
	}{
		{"default-namespaces", func(int, string) string { return "" }, true},
		{"jaxb-ns2-ns13", func(_ int, space string) string {
			if _, ok := jaxb[space]; !ok {
				jaxb[space] = fmt.Sprintf("ns%d", len(jaxb)+2)
			}
			return jaxb[space]
		}, true},
		{"rebound-prefix", func(depth int, _ string) string { return fmt.Sprintf("p%d", depth%3) }, true},
		{"bare-message", func(_ int, space string) string { return "x" }, false},
	}
	for _, f := range fixtures() {
		orig, err := oadr.Marshal(f.msg)
		require.NoError(t, err)
		for _, s := range schemes {
			t.Run(f.name+"/"+s.name, func(t *testing.T) {
				doc := rewrite(t, orig, s.scheme, s.envelope)
				require.NotEqual(t, orig, doc)
				p, err := oadr.UnmarshalPayload(doc)
				require.NoError(t, err, "%s", doc)
				assert.Equal(t, f.msg, p.Message)
				assert.Equal(t, !s.envelope, p.Bare)
			})
		}
	}
}

// TestPrefixIsNotTheNamespace: the prefix "ei" bound to the oadr namespace
// makes ei:venID an oadr element, which is not the venID an oadrPoll needs.
func TestPrefixIsNotTheNamespace(t *testing.T) {
	doc := `<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" xmlns:ei="` + oadr.NamespaceOADR + `"><ei:venID>V</ei:venID></oadr:oadrPoll>`
	_, err := oadr.Unmarshal([]byte(doc))
	require.ErrorIs(t, err, oadr.ErrMissingElement)
	var de *oadr.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "venID", de.Path)
	assert.Equal(t, xml.Name{Space: oadr.NamespaceOADR, Local: "oadrPoll"}, de.Element)

	// The same element with a correct binding but an unusual prefix decodes.
	doc = `<a:oadrPoll xmlns:a="` + oadr.NamespaceOADR + `"><b:venID xmlns:b="` + oadr.NamespaceEI + `">V</b:venID></a:oadrPoll>`
	m, err := oadr.Unmarshal([]byte(doc))
	require.NoError(t, err)
	assert.Equal(t, &oadr.Poll{VenID: "V"}, m)
}

func TestDecodeErrors(t *testing.T) {
	const ns = `xmlns:oadr="` + oadr.NamespaceOADR + `" xmlns:ei="` + oadr.NamespaceEI + `" xmlns:pyld="` + oadr.NamespacePyld + `"`
	wrap := func(inner string) string {
		return `<oadr:oadrPayload ` + ns + `><oadr:oadrSignedObject>` + inner + `</oadr:oadrSignedObject></oadr:oadrPayload>`
	}
	tests := []struct {
		name    string
		doc     string
		want    error
		element string // DecodeError.Element.Local
		path    string
		text    string // substring of the message
	}{
		{"empty", ``, oadr.ErrMalformed, "", "", "no root element"},
		{"not xml", `{"venID": "x"}`, oadr.ErrMalformed, "", "", "text before the root"},
		{"truncated", wrap(`<oadr:oadrPoll><ei:venID>V`)[:60], oadr.ErrMalformed, "", "", ""},
		{"mismatched tags", `<oadr:oadrPoll ` + ns + `><ei:venID>V</ei:vtnID></oadr:oadrPoll>`, oadr.ErrMalformed, "oadrPoll", "venID", "syntax error"},
		{"unknown root", `<foo/>`, oadr.ErrUnknownMessage, "foo", "", "{}foo"},
		{"unknown message", wrap(`<oadr:oadrFoo/>`), oadr.ErrUnknownMessage, "oadrFoo", "", "oadrFoo"},
		{"2.0a message", `<oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0a/2012/07"/>`, oadr.ErrUnknownMessage, "oadrPoll", "", "2.0a"},
		{"no signed object", `<oadr:oadrPayload ` + ns + `/>`, oadr.ErrMissingElement, "oadrPayload", "oadrSignedObject", ""},
		{"empty signed object", wrap(``), oadr.ErrMissingElement, "oadrPayload", "oadrSignedObject", "no message"},
		{"two messages", wrap(`<oadr:oadrPoll><ei:venID>A</ei:venID></oadr:oadrPoll><oadr:oadrPoll><ei:venID>B</ei:venID></oadr:oadrPoll>`), oadr.ErrMalformed, "oadrPayload", "oadrSignedObject/oadrPoll", "more than one message"},
		{"missing venID", wrap(`<oadr:oadrPoll/>`), oadr.ErrMissingElement, "oadrPoll", "venID", "missing required element"},
		{"child in text", wrap(`<oadr:oadrPoll><ei:venID>V<b/></ei:venID></oadr:oadrPoll>`), oadr.ErrInvalidValue, "oadrPoll", "venID", "unexpected element <b>"},
		{"bad response code", wrap(`<oadr:oadrResponse><ei:eiResponse><ei:responseCode>OK</ei:responseCode><pyld:requestID/></ei:eiResponse></oadr:oadrResponse>`), oadr.ErrInvalidValue, "oadrResponse", "eiResponse/responseCode", `"OK"`},
		{"bad boolean", wrap(`<oadr:oadrCreatePartyRegistration><pyld:requestID>R</pyld:requestID><oadr:oadrProfileName>2.0b</oadr:oadrProfileName><oadr:oadrTransportName>simpleHttp</oadr:oadrTransportName><oadr:oadrReportOnly>yes</oadr:oadrReportOnly><oadr:oadrXmlSignature>false</oadr:oadrXmlSignature></oadr:oadrCreatePartyRegistration>`), oadr.ErrInvalidValue, "oadrCreatePartyRegistration", "oadrReportOnly", `"yes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := oadr.Unmarshal([]byte(tt.doc))
			require.Error(t, err)
			assert.Nil(t, m)
			require.ErrorIs(t, err, tt.want)
			var de *oadr.DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, tt.element, de.Element.Local)
			assert.Equal(t, tt.path, de.Path)
			assert.Contains(t, err.Error(), tt.text)
			assert.True(t, strings.HasPrefix(err.Error(), "oadr: decoding "), err.Error())
		})
	}
}

// TestDecodeValueErrorsNameTheField checks the path through a deep message.
func TestDecodeValueErrorsNameTheField(t *testing.T) {
	b, err := oadr.Marshal(&oadr.UpdateReport{RequestID: "R", Reports: []oadr.Report{telemetryUsageData(2)}})
	require.NoError(t, err)
	for _, tt := range []struct{ from, to, path, text string }{
		{"<ei:value>-48.8</ei:value>", "<ei:value>lots</ei:value>", "oadrReport/intervals/interval/oadrReportPayload/payloadFloat/value", `"lots" is not a number`},
		{"<xcal:duration>PT2M</xcal:duration>", "<xcal:duration>2 minutes</xcal:duration>", "oadrReport/duration/duration", `duration "2 minutes"`},
		{"<ei:createdDateTime>2025-06-01T12:07:00Z", "<ei:createdDateTime>yesterday", "oadrReport/createdDateTime", `date-time "yesterday"`},
		{"<ei:reportSpecifierID>battery1_telemetry_usage</ei:reportSpecifierID>", "", "oadrReport/reportSpecifierID", "missing"},
	} {
		doc := bytes.Replace(b, []byte(tt.from), []byte(tt.to), 1)
		require.NotEqual(t, b, doc, tt.from)
		_, err := oadr.Unmarshal(doc)
		var de *oadr.DecodeError
		require.ErrorAs(t, err, &de, tt.path)
		assert.Equal(t, tt.path, de.Path)
		assert.Contains(t, err.Error(), tt.text)
	}
}

func TestSyntaxErrorIsReachable(t *testing.T) {
	_, err := oadr.Unmarshal([]byte(`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `"><a></b></oadr:oadrPoll>`))
	var se *xml.SyntaxError
	require.ErrorAs(t, err, &se)
	assert.ErrorIs(t, err, oadr.ErrMalformed)
}

// TestLiberalInput: what real VENs send and the schema frowns upon or allows
// in forms the encoder never writes.
func TestLiberalInput(t *testing.T) {
	const ns = `xmlns:oadr="` + oadr.NamespaceOADR + `" xmlns:ei="` + oadr.NamespaceEI + `" xmlns:pyld="` + oadr.NamespacePyld + `" xmlns:xcal="` + oadr.NamespaceXCal + `"`
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>
<!-- comment before the root -->
<oadr:oadrCreatedPartyRegistration ` + ns + `>
  <unknown xmlns="urn:example">skipped <deeper/></unknown>
  <oadr:oadrProfiles><oadr:oadrProfile><oadr:oadrProfileName> 2.0b </oadr:oadrProfileName>
    <oadr:oadrTransports><oadr:oadrTransport><oadr:oadrTransportName>simpleHttp</oadr:oadrTransportName></oadr:oadrTransport></oadr:oadrTransports>
  </oadr:oadrProfile></oadr:oadrProfiles>
  <ei:vtnID>VTN_` + "\xe9" + `</ei:vtnID>
  <ei:eiResponse><ei:responseCode> 200 </ei:responseCode><pyld:requestID><![CDATA[a<b]]><!-- c -->c</pyld:requestID></ei:eiResponse>
  <oadr:oadrRequestedOadrPollFreq><xcal:duration>PT0.5S</xcal:duration></oadr:oadrRequestedOadrPollFreq>
</oadr:oadrCreatedPartyRegistration>`
	m, err := oadr.Unmarshal([]byte(doc))
	require.NoError(t, err)
	c := m.(*oadr.CreatedPartyRegistration)
	assert.Equal(t, "VTN_é", c.VtnID, "ISO-8859-1 converted")
	assert.Equal(t, oadr.CodeOK, c.Response.Code)
	assert.Equal(t, "a<bc", c.Response.RequestID, "CDATA and comment joined")
	assert.Equal(t, oadr.Profile20b, c.Profiles[0].Name, "token trimmed")
	assert.Equal(t, 500_000_000, int(c.PollFreq))
}

// TestDeepNesting: encoding/xml reads tokens iteratively and Skip is
// iterative, so a hostile depth costs memory, not stack.
func TestDeepNesting(t *testing.T) {
	const depth = 200_000
	var b strings.Builder
	b.WriteString(`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `" xmlns:ei="` + oadr.NamespaceEI + `"><ei:venID>V</ei:venID>`)
	b.WriteString(strings.Repeat("<x>", depth))
	b.WriteString(strings.Repeat("</x>", depth))
	b.WriteString(`</oadr:oadrPoll>`)
	m, err := oadr.Unmarshal([]byte(b.String()))
	require.NoError(t, err)
	assert.Equal(t, &oadr.Poll{VenID: "V"}, m)

	// Unclosed deep nesting is a syntax error, not a crash.
	_, err = oadr.Unmarshal([]byte(`<oadr:oadrPoll xmlns:oadr="` + oadr.NamespaceOADR + `">` + strings.Repeat("<x>", depth)))
	assert.ErrorIs(t, err, oadr.ErrMalformed)
}

// TestContentAfterTheRoot: a document ends with its root element; white
// space, comments and processing instructions may follow, nothing else.
func TestContentAfterTheRoot(t *testing.T) {
	b, err := oadr.Marshal(&oadr.Poll{VenID: "V"})
	require.NoError(t, err)
	for _, tail := range []string{"", "\n", " \t\r\n", "<!-- c -->\n", "<?pi x?>", "\n<!--a--> <?b?>\n"} {
		m, err := oadr.Unmarshal(append(bytes.Clone(b), tail...))
		require.NoError(t, err, "%q", tail)
		assert.Equal(t, &oadr.Poll{VenID: "V"}, m)
		m, err = oadr.Decode(bytes.NewReader(append(bytes.Clone(b), tail...)))
		require.NoError(t, err, "%q", tail)
		assert.Equal(t, &oadr.Poll{VenID: "V"}, m)
	}
	for _, tail := range []string{"x", " <tail/>", "<oadr:oadrPayload/>", "\n&amp;", "<![CDATA[x]]>", "<!DOCTYPE x>", "</x>", "<", "&bad;", "\x00"} {
		_, err := oadr.Unmarshal(append(bytes.Clone(b), tail...))
		require.ErrorIs(t, err, oadr.ErrMalformed, "%q", tail)
		_, err = oadr.Decode(bytes.NewReader(append(bytes.Clone(b), tail...)))
		require.ErrorIs(t, err, oadr.ErrMalformed, "%q", tail)
	}
	_, err = oadr.Unmarshal(append(bytes.Clone(b), " <tail/>"...))
	assert.EqualError(t, err, "oadr: decoding document: malformed document: content after the root element")
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("read past the root element") }

func TestReadErrorIsReturned(t *testing.T) {
	b, err := oadr.Marshal(&oadr.Poll{VenID: "V"})
	require.NoError(t, err)
	_, err = oadr.Decode(io.MultiReader(bytes.NewReader(b[:100]), errReader{}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "read past the root element")
}

func TestSignedPayload(t *testing.T) {
	doc := `<oadrPayload xmlns="` + oadr.NamespaceOADR + `"><ds:Signature xmlns:ds="` + oadr.NamespaceDS + `"><ds:SignedInfo/></ds:Signature>` +
		`<oadrSignedObject Id="oadrSignedObject"><oadrPoll><venID xmlns="` + oadr.NamespaceEI + `">V</venID></oadrPoll></oadrSignedObject></oadrPayload>`
	p, err := oadr.UnmarshalPayload([]byte(doc))
	require.NoError(t, err)
	assert.True(t, p.Signed)
	assert.Equal(t, "oadrSignedObject", p.SignedObjectID)
	assert.Equal(t, &oadr.Poll{VenID: "V"}, p.Message)
}

func TestMarshalEscapes(t *testing.T) {
	m := &oadr.Poll{VenID: "a<b>&\"c'\td\ne\x00f\uFFFEg\xff"}
	b, err := oadr.Marshal(m)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "\x00")
	got, err := oadr.Unmarshal(b)
	require.NoError(t, err)
	assert.Equal(t, "a<b>&\"c'\td\ne\uFFFDf\uFFFDg\uFFFD", got.(*oadr.Poll).VenID)
}

func TestMarshalErrors(t *testing.T) {
	var nilPoll *oadr.Poll
	// Each case breaks one thing in an otherwise valid message.
	event := func(edit func(*oadr.Event)) oadr.Message {
		ev := chargeDischargeEvent()
		edit(&ev)
		return &oadr.DistributeEvent{RequestID: "R", VtnID: "V", Events: []oadr.Event{ev}}
	}
	report := func(edit func(*oadr.Report)) oadr.Message {
		r := telemetryUsageMetadata()
		edit(&r)
		return &oadr.RegisterReport{RequestID: "R", Reports: []oadr.Report{r}}
	}
	tests := []struct {
		name  string
		msg   oadr.Message
		field string
	}{
		{"nil", nil, ""},
		{"typed nil", nilPoll, ""},
		{"no profiles", &oadr.CreatedPartyRegistration{Response: oadr.OK("R"), VtnID: "VTN"}, "oadrProfiles"},
		{"empty profile name", &oadr.CreatedPartyRegistration{Response: oadr.OK("R"), VtnID: "VTN", Profiles: []oadr.Profile{{Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}}}, "oadrProfiles/oadrProfile/oadrProfileName"},
		{"no transports", &oadr.CreatedPartyRegistration{Response: oadr.OK("R"), VtnID: "VTN", Profiles: []oadr.Profile{{Name: oadr.Profile20b}}}, "oadrProfiles/oadrProfile/oadrTransports"},
		{"empty transport name", &oadr.CreatePartyRegistration{RequestID: "R", ProfileName: oadr.Profile20b}, "oadrTransportName"},
		{"no report requests", &oadr.CreateReport{RequestID: "R"}, "oadrReportRequest"},
		{"no specifier payloads", &oadr.CreateReport{RequestID: "R", ReportRequests: []oadr.ReportRequest{{ReportRequestID: "RR"}}}, "oadrReportRequest/reportSpecifier/specifierPayload"},
		{"power item without attributes", event(func(ev *oadr.Event) { ev.Signals[0].ItemBase.PowerAttributes = nil }), "powerReal/powerAttributes"},
		{"unknown item kind", report(func(r *oadr.Report) { r.Descriptions[0].ItemBase.Kind = "watts" }), "itemBase"},
		{"greenbutton", report(func(r *oadr.Report) { r.Descriptions[0].ItemBase = &oadr.ItemBase{Kind: oadr.ItemGreenButton} }), "oadrGBDataDescription"},
		{"empty reading type", report(func(r *oadr.Report) { r.Descriptions[1].ReadingType = "" }), "oadrReportDescription/readingType"},
		{"zero created time", report(func(r *oadr.Report) { r.CreatedDateTime = time.Time{} }), "oadrReport/createdDateTime"},
		{"year 10000", report(func(r *oadr.Report) { r.CreatedDateTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), "createdDateTime"},
		{"confidence above 100", &oadr.UpdateReport{RequestID: "R", Reports: []oadr.Report{{
			Intervals:       []oadr.ReportInterval{{Payloads: []oadr.ReportPayload{{RID: "r", Confidence: new(uint32(101))}}}},
			CreatedDateTime: t0,
		}}}, "oadrReportPayload/confidence"},
		{"interval without payload", &oadr.UpdateReport{RequestID: "R", Reports: []oadr.Report{{Intervals: []oadr.ReportInterval{{}}, CreatedDateTime: t0}}}, "oadrReport/intervals/interval"},
		{"four-digit code", &oadr.Response{Response: oadr.EiResponse{Code: 1000}}, "eiResponse/responseCode"},
		{"no event signals", event(func(ev *oadr.Event) { ev.Signals = nil }), "oadrEvent/eiEvent/eiEventSignals"},
		{"signal without intervals", event(func(ev *oadr.Event) { ev.Signals[1].Intervals = nil }), "intervals"},
		{"empty signal type", event(func(ev *oadr.Event) { ev.Signals[2].SignalType = "" }), "eiEventSignal/signalType"},
		{"empty event status", event(func(ev *oadr.Event) { ev.Descriptor.Status = "" }), "eventDescriptor/eventStatus"},
		{"zero active period", event(func(ev *oadr.Event) { ev.ActivePeriod.Start = time.Time{} }), "properties/dtstart"},
		{"empty opt type", &oadr.CreatedEvent{Response: oadr.OK(""), EventResponses: []oadr.EventResponse{{Code: 200}}, VenID: "V"}, "eventResponse/optType"},
		{"no cancelled requests", &oadr.CancelReport{RequestID: "R"}, "reportRequestID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := oadr.Marshal(tt.msg)
			var ee *oadr.EncodeError
			require.ErrorAs(t, err, &ee)
			assert.Nil(t, b)
			assert.Equal(t, tt.field, ee.Field)
			if tt.msg != nil && tt.field != "" {
				assert.Equal(t, tt.msg.MessageName(), ee.Message)
				assert.Contains(t, err.Error(), tt.field)
			}
			assert.Error(t, oadr.Encode(io.Discard, tt.msg))
			out, err := oadr.AppendMarshal([]byte("keep"), tt.msg)
			assert.Error(t, err)
			assert.Equal(t, []byte("keep"), out)
		})
	}
}

func TestMessageNames(t *testing.T) {
	for _, f := range fixtures() {
		b, err := oadr.Marshal(f.msg)
		require.NoError(t, err)
		assert.Contains(t, string(b), "<oadr:"+f.msg.MessageName()+` ei:schemaVersion="2.0b">`)
	}
}

// TestReadErrorsAreNotMalformed: a failing reader (a body limit, a dropped
// connection) is reported as itself, not as a bad document.
func TestReadErrorsAreNotMalformed(t *testing.T) {
	b, err := oadr.Marshal(&oadr.Poll{VenID: "V"})
	require.NoError(t, err)
	for _, n := range []int{0, 10, 200} {
		_, err := oadr.Decode(io.MultiReader(bytes.NewReader(b[:n]), errReader{}))
		require.Error(t, err)
		assert.NotErrorIs(t, err, oadr.ErrMalformed, "cut at %d", n)
		assert.Contains(t, err.Error(), "read past the root element")
	}
	_, err = oadr.Unmarshal([]byte(`<?xml version="1.0" encoding="EBCDIC"?><oadrPoll/>`))
	assert.ErrorIs(t, err, oadr.ErrMalformed)
	assert.Contains(t, err.Error(), "EBCDIC")
}

func TestUTF16Input(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-16"?><oadrPoll xmlns="` + oadr.NamespaceOADR + `"><venID xmlns="` + oadr.NamespaceEI + `">Vé😀</venID></oadrPoll>`
	for _, big := range []bool{false, true} {
		var b []byte
		b = append(b, 0xFF, 0xFE)
		if big {
			b = []byte{0xFE, 0xFF}
		}
		for _, u := range utf16.Encode([]rune(doc)) {
			if big {
				b = append(b, byte(u>>8), byte(u))
			} else {
				b = append(b, byte(u), byte(u>>8))
			}
		}
		for _, r := range []io.Reader{bytes.NewReader(b), io.MultiReader(bytes.NewReader(b))} {
			m, err := oadr.Decode(r)
			require.NoError(t, err, "big endian: %v", big)
			assert.Equal(t, &oadr.Poll{VenID: "Vé😀"}, m)
		}
	}
	_, err := oadr.Unmarshal([]byte{0xFE, 0xFF, 0x00, '<', 0x00})
	assert.ErrorIs(t, err, oadr.ErrMalformed)
}

// TestAcceptedButNotWritable: an offset can push a valid date past year 9999
// in UTC; the decoder accepts it, the encoder refuses to write five digits.
func TestAcceptedButNotWritable(t *testing.T) {
	r := telemetryUsageData(1)
	var err error
	r.CreatedDateTime, err = oadr.ParseDateTime("9999-12-31T23:59:59-01:00")
	require.NoError(t, err)
	assert.Equal(t, 10000, r.CreatedDateTime.Year())
	_, err = oadr.Marshal(&oadr.UpdateReport{RequestID: "R", Reports: []oadr.Report{r}})
	var ee *oadr.EncodeError
	require.ErrorAs(t, err, &ee)
	assert.Contains(t, ee.Reason, "year 10000")
}

// spaces reads as endless white space.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestDecodeIsBounded: Decode holds at most MaxDocumentSize bytes of input.
func TestDecodeIsBounded(t *testing.T) {
	_, err := oadr.Decode(spaces{})
	require.ErrorIs(t, err, oadr.ErrTooLarge)
	assert.NotErrorIs(t, err, oadr.ErrMalformed)

	b, err := oadr.Marshal(&oadr.Poll{VenID: "V"})
	require.NoError(t, err)
	m, err := oadr.Decode(io.MultiReader(bytes.NewReader(b), io.LimitReader(spaces{}, int64(oadr.MaxDocumentSize-len(b)))))
	require.NoError(t, err, "a document of exactly MaxDocumentSize bytes")
	assert.Equal(t, &oadr.Poll{VenID: "V"}, m)
}

// TestTwoSignalPayloads: the schema allows several payloads per interval;
// this package carries one and says so rather than keep either.
func TestTwoSignalPayloads(t *testing.T) {
	b, err := oadr.Marshal(&oadr.DistributeEvent{RequestID: "R", VtnID: "V", Events: []oadr.Event{chargeDischargeEvent()}})
	require.NoError(t, err)
	doc := string(b)
	i := strings.Index(doc, "<ei:signalPayload>")
	j := strings.Index(doc, "</ei:signalPayload>") + len("</ei:signalPayload>")
	require.True(t, i > 0 && j > i)
	_, err = oadr.Unmarshal([]byte(doc[:j] + doc[i:j] + doc[j:]))
	require.ErrorIs(t, err, oadr.ErrInvalidValue)
	var de *oadr.DecodeError
	require.ErrorAs(t, err, &de)
	assert.True(t, strings.HasSuffix(de.Path, "intervals/interval/signalPayload"), de.Path)
	assert.Contains(t, err.Error(), "more than one signalPayload")
}

// TestFloatShortcut: the decoder reads short decimals without
// strconv.ParseFloat; it must give what strconv gives, to the bit, on every
// kind of short decimal and on what is not one.
func TestFloatShortcut(t *testing.T) {
	ins := []string{"0", "-0", "0.0", "-0.0", "1.", ".5", "-.5", ".", "-", "", "-.", "1.2.3", "1e5", "1E5", "+1", "--1",
		"51.2", "-48.8", "27.5", "0.1", "0.3", "123456789012345", "1234567890123456", "0.000000000000001", "0.0000000000000001",
		"999999999999999", "99999999999999.9", "9007199254740993", "1_0", "0x10", "INF", "NaN", "1,5", "00000000000000000001"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		digits := fmt.Sprintf("%018d", rng.Uint64N(1_000_000_000_000_000_000))[:1+rng.IntN(16)]
		at := rng.IntN(len(digits) + 1)
		in := digits[:at] + "." + digits[at:]
		if rng.IntN(2) == 0 {
			in = "-" + in
		}
		ins = append(ins, in, digits)
	}
	for _, in := range ins {
		require.True(t, oadr.ShortcutsAgree(in), "%q as bytes", in)
		got, err := oadr.ParseFloat(in)
		want, wantErr := strconv.ParseFloat(in, 64)
		if wantErr != nil || strings.ContainsAny(in, "xX_") {
			require.Error(t, err, in)
			continue
		}
		require.NoError(t, err, in)
		require.Equal(t, math.Float64bits(want), math.Float64bits(got), "%q: %v, want %v", in, got, want)
	}
}
