package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/examples/internal/cli"
	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// vtn is a small scripted VTN on 127.0.0.1: poll every second, the SoC every
// second, and an event charging at 3 kW for an hour from now.
func vtn(t *testing.T, cancelAfterPolls int) *httptest.Server {
	start := time.Now().UTC().Truncate(time.Second)
	polls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		msg, err := oadr.Unmarshal(body)
		if err != nil {
			assert.NoError(t, err, "VEN sent")
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
		out, err := oadr.Marshal(ans)
		if err != nil {
			assert.NoError(t, err, "scripted answer")
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRunsAgainstAVTN(t *testing.T) {
	srv := vtn(t, 0)
	var out, errs bytes.Buffer
	args := []string{"-vtn", srv.URL, "-resource", "battery7", "-soc", "40", "-timeout", "2500ms", "-status", "500ms", "-v", "-tz", "UTC"}
	require.Equal(t, 0, run(t.Context(), args, &out, &errs), errs.String())
	s := out.String()
	for _, want := range []string{
		"VTN VTN_TEST at " + srv.URL + " asks for a poll every 1s",
		"registered as VEN_1 (registration REG_1); battery battery7 at 40.0 %",
		"report requested reportRequestID=RR_SOC",
		"event eventID=EVT_1", "opt=optIn",
		`setpoint mode=charge power="3000 W"`,
		"report sent reportRequestID=RR_SOC", // -v
		"send service=OadrPoll message=oadrPoll",
		"charging at 3000 W",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "-3000", "one flow, one sign: in words")
	assert.Empty(t, errs.String())
	// -tz UTC: the printed times are UTC ones.
	now := time.Now().UTC()
	assert.True(t, strings.Contains(s, now.Format("15:04")) || strings.Contains(s, now.Add(-time.Minute).Format("15:04")), "times in UTC:\n%s", s)
}

// -h is not an error: it says what the program is, its environment and
// flags, and exits 0.
func TestHelp(t *testing.T) {
	var out, errs bytes.Buffer
	require.Equal(t, 0, run(t.Context(), []string{"-h"}, &out, &errs))
	first, _, _ := strings.Cut(out.String(), "\n")
	assert.Equal(t, description, first)
	assert.Contains(t, out.String(), "TZ")
	assert.Contains(t, out.String(), "-tz")
	assert.Empty(t, errs.String())
}

// SIGTERM, as a service manager sends it, stops the VEN cleanly.
func TestStopsOnSIGTERM(t *testing.T) {
	srv := vtn(t, 0)
	ctx, stop := cli.SignalContext(context.Background())
	defer stop()
	out := &syncWriter{w: new(bytes.Buffer)}
	var errs bytes.Buffer
	registered := make(chan struct{})
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-vtn", srv.URL, "-status", "0"}, &notify{w: out, match: "registered as", ch: registered}, &errs)
	}()
	select {
	case <-registered:
	case <-time.After(10 * time.Second):
		require.FailNow(t, "the VEN did not register")
	}
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errs.String())
	case <-time.After(10 * time.Second):
		require.FailNow(t, "SIGTERM did not stop the VEN")
	}
}

// notify closes ch the first time a write contains match.
type notify struct {
	w     io.Writer
	match string
	ch    chan struct{}
	done  bool
}

func (n *notify) Write(p []byte) (int, error) {
	if !n.done && strings.Contains(string(p), n.match) {
		n.done = true
		close(n.ch)
	}
	return n.w.Write(p)
}

func TestVTNCancels(t *testing.T) {
	srv := vtn(t, 1)
	var out, errs bytes.Buffer
	require.Equal(t, 1, run(t.Context(), []string{"-vtn", srv.URL, "-timeout", "5s", "-status", "0"}, &out, &errs), errs.String())
	assert.Contains(t, errs.String(), "the VTN cancelled the registration")
}

func TestUnreachableVTN(t *testing.T) {
	retryGap = 10 * time.Millisecond
	defer func() { retryGap = 2 * time.Second }()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	var out, errs bytes.Buffer
	require.Equal(t, 1, run(t.Context(), []string{"-vtn", "http://" + addr, "-tries", "3"}, &out, &errs))
	e := errs.String()
	assert.Contains(t, e, "try 3 of 3")
	assert.Contains(t, e, "cannot register with http://"+addr)
	assert.Contains(t, e, "unavailable")
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
	require.Equal(t, 1, run(ctx, []string{"-vtn", srv.URL, "-timeout", "300ms"}, &out, &errs))
	assert.Contains(t, errs.String(), "within -timeout 300ms")
}

// An address the push listener cannot have stops the VEN before it
// registers (exit 1).
func TestPushAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var out, errs bytes.Buffer
	assert.Equal(t, 1, run(t.Context(), []string{"-push-addr", ln.Addr().String()}, &out, &errs))
	assert.Contains(t, errs.String(), "ven: -push-addr: ")
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-tries", "0"},
		{"-vtn", "ftp://x"},
		{"-soc", "120"},
		{"-capacity", "0"},
		{"-cert", "a.pem"},
		{"-sign"},
		{"-sign", "-cert", "a.pem", "-key", "a.key", "-vtn", "http://127.0.0.1:1"},
		{"-push-url", "http://127.0.0.1:1"},
		{"-nope"},
		{"-tz", "Mars/Olympus_Mons"},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(t.Context(), args, &out, &errs), "%v", args)
		assert.NotEmpty(t, errs.String(), "%v: no message", args)
	}
}

// Each wrong flag is named alone, with the value given in the flag's own
// unit, as a usage error (exit 2) before a file is read or an address
// taken; no option or field name the user never typed is shown.
func TestBadValuesNamed(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-tries", "0"}, "-tries: must be at least 1, got 0"},
		{[]string{"-timeout", "-1s"}, "-timeout: must not be negative (0: run until interrupted), got -1s"},
		{[]string{"-status", "-1s"}, "-status: must not be negative (0: never), got -1s"},
		{[]string{"-cert", "x"}, "-cert and -key go together: give both, or neither"},
		{[]string{"-key", "x"}, "-cert and -key go together: give both, or neither"},
		{[]string{"-capacity", "-1"}, "-capacity: must be a positive number of kWh, got -1"},
		{[]string{"-capacity", "NaN"}, "-capacity: must be a positive number of kWh, got NaN"},
		{[]string{"-max-power", "0"}, "-max-power: must be a positive number of kW, got 0"},
		{[]string{"-soc", "150"}, "-soc: must be from 0 to 100 (%), got 150"},
		{[]string{"-soc", "-1"}, "-soc: must be from 0 to 100 (%), got -1"},
		{[]string{"-resource", ""}, "-resource: must not be empty"},
		{[]string{"-ven-name", ""}, "-ven-name: must not be empty"},
		{[]string{"-vtn", "ftp://x"}, `-vtn "ftp://x": scheme must be http or https, got "ftp"`},
		{[]string{"-push-addr", "bad:addr:x"}, "-push-addr bad:addr:x: not host:port, such as 0.0.0.0:8081 ([::]:8081 for IPv6)"},
		{[]string{"-push-addr", "127.0.0.1:99999"}, `-push-addr 127.0.0.1:99999: port "99999" is not a number from 0 to 65535`},
		{[]string{"-push-addr", "127.0.0.1:0", "-push-url", "ftp://x"}, `-push-url: "ftp://x" is not an http or https URL`},
	} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(t.Context(), tc.args, &out, &errs), "%v", tc.args)
		assert.Equal(t, "ven: "+tc.want+"\n", errs.String(), "%v", tc.args)
		assert.Empty(t, out.String(), "%v", tc.args)
	}
}
