package openadr

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/internal/conformance"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// TestMain checks that no test leaves a goroutine behind, then validates
// every distinct message the VTN emitted during the run against the official
// 2.0b schema with xmllint, in one batch (xmllint takes a while to load the
// schema, so one run per message would be slow).
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	if code == 0 {
		if err := validateEmitted(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// emitted collects the distinct documents the VTN sent, with the test that
// first saw each.
var emitted = struct {
	sync.Mutex
	docs map[[32]byte]emittedDoc
}{docs: make(map[[32]byte]emittedDoc)}

type emittedDoc struct {
	test string
	body []byte
}

// maxEmitted bounds the collection when a fuzzer drives the handler.
const maxEmitted = 5000

func recordEmitted(test string, body []byte) {
	sum := sha256.Sum256(body)
	emitted.Lock()
	defer emitted.Unlock()
	if _, ok := emitted.docs[sum]; !ok && len(emitted.docs) < maxEmitted {
		emitted.docs[sum] = emittedDoc{test: test, body: bytes.Clone(body)}
	}
}

// emittedTests counts the tests whose emitted messages were collected for
// the schema check.
func emittedTests() int {
	emitted.Lock()
	defer emitted.Unlock()
	tests := make(map[string]bool)
	for _, d := range emitted.docs {
		tests[d.test] = true
	}
	return len(tests)
}

// validateEmitted runs xmllint over the collected documents. Without
// xmllint it says so in one line and passes, unless CI=true, where it fails.
func validateEmitted() error {
	emitted.Lock()
	docs := make(map[string][]byte, len(emitted.docs))
	from := make(map[string]emittedDoc, len(emitted.docs))
	for sum, d := range emitted.docs {
		name := fmt.Sprintf("%x.xml", sum[:8])
		docs[name], from[name] = d.body, d
	}
	emitted.Unlock()
	if len(docs) == 0 {
		return nil // e.g. go test -run '^$' -bench .
	}
	failures, err := conformance.Validate(docs)
	if err != nil {
		if conformance.CI() {
			return fmt.Errorf("XSD validation impossible: %w (CI=true: the OpenADR conformance tests must run)", err)
		}
		var skips conformance.Skips
		for _, d := range from {
			skips.Note(d.test, err.Error())
		}
		skips.Print()
		return nil
	}
	if len(failures) > 0 {
		var msgs []string
		for name, why := range failures {
			msgs = append(msgs, fmt.Sprintf("--- from %s: %s%s", from[name].test, why, from[name].body))
		}
		sort.Strings(msgs)
		return fmt.Errorf("openadr: emitted messages fail oadr_20b.xsd:\n%s", strings.Join(msgs, "\n"))
	}
	fmt.Fprintf(os.Stderr, "openadr: %d distinct emitted messages validate against oadr_20b.xsd\n", len(docs))
	return nil
}

// t0 is the fake clock's start in most tests.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// newVTN returns a VTN on a fake clock. It sends nothing twice (tests that
// drain a queue without answering would see messages come back); the
// redelivery tests turn it on.
func newVTN(t testing.TB, opts ...Option) (*VTN, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	v, err := NewVTN("VTN_TEST", append([]Option{WithClock(clk), WithRedeliverAfter(0)}, opts...)...)
	require.NoError(t, err)
	return v, clk
}

// post sends body to a service in process and returns the HTTP status and
// the raw answer, recording it for the XSD check.
func post(t testing.TB, h http.Handler, svc oadr.ServiceName, body []byte) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, PathPrefix+string(svc), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/xml")
	return serve(t, h, req)
}

func serve(t testing.TB, h http.Handler, req *http.Request) (int, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/xml") {
		recordEmitted(t.Name(), rec.Body.Bytes())
	}
	return rec.Code, rec.Body.Bytes()
}

// send marshals a VEN message, posts it and decodes the answer, which must
// come with HTTP 200.
func send(t testing.TB, h http.Handler, svc oadr.ServiceName, msg oadr.Message) oadr.Message {
	t.Helper()
	body, err := oadr.Marshal(msg)
	require.NoError(t, err)
	return sendRaw(t, h, svc, body)
}

func sendRaw(t testing.TB, h http.Handler, svc oadr.ServiceName, body []byte) oadr.Message {
	t.Helper()
	status, out := post(t, h, svc, body)
	require.Equal(t, http.StatusOK, status, "answer: %s", out)
	answer, err := oadr.Unmarshal(out)
	require.NoError(t, err, "answer: %s", out)
	return answer
}

// as asserts the answer's type.
func as[T oadr.Message](t testing.TB, msg oadr.Message) T {
	t.Helper()
	m, ok := msg.(T)
	require.True(t, ok, "answer is %s, want %T", msg.MessageName(), *new(T))
	return m
}

// code returns the eiResponse code of an answer.
func code(t testing.TB, msg oadr.Message) oadr.ResponseCode {
	t.Helper()
	switch m := msg.(type) {
	case *oadr.DistributeEvent:
		require.NotNil(t, m.Response)
		return m.Response.Code
	case *oadr.CreatedEvent:
		return m.Response.Code
	}
	r := responseOf(msg)
	require.NotNil(t, r, "%s has no eiResponse", msg.MessageName())
	return r.Code
}

func responseOf(msg oadr.Message) *oadr.EiResponse {
	switch m := msg.(type) {
	case *oadr.Response:
		return &m.Response
	case *oadr.CreatedPartyRegistration:
		return &m.Response
	case *oadr.CanceledPartyRegistration:
		return &m.Response
	case *oadr.RegisteredReport:
		return &m.Response
	case *oadr.CreatedReport:
		return &m.Response
	case *oadr.UpdatedReport:
		return &m.Response
	case *oadr.CanceledReport:
		return &m.Response
	case *oadr.CreatedOpt:
		return &m.Response
	case *oadr.CanceledOpt:
		return &m.Response
	case *oadr.DistributeEvent:
		return m.Response
	}
	return nil
}

// register registers a pull VEN and returns its venID and registrationID.
func register(t testing.TB, v *VTN, name string) (string, string) {
	t.Helper()
	a := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "REQ_REG_" + name, ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
		VenName: name, HTTPPullModel: new(true),
	}))
	require.Equal(t, oadr.CodeOK, a.Response.Code, a.Response.Description)
	require.NotEmpty(t, a.VenID)
	require.NotEmpty(t, a.RegistrationID)
	return a.VenID, a.RegistrationID
}

// pollMsg polls once for venID.
func pollMsg(t testing.TB, v *VTN, venID string) oadr.Message {
	t.Helper()
	return send(t, v, oadr.ServiceOadrPoll, &oadr.Poll{VenID: venID})
}

// drain polls until the queue is empty and returns what came.
func drain(t testing.TB, v *VTN, venID string) []oadr.Message {
	t.Helper()
	var got []oadr.Message
	for range 100 {
		m := pollMsg(t, v, venID)
		if r, ok := m.(*oadr.Response); ok {
			require.Equal(t, oadr.CodeOK, r.Response.Code)
			return got
		}
		got = append(got, m)
	}
	require.FailNow(t, "queue does not drain")
	return nil
}

// sample reads a file of testdata.
func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// batteryReports is the battery VEN's offer (testdata/battery), venID
// replaced.
func batteryReports(t testing.TB, venID string) *oadr.RegisterReport {
	t.Helper()
	m, err := oadr.Unmarshal(sample(t, "battery/oadrRegisterReport_battery_telemetry.xml"))
	require.NoError(t, err)
	rr := m.(*oadr.RegisterReport)
	rr.VenID = venID
	return rr
}

var bg = context.Background()
