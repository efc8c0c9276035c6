package oadr_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// shapedDocs are polls and reports whose shapes Shapes learns: the
// battery sample's report as written (indented), the alliance's and
// AVOB's (confidence, accuracy, uid, data quality), OpenLEADR's (compact,
// an empty eiReportID, namespaces declared inside), one of ours, and the
// polls of the samples' VENs and ours.
func shapedDocs(tb testing.TB) map[string][]byte {
	tb.Helper()
	poll, err := oadr.Marshal(&oadr.Poll{VenID: "ven-1"})
	require.NoError(tb, err)
	docs := map[string][]byte{"successive": successiveReports(tb, 1)[0], "poll": poll}
	for _, rel := range []string{
		"battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml",
		"alliance/Sample_oadrUpdateReport.xml",
		"avob/eireport_oadrUpdateReport.xml",
		"openleadr-interop/14_ven2vtn_oadrUpdateReport_telemetry_usage.xml",
		"battery/oadrUpdateReport_battery_TELEMETRY_STATUS.xml",
		"alliance/Sample_oadrUpdateReport_Telemetry_Status.xml",
		"alliance/Sample_oadrPoll.xml",
		"avob/poll_oadrPoll.xml",
		"battery/oadrPoll_battery.xml",
		"epri-ven-interop/005_ven2vtn_oadrPoll.xml",
		"openleadr-interop/13_ven2vtn_oadrPoll.xml",
	} {
		docs[rel] = readSample(tb, rel)
	}
	return docs
}

// learned returns a Shapes that has learned doc's shape, and the shape's
// markup and texts.
func learned(tb testing.TB, doc []byte) (s *oadr.Shapes, markup, texts [][]byte) {
	tb.Helper()
	s = new(oadr.Shapes)
	want, err := oadr.Unmarshal(doc)
	require.NoError(tb, err)
	got, err := s.Unmarshal(doc)
	require.NoError(tb, err)
	require.Equal(tb, want, got)
	require.Equal(tb, 1, s.Learned(), "no shape learned")
	markup, texts = s.Cuts()
	require.Len(tb, markup, len(texts)+1)
	return s, markup, texts
}

// join puts texts between the pieces of markup.
func join(markup, texts [][]byte) []byte {
	var b []byte
	for k, t := range texts {
		b = append(append(b, markup[k]...), t...)
	}
	return append(b, markup[len(texts)]...)
}

// plainForShapes is the rule Shapes holds texts to, written out again:
// printable ASCII but "<&>]", tabs and line feeds.
func plainForShapes(text []byte) bool {
	for _, c := range text {
		if (c < 0x20 || c > 0x7e || strings.IndexByte("<&>]", c) >= 0) && c != '\t' && c != '\n' {
			return false
		}
	}
	return true
}

// sameAsUnmarshal checks that what s reads of doc is what Unmarshal reads,
// and that s replays every document of its shape that decodes. It returns
// whether doc was replayed.
func sameAsUnmarshal(t *testing.T, s *oadr.Shapes, doc []byte, texts [][]byte) bool {
	t.Helper()
	want, wantErr := oadr.Unmarshal(doc)
	got, replayed := s.Replay(doc)
	if replayed {
		require.NoError(t, wantErr, "replayed a document Unmarshal refuses:\n%s", doc)
		require.True(t, sameMessage(want, got), "replayed otherwise than Unmarshal:\n%#v\n%#v\n%s", want, got, doc)
	}
	allPlain := true
	for _, text := range texts {
		allPlain = allPlain && plainForShapes(text)
	}
	if allPlain && wantErr == nil {
		require.True(t, replayed, "did not replay a document of its shape:\n%s", doc)
	}
	readsAsUnmarshal(t, s, doc)
	return replayed
}

// readsAsUnmarshal checks that s reads doc as Unmarshal does: the same
// message, or the same error, which it returns.
func readsAsUnmarshal(t *testing.T, s *oadr.Shapes, doc []byte) error {
	t.Helper()
	want, wantErr := oadr.Unmarshal(doc)
	got, err := s.Unmarshal(doc)
	if wantErr != nil {
		require.EqualError(t, err, wantErr.Error(), "%s", doc)
		return err
	}
	require.NoError(t, err)
	require.True(t, sameMessage(want, got), "read otherwise than Unmarshal:\n%#v\n%#v\n%s", want, got, doc)
	return nil
}

// sameMessage is the decoder tests' sameValue for two messages: NaN, which
// a document may say, equals NaN.
func sameMessage(a, b oadr.Message) bool { return sameValue(reflect.ValueOf(a), reflect.ValueOf(b)) }

// Texts for the slots of a report, by the type of the text they replace.
var (
	dateTexts     = []string{"2025-06-01T12:06:00Z", "2026-11-22T01:45:36.003125Z", "2025-06-01T14:06:00+02:00", " 2025-06-01T12:06:00Z\n", "2001-12-17T09:30:47.5-05:00"}
	durationTexts = []string{"PT1M", "PT15M", "P1D", "PT0S", "PT2M", " PT1M "}
	numberTexts   = []string{"51.2", "-48.8", "0", "-0", "1e3", "3.14159E0", "INF", "-INF", "NaN", "+5", " 12 ", "95", "100", "0.2"}
	booleanTexts  = []string{"true", "false", "1", "0", " true "}
	integerTexts  = []string{"95", "100", "0", "7", " 42 ", "+7"}
	stringTexts   = []string{"battery1_soc", "REQ_0002", "Quality Good - Non Specific", "TELEMETRY_USAGE", "x y", "\t", "", " padded "}
	// Texts Shapes must refuse (not plain) or the decoder rejects.
	badTexts = []string{"2025-13-01T12:06:00Z", "-PT1M", "PT", "1.2.3", "101", "4294967296", "a&amp;b", "a<b", "a>b", "]]>", "a\rb", "é", "\x01", "<x>1</x>", "</ei:value>"}
)

// someText returns another text for a slot whose text is own: mostly one
// of own's type, the way a VEN's next report differs from its last; if
// wild, any text.
func someText(rng *rand.Rand, own []byte, wild bool) []byte {
	if wild {
		const alphabet = "0123456789.-+eEPTMZ: \t\n&<>]\r\xc3"
		switch rng.IntN(3) {
		case 0:
			return []byte(badTexts[rng.IntN(len(badTexts))])
		case 1:
			junk := make([]byte, rng.IntN(6))
			for i := range junk {
				junk[i] = alphabet[rng.IntN(len(alphabet))]
			}
			return junk
		}
	}
	texts := stringTexts
	switch o := strings.TrimSpace(string(own)); {
	case len(o) >= 19 && o[4] == '-' && o[10] == 'T':
		texts = dateTexts
	case strings.HasPrefix(o, "P"):
		texts = durationTexts
	case o == "true" || o == "false":
		texts = booleanTexts
	case o != "" && strings.Trim(o, "0123456789") == "":
		texts = integerTexts
	case strings.ContainsAny(o, "0123456789") && strings.Trim(o, "0123456789.-+eE") == "":
		texts = numberTexts
	}
	if rng.IntN(3) == 0 {
		return own
	}
	return []byte(texts[rng.IntN(len(texts))])
}

// TestShapesReadWhatUnmarshalReads puts other texts in the slots of
// learned reports: whatever Shapes replays must be what Unmarshal decodes,
// and every document of the shape that decodes must be replayed.
func TestShapesReadWhatUnmarshalReads(t *testing.T) {
	for name, doc := range shapedDocs(t) {
		t.Run(name, func(t *testing.T) {
			s, markup, texts := learned(t, doc)
			rng := rand.New(rand.NewPCG(1, uint64(len(doc))))
			replayed := 0
			for i := range 400 {
				// One variant in four has a wild text in one slot, one in
				// eight in every slot.
				wild := -1
				if i%4 == 0 {
					wild = rng.IntN(len(texts))
				}
				variant := make([][]byte, len(texts))
				for k := range texts {
					variant[k] = someText(rng, texts[k], k == wild || i%8 == 1)
				}
				if sameAsUnmarshal(t, s, join(markup, variant), variant) {
					replayed++
				}
			}
			t.Logf("%d slots; %d of 400 variants replayed", len(texts), replayed)
			assert.Greater(t, replayed, 100, "too few variants decode to tell")
			assert.Equal(t, 1, s.Learned(), "a variant taught another shape")
		})
	}
}

// TestShapesSuccessiveReports reads a VEN's successive reports, new values
// in every one, as the VTN does.
func TestShapesSuccessiveReports(t *testing.T) {
	docs := successiveReports(t, 16)
	var s oadr.Shapes
	for i, doc := range docs {
		want, err := oadr.Unmarshal(doc)
		require.NoError(t, err)
		if i > 0 {
			got, ok := s.Replay(doc)
			require.True(t, ok, "report %d not replayed", i)
			require.Equal(t, want, got)
		}
		got, err := s.Unmarshal(doc)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	assert.Equal(t, 1, s.Learned())
}

// TestShapesNotLearned: documents with leaves that are not fields in
// schema order are decoded every time, and decoded right.
func TestShapesNotLearned(t *testing.T) {
	battery := string(readSample(t, "battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml"))
	openleadr := string(readSample(t, "openleadr-interop/14_ven2vtn_oadrUpdateReport_telemetry_usage.xml"))
	dtstart := "<xcal:dtstart><xcal:date-time>2026-11-22T01:45:36.002995Z</xcal:date-time></xcal:dtstart>"
	reportDtstart := `<oadr:oadrReport xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0">` + dtstart
	require.Contains(t, openleadr, reportDtstart)
	cases := map[string]string{
		"report descriptions": string(mustMarshal(t, &oadr.UpdateReport{RequestID: "REQ", Reports: []oadr.Report{telemetryUsageMetadata()}})),
		"an element the decoder skips": strings.Replace(battery, "<ei:rID>battery1_soc</ei:rID>",
			"<ei:rID>battery1_soc</ei:rID><ei:unknown>1</ei:unknown>", 1),
		"an entity in a text": strings.Replace(battery, "battery1_soc", "battery1&#95;soc", 1),
		"a text not in ASCII": strings.Replace(battery, "battery1_soc", "battery1_soc°", 1),
		"a carriage return":   strings.Replace(battery, "<ei:value>58.3</ei:value>", "<ei:value>58.3\r</ei:value>", 1),
		"a self-closing rID":  strings.Replace(battery, "<ei:rID>battery1_soc</ei:rID>", "<ei:rID/>", 1),
		"dtstart after the intervals, out of schema order": strings.Replace(
			strings.Replace(openleadr, reportDtstart, `<oadr:oadrReport xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0">`, 1),
			"</oadr:oadrReport>", dtstart+"</oadr:oadrReport>", 1),
		"two fields of one value out of schema order": strings.Replace(battery,
			"<ei:reportRequestID>RR_USAGE_0001</ei:reportRequestID>\n        <ei:reportSpecifierID>battery1_telemetry_usage</ei:reportSpecifierID>",
			"<ei:reportSpecifierID>RR_USAGE_0001</ei:reportSpecifierID>\n        <ei:reportRequestID>RR_USAGE_0001</ei:reportRequestID>", 1),
		"a poll: an entity in the venID":    `<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrSignedObject><oadrPoll xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b"><ei:venID>ven&amp;1</ei:venID></oadrPoll></oadrSignedObject></oadrPayload>`,
		"a poll: two venIDs, the last kept": `<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrSignedObject><oadrPoll xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b"><ei:venID>ven1</ei:venID><ei:venID>ven1</ei:venID></oadrPoll></oadrSignedObject></oadrPayload>`,
		"two values in one payload, the last kept": strings.Replace(battery, "<ei:value>58.3</ei:value>",
			"<ei:value>58.3</ei:value><ei:value>58.3</ei:value>", 1),
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			require.NotEqual(t, battery, doc, "the case changed nothing")
			var s oadr.Shapes
			for range 2 {
				require.NoError(t, readsAsUnmarshal(t, &s, []byte(doc)), "the case must decode")
			}
			assert.Zero(t, s.Learned(), "learned a shape it cannot prove")
		})
	}
}

// TestShapesNeverMisread: documents whose paths pair a slot with a field
// the decoder does not fill from it (found by a review); a shape learned
// from the first must read the second as Unmarshal does, which means not
// learning it at all.
func TestShapesNeverMisread(t *testing.T) {
	const (
		pollHead = `<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrSignedObject><oadrPoll xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b">`
		pollTail = `</oadrPoll></oadrSignedObject></oadrPayload>`
		ns       = `<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110">`
	)
	battery := string(readSample(t, "battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml"))
	noVenID := string(mustMarshal(t, &oadr.UpdateReport{RequestID: "REQ", Reports: []oadr.Report{telemetryUsageData(1)}}))
	r := telemetryUsageData(1)
	r.Intervals[0].Start, r.Intervals[0].Duration = time.Time{}, 0
	onePayload := string(mustMarshal(t, &oadr.UpdateReport{RequestID: "REQ", Reports: []oadr.Report{r}, VenID: "VEN"}))
	r = telemetryUsageData(2)
	for j := range r.Intervals {
		r.Intervals[j].Start, r.Intervals[j].Duration = time.Time{}, 0
	}
	twoPayloads := string(mustMarshal(t, &oadr.UpdateReport{RequestID: "REQ", Reports: []oadr.Report{r}, VenID: "VEN"}))
	i := strings.Index(onePayload, "<ei:interval>")
	require.Positive(t, i)

	cases := map[string]func(v string) string{
		// A second venID, not a slot, is the one the decoder keeps.
		"a second, self-closing venID": func(v string) string { return pollHead + `<ei:venID>` + v + `</ei:venID><ei:venID/>` + pollTail },
		"a second venID with a comment": func(v string) string {
			return pollHead + `<ei:venID>` + v + `</ei:venID><ei:venID>v1<!----></ei:venID>` + pollTail
		},
		"a second venID with an entity": func(v string) string {
			return pollHead + `<ei:venID>` + v + `</ei:venID><ei:venID>v&#49;</ei:venID>` + pollTail
		},
		"a second venID in CDATA": func(v string) string {
			return pollHead + `<ei:venID>` + v + `</ei:venID><ei:venID><![CDATA[v1]]></ei:venID>` + pollTail
		},
		"a second value with a comment": func(v string) string {
			return strings.Replace(battery, "<ei:value>58.3</ei:value>", "<ei:value>"+v+"</ei:value><ei:value>58.3<!-- again --></ei:value>", 1)
		},
		// The same, the second venID a probe's value (found by a second
		// review): the probes differ from each other, and each slot is read
		// by its setter in them, even where the learned text is a probe's.
		"a second venID that is the first probe's": func(v string) string {
			return pollHead + `<ei:venID>` + v + `</ei:venID><ei:venID>shape-probe-0<!----></ei:venID>` + pollTail
		},
		"a second venID that is the second probe's": func(v string) string {
			return pollHead + `<ei:venID>` + v + `</ei:venID><ei:venID>shape-probe-1<!----></ei:venID>` + pollTail
		},
		// A copy of the message the decoder skips.
		"a poll outside oadrSignedObject": func(v string) string {
			return ns + `<oadrPoll><ei:venID>` + v + `</ei:venID></oadrPoll><oadrSignedObject><oadrPoll><ei:venID>v1<!----></ei:venID></oadrPoll></oadrSignedObject></oadrPayload>`
		},
		"a report after oadrSignedObject": func(v string) string {
			return strings.Replace(noVenID, "</oadr:oadrSignedObject>", "</oadr:oadrSignedObject><oadr:oadrUpdateReport><ei:venID>"+v+"</ei:venID></oadr:oadrUpdateReport>", 1)
		},
		// Zero values the paths pair with another interval's field.
		"an empty interval before one with a uid": func(v string) string {
			d := onePayload[:i] + `<ei:interval/>` + onePayload[i:]
			return strings.Replace(d, "<oadr:oadrReportPayload>", `<xcal:uid><xcal:text>`+v+`</xcal:text></xcal:uid><oadr:oadrReportPayload>`, 1)
		},
		"a uid after its interval's payload": func(v string) string {
			return strings.Replace(twoPayloads, "</oadr:oadrReportPayload></ei:interval>", `</oadr:oadrReportPayload><xcal:uid><xcal:text>`+v+`</xcal:text></xcal:uid></ei:interval>`, 1)
		},
	}
	learnFrom := map[string]string{"a second value with a comment": "58.3", "a second, self-closing venID": "", "an empty interval before one with a uid": "", "a uid after its interval's payload": "", "a second venID with a comment": "shape-probe-0"}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			first, ok := learnFrom[name]
			if !ok {
				first = "v1"
			}
			var s oadr.Shapes
			for _, v := range []string{first, "v2", "60.1", "u1", first} {
				readsAsUnmarshal(t, &s, []byte(doc(v)))
			}
		})
	}
}

// TestShapesProbeValuesInTheMarkup: a report whose ignored second value
// is one of the probes' numbers, for every slot it could stand for.
func TestShapesProbeValuesInTheMarkup(t *testing.T) {
	battery := string(readSample(t, "battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml"))
	_, _, texts := learned(t, []byte(battery))
	for k := range 2 * len(texts) {
		constant := fmt.Sprintf("%d.25", 100000+k)
		doc := func(v string) []byte {
			return []byte(strings.Replace(battery, "<ei:value>58.3</ei:value>", "<ei:value>"+v+"</ei:value><ei:value>"+constant+"<!-- again --></ei:value>", 1))
		}
		var s oadr.Shapes
		_, err := s.Unmarshal(doc("58.3"))
		require.NoError(t, err)
		require.NoError(t, readsAsUnmarshal(t, &s, doc("60.1")), "the ignored value %s", constant)
	}
}

// TestShapesKeepTheirOwnCopies: neither the caller's buffer nor the
// messages returned are shared with a shape.
func TestShapesKeepTheirOwnCopies(t *testing.T) {
	docs := successiveReports(t, 2)
	var s oadr.Shapes
	buf := bytes.Clone(docs[0])
	first, err := s.Unmarshal(buf)
	require.NoError(t, err)
	clear(buf) // a server reuses its buffers
	u := first.(*oadr.UpdateReport)
	p := &u.Reports[0].Intervals[0].Payloads[0]
	p.RID, p.Value = "changed", -1
	u.Reports[0].Intervals[0].Payloads = append(u.Reports[0].Intervals[0].Payloads, oadr.ReportPayload{RID: "appended"})

	want, err := oadr.Unmarshal(docs[1])
	require.NoError(t, err)
	for range 2 {
		got, ok := s.Replay(docs[1])
		require.True(t, ok)
		require.Equal(t, want, got)
		g := got.(*oadr.UpdateReport)
		g.Reports[0].Intervals[0].Payloads[0].RID = "changed again"
		g.Reports[0].Intervals[0].Payloads = append(g.Reports[0].Intervals[0].Payloads, oadr.ReportPayload{RID: "appended"})
		assert.Equal(t, want.(*oadr.UpdateReport).Reports[0].Intervals[1], g.Reports[0].Intervals[1], "an append reached the next interval")
	}
}

// TestShapesKeepTheirOwnStatus: a resource status, its load-control state
// and values are the message's own too.
func TestShapesKeepTheirOwnStatus(t *testing.T) {
	doc := readSample(t, "battery/oadrUpdateReport_battery_TELEMETRY_STATUS.xml")
	s, _, _ := learned(t, doc)
	want, err := oadr.Unmarshal(doc)
	require.NoError(t, err)
	for range 2 {
		got, ok := s.Replay(doc)
		require.True(t, ok)
		require.Equal(t, want, got)
		st := got.(*oadr.UpdateReport).Reports[0].Intervals[0].Payloads[0].ResourceStatus
		require.NotNil(t, st.LoadControlState)
		require.NotNil(t, st.LoadControlState.Capacity)
		st.Online = !st.Online
		st.LoadControlState.Capacity.Current = -1
		if v := st.LoadControlState.Capacity; v.Max != nil {
			*v.Max = -1
		}
	}
}

// TestShapesBackOff: after messages whose shape cannot be kept (a Green
// Button report, whose payload the decoder skips), learning is tried
// less often, and still learns a shape that comes later.
func TestShapesBackOff(t *testing.T) {
	greenButton := readSample(t, "alliance/Sample_oadrUpdateReport_GreenButton.xml")
	usage := readSample(t, "battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml")
	var s oadr.Shapes
	for range 200 {
		require.NoError(t, readsAsUnmarshal(t, &s, greenButton))
	}
	require.Zero(t, s.Learned())
	require.NoError(t, readsAsUnmarshal(t, &s, usage))
	assert.Zero(t, s.Learned(), "learning did not back off")
	for range 64 {
		require.NoError(t, readsAsUnmarshal(t, &s, usage))
	}
	assert.Equal(t, 1, s.Learned(), "learning backed off for good")
}

// TestShapesKeepSixteen: a seventeenth shape replaces the oldest.
func TestShapesKeepSixteen(t *testing.T) {
	var s oadr.Shapes
	var docs [][]byte
	for n := 1; n <= 20; n++ {
		r := telemetryUsageData(n)
		doc := mustMarshal(t, &oadr.UpdateReport{RequestID: "REQ", Reports: []oadr.Report{r}, VenID: "VEN"})
		docs = append(docs, doc)
		_, err := s.Unmarshal(doc)
		require.NoError(t, err)
	}
	assert.Equal(t, 16, s.Learned())
	_, ok := s.Replay(docs[0])
	assert.False(t, ok, "the oldest shape is still kept")
	_, ok = s.Replay(docs[19])
	assert.True(t, ok, "the newest shape is not kept")
}

// TestShapesConcurrent reads several VENs' reports from many goroutines.
func TestShapesConcurrent(t *testing.T) {
	var docs [][]byte
	for _, doc := range shapedDocs(t) {
		docs = append(docs, doc)
	}
	docs = append(docs, successiveReports(t, 8)...)
	wants := make([]oadr.Message, len(docs))
	for i, doc := range docs {
		var err error
		wants[i], err = oadr.Unmarshal(doc)
		require.NoError(t, err)
	}
	var shapes oadr.Shapes // the shapes docs have, learned one after the other
	for _, doc := range docs {
		_, err := shapes.Unmarshal(doc)
		require.NoError(t, err)
	}
	var s oadr.Shapes
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (g*7 + i) % len(docs)
				got, err := s.Unmarshal(docs[k])
				if err == nil && !sameMessage(wants[k], got) {
					err = fmt.Errorf("document %d read otherwise than Unmarshal", k)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, shapes.Learned(), s.Learned())
}

// FuzzShapes puts the fuzzer's texts, split at NUL bytes, in the slots of
// a learned report: whatever Shapes replays must be what Unmarshal
// decodes.
func FuzzShapes(f *testing.F) {
	docs := shapedDocs(f)
	var names []string
	for name := range docs {
		names = append(names, name)
	}
	slices.Sort(names)
	type learnedDoc struct {
		s             *oadr.Shapes
		markup, texts [][]byte
	}
	var all []learnedDoc
	for _, name := range names {
		s, markup, texts := learned(f, docs[name])
		all = append(all, learnedDoc{s, markup, texts})
	}
	f.Add(uint8(0), []byte("REQ_2\x002025-06-01T12:06:00Z\x00PT2M\x002025-06-01T12:06:00Z\x00PT1M\x00battery1_voltage\x0051.3"))
	f.Add(uint8(1), []byte("String\x00\x00\x00 1 \x00&amp;\x00a<b>\x00\r\n"))
	f.Add(uint8(2), []byte("x\x00 2001-12-17T09:30:47Z \x00P10M\x00P5M\x00INF\x00NaN\x00-0"))
	f.Fuzz(func(t *testing.T, which uint8, joined []byte) {
		l := all[int(which)%len(all)]
		texts := slices.Clone(l.texts)
		for k, text := range bytes.Split(joined, []byte{0}) {
			if k < len(texts) {
				texts[k] = text
			}
		}
		sameAsUnmarshal(t, l.s, join(l.markup, texts), texts)
	})
}

// Leaf elements and start tags, as the mutations below find them.
var (
	leafElement = regexp.MustCompile(`<([A-Za-z]+:)?([A-Za-z-]+)>([^<]*)</([A-Za-z]+:)?([A-Za-z-]+)>`)
	startTag    = regexp.MustCompile(`<([A-Za-z]+:)?([A-Za-z-]+)( [^>]*)?>`)
)

// mutate changes doc's structure one way at random: a leaf written twice
// (the same, self-closing, with a comment), written otherwise (self-closing,
// empty, a zero value, an attribute, a comment in its text), moved after
// the next, deleted, or beside one of the same local name in another
// namespace; an empty interval, an unknown element or a comment inserted; a
// report, intervals, an interval or a payload written twice or deleted.
func mutate(rng *rand.Rand, doc string) string {
	leaves := leafElement.FindAllStringSubmatchIndex(doc, -1)
	starts := startTag.FindAllStringSubmatchIndex(doc, -1)
	if len(leaves) == 0 {
		return doc
	}
	l := leaves[rng.IntN(len(leaves))]
	el, open, text, closing := doc[l[0]:l[1]], doc[l[0]:l[6]], doc[l[6]:l[7]], doc[l[7]:l[1]]
	selfClosing := strings.TrimSuffix(open, ">") + "/>"
	before, after := doc[:l[0]], doc[l[1]:]
	switch rng.IntN(15) {
	case 0:
		return before + el + selfClosing + after
	case 1:
		return before + el + open + text + "<!---->" + closing + after
	case 2:
		return before + el + el + after
	case 3:
		return before + selfClosing + after
	case 4:
		return before + open + text + "<!---->" + closing + after
	case 5:
		return before + after
	case 6:
		return before + open + closing + after
	case 7:
		zeros := []string{"0", "PT0S", "0001-01-01T00:00:00Z", " ", "-0"}
		return before + open + zeros[rng.IntN(len(zeros))] + closing + after
	case 8:
		return before + strings.TrimSuffix(open, ">") + ` a="1">` + text + closing + after
	case 9:
		for _, m := range leaves {
			if m[0] == l[1] {
				return before + doc[m[0]:m[1]] + el + doc[m[1]:]
			}
		}
	case 10:
		if p := doc[l[2]:l[3]]; p != "" {
			name := p + doc[l[4]:l[5]]
			return before + "<" + name + " xmlns:" + strings.TrimSuffix(p, ":") + `="urn:other">x</` + name + ">" + el + after
		}
	case 11:
		if i := strings.Index(doc, "<ei:interval>"); i >= 0 {
			return doc[:i] + "<ei:interval/>" + doc[i:]
		}
	case 12:
		s := starts[rng.IntN(len(starts))]
		return doc[:s[1]] + []string{`<ei:unknown>1</ei:unknown>`, `<!-- c -->`}[rng.IntN(2)] + doc[s[1]:]
	case 13, 14:
		tag := []string{"oadr:oadrReport", "ei:interval", "oadr:oadrReportPayload", "strm:intervals"}[rng.IntN(4)]
		i := strings.Index(doc, "<"+tag+">")
		if i < 0 {
			i = strings.Index(doc, "<"+tag+" ")
		}
		j := strings.Index(doc[max(i, 0):], "</"+tag+">")
		if i < 0 || j < 0 {
			return doc
		}
		j += i + len("</"+tag+">")
		if rng.IntN(2) == 0 {
			return doc[:j] + doc[i:j] + doc[j:]
		}
		return doc[:i] + doc[j:]
	}
	return doc
}

// TestShapesOfMutatedDocuments learns from documents whose structure is
// changed one to three ways (see mutate), each of which the decoder reads
// its own way, and holds every reading of other texts in the learned
// shape to Unmarshal (a review's test of the probe).
func TestShapesOfMutatedDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	learnedDocs, variants := 0, 0
	for name, doc := range shapedDocs(t) {
		t.Run(name, func(t *testing.T) {
			for range 100 {
				d := string(doc)
				for range 1 + rng.IntN(3) {
					d = mutate(rng, d)
				}
				if _, err := oadr.Unmarshal([]byte(d)); err != nil {
					continue
				}
				var s oadr.Shapes
				_, err := s.Unmarshal([]byte(d))
				require.NoError(t, err)
				if s.Learned() == 0 {
					continue
				}
				learnedDocs++
				markup, texts := s.Cuts()
				for range 10 {
					variant := make([][]byte, len(texts))
					for k := range texts {
						variant[k] = someText(rng, texts[k], false)
					}
					sameAsUnmarshal(t, &s, join(markup, variant), variant)
					variants++
				}
			}
		})
	}
	t.Logf("%d mutated documents learned, %d variants read", learnedDocs, variants)
	assert.Greater(t, learnedDocs, 200, "too few mutated documents learned to tell")
}
