package oadr_test

import (
	"encoding/xml"
	"testing"

	"github.com/gridwire/gridwire/openadr/internal/successive"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// Baselines: plain encoding/xml with struct tags matching by local name only
// (no namespace checks, no required fields, times and durations left as
// strings), i.e. the least a reflection-based decoder does. They show what the
// token-walking codec costs or saves.

type stdPoll struct {
	VenID string `xml:"oadrSignedObject>oadrPoll>venID"`
}

type stdUpdateReport struct {
	RequestID string `xml:"oadrSignedObject>oadrUpdateReport>requestID"`
	Reports   []struct {
		Start     string `xml:"dtstart>date-time"`
		Duration  string `xml:"duration>duration"`
		Intervals []struct {
			Start    string `xml:"dtstart>date-time"`
			Duration string `xml:"duration>duration"`
			Payloads []struct {
				RID         string  `xml:"rID"`
				Value       float64 `xml:"payloadFloat>value"`
				DataQuality string  `xml:"oadrDataQuality"`
			} `xml:"oadrReportPayload"`
		} `xml:"intervals>interval"`
		EiReportID        string `xml:"eiReportID"`
		ReportRequestID   string `xml:"reportRequestID"`
		ReportSpecifierID string `xml:"reportSpecifierID"`
		ReportName        string `xml:"reportName"`
		CreatedDateTime   string `xml:"createdDateTime"`
	} `xml:"oadrSignedObject>oadrUpdateReport>oadrReport"`
	VenID string `xml:"oadrSignedObject>oadrUpdateReport>venID"`
}

type stdResponse struct {
	XMLName xml.Name `xml:"http://openadr.org/oadr-2.0b/2012/07 oadrPayload"`
	Object  struct {
		Response struct {
			EiResponse struct {
				Code        string `xml:"http://docs.oasis-open.org/ns/energyinterop/201110 responseCode"`
				Description string `xml:"http://docs.oasis-open.org/ns/energyinterop/201110 responseDescription"`
				RequestID   string `xml:"http://docs.oasis-open.org/ns/energyinterop/201110/payloads requestID"`
			} `xml:"http://docs.oasis-open.org/ns/energyinterop/201110 eiResponse"`
		} `xml:"http://openadr.org/oadr-2.0b/2012/07 oadrResponse"`
	} `xml:"http://openadr.org/oadr-2.0b/2012/07 oadrSignedObject"`
}

func mustMarshal(b testing.TB, m oadr.Message) []byte {
	b.Helper()
	doc, err := oadr.Marshal(m)
	if err != nil {
		b.Fatal(err)
	}
	return doc
}

func BenchmarkDecodePoll(b *testing.B) {
	doc := mustMarshal(b, &oadr.Poll{VenID: "VEN_FORTRESS_1"})
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := oadr.Unmarshal(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePollBaselineEncodingXML(b *testing.B) {
	doc := mustMarshal(b, &oadr.Poll{VenID: "VEN_FORTRESS_1"})
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		var p stdPoll
		if err := xml.Unmarshal(doc, &p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeUpdateReport12(b *testing.B) {
	doc := mustMarshal(b, &oadr.UpdateReport{RequestID: "REQ_UPD_REPORT_0001", Reports: []oadr.Report{telemetryUsageData(12)}, VenID: "VEN_FORTRESS_1"})
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := oadr.Unmarshal(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeUpdateReportSample decodes the battery sample's report as
// the file has it, indented as a VEN's XML library writes it.
func BenchmarkDecodeUpdateReportSample(b *testing.B) {
	doc := readSample(b, "battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml")
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := oadr.Unmarshal(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeUpdateReport12BaselineEncodingXML(b *testing.B) {
	doc := mustMarshal(b, &oadr.UpdateReport{RequestID: "REQ_UPD_REPORT_0001", Reports: []oadr.Report{telemetryUsageData(12)}, VenID: "VEN_FORTRESS_1"})
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		var r stdUpdateReport
		if err := xml.Unmarshal(doc, &r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalResponse(b *testing.B) {
	msg := oadr.NewResponse(oadr.CodeOK, "OK", "")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := oadr.Marshal(msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendMarshalResponseReusedBuffer(b *testing.B) {
	msg := oadr.NewResponse(oadr.CodeOK, "OK", "")
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = oadr.AppendMarshal(buf[:0], msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalResponseBaselineEncodingXML(b *testing.B) {
	var msg stdResponse
	msg.Object.Response.EiResponse.Code = "200"
	msg.Object.Response.EiResponse.Description = "OK"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := xml.Marshal(&msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalDistributeEvent(b *testing.B) {
	msg := &oadr.DistributeEvent{RequestID: "REQ_DIST_EVT_0001", VtnID: "VTN_SANDBOX", Events: []oadr.Event{chargeDischargeEvent()}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := oadr.Marshal(msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkShapesUpdateReport12 reads successive reports of one VEN, the
// report of BenchmarkDecodeUpdateReport12 with a new request ID, new times
// and new readings each time, with Shapes (which learns the shape from the
// first) and with Unmarshal.
func BenchmarkShapesUpdateReport12(b *testing.B) {
	docs := successiveReports(b, 16)
	b.SetBytes(int64(len(docs[0])))
	b.Run("shapes", func(b *testing.B) {
		var s oadr.Shapes
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := s.Unmarshal(docs[i%len(docs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
		if s.Learned() != 1 {
			b.Fatalf("learned %d shapes", s.Learned())
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := oadr.Unmarshal(docs[i%len(docs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// successiveReports returns n reports of one VEN, the twelve-interval
// usage report with new request IDs, times and readings (package
// successive).
func successiveReports(tb testing.TB, n int) [][]byte {
	tb.Helper()
	u := &oadr.UpdateReport{RequestID: "REQ_UPD_REPORT_0001", Reports: []oadr.Report{telemetryUsageData(12)}, VenID: "VEN_FORTRESS_1"}
	docs, err := successive.Bodies(u, n)
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}
