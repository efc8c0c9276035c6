package ven_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// benchVTN answers as the scripted VTN does, without recording anything, and
// asks for the whole TELEMETRY_USAGE report every minute, sampled every 10 s.
func benchVTN(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg, err := oadr.Decode(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var ans oadr.Message = &oadr.Response{Response: oadr.OK("")}
		switch m := msg.(type) {
		case *oadr.CreatePartyRegistration:
			ans = &oadr.CreatedPartyRegistration{Response: oadr.OK(m.RequestID), VenID: "VEN_1", RegistrationID: "REG_1",
				VtnID: "VTN", Profiles: []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}}}
		case *oadr.RegisterReport:
			ans = &oadr.RegisteredReport{Response: oadr.OK(m.RequestID),
				ReportRequests: []oadr.ReportRequest{usageRequest("RR", 10*time.Second, time.Minute)}}
		case *oadr.RequestEvent:
			ans = &oadr.DistributeEvent{RequestID: "D", VtnID: "VTN", Events: []oadr.Event{chargeDischarge("EVT", 0)}}
		case *oadr.UpdateReport:
			ans = &oadr.UpdatedReport{Response: oadr.OK(m.RequestID)}
		}
		w.Header().Set("Content-Type", "application/xml")
		_ = oadr.Encode(w, ans)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkPollOnce is one empty poll through the VEN; BenchmarkPollBaseline
// the same exchange by hand (encode, POST, decode) on the same server: the
// difference is what the VEN adds.
func BenchmarkPollOnce(b *testing.B) {
	srv := benchVTN(b)
	v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := v.Register(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.PollOnce(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPollBaseline(b *testing.B) {
	srv := benchVTN(b)
	hc := srv.Client()
	url := srv.URL + "/OpenADR2/Simple/2.0b/OadrPoll"
	b.ReportAllocs()
	for b.Loop() {
		body, err := oadr.Marshal(&oadr.Poll{VenID: "VEN_1"})
		if err != nil {
			b.Fatal(err)
		}
		resp, err := hc.Post(url, "application/xml", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := oadr.Unmarshal(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTickMinute is one simulated minute of a VEN in a charge event:
// six samples of six data points and the oadrUpdateReport that carries them.
func BenchmarkTickMinute(b *testing.B) {
	srv := benchVTN(b)
	clk := clock.NewFake(t0.Add(time.Hour))
	v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := v.Register(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		clk.Advance(time.Minute)
		if err := v.Tick(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
