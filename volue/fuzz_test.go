package volue_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gridwire/gridwire/volue"
	"github.com/stretchr/testify/require"
)

// FuzzEvent feeds untrusted bodies to the event decoder: never a panic; a
// decoded event passes through unchanged (Raw), and encoded from its fields
// alone it decodes to the same id, type, time and payload type.
func FuzzEvent(f *testing.F) {
	var list struct {
		Events []json.RawMessage `json:"events"`
	}
	b, err := os.ReadFile(filepath.Join("testdata", "events.json"))
	if err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(b, &list); err != nil {
		f.Fatal(err)
	}
	for _, e := range list.Events {
		f.Add(string(e))
	}
	f.Add(`{"eventId":"e1"}`)
	f.Add(`{"type":"PriceDelta","payload":{"points":[{"timestamp":"x"}]}}`)
	f.Fuzz(func(t *testing.T, body string) {
		var e volue.Event
		if json.Unmarshal([]byte(body), &e) != nil {
			return
		}
		out, err := json.Marshal(e)
		require.NoError(t, err, "passing %q through", body)
		require.True(t, sameJSON(out, []byte(body)), "passing %q through: %s", body, out)
		e.Raw = nil
		out, err = json.Marshal(e)
		require.NoError(t, err, "encoding the fields of %q", body)
		var back volue.Event
		require.NoError(t, json.Unmarshal(out, &back), "decoding %s (from %q)", out, body)
		require.True(t, back.ID == e.ID && back.Type == e.Type && back.CreatedAt.Equal(e.CreatedAt) &&
			reflect.TypeOf(back.Payload) == reflect.TypeOf(e.Payload),
			"%q re-encoded as %s decodes to %+v, not %+v", body, out, back, e)
	})
}

// FuzzReceiver sends signed arbitrary bodies through the Receiver: it
// answers, never panics, and hands on only what it answered 204 for.
func FuzzReceiver(f *testing.F) {
	f.Add(`{"eventId":"e1"}`, true)
	f.Add(`{"id":"x","type":"PriceCurveCreated","payload":{"resolution":"25:00:00"}}`, true)
	f.Add(`not json`, false)
	f.Fuzz(func(t *testing.T, body string, signed bool) {
		handed := 0
		r, err := volue.NewReceiver(func(context.Context, volue.Event) error { handed++; return nil }, []string{"s"})
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		if signed {
			req.Header.Set(volue.SignatureHeader, volue.SignPayload("s", []byte(body)))
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		require.Equal(t, w.Code == http.StatusNoContent, handed == 1, "status %d with %d events handed on", w.Code, handed)
	})
}

// sameJSON reports whether a and b are the same JSON value (json.Marshal
// compacts and HTML-escapes what a MarshalJSON method returns).
func sameJSON(a, b []byte) bool {
	var va, vb any
	return json.Unmarshal(a, &va) == nil && json.Unmarshal(b, &vb) == nil && reflect.DeepEqual(va, vb)
}

// FuzzTimeSpan: a span that parses prints as one that parses back to it,
// to the second.
func FuzzTimeSpan(f *testing.F) {
	for _, s := range []string{"01:00:00", "00:15:00", "1.02:03:04", "-00:00:30", "00:00:01.5000000", "106751.23:59:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := volue.ParseTimeSpan(s)
		if err != nil {
			return
		}
		require.False(t, d < 0 && !strings.HasPrefix(s, "-") || d > 0 && strings.HasPrefix(s, "-"),
			"%q reads as %v: the sign flipped", s, d.Duration())
		back, err := volue.ParseTimeSpan(d.String())
		require.NoError(t, err, "%q = %v prints as %q", s, d.Duration(), d.String())
		require.Equal(t, d.Duration().Truncate(time.Second), back.Duration(),
			"%q = %v prints as %q, which reads as %v", s, d.Duration(), d.String(), back.Duration())
	})
}
