package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// vtn is a small scripted VTN on 127.0.0.1: poll every second, the SoC every
// second, and an event charging at 3 kW for an hour from now.
func vtn(t *testing.T, cancelAfterPolls int) *httptest.Server {
	start := time.Now().UTC().Truncate(time.Second)
	polls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg, err := oadr.Decode(r.Body)
		if err != nil {
			t.Errorf("VEN sent: %v", err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var ans oadr.Message = &oadr.Response{Response: oadr.OK("")}
		switch m := msg.(type) {
		case *oadr.QueryRegistration, *oadr.CreatePartyRegistration:
			c := &oadr.CreatedPartyRegistration{Response: oadr.OK(""), VtnID: "VTN_TEST", PollFreq: time.Second,
				Profiles: []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}}}
			if reg, ok := m.(*oadr.CreatePartyRegistration); ok {
				c.Response, c.VenID, c.RegistrationID = oadr.OK(reg.RequestID), "VEN_1", "REG_1"
			}
			ans = c
		case *oadr.RegisterReport:
			ans = &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), ReportRequests: []oadr.ReportRequest{{
				ReportRequestID: "RR_SOC", Specifier: oadr.ReportSpecifier{ReportSpecifierID: "battery7_telemetry_usage",
					Granularity: time.Second, ReportBackDuration: time.Second,
					Payloads: []oadr.SpecifierPayload{{RID: "battery7_soc", ReadingType: oadr.ReadingDirectRead}}}}}}
		case *oadr.RequestEvent:
			ans = &oadr.DistributeEvent{RequestID: "D1", VtnID: "VTN_TEST", Events: []oadr.Event{{
				Descriptor:   oadr.EventDescriptor{EventID: "EVT_1", MarketContext: "http://example.com", CreatedDateTime: start, Status: oadr.StatusActive},
				ActivePeriod: oadr.Period{Start: start, Duration: time.Hour},
				Signals: []oadr.EventSignal{{SignalName: oadr.SignalLoadDispatch, SignalType: oadr.SignalTypeSetpoint, SignalID: "S",
					Intervals: []oadr.SignalInterval{{Duration: time.Hour, Value: 3}}}},
			}}}
		case *oadr.UpdateReport:
			ans = &oadr.UpdatedReport{Response: oadr.OK(m.RequestID)}
		case *oadr.Poll:
			if polls++; polls == cancelAfterPolls {
				ans = &oadr.CancelPartyRegistration{RequestID: "C1", RegistrationID: "REG_1", VenID: "VEN_1"}
			}
		}
		w.Header().Set("Content-Type", "application/xml")
		_ = oadr.Encode(w, ans)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRunsAgainstAVTN(t *testing.T) {
	srv := vtn(t, 0)
	var out, errs bytes.Buffer
	args := []string{"-vtn", srv.URL, "-resource", "battery7", "-soc", "40", "-timeout", "2500ms", "-status", "500ms", "-v"}
	if code := run(t.Context(), args, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	s := out.String()
	for _, want := range []string{
		"VTN VTN_TEST at " + srv.URL + " asks for a poll every 1s",
		"registered as VEN_1 (registration REG_1); battery battery7 at 40.0 %",
		"report requested reportRequestID=RR_SOC",
		"event eventID=EVT_1", "opt=optIn",
		"setpoint power=\"-3000 W\"",
		"report sent reportRequestID=RR_SOC", // -v
		"send service=OadrPoll message=oadrPoll",
		"charging at 3000 W",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if errs.Len() != 0 {
		t.Errorf("stderr: %s", errs.String())
	}
}

func TestVTNCancels(t *testing.T) {
	srv := vtn(t, 1)
	var out, errs bytes.Buffer
	if code := run(t.Context(), []string{"-vtn", srv.URL, "-timeout", "5s", "-status", "0"}, &out, &errs); code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errs.String())
	}
	if !strings.Contains(errs.String(), "the VTN cancelled the registration") {
		t.Errorf("stderr %q", errs.String())
	}
}

func TestUnreachableVTN(t *testing.T) {
	retryGap = 10 * time.Millisecond
	defer func() { retryGap = 2 * time.Second }()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var out, errs bytes.Buffer
	if code := run(t.Context(), []string{"-vtn", "http://" + addr, "-tries", "3"}, &out, &errs); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	e := errs.String()
	if !strings.Contains(e, "try 3 of 3") || !strings.Contains(e, "cannot register with http://"+addr) || !strings.Contains(e, "unavailable") {
		t.Errorf("stderr %q", e)
	}
}

func TestUnreachableVTNTimeout(t *testing.T) {
	// A VTN that accepts connections and never answers.
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // lets the server notice the client leaving
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer srv.Close()
	defer close(stop)
	var out, errs bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if code := run(ctx, []string{"-vtn", srv.URL, "-timeout", "300ms"}, &out, &errs); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errs.String(), "within -timeout 300ms") {
		t.Errorf("stderr %q", errs.String())
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-tries", "0"},
		{"-vtn", "ftp://x"},
		{"-soc", "120"},
		{"-capacity", "0"},
		{"-cert", "a.pem"},
		{"-nope"},
	} {
		var out, errs bytes.Buffer
		if code := run(t.Context(), args, &out, &errs); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if errs.Len() == 0 {
			t.Errorf("%v: no message", args)
		}
	}
}
