package openadr

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
)

func TestNewVTNValidates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		id    string
		opts  []Option
		field string
	}{
		{"empty id", "", nil, "vtnID"},
		{"blanks", " VTN ", nil, "vtnID"},
		{"control character", "VTN\x01", nil, "vtnID"},
		{"all lower case", "vtn_sandbox", nil, "vtnID"},
		{"nil store", "VTN", []Option{WithStore(nil)}, "WithStore"},
		{"nil clock", "VTN", []Option{WithClock(nil)}, "WithClock"},
		{"nil logger", "VTN", []Option{WithLogger(nil)}, "WithLogger"},
		{"zero poll", "VTN", []Option{WithPollFrequency(0)}, "WithPollFrequency"},
		{"fractional poll", "VTN", []Option{WithPollFrequency(1500 * time.Millisecond)}, "WithPollFrequency"},
		{"zero body", "VTN", []Option{WithMaxBodyBytes(0)}, "WithMaxBodyBytes"},
		{"no market context", "VTN", []Option{WithMarketContext("")}, "WithMarketContext"},
		{"bad delivery", "VTN", []Option{WithReportRequestDelivery(7)}, "WithReportRequestDelivery"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewVTN(tc.id, tc.opts...)
			require.ErrorIs(t, err, energy.ErrInvalid)
			fe, ok := errors.AsType[*energy.FieldError](err)
			require.True(t, ok)
			assert.Equal(t, tc.field, fe.Field)
		})
	}
	// Python's islower is false without cased letters, so OpenLEADR accepts
	// these; so do we.
	for _, id := range []string{"VTN_SANDBOX", "Vtn", "12345", "VTN-ü"} {
		v, err := NewVTN(id)
		require.NoError(t, err, id)
		assert.Equal(t, id, v.ID())
	}
}

func TestHTTPLayer(t *testing.T) {
	v, _ := newVTN(t, WithMaxBodyBytes(2048))
	poll := []byte(`<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrSignedObject><oadrPoll><venID xmlns="http://docs.oasis-open.org/ns/energyinterop/201110">X</venID></oadrPoll></oadrSignedObject></oadrPayload>`)

	t.Run("unknown path", func(t *testing.T) {
		for _, p := range []string{"/", "/OpenADR2/Simple/2.0b/", "/OpenADR2/Simple/2.0b/EiNothing", "/OpenADR2/Simple/2.0a/EiEvent", "/x/OadrPoll"} {
			status, _ := serve(t, v, httptest.NewRequest(http.MethodPost, p, bytes.NewReader(poll)))
			assert.Equal(t, http.StatusNotFound, status, p)
		}
	})
	t.Run("mounted under a prefix, trailing slash", func(t *testing.T) {
		for _, p := range []string{"/vtn/OpenADR2/Simple/2.0b/OadrPoll", "/OpenADR2/Simple/2.0b/OadrPoll/"} {
			status, body := serve(t, v, httptest.NewRequest(http.MethodPost, p, bytes.NewReader(poll)))
			require.Equal(t, http.StatusOK, status, p)
			m, err := oadr.Unmarshal(body)
			require.NoError(t, err)
			assert.Equal(t, oadr.CodeInvalidID, code(t, m), "unknown venID X")
		}
	})
	t.Run("GET", func(t *testing.T) {
		rec := httptest.NewRecorder()
		v.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, PathPrefix+"OadrPoll", nil))
		assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		assert.Equal(t, "POST", rec.Header().Get("Allow"))
	})
	t.Run("oversized body", func(t *testing.T) {
		big := append(bytes.Clone(poll[:len(poll)-len("</oadrPayload>")]), bytes.Repeat([]byte(" "), 4096)...)
		big = append(big, "</oadrPayload>"...)
		// Declared length over the limit, and a chunked body that turns out
		// to be: both 413 with an oadrResponse carrying 413.
		for _, chunked := range []bool{false, true} {
			req := httptest.NewRequest(http.MethodPost, PathPrefix+"OadrPoll", bytes.NewReader(big))
			if chunked {
				req.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			v.ServeHTTP(rec, req)
			recordEmitted(t.Name(), rec.Body.Bytes())
			require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
			assert.Equal(t, "close", rec.Header().Get("Connection"))
			m, err := oadr.Unmarshal(rec.Body.Bytes())
			require.NoError(t, err)
			assert.Equal(t, oadr.CodeEntityTooLarge, code(t, m))
		}
	})
	t.Run("body at exactly the limit, and no limit to speak of", func(t *testing.T) {
		for _, limit := range []int64{int64(len(poll)), math.MaxInt64} {
			v, _ := newVTN(t, WithMaxBodyBytes(limit))
			status, body := serve(t, v, httptest.NewRequest(http.MethodPost, PathPrefix+"OadrPoll", bytes.NewReader(poll)))
			require.Equal(t, http.StatusOK, status, limit)
			m, err := oadr.Unmarshal(body)
			require.NoError(t, err)
			assert.Equal(t, oadr.CodeInvalidID, code(t, m), "unknown venID X, limit %d", limit)
		}
	})
	t.Run("unreadable body", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, PathPrefix+"OadrPoll", errReader{})
		status, body := serve(t, v, req)
		require.Equal(t, http.StatusBadRequest, status)
		m, err := oadr.Unmarshal(body)
		require.NoError(t, err)
		assert.Equal(t, oadr.CodeBadRequest, code(t, m))
	})
	t.Run("answers are application/xml", func(t *testing.T) {
		rec := httptest.NewRecorder()
		v.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, PathPrefix+"OadrPoll", bytes.NewReader(poll)))
		assert.Equal(t, "application/xml", rec.Header().Get("Content-Type"))
		assert.Equal(t, strconv.Itoa(rec.Body.Len()), rec.Header().Get("Content-Length"))
	})
	t.Run("VEN gone mid-request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(bg)
		cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, PathPrefix+"OadrPoll", bytes.NewReader(poll))
		status, body := serve(t, v, req)
		require.Equal(t, http.StatusOK, status)
		m, err := oadr.Unmarshal(body)
		require.NoError(t, err)
		assert.Equal(t, oadr.CodeDeploymentError, code(t, m))
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// Protocol errors come back as HTTP 200 with an eiResponse code, in the
// answer the message calls for; never HTTP 500.
func TestProtocolErrors(t *testing.T) {
	v, _ := newVTN(t)
	venID, _ := register(t, v, "ven")
	wrap := func(inner string) []byte {
		return []byte(`<?xml version="1.0"?><oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads"><oadr:oadrSignedObject>` + inner + `</oadr:oadrSignedObject></oadr:oadrPayload>`)
	}
	for _, tc := range []struct {
		name   string
		svc    oadr.ServiceName
		body   []byte
		answer string
		code   oadr.ResponseCode
	}{
		{"garbage", oadr.ServiceEiEvent, []byte("\x00\x01 not xml"), "oadrResponse", oadr.CodeInvalidData},
		{"empty body", oadr.ServiceOadrPoll, nil, "oadrResponse", oadr.CodeInvalidData},
		{"truncated", oadr.ServiceEiReport, wrap(`<oadr:oadrPoll><ei:venID>x`)[:120], "oadrResponse", oadr.CodeInvalidData},
		{"html", oadr.ServiceOadrPoll, []byte("<html><body>hi</body></html>"), "oadrResponse", oadr.CodeNotRecognized},
		{"2.0a namespace", oadr.ServiceEiEvent, []byte(`<oadrRequestEvent xmlns="http://openadr.org/oadr-2.0a/2012/07"/>`), "oadrResponse", oadr.CodeNotRecognized},
		{"unknown message", oadr.ServiceEiEvent, wrap(`<oadr:oadrFrobnicate/>`), "oadrResponse", oadr.CodeNotRecognized},
		{"missing element, answered in kind", oadr.ServiceEiRegisterParty, wrap(`<oadr:oadrCreatePartyRegistration><pyld:requestID>R1</pyld:requestID></oadr:oadrCreatePartyRegistration>`), "oadrCreatedPartyRegistration", oadr.CodeInvalidData},
		{"bad value", oadr.ServiceEiReport, wrap(`<oadr:oadrCreatedReport><ei:eiResponse><ei:responseCode>2x0</ei:responseCode><pyld:requestID/></ei:eiResponse><oadr:oadrPendingReports/></oadr:oadrCreatedReport>`), "oadrResponse", oadr.CodeInvalidData},
		{"poll at EiEvent", oadr.ServiceEiEvent, wrap(`<oadr:oadrPoll><ei:venID>` + venID + `</ei:venID></oadr:oadrPoll>`), "oadrResponse", oadr.CodeComplianceError},
		{"update report at OadrPoll", oadr.ServiceOadrPoll, wrap(`<oadr:oadrUpdateReport><pyld:requestID>U1</pyld:requestID><ei:venID>` + venID + `</ei:venID></oadr:oadrUpdateReport>`), "oadrUpdatedReport", oadr.CodeComplianceError},
		{"request event at EiReport", oadr.ServiceEiReport, wrap(`<oadr:oadrRequestEvent><pyld:eiRequestEvent><pyld:requestID>E1</pyld:requestID><ei:venID>` + venID + `</ei:venID></pyld:eiRequestEvent></oadr:oadrRequestEvent>`), "oadrDistributeEvent", oadr.CodeComplianceError},
		{"a VTN's message", oadr.ServiceEiEvent, sample(t, "battery/oadrDistributeEvent_battery_charge_discharge.xml"), "oadrResponse", oadr.CodeComplianceError},
		{"unknown venID", oadr.ServiceOadrPoll, wrap(`<oadr:oadrPoll><ei:venID>NOBODY</ei:venID></oadr:oadrPoll>`), "oadrResponse", oadr.CodeInvalidID},
		{"empty venID", oadr.ServiceEiReport, wrap(`<oadr:oadrUpdateReport><pyld:requestID>U2</pyld:requestID></oadr:oadrUpdateReport>`), "oadrUpdatedReport", oadr.CodeInvalidID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := post(t, v, tc.svc, tc.body)
			require.Equal(t, http.StatusOK, status)
			m, err := oadr.Unmarshal(out)
			require.NoError(t, err, "%s", out)
			assert.Equal(t, tc.answer, m.MessageName())
			assert.Equal(t, tc.code, code(t, m))
			assert.NotEmpty(t, responseOf(m).Description)
		})
	}
}

// Answers echo the request's requestID; answers to a poll have an empty one.
func TestRequestIDEcho(t *testing.T) {
	v, _ := newVTN(t)
	q := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.QueryRegistration{RequestID: "Q-1"}))
	assert.Equal(t, "Q-1", q.Response.RequestID)
	venID, _ := register(t, v, "ven")
	p := as[*oadr.RegisterReport](t, pollMsg(t, v, venID))
	assert.NotEmpty(t, p.RequestID, "a VTN-initiated message has its own requestID")
	r := as[*oadr.Response](t, send(t, v, oadr.ServiceEiReport, &oadr.RegisteredReport{Response: oadr.OK(p.RequestID), VenID: venID}))
	assert.Equal(t, p.RequestID, r.Response.RequestID)
	e := as[*oadr.DistributeEvent](t, send(t, v, oadr.ServiceEiEvent, &oadr.RequestEvent{RequestID: "E-1", VenID: venID}))
	assert.Equal(t, "E-1", e.Response.RequestID)
	assert.NotEqual(t, "E-1", e.RequestID)
	empty := as[*oadr.Response](t, pollMsg(t, v, venID))
	assert.Equal(t, "", empty.Response.RequestID)
	assert.Equal(t, venID, empty.VenID)
	bad := as[*oadr.UpdatedReport](t, send(t, v, oadr.ServiceEiReport, &oadr.UpdateReport{RequestID: "U-9", VenID: "NOBODY"}))
	assert.Equal(t, "U-9", bad.Response.RequestID, "error answers echo too")
}

func TestServiceOf(t *testing.T) {
	for p, want := range map[string]oadr.ServiceName{
		"/OpenADR2/Simple/2.0b/EiRegisterParty": oadr.ServiceEiRegisterParty,
		"/a/b/OpenADR2/Simple/2.0b/EiOpt/":      oadr.ServiceEiOpt,
		"/OpenADR2/Simple/2.0b/EiReport":        oadr.ServiceEiReport,
	} {
		got, ok := serviceOf(p)
		assert.True(t, ok, p)
		assert.Equal(t, want, got, p)
	}
	for _, p := range []string{"", "EiEvent", "/EiEvent", "/OpenADR2/Simple/2.0b", "/xOpenADR2/Simple/2.0b/EiEvent/extra", strings.Repeat("/", 3)} {
		_, ok := serviceOf(p)
		assert.False(t, ok, p)
	}
}

func TestLoggerAndSmallAPI(t *testing.T) {
	var logs bytes.Buffer
	v, _ := newVTN(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	assert.Same(t, v, v.Handler())
	send(t, v.Handler(), oadr.ServiceOadrPoll, &oadr.Poll{VenID: "NOBODY"})
	assert.Contains(t, logs.String(), "request refused")
	assert.Contains(t, logs.String(), "code=452")
	send(t, v, oadr.ServiceEiRegisterParty, &oadr.QueryRegistration{RequestID: "Q"})
	assert.Contains(t, logs.String(), "message=oadrQueryRegistration")
	assert.Contains(t, logs.String(), "answer=oadrCreatedPartyRegistration")

	assert.Equal(t, "openadr: 452 Invalid ID: no such VEN", Reject(oadr.CodeInvalidID, "no such %s", "VEN").Error())
	assert.Equal(t, "openadr: 463 Not Registered or Authorized", (&ResponseError{Code: oadr.CodeNotRegisteredOrAuthorized}).Error())
	assert.Equal(t, "Invalid Data", (&ResponseError{Code: oadr.CodeInvalidData}).eiResponse("R").Description)
	for k, s := range map[ChangeKind]string{Registered: "registered", Reregistered: "reregistered", Canceled: "canceled", 0: "unknown"} {
		assert.Equal(t, s, k.String())
	}
}
