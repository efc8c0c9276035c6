package ven_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeVTN is a scripted VTN on 127.0.0.1 that answers with messages built with
// package oadr, shaped like samples/battery (IDs VEN_FORTRESS_1, REG_0001,
// VTN_SANDBOX). It records every message the VEN sends, checks that it went
// to the right service, and validates all of them against the XSD when the
// test ends.
type fakeVTN struct {
	t   testing.TB
	srv *httptest.Server

	mu             sync.Mutex
	received       []received
	queue          []oadr.Message       // handed out one per oadrPoll
	reportRequests []oadr.ReportRequest // asked for in oadrRegisteredReport
	events         []oadr.Event         // answered to oadrRequestEvent
	pollFreq       time.Duration
	venID, regID   string
	cancelOnUpdate *oadr.CancelReport // put in the next oadrUpdatedReport
	// override, when it returns non-nil, replaces the scripted answer.
	override func(service string, msg oadr.Message) *reply
	seq      int
}

type received struct {
	service string
	msg     oadr.Message
	body    []byte
}

// reply is an answer the test chooses: a message, or a raw status and body.
type reply struct {
	status int
	body   string
	msg    oadr.Message
}

func newFakeVTN(t testing.TB) *fakeVTN {
	f := &fakeVTN{t: t, pollFreq: 10 * time.Second, venID: "VEN_FORTRESS_1", regID: "REG_0001"}
	f.srv = httptest.NewServer(f)
	t.Cleanup(func() {
		f.srv.Close()
		f.mu.Lock()
		docs := make(map[string][]byte, len(f.received))
		for i, r := range f.received {
			docs[docName(i, r.msg.MessageName())] = r.body
		}
		f.mu.Unlock()
		validateXSD(t, docs)
	})
	return f
}

// newVEN returns a VEN pointed at the fake, on clk.
func (f *fakeVTN) newVEN(clk clock.Clock, opts ...ven.Option) *ven.VEN {
	f.t.Helper()
	opts = append([]ven.Option{ven.WithHTTPClient(f.srv.Client()), ven.WithClock(clk)}, opts...)
	v, err := ven.New(f.srv.URL, opts...)
	require.NoError(f.t, err)
	return v
}

// services the VEN must send each message to.
var serviceOf = map[string]oadr.ServiceName{
	"oadrQueryRegistration":         oadr.ServiceEiRegisterParty,
	"oadrCreatePartyRegistration":   oadr.ServiceEiRegisterParty,
	"oadrCancelPartyRegistration":   oadr.ServiceEiRegisterParty,
	"oadrCanceledPartyRegistration": oadr.ServiceEiRegisterParty,
	"oadrResponse":                  oadr.ServiceEiRegisterParty,
	"oadrRequestEvent":              oadr.ServiceEiEvent,
	"oadrCreatedEvent":              oadr.ServiceEiEvent,
	"oadrRegisterReport":            oadr.ServiceEiReport,
	"oadrRegisteredReport":          oadr.ServiceEiReport,
	"oadrCreatedReport":             oadr.ServiceEiReport,
	"oadrUpdateReport":              oadr.ServiceEiReport,
	"oadrUpdatedReport":             oadr.ServiceEiReport,
	"oadrCanceledReport":            oadr.ServiceEiReport,
	"oadrPoll":                      oadr.ServiceOadrPoll,
}

func (f *fakeVTN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const prefix = "/OpenADR2/Simple/2.0b/"
	body, err := io.ReadAll(r.Body)
	if err != nil {
		assert.NoError(f.t, err, "reading the request")
		return
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, prefix) {
		assert.Fail(f.t, "VEN sent "+r.Method+" "+r.URL.Path)
		http.NotFound(w, r)
		return
	}
	assert.Equal(f.t, "application/xml", r.Header.Get("Content-Type"))
	service := strings.TrimPrefix(r.URL.Path, prefix)
	msg, err := oadr.Unmarshal(body)
	if err != nil {
		assert.NoError(f.t, err, "VEN sent a message that does not decode:\n%s", body)
		http.Error(w, "bad message", http.StatusBadRequest)
		return
	}
	assert.Equal(f.t, string(serviceOf[msg.MessageName()]), service, "service of %s", msg.MessageName())
	f.mu.Lock()
	f.received = append(f.received, received{service: service, msg: msg, body: body})
	override := f.override
	f.mu.Unlock()

	var rep *reply
	if override != nil {
		rep = override(service, msg)
	}
	if rep == nil {
		rep = &reply{msg: f.answer(msg)}
	}
	if rep.msg == nil {
		w.WriteHeader(cmpOr(rep.status, http.StatusOK))
		_, _ = io.WriteString(w, rep.body)
		return
	}
	out, err := oadr.Marshal(rep.msg)
	if err != nil {
		assert.NoError(f.t, err, "fake VTN cannot encode its answer")
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(out)
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// answer is the scripted VTN's answer to msg.
func (f *fakeVTN) answer(msg oadr.Message) oadr.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	created := func(reqID string, withIDs bool) *oadr.CreatedPartyRegistration {
		c := &oadr.CreatedPartyRegistration{
			Response: oadr.OK(reqID),
			VtnID:    "VTN_SANDBOX",
			Profiles: []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}},
			PollFreq: f.pollFreq,
		}
		if withIDs {
			c.VenID, c.RegistrationID = f.venID, f.regID
		}
		return c
	}
	switch m := msg.(type) {
	case *oadr.QueryRegistration:
		return created(m.RequestID, false)
	case *oadr.CreatePartyRegistration:
		return created(m.RequestID, true)
	case *oadr.RegisterReport:
		return &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), ReportRequests: f.reportRequests, VenID: f.venID}
	case *oadr.RequestEvent:
		f.seq++
		return &oadr.DistributeEvent{
			Response:  &oadr.EiResponse{Code: oadr.CodeOK, Description: "OK", RequestID: m.RequestID},
			RequestID: fmt.Sprintf("REQ_DIST_EVT_%04d", f.seq),
			VtnID:     "VTN_SANDBOX",
			Events:    f.events,
		}
	case *oadr.Poll:
		if len(f.queue) > 0 {
			next := f.queue[0]
			f.queue = f.queue[1:]
			return next
		}
		return &oadr.Response{Response: oadr.OK(""), VenID: m.VenID}
	case *oadr.UpdateReport:
		u := &oadr.UpdatedReport{Response: oadr.OK(m.RequestID), VenID: f.venID, CancelReport: f.cancelOnUpdate}
		f.cancelOnUpdate = nil
		return u
	case *oadr.CancelPartyRegistration:
		return &oadr.CanceledPartyRegistration{Response: oadr.OK(m.RequestID), RegistrationID: m.RegistrationID, VenID: m.VenID}
	case *oadr.CreatedReport:
		return &oadr.Response{Response: oadr.OK(m.Response.RequestID), VenID: f.venID}
	}
	return &oadr.Response{Response: oadr.OK(""), VenID: f.venID}
}

// enqueue adds messages for the VEN's next polls.
func (f *fakeVTN) enqueue(msgs ...oadr.Message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue = append(f.queue, msgs...)
}

func (f *fakeVTN) setEvents(evs ...oadr.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = evs
}

func (f *fakeVTN) setOverride(fn func(service string, msg oadr.Message) *reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.override = fn
}

// all returns every message received so far.
func (f *fakeVTN) all() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.received...)
}

// names returns the element names of the messages received so far.
func (f *fakeVTN) names() []string {
	var out []string
	for _, r := range f.all() {
		out = append(out, r.msg.MessageName())
	}
	return out
}

// got returns the messages of type T received so far.
func got[T oadr.Message](f *fakeVTN) []T {
	var out []T
	for _, r := range f.all() {
		if m, ok := r.msg.(T); ok {
			out = append(out, m)
		}
	}
	return out
}

// last returns the last message of type T, failing the test without one.
func last[T oadr.Message](t testing.TB, f *fakeVTN) T {
	t.Helper()
	ms := got[T](f)
	require.NotEmpty(t, ms, "VEN sent no %T; got %v", *new(T), f.names())
	return ms[len(ms)-1]
}

// usageRequest asks for the whole TELEMETRY_USAGE report of battery1, as
// samples/battery/oadrRegisteredReport_battery_with_requests.xml does.
func usageRequest(id string, granularity, back time.Duration) oadr.ReportRequest {
	return oadr.ReportRequest{
		ReportRequestID: id,
		Specifier: oadr.ReportSpecifier{
			ReportSpecifierID:  "battery1_telemetry_usage",
			Granularity:        granularity,
			ReportBackDuration: back,
			Payloads: []oadr.SpecifierPayload{
				{RID: "battery1_voltage", ReadingType: oadr.ReadingDirectRead},
				{RID: "battery1_current", ReadingType: oadr.ReadingDirectRead},
				{RID: "battery1_temperature", ReadingType: oadr.ReadingDirectRead},
				{RID: "battery1_power", ReadingType: oadr.ReadingDirectRead},
				{RID: "battery1_stored_energy", ReadingType: oadr.ReadingDirectRead},
				{RID: "battery1_soc", ReadingType: oadr.ReadingDirectRead},
			},
		},
	}
}

// t0 is the scenario's start, as in samples/battery.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
