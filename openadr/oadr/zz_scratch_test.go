package oadr_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"

	"github.com/gridwire/gridwire/openadr/oadr"
)

func updDoc(b *testing.B) []byte {
	return mustMarshal(b, &oadr.UpdateReport{RequestID: "REQ_UPD_REPORT_0001", Reports: []oadr.Report{telemetryUsageData(12)}, VenID: "VEN_FORTRESS_1"})
}

func BenchmarkZZToken(b *testing.B) {
	doc := updDoc(b)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		x := xml.NewDecoder(bytes.NewReader(doc))
		for {
			_, err := x.Token()
			if err == io.EOF {
				break
			}
		}
	}
}

func BenchmarkZZRawToken(b *testing.B) {
	doc := updDoc(b)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		x := xml.NewDecoder(bytes.NewReader(doc))
		for {
			_, err := x.RawToken()
			if err == io.EOF {
				break
			}
		}
	}
}
